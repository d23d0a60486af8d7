"""What migration tools and dump programs send, compared with MariaDB (see _sqldiff.py): time zones,
executable comments, mariadb-dump's preamble and postamble, and the SQLSTATEs drivers choose
exception classes by.

MariaDB's named time zones need its time zone tables: .ci/mariadb-up loads them.
"""

from __future__ import annotations

import pymysql

from _sqldiff import Differ, Error, run_wire

# -- CONVERT_TZ -----------------------------------------------------------------------------------


def test_convert_tz_with_offsets_system_and_named_zones(differ: Differ) -> None:
    out = differ.check([
        "SELECT CONVERT_TZ('2001-01-01 01:00:00', 'UTC', 'UTC') IS NOT NULL",
        "SELECT CONVERT_TZ('2024-07-01 12:00:00', '+00:00', '+05:30'), CONVERT_TZ('2024-07-01 12:00:00', '-12:59', "
        "'+13:00'), CONVERT_TZ('2024-07-01 12:00:00', '+1:0', '+0:00')",
        "SELECT CONVERT_TZ('2024-07-01 12:00:00', '+13:01', 'UTC'), CONVERT_TZ('2024-07-01 12:00:00', '-13:00', "
        "'UTC'), CONVERT_TZ('2024-07-01 12:00:00', '+05:60', 'UTC'), CONVERT_TZ('2024-07-01 12:00:00', ' +01:00', "
        "'UTC'), CONVERT_TZ('2024-07-01 12:00:00', 'UTC', 'Nowhere/City'), CONVERT_TZ('2024-07-01 12:00:00', 'UTC', "
        "NULL), CONVERT_TZ(NULL, 'UTC', 'UTC'), CONVERT_TZ('garbage', 'UTC', 'UTC'), CONVERT_TZ('2024-02-30 10:00:00', "
        "'UTC', 'UTC'), CONVERT_TZ('12:00:00', 'UTC', '+01:00')",
        "SELECT CONVERT_TZ('2024-07-01 12:00:00', 'SYSTEM', 'system'), CONVERT_TZ('2024-07-01 12:00:00', 'UTC', "
        "'Europe/Paris'), CONVERT_TZ('2024-01-15 12:00:00', 'utc', 'europe/paris'), CONVERT_TZ('2024-07-01 12:00:00', "
        "'America/New_York', 'Asia/Kolkata'), CONVERT_TZ('2024-07-01 12:00:00', '+01:00', 'Etc/GMT+5')",
        # A daylight-saving gap is its transition; the repeated autumn hour is its first occurrence.
        "SELECT CONVERT_TZ('2024-03-31 02:30:00', 'Europe/Paris', 'UTC'), CONVERT_TZ('2024-03-31 02:59:59', "
        "'Europe/Paris', 'UTC'), CONVERT_TZ('2024-10-27 02:30:00', 'Europe/Paris', 'UTC'), "
        "CONVERT_TZ('2024-11-03 01:30:00', 'America/New_York', 'UTC')",
        # Outside TIMESTAMP's range (in UTC) the value comes back unchanged.
        "SELECT CONVERT_TZ('1969-07-01 12:00:00', 'UTC', '+05:00'), CONVERT_TZ('1970-01-01 00:30:00', '+01:00', "
        "'+00:00'), CONVERT_TZ('1970-01-01 00:00:01', 'UTC', '+01:00'), CONVERT_TZ('2038-01-19 03:14:07', 'UTC', "
        "'+01:00'), CONVERT_TZ('2038-01-19 03:14:08', 'UTC', '+01:00')",
        "SELECT CONVERT_TZ('2024-07-01 12:00:00.5', 'UTC', 'MET'), CONVERT_TZ('2024-07-01 12:00:00.123456', 'UTC', "
        "'+01:00'), CONVERT_TZ('2024-07-01', 'UTC', '+02:00'), CONVERT_TZ(20240701120000, 'UTC', '+01:00')",
        "CREATE TABLE ev (id INT PRIMARY KEY, at DATETIME)",
        "INSERT INTO ev VALUES (1, '2024-03-01 10:30:00'), (2, NULL), (3, '2024-12-31 23:30:00')",
        "SELECT id, CONVERT_TZ(at, 'UTC', 'Europe/Paris'), DATE(CONVERT_TZ(at, '+00:00', '+01:00')) FROM ev "
        "ORDER BY id",
    ])
    assert out[0].values == [(1,)], "MariaDB's time zone tables are not loaded (.ci/mariadb-up loads them)"
    assert out[3].values[0][1].isoformat() == "2024-07-01T14:00:00"
    assert out[4].values[0][0].isoformat() == "2024-03-31T01:00:00"


# -- executable comments --------------------------------------------------------------------------


def test_executable_comments_run_as_mariadb_runs_them(differ: Differ) -> None:
    out = differ.check([
        "SELECT 1 /*!+1 */, 1 /*!40101 +1 */, 1 /*!50699 +1 */, 1 /*!50700 +1 */, 1 /*!80000 +1 */, "
        "1 /*!99999 +1 */, 1 /*!100000 +1 */, 1 /*!999999 +1 */, 1 /*M!100100 +1 */, 1 /*M!+1 */",
        "SELECT '/*!40101 not a comment */', `a/*!1*/b` FROM (SELECT 1 AS `a/*!1*/b`) AS t",
        "/*!40101 SET @x = 1 */",
        "SELECT @x",
        "/*!99999 SET @x = 2 */",
        "SELECT @x",
        "/*!40101 SELECT 7 */",
        "/* a plain comment */",
        "-- a comment\n# another",
        "",
        ";",
        "SELECT 1 /*!40101 + */ 2",
    ])
    assert out[0].values == [(2, 2, 2, 1, 1, 1, 2, 1, 2, 2)]
    assert out[9].error == out[10].error == ("OperationalError", 1065)  # nothing at all: an empty query
    assert out[3].values == [(1,)]
    # A comment whose version is newer does nothing, and a query of comments alone is OK too.
    assert out[4].error is None and out[5].values == [(1,)] and out[7].error is out[8].error is None


# -- mariadb-dump's preamble and postamble --------------------------------------------------------

_PREAMBLE = [
    "/*!40100 SET @@SQL_MODE='' */",
    "/*!40103 SET TIME_ZONE='+00:00' */",
    "/*M!100100 SET @@MAX_STATEMENT_TIME=0.000000 */",
    "/*M!100100 SET WAIT_TIMEOUT=DEFAULT */",
    "set optimizer_switch='semijoin=off'",
    "set optimizer_switch=default",
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
    "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */",
    "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */",
    "/*!40101 SET NAMES utf8mb4 */",
    "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */",
    "/*!40103 SET TIME_ZONE='+00:00' */",
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */",
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */",
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */",
    "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */",
    "SELECT @OLD_CHARACTER_SET_CLIENT, @OLD_TIME_ZONE, @@TIME_ZONE, @OLD_UNIQUE_CHECKS, @@UNIQUE_CHECKS, "
    "@OLD_FOREIGN_KEY_CHECKS, @@FOREIGN_KEY_CHECKS, @@SQL_NOTES",
]
_TABLE = [
    "DROP TABLE IF EXISTS `t`",
    "/*!40101 SET @saved_cs_client     = @@character_set_client */",
    "/*!40101 SET character_set_client = utf8mb4 */",
    "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "/*!40101 SET character_set_client = @saved_cs_client */",
    "LOCK TABLES `t` WRITE",
    "/*!40000 ALTER TABLE `t` DISABLE KEYS */",
    "INSERT INTO `t` VALUES\n(1),\n(2)",
    "/*!40000 ALTER TABLE `t` ENABLE KEYS */",
    "UNLOCK TABLES",
    "/*!40000 ALTER TABLE `nosuch` DISABLE KEYS */",
]
_POSTAMBLE = [
    "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */",
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */",
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */",
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */",
    "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */",
    "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */",
    "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */",
    "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */",
    "SELECT @@TIME_ZONE, @@UNIQUE_CHECKS, @@FOREIGN_KEY_CHECKS, @@SQL_NOTES, @@CHARACTER_SET_CLIENT",
]


def test_what_mariadb_dump_writes_around_a_table_is_accepted(differ: Differ) -> None:
    out = differ.check([*_PREAMBLE, *_TABLE, "SELECT * FROM t ORDER BY id", *_POSTAMBLE])
    assert out[len(_PREAMBLE) - 1].values == [("utf8mb4", "+00:00", "+00:00", 1, 0, 1, 0, 0)]
    assert out[len(_PREAMBLE) + len(_TABLE) - 1].error == ("ProgrammingError", 1146)
    assert out[-1].values == [("+00:00", 1, 1, 1, "utf8mb4")]


# -- SQLSTATEs --------------------------------------------------------------------------------------

_ERRORS = [
    ("CREATE TABLE p (id INT PRIMARY KEY)", None),
    ("CREATE TABLE c (id INT PRIMARY KEY, p INT, CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id))", None),
    ("INSERT INTO c VALUES (1, 5)", (1452, "23000")),
    ("INSERT INTO p VALUES (1)", None),
    ("INSERT INTO c VALUES (1, 1)", None),
    ("DELETE FROM p", (1451, "23000")),
    ("CREATE TABLE r (a TINYINT, b VARCHAR(2))", None),
    ("INSERT INTO r VALUES (1000, 'x')", (1264, "22003")),
    ("INSERT INTO r VALUES (1, 'xxx')", (1406, "22001")),
    ("INSERT INTO r VALUES (1)", (1136, "21S01")),
    ("ALTER TABLE r ADD COLUMN a INT", (1060, "42S21")),
    ("DROP INDEX nope ON r", (1091, "42000")),
    ("INSERT INTO p VALUES (1)", (1062, "23000")),
    ("SELECT * FROM nope", (1146, "42S02")),
]


def test_errors_carry_mariadbs_sqlstate(differ: Differ) -> None:
    """The SQLSTATE in the error packet, as MariaDB sends it (mysql-connector picks IntegrityError by it)."""
    for conn, side in ((differ.ours, "app"), (differ.reference, "MariaDB")):
        for statement, expected in _ERRORS:
            parts = run_wire(conn, statement)
            error = next((p for p in parts if isinstance(p, Error)), None)
            seen = None if error is None else (error.errno, error.sqlstate)
            assert seen == expected, f"{side}: {statement}: {seen} (expected {expected})"
    with differ.ours.cursor() as cur:
        try:
            cur.execute("INSERT INTO c VALUES (2, 99)")
        except pymysql.err.IntegrityError as e:
            assert e.args[0] == 1452
        else:
            raise AssertionError("an orphan child row was accepted")


# -- what ORMs write in queries ---------------------------------------------------------------------


def test_like_binary_is_case_sensitive(differ: Differ) -> None:
    """Django's startswith / contains / endswith are `LIKE BINARY`."""
    out = differ.check([
        "SELECT 'CCCC' LIKE BINARY 'CCC%', 'cCCC' LIKE BINARY 'CCC%', 'a_b' LIKE BINARY 'a\\_b', "
        "'axb' LIKE BINARY 'a\\_b', NULL LIKE BINARY 'x', 'CCCC' LIKE 'ccc%', 'é' LIKE BINARY '_'",
        "CREATE TABLE c (name VARCHAR(20))",
        "INSERT INTO c VALUES ('Ann'), ('ann'), ('CCCCC'), (NULL)",
        "SELECT name FROM c WHERE name LIKE BINARY 'A%' ORDER BY name",
        "SELECT name FROM c WHERE name LIKE BINARY '%CC%' ORDER BY name",
    ])
    assert out[0].values == [(1, 0, 1, 0, None, 1, 0)]  # binary: `_` is one byte, and é is two
    assert out[3].values == [("Ann",)]
