"""The corpus instrument itself (sqlcorpus.py, _sqldiff.run_wire): how files are read and refused, how answers are
compared and differences judged against the list, and that the protocol reader reads what MariaDB sends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pymysql.constants import FIELD_TYPE

import sqlcorpus
from _sqldiff import Column, Error, Ok, ResultSet, run_wire
from sqlcorpus import CorpusError, Statement, StatementRun, classify, compare, judge, parse_corpus_file

INT = Column("x", FIELD_TYPE.LONG, 0, 63, 11, 0)
BIGINT = Column("x", FIELD_TYPE.LONGLONG, 0, 63, 21, 0)
DOUBLE = Column("x", FIELD_TYPE.DOUBLE, 0, 63, 22, 31)


def _file(tmp_path: Path, text: str, name: str = "f.sql") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(ours: tuple[Any, ...], ref: tuple[Any, ...], sql: str = "SELECT 1") -> StatementRun:
    return StatementRun("f.sql", Statement(sql, 1), ours, ref, compare(ours, ref))


# -- reading files ------------------------------------------------------------------------------------------------

def test_a_file_is_statements_ending_at_a_line_end_with_their_keys(tmp_path: Path) -> None:
    corpus_file = parse_corpus_file(_file(tmp_path, """-- category: demo
-- a comment line
CREATE TABLE t (a INT);
SELECT a
  FROM t;
SELECT 'x;y' AS s;
SELECT a
  FROM t;
# another comment
DELIMITER //
CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//
DELIMITER ;
-- connection: other
SELECT 1;
"""))
    assert corpus_file.category == "demo"
    sqls = [s.sql for s in corpus_file.statements]
    assert sqls == ["CREATE TABLE t (a INT)", "SELECT a\n  FROM t", "SELECT 'x;y' AS s", "SELECT a\n  FROM t",
                    "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", "SELECT 1"]
    assert [s.line for s in corpus_file.statements] == [3, 4, 6, 7, 11, 14]
    assert corpus_file.statements[3].key == "#2 SELECT a\n  FROM t"  # the second statement of that text
    assert corpus_file.statements[1].key == "SELECT a\n  FROM t"
    assert [s.connection for s in corpus_file.statements] == ["main"] * 5 + ["other"]


@pytest.mark.parametrize("text, message", [
    ("SELECT 1;\n", "no '-- category: <name>' header"),
    ("-- category: x\nSELECT 1\n", "not terminated"),
    ("-- category: x\nSET GLOBAL max_connections = 1;\n", "global setting"),
    ("-- category: x\nSET @@global.sql_mode = '';\n", "global setting"),
    ("-- category: x\nSET SESSION sql_mode = '', GLOBAL max_connections = 1;\n", "global setting"),
    ("-- category: x\nCREATE USER u;\n", "accounts"),
    ("-- category: x\nGRANT ALL ON *.* TO u;\n", "accounts"),
    ("-- category: x\nUSE mysql;\n", "leaves the file's database"),
    ("-- category: x\nCREATE DATABASE other;\n", "does not start with {db}"),
    ("-- category: x\nDROP DATABASE IF EXISTS other;\n", "does not start with {db}"),
    ("-- category: x\nCREATE OR REPLACE DATABASE other;\n", "does not start with {db}"),
    ("-- category: x\nKILL 1;\n", "administers"),
    ("-- category: x\nSELECT * FROM t INTO OUTFILE '/tmp/x';\n", "files"),
    ("-- category: x\nSELECT SLEEP(5);\n", "slow"),
    ("-- category: x\nINSERT INTO mysql.user VALUES ();\n", "server's own schemas"),
])
def test_statements_that_reach_beyond_the_files_database_are_refused(tmp_path: Path, text: str,
                                                                     message: str) -> None:
    with pytest.raises(CorpusError, match=message) as info:
        parse_corpus_file(_file(tmp_path, text))
    assert "f.sql:" in str(info.value)


def test_what_stays_inside_the_files_database_is_accepted(tmp_path: Path) -> None:
    corpus_file = parse_corpus_file(_file(tmp_path, """-- category: x
CREATE DATABASE `{db}_2`;
DROP DATABASE IF EXISTS `{db}_2`;
USE `{db}`;
SELECT @@GLOBAL.sql_mode, SLEEP(0);
SHOW GLOBAL VARIABLES LIKE 'x';
DELIMITER //
CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR NOT FOUND SET @x = 1; END//
"""))
    assert len(corpus_file.statements) == 6


def test_the_corpus_files_parse() -> None:
    corpus = sqlcorpus.load_corpus()
    assert sum(len(f.statements) for f in corpus) >= 5000
    assert len({f.category for f in corpus}) >= 25


# -- comparing and judging ------------------------------------------------------------------------------------------

def test_compare_names_each_aspect_that_differs() -> None:
    rows = ResultSet((INT,), ((b"1",),), 0)
    assert compare((rows,), (rows,)) == frozenset()
    assert compare((ResultSet((BIGINT,), ((b"1",),), 0),), (rows,)) == {"types"}
    assert compare((ResultSet((INT,), ((b"1.0",),), 1),), (rows,)) == {"rows", "warnings"}
    assert compare((ResultSet((Column("y", 3, 0, 63, 11, 0),), ((b"1",),), 0),), (rows,)) == {"names"}
    assert compare((Error(1064, "42000", "a"),), (Error(1064, "42000", "b"),)) == frozenset()  # messages aside
    assert compare((Error(1064, "HY000"),), (Error(1064, "42000"),)) == {"error"}
    assert compare((Error(1305, "42000"),), (rows,)) == {"error"}
    assert compare((Ok(1, 0, 0),), (Ok(2, 0, 0),)) == {"affected"}
    assert compare((Ok(1, 5, 0),), (Ok(1, 6, 1),)) == {"insert_id", "warnings"}
    assert compare((rows,), (rows, Ok(0, 0, 0))) == {"shape"}
    assert compare((Error(1305, "42000"),), (rows, rows, Ok(0, 0, 0))) == {"shape", "error"}


def test_column_signature_compares_what_clients_read() -> None:
    timestamp = Column("t", FIELD_TYPE.TIMESTAMP, 32, 63, 19, 0)
    assert timestamp.signature() == Column("t", FIELD_TYPE.TIMESTAMP, 0, 63, 19, 0).signature()  # UNSIGNED: no matter
    assert Column("u", FIELD_TYPE.LONGLONG, 32, 63, 20, 0).signature() != BIGINT.signature()
    assert Column("s", FIELD_TYPE.VAR_STRING, 0, 45, 12, 39).signature() != \
        Column("s", FIELD_TYPE.VAR_STRING, 0, 63, 3, 39).signature()  # text or binary
    assert Column("s", FIELD_TYPE.VAR_STRING, 0, 45, 12, 39).signature() == \
        Column("s", FIELD_TYPE.VAR_STRING, 0, 33, 4000, 0).signature()  # length, collation: no matter
    assert Column("d", FIELD_TYPE.NEWDECIMAL, 0, 63, 4, 1).signature() != \
        Column("d", FIELD_TYPE.NEWDECIMAL, 0, 63, 4, 0).signature()  # a DECIMAL's scale


def test_judge_finds_regressions_fixes_and_moved_causes() -> None:
    same = _run((ResultSet((INT,), ((b"1",),), 0),), (ResultSet((INT,), ((b"1",),), 0),), "SELECT 1")
    missing = _run((Error(1305, "42000", "FUNCTION SOUNDEX does not exist"),),
                   (ResultSet((INT,), ((b"1",),), 0),), "SELECT SOUNDEX('a')")
    typed = _run((ResultSet((BIGINT,), ((b"1",),), 0),), (ResultSet((INT,), ((b"1",),), 0),), "SELECT 2")
    assert classify(missing) == "missing-builtin" and classify(typed) == "integer-types"
    listed = {("f.sql", "SELECT 1"): "values", ("f.sql", "SELECT SOUNDEX('a')"): "values"}
    verdict = judge([same, missing, typed], listed)
    assert [r.statement.sql for r in verdict.regressions] == ["SELECT 2"]
    assert verdict.fixed == [(("f.sql", "SELECT 1"), "values")]
    assert [(r.statement.sql, was, now) for r, was, now in verdict.moved] == [
        ("SELECT SOUNDEX('a')", "values", "missing-builtin")]
    assert not verdict.ok
    assert judge([missing, typed], {("f.sql", "SELECT SOUNDEX('a')"): "missing-builtin",
                                    ("f.sql", "SELECT 2"): "integer-types"}).ok


@pytest.mark.parametrize("ours, ref, cause", [
    ((ResultSet((DOUBLE,), ((b"1.0",),), 0),), (ResultSet((DOUBLE,), ((b"1",),), 0),), "double-text"),
    ((ResultSet((DOUBLE,), ((None,),), 0),), (ResultSet((DOUBLE,), ((b"1",),), 0),), "null-vs-value"),
    ((Error(1105, "HY000", "no such collation sequence: x"),), (ResultSet((INT,), ((b"1",),), 0),),
     "internal-error-leak"),
    ((Error(1264, "HY000"),), (Error(1264, "22003"),), "sqlstate"),
    ((Ok(1, 0, 0),), (Error(1690, "22003"),), "data-errors-missing"),
    ((ResultSet((INT,), ((b"1",),), 0),), (ResultSet((INT,), ((b"1",),), 1),), "warnings-missing"),
    ((Error(2013, "CLIENT", "timed out"),), (Ok(0, 0, 0),), "crash"),
])
def test_causes_are_recognised(ours: tuple[Any, ...], ref: tuple[Any, ...], cause: str) -> None:
    assert classify(_run(ours, ref)) == cause


def test_the_list_of_differences_round_trips(tmp_path: Path) -> None:
    listed = {("a.sql", "SELECT 1"): "values", ("a.sql", "#2 SELECT 1"): "values",
              ("a.sql", "CREATE PROCEDURE p()\nBEGIN\n  SELECT '😀';\nEND"): "stored-programs"}
    path = tmp_path / "d.yaml"
    sqlcorpus.save_differences(listed, path)
    assert sqlcorpus.load_differences(path) == listed
    assert "SELECT '😀'" in path.read_text(encoding="utf-8")  # readable, not escaped
    path.write_text("no-such-cause:\n  a.sql:\n  - SELECT 1\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown cause 'no-such-cause'"):
        sqlcorpus.load_differences(path)


def test_readme_block_counts_causes() -> None:
    block = sqlcorpus.render_readme_block({("a", "1"): "values", ("a", "2"): "values", ("a", "3"): "crash"}, 10)
    assert block.startswith(sqlcorpus.README_BEGIN) and block.endswith(sqlcorpus.README_END)
    assert "10 statements" in block and "3 statements" in block and "70.0% alike" in block
    assert block.index("`values` (2)") < block.index("`crash` (1)")


# -- the protocol reader, against MariaDB ---------------------------------------------------------------------------

def test_run_wire_reads_what_mariadb_sent(mariadb: tuple[str, Callable[..., Any]]) -> None:
    _db, connect = mariadb
    conn = connect(autocommit=True)
    (rs,) = run_wire(conn, "SELECT 1 AS a, 1.50 AS b, 'x' AS c, NULL AS d, CAST(1 AS UNSIGNED) AS e, X'FF' AS f")
    assert isinstance(rs, ResultSet) and rs.rows == ((b"1", b"1.50", b"x", None, b"1", b"\xff"),)
    assert [c.describe() for c in rs.columns] == ["a LONG", "b NEWDECIMAL(dec=2)", "c VAR_STRING", "d NULL",
                                                  "e LONG(unsigned)", "f VAR_STRING(binary)"]
    assert run_wire(conn, "SELECT 1/0")[0].warnings == 1  # type: ignore[union-attr]
    (err,) = run_wire(conn, "SELECT * FROM nosuch")
    assert isinstance(err, Error) and (err.errno, err.sqlstate) == (1146, "42S02")
    assert run_wire(conn, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY)") == (Ok(0, 0, 0),)
    assert run_wire(conn, "INSERT INTO t VALUES (), ()") == (Ok(2, 1, 0),)
    run_wire(conn, "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END")
    parts = run_wire(conn, "CALL p()")
    assert [type(p).__name__ for p in parts] == ["ResultSet", "ResultSet", "Ok"]
    assert run_wire(conn, "SELECT 1")[0].rows == ((b"1",),)  # type: ignore[union-attr]  # the connection is in step
