"""README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

from app.scenarios import parse, run_test

README = Path(__file__).resolve().parents[1] / "README.md"


def _block(after: str, language: str) -> str:
    text = README.read_text()
    start = text.index(after)
    m = re.compile(rf"```{language}\n(.*?)```", re.DOTALL).search(text, start)
    assert m is not None, f"no {language} block after {after!r} in README.md"
    return m.group(1)


def test_readme_yaml_scenario_example_runs_as_written() -> None:
    scenario = parse(_block("### YAML scenarios", "yaml"), "README.md")
    assert [t.name for t in scenario.tests] == ["primary comes up and replicates to standby"]
    result = run_test(scenario.tests[0])
    assert result.server_processes == 3  # two servers, and server2 once more after its restart


def test_readme_registration_snippet_is_the_root_conftest() -> None:
    snippet = _block("## Testing with the framework", "python")
    conftest = (README.parent / "conftest.py").read_text()
    for line in snippet.splitlines():
        code = line.split("#")[0].strip()
        if code:
            assert code in conftest, f"README's registration line {code!r} is not what conftest.py does"
