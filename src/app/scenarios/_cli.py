"""`app scenarios FILE[::TEST]...` (also `python -m app.scenarios`): run scenario files without pytest.

For someone who debugs a cluster by hand: `-v` prints each step and the
servers' command lines, `--pause` keeps the servers running after the
connections (or at a failure) until Enter is pressed, `--debug NAME=PORT`
starts a server under debugpy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from ._errors import ScenarioFailed, ScenarioSchemaError
from ._runner import RunOptions, ServerInfo, run_test
from ._schema import ScenarioTest, load_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="app scenarios", description="Run YAML scenario tests (see README: 'YAML scenarios').")
    parser.add_argument("files", nargs="+", metavar="FILE[::TEST]",
                        help="scenario files; FILE::TEST runs the test of that name only")
    parser.add_argument("-k", dest="keyword", metavar="TEXT", help="run only tests whose name contains TEXT")
    parser.add_argument("--list", action="store_true", help="list the tests and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each step and each server's command")
    parser.add_argument("--pause", action="store_true",
                        help="before stopping a test's servers (after its connections, or at a failure), "
                             "print how to reach them and wait for Enter")
    parser.add_argument("--debug", action="append", default=[], metavar="SERVER=PORT",
                        help="run the server named SERVER under debugpy, waiting for a debugger on PORT")
    return parser


def _select(specs: Sequence[str], keyword: str | None) -> list[ScenarioTest]:
    tests: list[ScenarioTest] = []
    for spec in specs:
        path, sep, name = spec.partition("::")
        loaded = load_file(path)
        chosen = [t for t in loaded.tests if not sep or t.name == name]
        if sep and not chosen:
            names = "\n  ".join(t.name for t in loaded.tests)
            raise ScenarioSchemaError(f"no test named {name!r}; its tests:\n  {names}", file=path)
        tests += [t for t in chosen if keyword is None or keyword in t.name]
    return tests


def _pause(servers: Sequence[ServerInfo], failure: BaseException | None) -> None:
    if failure is not None:
        print(f"\nthe test failed (the servers' output follows once they are stopped):\n{failure}")
    print("\nthe test's servers, until you press Enter:")
    for s in servers:
        print(f"  {s.name}: {s.state}; mariadb -h127.0.0.1 -P{s.port} -uroot   (directory {s.directory})")
    input("press Enter to stop them and go on ")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the scenario files; exit 0 if every selected test passed, 1 if one failed, 2 for bad input."""
    args = _parser().parse_args(argv)
    debug: dict[str, int] = {}
    for item in args.debug:
        name, sep, port = item.partition("=")
        if not sep or not port.isdigit():
            print(f"app scenarios: error: --debug {item!r}: write SERVER=PORT, for example server1=5678",
                  file=sys.stderr)
            return 2
        debug[name] = int(port)
    try:
        tests = _select(args.files, args.keyword)
    except ScenarioSchemaError as e:
        print(f"app scenarios: error: {e}", file=sys.stderr)
        return 2
    if not tests:
        print("app scenarios: no tests selected", file=sys.stderr)
        return 2
    if args.list:
        for t in tests:
            print(f"{t.where}: {t.name}" + (f"  (skip: {t.skip})" if t.skip else ""))
        return 0
    options = RunOptions(
        progress=(lambda line: print(f"  {line}", flush=True)) if args.verbose else None,
        notice=lambda line: print(f"  >>> {line}", flush=True),
        pause=_pause if args.pause else None,
        debug_ports=debug,
    )
    passed = failed = skipped = servers = 0
    began = time.monotonic()
    try:
        for t in tests:
            if t.skip is not None:
                print(f"SKIP {t.name}: {t.skip}")
                skipped += 1
                continue
            print(f"RUN  {t.name}  ({t.where})", flush=True)
            try:
                result = run_test(t, options)
            except ScenarioFailed as e:
                failed += 1
                servers += e.server_processes
                print(f"FAIL {t.name}\n{e}\n", flush=True)
                continue
            passed += 1
            servers += result.server_processes
            print(f"PASS {t.name}  ({result.seconds:.1f}s, {result.server_processes} server processes)",
                  flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted; the test's servers were stopped", file=sys.stderr)
        return 130
    print(f"\n{passed} passed, {failed} failed, {skipped} skipped in {time.monotonic() - began:.1f}s; "
          f"{servers} server processes started")
    return 1 if failed else 0
