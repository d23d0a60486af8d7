"""A client session: the coordinator of one connection's statements.

The session owns its services (state, variables, SQLite connections, transaction) and runs each
statement: the translator turns it into a plan, and the executor registered for the plan's class
(`_plan.EXECUTORS`) runs it with the services it asks for. The statements themselves live in their
families (`_statements`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Protocol, final

import apsw

from . import _interrupts
from ._access import check as check_access
from ._access import concealed, filtered
from ._accounts import Access, Account, AccountStore
from ._catalog import Catalog
from ._commits import CommitListenerSet
from ._connections import Connections
from ._diagnostics import Diagnostics, activate
from ._errors import ER_UNKNOWN, SQLError, stack_overrun
from ._functions import REGISTRY, NamedLocks
from ._locks import LockManager
from ._plan import EXECUTORS, Params, Plan
from ._results import Result
from ._state import Procedure, Procedures, ProcessList, SessionState
from ._statements._sprun import Programs
from ._statements._spstore import Stored, triggers_of
from ._statements._sptrig import Triggers
from ._statements._sptrig import install as install_triggers
from ._statements.database import UsePlan
from ._statements.diagnostics import DIAGNOSTIC_PLANS
from ._statements.prepared import PreparedStatements
from ._statements.programs import call_function
from ._statements.query import DoPlan, QueryPlan
from ._statements.servers import ServerPlan
from ._statements.session import SetPlan
from ._storage import Database, Storage
from ._transaction import Transaction
from ._translator import Translator
from ._variables import GlobalVariables, SessionVariables

_Call = Callable[[Plan, Params], Result]
logger = logging.getLogger("app.sql.session")


def _uses_tables(plan: Plan) -> bool:
    """Whether a statement clears the diagnostics area when it starts (MariaDB: one that uses
    tables; others clear it only when they raise a condition of their own)."""
    if isinstance(plan, QueryPlan):
        return plan.has_tables
    if isinstance(plan, DoPlan):
        return plan.query.has_tables
    return not isinstance(plan, (SetPlan, ServerPlan))


class Node(Protocol):
    """What a session uses of the node's engine (`_engine.Engine`)."""

    @property
    def version(self) -> str: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def storage(self) -> Storage: ...
    @property
    def catalog(self) -> Catalog: ...
    @property
    def translator(self) -> Translator: ...
    @property
    def locks(self) -> LockManager: ...
    @property
    def commits(self) -> CommitListenerSet: ...
    @property
    def global_variables(self) -> GlobalVariables: ...
    @property
    def procedures(self) -> dict[str, Procedure]: ...
    @property
    def processes(self) -> ProcessList: ...
    @property
    def named_locks(self) -> NamedLocks: ...
    @property
    def accounts(self) -> AccountStore: ...

    def forget_session(self, session: Session) -> None: ...


@final
class Session:
    """One client connection's SQL state. Create through `Engine.new_session()`."""

    def __init__(self, engine: Node, connection_id: int, user: str, host: str) -> None:
        self.engine = engine
        self.closed = False
        # Set by interrupt(): the running statement was asked to stop (seen by functions that wait, see
        # _interrupts, and by stored programs between their statements).
        self._stop = threading.Event()
        self.state = SessionState(connection_id, user, host, engine.version, engine.clock)
        self.variables = SessionVariables(engine.global_variables, self.state)
        self.connections = Connections(engine.catalog, self._register_functions, lambda: self.state.database,
                                       lambda: self.state.current_statement)
        self.transaction = Transaction(self.connections, engine.locks, engine.commits, engine.catalog, self.variables)
        self.variables.state_getters["in_transaction"] = lambda: int(self.transaction.active)
        self.access = Access(engine.accounts)
        self.programs = Programs(self._run_nested, self.state.user_variables, self.state.diagnostics,
                                 self._stop.is_set)
        self.state.call_stored_function = self._call_function
        self.state.triggers = Triggers(self.programs, self._triggers_of, self._columns_of, self._nested)
        self.connections.on_schema = install_triggers
        self.state.named_locks = engine.named_locks
        self.state.stopping = self._stop.is_set
        # What executors may ask for, by type (see `_plan.executes`).
        self._services: dict[type, Any] = {
            SessionState: self.state, SessionVariables: self.variables, Connections: self.connections,
            Transaction: self.transaction, Catalog: engine.catalog, ProcessList: engine.processes,
            Procedures: Procedures(engine.procedures, self), Diagnostics: self.state.diagnostics,
            PreparedStatements: PreparedStatements(self.execute), AccountStore: engine.accounts,
            Access: self.access, Programs: self.programs,
        }
        self._calls: dict[type[Plan], _Call] = {}

    def _register_functions(self, conn: apsw.Connection) -> None:
        REGISTRY.register_on(conn, self.state)

    # -- what the protocol layer reads and sets ---------------------------------------------------

    def login(self, account: Account, user: str, host: str, *, used_password: bool = False) -> None:
        """The client authenticated as `account`, logging in as `user` from `host` (USER() is
        user@host, CURRENT_USER() the account; its privileges decide what the session may do)."""
        access = self.access
        access.login(account, user, host, used_password)
        state = self.state
        state.user, state.host = user, host
        state.priv_user, state.priv_host = account.user, account.host
        # Tables are checked by the connections' authorizer unless the account may use every table:
        # then statements stay prepared (see `_access`). Connections opened before are reopened.
        self.connections.close()
        self.connections.table_check = None if access.table_dml_everywhere() else self._check_table

    def _check_table(self, privilege: str, db: str, table: str) -> None:
        self.access.require_table(db, table, privilege)

    @property
    def connection_id(self) -> int:
        return self.state.connection_id

    @property
    def user(self) -> str:
        return self.state.user

    @property
    def host(self) -> str:
        return self.state.host

    @property
    def database(self) -> str | None:
        """The current database (USE)."""
        return self.state.database

    @database.setter
    def database(self, name: str | None) -> None:
        self.state.database = name

    @property
    def current_statement(self) -> str | None:
        """The statement running now, None between statements."""
        return self.state.current_statement

    @property
    def client_found_rows(self) -> bool:
        """The client's CLIENT_FOUND_ROWS flag: UPDATE reports matched rather than changed rows."""
        return self.state.client_found_rows

    @client_found_rows.setter
    def client_found_rows(self, value: bool) -> None:
        self.state.client_found_rows = value

    @property
    def autocommit(self) -> bool:
        return self.variables.autocommit

    @property
    def in_transaction(self) -> bool:
        return self.transaction.active

    # -- statements -------------------------------------------------------------------------------

    def execute(self, sql: str) -> Result:
        """Run one MySQL statement on the calling thread (which blocks while it waits for a lock)."""
        state = self.state
        diagnostics = state.diagnostics
        activate(diagnostics)
        if self._stop.is_set():  # an interrupt aimed at an earlier statement is not this one's
            self._stop.clear()  # (only then: clear() takes the event's lock)
        _interrupts.activate(self._stop)
        state.start_statement(sql)
        try:
            self.connections.close_stale()
            try:
                plan, params = self.engine.translator.plan(sql, self.variables.dialect)
            except SQLError:
                diagnostics.begin()
                raise
            except RecursionError:  # too deep to parse: refused as MariaDB refuses what its stack cannot hold
                diagnostics.begin()
                raise stack_overrun() from None
            diagnostics.begin(uses_tables=_uses_tables(plan), diagnostic=isinstance(plan, DIAGNOSTIC_PLANS))
            call = self._calls.get(type(plan)) or self._bind(type(plan))
            access = self.access
            if access.unrestricted:
                result = call(plan, params)
            else:
                check_access(plan, access, state)
                try:
                    result = filtered(plan, call(plan, params), access, state)
                except SQLError as e:
                    raise concealed(e, access, sql) from None
        except SQLError as e:
            diagnostics.push("Error", e.code, e.message)
            raise
        except RecursionError:  # too deep to evaluate: what the statement wrote is undone
            error = self._overrun()
            diagnostics.push("Error", error.code, error.message)
            raise error from None
        except Exception as e:  # a bug (ours, or an UDF's): never its text to the client
            error = self._internal_error(sql, e)
            diagnostics.push("Error", error.code, error.message)
            raise error from None
        finally:
            state.end_statement()
        if not result.results:  # ROW_COUNT(): -1 after a result set, else the OK's affected rows (0 after DDL)
            state.row_count = -1 if result.columns is not None else result.affected_rows
        if diagnostics.statement_count:
            result = dataclasses.replace(result, warnings=diagnostics.statement_count)
        return result

    def _run_nested(self, sql: str) -> Result:
        """A statement of a stored program: planned, checked and run as a client's statement is, inside
        the statement that called the program (no new statement time, process list entry or error
        entry: the caller's error handling sees the error first)."""
        diagnostics = self.state.diagnostics
        try:
            plan, params = self.engine.translator.plan(sql, self.variables.dialect)
            diagnostics.begin(uses_tables=_uses_tables(plan), diagnostic=isinstance(plan, DIAGNOSTIC_PLANS))
            call = self._calls.get(type(plan)) or self._bind(type(plan))
            access = self.access
            if access.unrestricted:
                result = call(plan, params)
            else:
                check_access(plan, access, self.state)
                try:
                    result = filtered(plan, call(plan, params), access, self.state)
                except SQLError as e:
                    raise concealed(e, access, sql) from None
        except SQLError:
            raise
        except RecursionError:
            raise self._overrun() from None
        except Exception as e:  # a bug (ours, or an UDF's): never its text to the client
            raise self._internal_error(sql, e) from None
        if diagnostics.statement_count:
            result = dataclasses.replace(result, warnings=diagnostics.statement_count)
        return result

    def _call_function(self, name: str, args: list[Any]) -> Any:
        """A stored function called by a statement (SQLite calls it back on this thread, mid-statement)."""
        with self._nested():
            return call_function(name, args, self.programs, self.connections, self.state)

    @contextlib.contextmanager
    def _nested(self) -> Iterator[None]:
        """Statements run inside the running one (a stored function's, a trigger's): on cursors of their
        own, in its transaction."""
        tx = self.transaction
        tx.nested += 1
        try:
            with self.connections.fresh_cursors():
                yield
        finally:
            tx.nested -= 1

    def _triggers_of(self, database: str, table: str, event: str, timing: str) -> list[Stored]:
        c = self.connections.get(database)
        return triggers_of(c.conn, c.database, table, event, timing)

    def _columns_of(self, database: str, table: str) -> list[str]:
        db = self.engine.catalog.get(database)
        return list(self.engine.catalog.columns(db, table)) if db is not None else []

    def _overrun(self) -> SQLError:
        """1436 for a statement that ran into Python's recursion limit while it ran (see
        `_engine.PYTHON_DEPTH`): as after any failure in the middle of a statement whose state is not known,
        what it (and its transaction) wrote is rolled back."""
        self.transaction.rollback()
        return stack_overrun()

    def _internal_error(self, sql: str, e: Exception) -> SQLError:
        """1105 for an unexpected failure, logged with its traceback; what the statement (and, in a
        transaction, the transaction: its state is unknown) wrote is rolled back, so that nothing
        stays half applied."""
        logger.error("internal error on connection %d running %.200r", self.state.connection_id, sql,
                     exc_info=(type(e), e, e.__traceback__))
        in_transaction = self.transaction.deferred and self.transaction.active
        self.transaction.rollback()
        what = "; the transaction was rolled back" if in_transaction else ""
        return SQLError(ER_UNKNOWN, f"Internal error ({type(e).__name__}){what}; the server log has the details")

    def _bind(self, plan_type: type[Plan]) -> _Call:
        """The call of `plan_type`'s executor with this session's services (made once per class)."""
        executor = EXECUTORS.get(plan_type)
        if executor is None:
            raise TypeError(f"no executor for {plan_type.__name__}: register one with @executes")
        run = executor.run
        services = tuple(self._services[need] for need in executor.needs)
        if executor.takes_params:
            def call(plan: Plan, params: Params) -> Result:
                return run(plan, params, *services)
        else:
            def call(plan: Plan, params: Params) -> Result:
                return run(plan, *services)
        self._calls[plan_type] = call
        return call

    def interrupt(self) -> None:
        """Stop the statement this session runs (KILL, a timeout), from another thread: it fails with
        an error; a session that runs nothing is not affected."""
        # A function waiting in Python (SLEEP) returns; a stored program checks it between its statements.
        self._stop.set()
        self.connections.interrupt()

    def use(self, name: str) -> None:
        """Select the current database (COM_INIT_DB, and the database named at connect)."""
        plan = UsePlan(name)
        if not self.access.unrestricted:
            check_access(plan, self.access, self.state)
        (self._calls.get(UsePlan) or self._bind(UsePlan))(plan, None)

    # -- the end ----------------------------------------------------------------------------------

    def forget_database(self, db: Database, replaced: bool = False) -> None:
        """The database is being dropped (or `replaced` by a snapshot): end this session's use of it.

        Called from whichever thread drops it: the connections to it are closed by this session's
        own thread before its next statement.
        """
        key = db.name.lower()
        if not replaced and self.state.database is not None and self.state.database.lower() == key:
            self.state.database = None  # even if this session never opened it
        self.connections.forget(db)
        if not self.connections.writing:
            self.transaction.release_locks()

    def close(self) -> None:
        """End the session: roll back what it did not commit, close its connections."""
        if self.closed:
            return
        self.closed = True
        try:
            self.engine.named_locks.release_all(self.state.connection_id)  # a session's GET_LOCK locks end with it
            self.transaction.rollback()
        finally:
            # Whatever failed above (a node that stopped under a slow connection thread, say), the
            # session's SQLite connections close now, not when the garbage collector finds them.
            try:
                self.connections.close()
            finally:
                self.engine.forget_session(self)
