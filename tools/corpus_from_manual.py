"""Write tests/corpus/manual_*.sql: the examples of the MariaDB reference manual, as corpus files.

MariaDB ships its reference manual's pages for functions, operators, statements and data types in the help
tables (`mysql.help_topic`, loaded from fill_help_tables.sql: the text of mariadb.com/docs, a page a topic),
so the manual of the very server the corpus compares against is at hand, page by page. This script takes
the statements of each page's "Examples" section, keeps those that fit a corpus (deterministic, confined to
the file's own database, supported by this MariaDB: see `_keep`), and writes one file per corpus category,
page by page, each page followed by DROPs of what its examples created (pages reuse names such as t1).

The candidates are run on MariaDB before they are written (twice, each time in a fresh database): an
example that MariaDB refuses as unknown syntax or function (the manual also documents later versions) or
one whose table no example creates is left out, and so is one whose answer changes from run to run.

    python tools/corpus_from_manual.py          # rewrites tests/corpus/manual_*.sql
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _sqldiff import Error, Part, mariadb_database, run_wire  # noqa: E402
from sqlcorpus import _FORBIDDEN, CORPUS_DIR, compare  # noqa: E402

# Help categories and topics -> corpus category (file manual_<slug>.sql). Topic rules first.
_TOPIC_CATEGORY = [
    (re.compile(r"^JSON|JSONPath|IS JSON", re.I), "JSON"),
    (re.compile(r"^(CUME_DIST|DENSE_RANK|FIRST_VALUE|LAG|LAST_VALUE|LEAD|MEDIAN|NTH_VALUE|NTILE|PERCENT_RANK|"
                r"PERCENTILE_CONT|PERCENTILE_DISC|RANK|ROW_NUMBER|Window Functions|Aggregate Functions as Window)",
                re.I), "window functions"),
    (re.compile(r"^(BEGIN END|CALL|CASE Statement|CLOSE|Cursor|DECLARE|FETCH|FOR|GOTO|IF|ITERATE|LEAVE|LOOP|"
                r"OPEN|REPEAT LOOP|RESIGNAL|RETURN|SIGNAL|WHILE|Diagnostics|GET DIAGNOSTICS|CREATE PROCEDURE|"
                r"CREATE FUNCTION|CREATE TRIGGER|DROP PROCEDURE|DROP FUNCTION|Stored|Trigger|LABELS)", re.I),
     "stored procedures, functions and triggers"),
    (re.compile(r"^(PREPARE|EXECUTE|DEALLOCATE)", re.I), "prepared statements (SQL level)"),
    (re.compile(r"(SEQUENCE|^CREATE|^ALTER|^DROP|^RENAME|Generated Columns|Invisible Columns|CONSTRAINT)", re.I),
     "DDL and column types"),
    (re.compile(r"^(SHOW|DESCRIBE|About SHOW|Extended SHOW)", re.I), "SHOW and information_schema"),
    (re.compile(r"Subquer|Row Subqueries|Scalar Subqueries", re.I), "subqueries and row constructors"),
    (re.compile(r"JOIN|Joins|UNION|EXCEPT|INTERSECT|MINUS|Precedence Control", re.I), "joins and set operations"),
    (re.compile(r"^(INSERT|REPLACE|UPDATE|DELETE|IGNORE|Concurrent Inserts|HIGH_PRIORITY|TRUNCATE)", re.I),
     "DML and INSERT forms"),
    (re.compile(r"^(SET STATEMENT|SET$|SET Statements|SET NAMES|SET CHARACTER SET)", re.I), "session variables"),
    (re.compile(r"^(CAST|CONVERT|BINARY Operator|Type Conversion)", re.I), "type conversion and CAST"),
    (re.compile(r"Character Set|Unicode|Supported Character Sets|CHARSET|COLLATION|COERCIBILITY", re.I),
     "charsets, introducers and conversion"),
    (re.compile(r"^(COMMIT|ROLLBACK|SAVEPOINT|START TRANSACTION|SET TRANSACTION|READ |REPEATABLE|SERIALIZABLE|"
                r"SQL statements Causing|Transaction|LOCK TABLES|UNLOCK|WAIT and NOWAIT|XA)", re.I),
     "transactions and isolation"),
    (re.compile(r"User-Defined Variables|Assignment Operator", re.I), "user variables"),
]
_HELP_CATEGORY = {
    "String Functions": "string functions",
    "Numeric Functions": "numeric functions and arithmetic",
    "Bit Functions": "numeric functions and arithmetic",
    "Date and Time Functions": "date and time functions",
    "Functions": "operators, comparison and collation",
    "Control flow functions": "control flow and miscellaneous functions",
    "Miscellaneous Functions": "control flow and miscellaneous functions",
    "Functions and Modifiers for Use with GROUP BY": "aggregates and GROUP_CONCAT",
    "Information Functions": "information functions",
    "Data Manipulation": "queries (SELECT, GROUP BY, ORDER BY, LIMIT, CTE)",
    "Data Definition": "DDL and column types",
    "Data Types": "data types and literals",
    "Language Structure": "data types and literals",
    "Administration": "SHOW and information_schema",
    "Transactions": "transactions and isolation",
    "Contents": "control flow and miscellaneous functions",
}
_SKIP_CATEGORIES = {"Geographic Features", "Plugins", "Account Management"}

# Answers that change from run to run or machine to machine, or name this server rather than SQL semantics.
_UNDETERMINISTIC = re.compile(
    r"\b(NOW|CURDATE|CURTIME|CURRENT_DATE|CURRENT_TIME|CURRENT_TIMESTAMP|LOCALTIME|LOCALTIMESTAMP|SYSDATE|"
    r"UTC_DATE|UTC_TIME|UTC_TIMESTAMP|RAND|UUID|UUID_SHORT|UUID_V4|UUID_V7|SYS_GUID|CONNECTION_ID|VERSION|"
    r"RANDOM_BYTES|GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_FREE_LOCK|IS_USED_LOCK|MASTER_POS_WAIT|"
    r"MASTER_GTID_WAIT|BINLOG_GTID_POS|BENCHMARK|SLEEP|ENCRYPT|DES_ENCRYPT|PASSWORD|OLD_PASSWORD)\s*\(|"
    r"\bCURRENT_TIMESTAMP\b|\bUNIX_TIMESTAMP\s*\(\s*\)|@@(?:global\.|session\.)?(?:version|hostname|pid_file|datadir|"
    r"basedir|tmpdir|server_id|port|socket|timestamp|pseudo_thread_id|thread_id|rand_seed|last_gtid|gtid_\w+)|"
    r"\bSHOW\s+(?:FULL\s+)?(?:PROCESSLIST|ENGINE|ENGINES|STATUS|GLOBAL|SESSION\s+STATUS|MASTER|SLAVE|REPLICA|"
    r"BINARY|BINLOG|RELAYLOG|PROFILE|OPEN|PLUGINS|TABLE\s+STATUS|AUTHORS|CONTRIBUTORS|PRIVILEGES|GRANTS|"
    r"QUERY_RESPONSE|CLIENT_STATISTICS|INDEX_STATISTICS|TABLE_STATISTICS|USER_STATISTICS|EXPLAIN|ANALYZE|"
    r"WSREP|LOCALES|EVENTS|ALL\s+SLAVES)\b|\b(?:EXPLAIN|ANALYZE|DESC\s+(?:FORMAT|EXTENDED|PARTITIONS))\b|"
    r"\bINFORMATION_SCHEMA\.(?:PROCESSLIST|\w*STAT\w*|INNODB\w*|PLUGINS|ALL_PLUGINS|USER_\w+|GLOBAL_\w+|SESSION_\w+|"
    r"TABLES|PARTITIONS|FILES|ENGINES|METADATA_LOCK_INFO|THREAD_POOL\w*|SPIDER\w*|CLIENT\w*|QUERY_\w+)\b|"
    r"\bperformance_schema\b|\bmysql\.\w+|\bCREATE\s+(?:EVENT|SERVER|TABLESPACE|LOGFILE)|\bALTER\s+EVENT|"
    r"\bENGINE\s*=\s*(?!InnoDB\b)|\bCONNECT\b|\bSPIDER\b|\bFEDERATED\b|\bXA\s|\bHELP\b|\bSET\s+PATH|"
    r"\bsql_log_bin|\bsql_slave|\bSETVAL|\bNEXTVAL|\bLASTVAL|\bNEXT\s+VALUE|\bPREVIOUS\s+VALUE|"
    r"\bFOR\s+SYSTEM_TIME|\bWITH\s+SYSTEM\s+VERSIONING|\bBACKUP\b|\bLOCK\s+TABLES?\b|\bUNLOCK\b|"
    r"\bINSERT\s+DELAYED|\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE|\bNOWAIT\b|\bSKIP\s+LOCKED|\bWAIT\s+\d|"
    r"\bROW_COUNT\s*\(\s*\)\s*;?$|\bSIGNAL\s+SQLSTATE\s+'01",
    re.I | re.M)

# Examples whose answer changed between runs of `python tests/sqlcorpus.py --check-determinism` although three
# runs here agreed (rows tied in their ORDER BY, in a window's or the query's).
_UNSTABLE = {
    "SELECT\n  RANK() OVER (PARTITION BY course ORDER BY mark DESC) AS rank,\n"
    "  DENSE_RANK() OVER (PARTITION BY course ORDER BY mark DESC) AS dense_rank,\n"
    "  ROW_NUMBER() OVER (PARTITION BY course ORDER BY mark DESC) AS row_num,\n"
    "  course, mark, name\nFROM student ORDER BY course, mark DESC",
}

_START = re.compile(
    r"^(?:MariaDB \[[^\]]*\]>\s*|mysql>\s*)?(?=(?:SELECT|WITH|VALUES|CREATE|INSERT|UPDATE|DELETE|REPLACE|SET|DROP|"
    r"ALTER|SHOW|DESC|DESCRIBE|CALL|DO|PREPARE|EXECUTE|DEALLOCATE|START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|"
    r"TRUNCATE|RENAME|TABLE|DELIMITER|CHECKSUM|\(\s*SELECT|\(\s*WITH)\b)", re.I)
_CONT = re.compile(r"^\s*->\s?")
_RESULTISH = re.compile(r"^\s*(?:\+-|\||Query OK|ERROR\b|Empty set|\d+ rows? in set|Records:|Rows matched|"
                        r"Warning|Note|\*{5})")
# Errors that mean "not for this MariaDB or no setup", not behaviour: unknown syntax, function, table,
# database, variable, storage engine; privileges.
_DROP_ERRORS = {1064, 1146, 1049, 1044, 1142, 1227, 1045, 1193, 1286, 1289, 1109, 1051, 1305, 1054, 4078, 1524,
                1615, 1148, 1128, 1126, 1356, 1449, 1370, 1036, 1030, 1950, 4068, 1728}


def _slug(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


# The manual's examples run in MariaDB's shared `test` database; a corpus file has only its own, the current one.
_TEST_QUALIFIER = re.compile(r"\btest\s*\.\s*(?=[`\w])", re.I)


def _unqualify_test(sql: str) -> str:
    """`test.t1` -> `t1`: the example's table in the file's own database."""
    return _TEST_QUALIFIER.sub("", sql)


def extract(text: str) -> list[str]:
    """The statements of one page's Examples section."""
    if "Examples\n--------" not in text:
        return []
    body = text.split("Examples\n--------", 1)[1]
    body = body.split("\nURL: ", 1)[0]
    out: list[str] = []
    lines = body.splitlines()
    i = 0
    delimiter = ";"
    while i < len(lines):
        line = lines[i]
        m = _START.match(line)
        if not m:
            i += 1
            continue
        first = line[m.end():]
        dm = re.match(r"^DELIMITER\s+(\S+)\s*$", first, re.I)
        if dm:
            delimiter = dm.group(1)
            i += 1
            continue
        buf = [first.rstrip()]
        i += 1
        while not buf[-1].endswith(delimiter) and i < len(lines):
            nxt = lines[i]
            if _RESULTISH.match(nxt) or (not nxt.strip() and delimiter == ";"):
                break
            buf.append(_CONT.sub("", nxt).rstrip())
            i += 1
        if not buf[-1].endswith(delimiter):
            continue  # a fragment, not a statement
        sql = _unqualify_test("\n".join(buf)[: -len(delimiter)].strip())
        if sql:
            out.append(sql)
    return out


def _created(sql: str) -> list[tuple[str, str]]:
    """(kind, name) of what a CREATE makes, for the cleanup after its page."""
    m = re.match(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?"
                 r"(?:SQL\s+SECURITY\s+\w+\s+)?(?:AGGREGATE\s+)?(TEMPORARY\s+TABLE|TABLE|VIEW|PROCEDURE|FUNCTION|"
                 r"TRIGGER|SEQUENCE|PACKAGE\s+BODY|PACKAGE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|[\w$]+)", sql, re.I)
    if not m:
        return []
    kind = re.sub(r"\s+", " ", m.group(1).upper())
    if kind == "TEMPORARY TABLE":
        kind = "TEMPORARY TABLE"
    return [(kind, m.group(2))]


_FUNCTION_PAGES = {"String Functions", "Numeric Functions", "Bit Functions", "Date and Time Functions",
                   "Control flow functions", "Miscellaneous Functions", "Information Functions", "Functions",
                   "Functions and Modifiers for Use with GROUP BY"}
_FUNCTION_TOPICS = [
    (re.compile(r"^(CAST|CONVERT|BINARY Operator|Type Conversion)$", re.I), "type conversion and CAST"),
    (re.compile(r"^(CHARSET|COLLATION|COERCIBILITY)$", re.I), "charsets, introducers and conversion"),
    (re.compile(r"Assignment Operator", re.I), "user variables"),
]


def _category(topic: str, help_category: str) -> str:
    """A function's page goes by its help category (INSERT Function is a string function); a statement's or
    a concept's page by its topic."""
    rules = _FUNCTION_TOPICS if help_category in _FUNCTION_PAGES else _TOPIC_CATEGORY
    found = next((c for pattern, c in rules if pattern.search(topic)), None)
    return found or _HELP_CATEGORY.get(help_category, "control flow and miscellaneous functions")


def _usable(sql: str) -> bool:
    if _UNDETERMINISTIC.search(sql):
        return False
    return all(not pattern.search(sql) for pattern, _why in _FORBIDDEN)


def _pages() -> dict[str, list[tuple[str, str, list[str]]]]:
    """corpus category -> [(topic, url, statements)] in the manual's order."""
    from _sqldiff import _mariadb_connect

    conn = _mariadb_connect()
    with conn.cursor() as cur:
        cur.execute("SELECT t.name, c.name, t.description, t.url FROM mysql.help_topic t "
                    "JOIN mysql.help_category c USING (help_category_id) ORDER BY c.name, t.name")
        rows = cur.fetchall()
    conn.close()
    pages: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for topic, help_category, description, url in rows:
        if help_category in _SKIP_CATEGORIES:
            continue
        topic = topic.replace("\\", "")
        statements = [s for s in extract(description) if _usable(s)]
        if not statements:
            continue
        category = _category(topic, help_category)
        pages[category].append((topic, url, statements))
    return pages


def _run_all(statements: list[str]) -> list[tuple[Part, ...]]:
    with mariadb_database(prefix="app_corpus_gen_") as (_db, connect):
        conn = connect(autocommit=True, read_timeout=10)
        answers = []
        for sql in statements:
            if not conn.open:
                conn = connect(autocommit=True, read_timeout=10)
            answers.append(run_wire(conn, sql))
        return answers


def _with_cleanup(pages: list[tuple[str, str, list[str]]]) -> list[tuple[str, str, list[str]]]:
    out = []
    for topic, url, statements in pages:
        made: list[tuple[str, str]] = []
        for sql in statements:
            for item in _created(sql):
                if item not in made:
                    made.append(item)
        drops = []
        for kind, name in reversed(made):
            if kind == "TRIGGER":
                drops.append(f"DROP TRIGGER IF EXISTS {name}")
            elif kind == "TEMPORARY TABLE":
                drops.append(f"DROP TEMPORARY TABLE IF EXISTS {name}")
            elif kind.startswith("PACKAGE"):
                continue
            else:
                drops.append(f"DROP {kind} IF EXISTS {name}")
        out.append((topic, url, statements + drops))
    return out


def build(category: str, pages: list[tuple[str, str, list[str]]], version: str) -> str:
    pages = _with_cleanup(pages)
    flat = [s for _t, _u, stmts in pages for s in stmts]
    first, second, third = _run_all(flat), _run_all(flat), _run_all(flat)
    keep = []
    for sql, a, b, c in zip(flat, first, second, third, strict=True):
        last = a[-1] if a else None
        if compare(a, b) or compare(a, c) or sql in _UNSTABLE:
            keep.append(False)  # differs between runs on MariaDB itself
        elif isinstance(last, Error) and (last.errno in _DROP_ERRORS or last.sqlstate == "CLIENT"):
            keep.append(sql.upper().startswith("DROP ") and "IF EXISTS" in sql.upper())
        else:
            keep.append(True)
    lines = [f"-- category: {category}",
             f"-- source: the examples of the MariaDB reference manual as MariaDB {version} ships it "
             "(mysql.help_topic,",
             "-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by",
             "-- hand (rerun the script). Each page is followed by DROPs of what its examples created.", ""]
    k = 0
    for topic, url, statements in pages:
        kept = []
        for sql in statements:
            if keep[k]:
                kept.append(sql)
            k += 1
        if not any(not s.upper().startswith("DROP ") for s in kept):
            continue
        lines.append(f"-- == {topic}: {url}")
        for sql in kept:
            if ";" in sql and re.match(r"^\s*CREATE\b.*\b(PROCEDURE|FUNCTION|TRIGGER)\b", sql, re.I | re.S):
                lines += ["DELIMITER //", sql + "//", "DELIMITER ;"]
            else:
                lines.append(sql + ";")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    from _sqldiff import _mariadb_connect

    conn = _mariadb_connect()
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        version = str(cur.fetchone()[0]).split("-")[0]
    conn.close()
    for old in CORPUS_DIR.glob("manual_*.sql"):
        old.unlink()
    total = 0
    for category, pages in sorted(_pages().items()):
        text = build(category, pages, version)
        path = CORPUS_DIR / f"manual_{_slug(category)}.sql"
        path.write_text(text, encoding="utf-8")
        n = sum(1 for line in text.splitlines() if line.endswith((";", "//")) and not line.startswith("DELIMITER"))
        total += n
        print(f"{path.name}: about {n} statements")
    print(f"total about {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
