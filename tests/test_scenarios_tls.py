"""The scenario schema's TLS settings (a connection's `tls:`) and TLS template functions; the scenarios
themselves are tests/scenarios/tls.yaml."""

from __future__ import annotations

import textwrap

import pytest

from app.scenarios import ScenarioSchemaError, parse

BASE = """\
tests:
- name: t
  servers:
  - name: server1
  connections:
  - on: server1
    {tls}
    queries: [{{query: "select 1"}}]
"""


def _connection_tls(tls: str) -> object:
    return parse(textwrap.dedent(BASE.format(tls=tls)), "s.yaml").tests[0].connections[0].tls


def test_tls_settings_are_read() -> None:
    tls = _connection_tls("""tls: {ca: '{{get_ca "test"}}', cert: '{{get_cert "c"}}', key: '{{get_key "c"}}', """
                          "verify_identity: false}")
    assert tls is not None
    assert (tls.ca, tls.cert, tls.key, tls.verify_identity) == (  # type: ignore[attr-defined]
        '{{get_ca "test"}}', '{{get_cert "c"}}', '{{get_key "c"}}', False)
    assert _connection_tls("user: root") is None


@pytest.mark.parametrize(("tls", "needle"), [
    ("tls: {cert: a.pem, key: b.pem}", "tls needs 'ca'"),
    ("tls: {ca: a.pem, cert: c.pem}", "a client certificate needs its key"),
    ("tls: {ca: a.pem, verify: true}", "unknown key 'verify'"),
    ("tls: {ca: a.pem, verify_identity: maybe}", "verify_identity must be true or false"),
    ("""tls: {ca: '{{get_cq "test"}}'}""", "unknown template function 'get_cq'"),
])
def test_bad_tls_settings_name_the_line(tls: str, needle: str) -> None:
    with pytest.raises(ScenarioSchemaError) as e:
        _connection_tls(tls)
    assert str(e.value).startswith("s.yaml:7"), e.value
    assert needle in str(e.value), e.value
