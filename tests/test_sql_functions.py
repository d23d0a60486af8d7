"""MySQL's built-in functions and expressions, compared with MariaDB (see _sqldiff.py): string, date and
numeric functions, GROUP_CONCAT, CASE, boolean results, NULL ordering, integer division.

Each test asserts what MariaDB returned too, so that a statement that stopped testing what it should is
noticed. Known differences are single `xfail(strict=True)` tests naming the exact difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from _sqldiff import Differ

_EVENTS = [
    "CREATE TABLE ev (id INT PRIMARY KEY, name VARCHAR(20), day DATE, at DATETIME, t TIME, amount DECIMAL(10,2),"
    " score DOUBLE, grp VARCHAR(5))",
    "INSERT INTO ev VALUES (1, 'Alpha', '2024-01-02', '2024-01-02 03:04:05', '01:02:03', 10.50, 1.5, 'a'),"
    " (2, 'beta', '2025-03-04', '2025-01-01 00:00:00', '10:00:00', 5, 6.5, 'b'),"
    " (3, 'Gamma', '2024-02-29', '2024-02-29 23:59:59', '23:59:59', NULL, NULL, 'a'),"
    " (4, NULL, NULL, NULL, NULL, 0.10, -2, NULL)",
]


# -- strings ------------------------------------------------------------------------------------


def test_string_functions_of_literals(differ: Differ) -> None:
    out = differ.check([
        "SELECT LENGTH('héllo'), CHAR_LENGTH('héllo'), REPLACE('abc', 'b', 'x'), REVERSE('abc'), LEFT('abcdef', 2),"
        " RIGHT('abcdef', 2), LPAD('5', 3, '0'), RPAD('a', 3, '-'), TRIM('  a  '), LTRIM('  a'), RTRIM('a  '),"
        " REPEAT('ab', 3), SUBSTRING_INDEX('a.b.c', '.', 2), SUBSTRING_INDEX('a.b.c', '.', -2)",
        "SELECT LOCATE('B', 'abc'), INSTR('ABC', 'b'), POSITION('C' IN 'abc'), LOCATE('b', 'abcb', 3),"
        " FIELD('B', 'a', 'b'), FIND_IN_SET('B', 'a,b,c'), ELT(2, 'x', 'y'), STRCMP('a', 'A'), STRCMP('a', 'b')",
        "SELECT SPACE(3), FORMAT(1234567.891, 2), FORMAT(0.5, 0), HEX(255), HEX('abc'), MD5('a'), SHA1('a'),"
        " SHA2('a', 256), INSERT('abcdef', 2, 3, 'X'), MID('abcdef', 2, 3), CONCAT_WS('-', 'a', NULL, 'b'),"
        " LPAD('hello', 3, '*'), UPPER('abc'), LCASE('ABC'), SUBSTR('abcdef', -3), SUBSTRING('abcdef' FROM 2 FOR 2)",
        "SELECT CONCAT('a', NULL), LEFT(NULL, 2), LPAD(NULL, 3, 'x'), REVERSE(NULL), LOCATE('a', NULL), LENGTH(NULL)",
    ])
    assert out[0].values == [(6, 5, "axc", "cba", "ab", "ef", "005", "a--", "a", "a", "a", "ababab", "a.b", "b.c")]
    assert out[1].values == [(2, 2, 3, 4, 2, 2, "y", 0, -1)]
    assert out[2].values[0][:5] == ("   ", "1,234,567.89", "1", "FF", "616263")
    assert out[2].values[0][8:] == ("aXef", "bcd", "a-b", "hel", "ABC", "abc", "def", "bc")
    assert out[3].values == [(None,) * 6]


def test_string_functions_of_columns(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, UPPER(name), LOWER(name), CONCAT(name, '-', id), CONCAT_WS('/', name, grp), LENGTH(name),"
        " LEFT(name, 3), LPAD(id, 3, '0'), REPLACE(name, 'a', '_'), name LIKE 'a%', LOCATE('A', name)"
        " FROM ev ORDER BY id",
        "SELECT name FROM ev WHERE name LIKE '%A' ORDER BY id",
        "SELECT name FROM ev WHERE UPPER(name) = 'BETA'",
    ])
    assert out[2].values[0] == (1, "ALPHA", "alpha", "Alpha-1", "Alpha/a", 5, "Alp", "001", "Alph_", 1, 1)
    assert out[2].values[3] == (4, None, None, None, "", None, None, "004", None, None, None)
    assert out[3].values == [("Alpha",), ("beta",), ("Gamma",)]
    assert out[4].values == [("beta",)]


def test_numbers_as_strings_keep_their_scale(differ: Differ) -> None:
    """A DECIMAL used as a string shows its scale ('5.00', where SQLite stores 5); a DOUBLE shows 10, not 10.0."""
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, name VARCHAR(10), amount DECIMAL(10,2), d DOUBLE)",
        "INSERT INTO m VALUES (1, 'one', 10.50, 10.0), (4, 'four', 5, 1.5), (5, 'five', NULL, NULL)",
        "SELECT CONCAT(name, amount), CONCAT('$', amount), CONCAT(d), CAST(amount AS CHAR),"
        " CONCAT_WS('/', name, amount, d), LPAD(amount, 8, '*') FROM m ORDER BY id",
        "SELECT GROUP_CONCAT(amount ORDER BY amount), GROUP_CONCAT(DISTINCT amount), CONCAT('total: ', SUM(amount))"
        " FROM m",
        "SELECT CONCAT(amount * 2), CONCAT(1.50), CONCAT(1/3), CONCAT(2.5e0) FROM m ORDER BY id",
        "SELECT id FROM m WHERE CONCAT(amount, '') = '5.00'",
        "ALTER TABLE m ADD COLUMN extra DECIMAL(5,1) DEFAULT 2",
        "SELECT CONCAT(extra), CONCAT(amount) FROM m ORDER BY id",  # the schema changed: so do the scales
    ])
    assert out[2].values[0] == ("one10.50", "$10.50", "10", "10.50", "one/10.50/10", "***10.50")
    assert out[2].values[2] == (None, None, None, None, "five", None)
    assert out[3].values == [("5.00,10.50", "5.00,10.50", "total: 15.50")]
    assert out[4].values[0] == ("21.00", "1.50", "0.3333", "2.5")
    assert out[5].values == [(4,)]
    assert out[7].values[0] == ("2.0", "10.50")


def test_regular_expressions(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT 'abc' REGEXP 'B', 'abc' RLIKE '^a', 'abc' NOT REGEXP 'x', NULL REGEXP 'a', 'abc' REGEXP 'C$'",
        "SELECT name FROM ev WHERE name REGEXP '^[a-b]' ORDER BY name",
        "SELECT REGEXP_REPLACE('aaa bb', 'a+', 'x'), REGEXP_SUBSTR('abc123def', '[0-9]+'), REGEXP_INSTR('abc', 'c')",
    ])
    n = len(_EVENTS)
    assert out[n].values == [(1, 1, 1, None, 1)]
    assert out[n + 1].values == [("Alpha",), ("beta",)]
    assert out[n + 2].values == [("x bb", "123", 3)]


# -- GROUP_CONCAT, CASE, booleans, NULL ordering --------------------------------------------------------


def test_group_concat(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT GROUP_CONCAT(name) FROM ev",
        "SELECT GROUP_CONCAT(id ORDER BY id DESC SEPARATOR ';') FROM ev",
        "SELECT GROUP_CONCAT(DISTINCT grp) FROM ev",
        "SELECT grp, GROUP_CONCAT(name ORDER BY name) FROM ev GROUP BY grp ORDER BY grp",
        "SELECT GROUP_CONCAT(name) FROM ev WHERE id > 100",
    ])
    n = len(_EVENTS)
    assert out[n].values == [("Alpha,beta,Gamma",)]
    assert out[n + 1].values == [("4;3;2;1",)]
    assert out[n + 2].values == [("a,b",)]
    assert out[n + 3].values == [(None, None), ("a", "Alpha,Gamma"), ("b", "beta")]
    assert out[n + 4].values == [(None,)]


def test_case_if_and_boolean_results(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, CASE WHEN amount > 6 THEN 'big' WHEN amount > 1 THEN 'mid' ELSE 'small' END,"
        " CASE grp WHEN 'a' THEN 1 WHEN 'b' THEN 2 END, IF(score > 0, 'pos', 'neg'), IFNULL(name, '?')"
        " FROM ev ORDER BY id",
        "SELECT 1 = 1, 1 < 2, NOT 1, 1 AND 0, 1 OR NULL, NULL AND 0, TRUE, FALSE, 2 BETWEEN 1 AND 3, 5 IN (1, 5),"
        " NULL = NULL, NULL <=> NULL, 1 <=> NULL, ISNULL(NULL), 1 XOR 1",
        "SELECT id, amount > 5, name IS NULL, grp IN ('a', 'x') FROM ev ORDER BY id",
        "SELECT SUM(amount > 1), COUNT(CASE WHEN grp = 'a' THEN 1 END) FROM ev",
    ])
    n = len(_EVENTS)
    assert out[n].values == [(1, "big", 1, "pos", "Alpha"), (2, "mid", 2, "pos", "beta"),
                             (3, "small", 1, "neg", "Gamma"),
                             (4, "small", None, "neg", "?")]
    assert out[n + 1].values == [(1, 1, 0, 0, 1, 0, 1, 0, 1, 1, None, 1, 0, 1, 0)]
    assert out[n + 2].values == [(1, 1, 0, 1), (2, 0, 0, 0), (3, None, 0, 1), (4, 0, 1, None)]
    assert out[n + 3].values == [(Decimal(2), 2)]


def test_null_ordering(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id FROM ev ORDER BY amount, id",
        "SELECT id FROM ev ORDER BY amount DESC, id",
        "SELECT id FROM ev ORDER BY name",
        "SELECT id FROM ev ORDER BY name DESC",
        "SELECT id FROM ev ORDER BY amount IS NULL, amount",
        "SELECT id FROM ev ORDER BY -amount DESC, id",
    ])
    n = len(_EVENTS)
    assert out[n].values == [(3,), (4,), (2,), (1,)]  # NULL first ascending
    assert out[n + 1].values == [(1,), (2,), (4,), (3,)]  # and last descending
    assert out[n + 2].values == [(4,), (1,), (2,), (3,)]  # names compare case-insensitively
    assert out[n + 4].values == [(4,), (2,), (1,), (3,)]


def test_limit_and_offset(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id FROM ev ORDER BY id LIMIT 2",
        "SELECT id FROM ev ORDER BY id LIMIT 1, 2",
        "SELECT id FROM ev ORDER BY id LIMIT 2 OFFSET 1",
        "SELECT id FROM ev ORDER BY id DESC LIMIT 3, 10",
        "SELECT id FROM ev ORDER BY id LIMIT 10 OFFSET 4",
        "SELECT id FROM ev ORDER BY id LIMIT 0",
        "SELECT grp, COUNT(*) FROM ev GROUP BY grp ORDER BY grp LIMIT 1, 1",
        "SELECT id FROM (SELECT id FROM ev ORDER BY id DESC LIMIT 2) AS last_two ORDER BY id",
    ])
    n = len(_EVENTS)
    assert [o.values for o in out[n:n + 6]] == [[(1,), (2,)], [(2,), (3,)], [(2,), (3,)], [(1,)], [], []]
    assert out[n + 6].values == [("a", 2)]
    assert out[n + 7].values == [(3,), (4,)]


# -- numbers -------------------------------------------------------------------------------------------


def test_integer_division_and_modulo(differ: Differ) -> None:
    out = differ.check([
        "SELECT 7 DIV 2, -7 DIV 2, 7 DIV -2, 7.9 DIV 2, 7 DIV 0, 7 % 3, -7 % 3, 7 % -3, 7.5 % 2, MOD(10, 4), 7 MOD 0",
        "SELECT 7 / 2, 1 / 3, 7 / 0, 2 * 3, 2 - 5, 10 / 4.0",
    ])
    assert out[0].values == [(3, -3, -3, 3, None, 1, -1, 1, Decimal("1.5"), 2, None)]
    assert out[1].values == [(Decimal("3.5000"), Decimal("0.3333"), None, 6, -3, Decimal("2.50000"))]


def test_numeric_functions(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, ROUND(amount, 1), ROUND(amount), ROUND(amount, 3), TRUNCATE(amount, 1), FLOOR(amount),"
        " CEIL(amount), ABS(score), SIGN(score) FROM ev ORDER BY id",
        "SELECT ROUND(1.55, 1), ROUND(1.5), ROUND(-1.5), TRUNCATE(123.456, -1), TRUNCATE(-1.99, 1), FLOOR(1.5),"
        " CEILING(1.2), ABS(-2), POW(2, 10), SQRT(16), MOD(7.5, 2)",
    ])
    n = len(_EVENTS)
    assert out[n].values[0] == (1, Decimal("10.5"), Decimal("11"), Decimal("10.500"), Decimal("10.5"), 10, 11, 1.5, 1)
    assert out[n + 1].values == [(Decimal("1.6"), Decimal("2"), Decimal("-2"), Decimal("120"), Decimal("-1.9"), 1, 2, 2,
                                  1024.0, 4.0, Decimal("1.5"))]


# -- dates ---------------------------------------------------------------------------------------------


def test_date_parts(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, YEAR(day), MONTH(day), DAY(day), DAYOFWEEK(day), WEEKDAY(day), DAYOFYEAR(day), QUARTER(day),"
        " DAYNAME(day), MONTHNAME(day), HOUR(at), MINUTE(at), SECOND(at), HOUR(t), DATE(at), TIME(at),"
        " LAST_DAY(day) FROM ev ORDER BY id",
        "SELECT WEEK('2024-12-31'), WEEK('2024-12-31', 3), WEEK('2023-01-01'), WEEK('2023-01-01', 1),"
        " WEEKOFYEAR('2021-01-03'), YEARWEEK('2021-01-03'), EXTRACT(YEAR FROM '2024-05-06'),"
        " EXTRACT(YEAR_MONTH FROM '2024-05-06 07:08:09'), EXTRACT(MINUTE FROM '2024-05-06 07:08:09')",
        "SELECT YEAR(NOW()) > 2000, DATE(NOW()) = CURDATE(), YEAR('not a date'), DAYNAME(NULL)",
    ])
    n = len(_EVENTS)
    assert out[n].values[0] == (1, 2024, 1, 2, 3, 1, 2, 1, "Tuesday", "January", 3, 4, 5, 1, dt.date(2024, 1, 2),
                                dt.timedelta(seconds=11045), dt.date(2024, 1, 31))
    assert out[n].values[2][-1] == dt.date(2024, 2, 29)
    assert out[n].values[3][1:] == (None,) * 16
    assert out[n + 1].values == [(52, 1, 1, 0, 53, 202101, 2024, 202405, 8)]
    assert out[n + 2].values == [(1, 1, None, None)]


def test_date_arithmetic(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, DATE_ADD(day, INTERVAL 1 DAY), DATE_SUB(at, INTERVAL 2 HOUR), day + INTERVAL 1 MONTH,"
        " day - INTERVAL 1 YEAR, at + INTERVAL '1:30' HOUR_MINUTE, INTERVAL 1 WEEK + day, ADDDATE(day, 5),"
        " SUBDATE(day, INTERVAL 1 WEEK), TIMESTAMPADD(MINUTE, 5, at), day + INTERVAL 3 HOUR FROM ev ORDER BY id",
        "SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH), DATE_ADD('2024-02-29', INTERVAL 1 YEAR),"
        " DATE_SUB('2024-03-01 00:00:00', INTERVAL 1 SECOND), DATE_ADD('2024-01-01', INTERVAL -1 DAY)",
        "SELECT id, DATEDIFF(day, '2024-01-01'), TIMESTAMPDIFF(DAY, '2024-01-01', day),"
        " TIMESTAMPDIFF(MONTH, '2024-01-31', day), TIMESTAMPDIFF(HOUR, at, '2025-01-02 00:00:00') FROM ev ORDER BY id",
        "SELECT id FROM ev WHERE day > '2024-06-01' - INTERVAL 1 YEAR AND at < NOW() + INTERVAL 1 DAY ORDER BY id",
        "SELECT TIME_TO_SEC('01:00:05'), SEC_TO_TIME(3725), TIMEDIFF('2024-01-02 10:00:00', '2024-01-01 09:30:00'),"
        " MAKEDATE(2024, 60), DATEDIFF('2024-01-02 01:00:00', '2024-01-01 23:00:00')",
    ])
    n = len(_EVENTS)
    assert out[n].values[0] == (1, dt.date(2024, 1, 3), dt.datetime(2024, 1, 2, 1, 4, 5), dt.date(2024, 2, 2),
                                dt.date(2023, 1, 2), dt.datetime(2024, 1, 2, 4, 34, 5), dt.date(2024, 1, 9),
                                dt.date(2024, 1, 7), dt.date(2023, 12, 26), dt.datetime(2024, 1, 2, 3, 9, 5),
                                dt.datetime(2024, 1, 2, 3, 0))
    assert out[n + 1].values == [("2024-02-29", "2025-02-28", "2024-02-29 23:59:59", "2023-12-31")]
    assert out[n + 2].values[0] == (1, 1, 1, 0, 8780)
    assert out[n + 3].values == [(1,), (2,), (3,)]
    assert out[n + 4].values == [(3605, dt.timedelta(seconds=3725), dt.timedelta(days=1, seconds=1800),
                                  dt.date(2024, 2, 29), 1)]


def test_date_format_and_str_to_date(differ: Differ) -> None:
    out = differ.check([
        *_EVENTS,
        "SELECT id, DATE_FORMAT(at, '%Y/%m/%d %H:%i:%s'), DATE_FORMAT(day, '%W %M %e %D %y %j %a %b %c'),"
        " DATE_FORMAT(at, '%k %l %p %r %T %f %h %I %S %% %w %U %u %V %v %X %x') FROM ev ORDER BY id",
        "SELECT STR_TO_DATE('02/01/2024', '%d/%m/%Y'), STR_TO_DATE('2024-01-02 10:11:12', '%Y-%m-%d %H:%i:%s'),"
        " STR_TO_DATE('10:11', '%H:%i'), STR_TO_DATE('Jan 5 2024', '%b %e %Y'), STR_TO_DATE('bad', '%Y')",
    ])
    n = len(_EVENTS)
    assert out[n].values[0][:3] == (1, "2024/01/02 03:04:05", "Tuesday January 2 2nd 24 002 Tue Jan 1")
    assert out[n].values[3] == (4, None, None, None)
    assert out[n + 1].values == [(dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 10, 11, 12),
                                  dt.timedelta(hours=10, minutes=11), dt.date(2024, 1, 5), None)]


def test_soundex(differ: Differ) -> None:
    """MariaDB's SOUNDEX: no truncation to 4, vowels do not separate equal codes, non-letters skipped."""
    out = differ.check([
        "SELECT SOUNDEX('Hello'), SOUNDEX('Robert'), SOUNDEX('Tymczak'), SOUNDEX('Pfister'), SOUNDEX('Ashcraft'),"
        " SOUNDEX('Quadratically'), SOUNDEX('Honeyman'), SOUNDEX('schwarzenegger')",
        "SELECT SOUNDEX(''), SOUNDEX(NULL), SOUNDEX(123), SOUNDEX('  a-b'), SOUNDEX('A1B2'), SOUNDEX('Bob Bab'),"
        " SOUNDEX('éclair'), SOUNDEX('Ühl')",
        "CREATE TABLE names (n VARCHAR(20))",
        "INSERT INTO names VALUES ('Smith'), ('Smyth'), ('Schmidt'), (NULL)",
        "SELECT n, SOUNDEX(n) FROM names ORDER BY n",
        "SELECT n FROM names WHERE SOUNDEX(n) = SOUNDEX('smith') ORDER BY n",
    ])
    assert out[0].values == [("H400", "R163", "T520", "P236", "A2613", "Q36324", "H500", "S62526")]
    assert out[1].values == [("", None, "", "A100", "A100", "B000", "é246", "Ü400")]
    assert out[5].values == [("Schmidt",), ("Smith",), ("Smyth",)]
