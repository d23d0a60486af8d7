"""White-box tests of the per-statement fast paths: each answers what the general path answers."""

from __future__ import annotations

from app.sql import Engine, Storage, Variable
from app.sql._variables import as_int


def test_a_variable_redefined_with_a_getter_is_read_through_it() -> None:
    """SessionVariables.get answers a plain variable from the stored values without the general
    path's checks; a variable that gains a getter (the cluster's, defined by the server) is no longer
    plain, and neither is one the session reads from its own state."""
    engine = Engine(Storage())
    session = engine.new_session()
    variables = session.variables
    engine.define_variable(Variable("perf_probe", 1, convert=as_int))
    assert variables.get("perf_probe") == 1
    engine.global_variables.set("perf_probe", 2)
    assert variables.get("perf_probe") == 2  # a global value set after the session began
    engine.define_variable(Variable("perf_probe", 0, scope="global", getter=lambda: 42))
    assert variables.get("perf_probe") == 42
    variables.state_getters["autocommit"] = lambda: 7
    assert variables.get("autocommit") == 7
    del variables.state_getters["autocommit"]
    session.execute("SET autocommit = 0")
    assert variables.get("autocommit") == 0 and variables.get("autocommit", "global") == 1
    session.execute("DO 1 + 'x'")  # one warning: warning_count is the session's, not a stored value
    assert variables.get("warning_count") == 1
    engine.close()
