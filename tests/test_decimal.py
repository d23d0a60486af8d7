"""DECIMAL exactness and numbers as MariaDB sends them, compared with MariaDB (see _sqldiff.py).

Each test asserts what MariaDB returned too, so that a statement that stopped testing what it should is
noticed. The byte-level view (types, decimals, UNSIGNED) is the corpus's: tests/corpus/decimal.sql.
"""

from __future__ import annotations

import random
from decimal import Decimal

from _sqldiff import Differ


def test_money_sums_are_exact(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE pay (id INT PRIMARY KEY, amount DECIMAL(10,2))",
        "INSERT INTO pay VALUES " + ", ".join(f"({i}, 0.10)" for i in range(1, 1001)),
        "SELECT SUM(amount), AVG(amount), SUM(amount) = 100, COUNT(*) FROM pay",
        "SELECT SUM(amount * 3), SUM(amount) / 3, MAX(amount) * 3 = 0.3 FROM pay",
        "SELECT id FROM pay WHERE amount * 3 = 0.3 AND id <= 2 ORDER BY id",
    ])
    assert out[2].values == [(Decimal("100.00"), Decimal("0.100000"), 1, 1000)]
    assert out[3].values == [(Decimal("300.00"), Decimal("33.333333"), 1)]
    assert out[4].values == [(1,), (2,)]


def test_arithmetic_rounds_and_scales_as_mariadb(differ: Differ) -> None:
    out = differ.check([
        "SELECT 1/3*3, 1/3 + 1/3 + 1/3, 2/3, 10/3/3, 0.1 + 0.2 = 0.3, 1.5 * 2.25, -1.5, 1.00 / 3",
        "SELECT 123456789012345678901234567890 + 1, 0.1234567890123456789012345678901234567890",
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), rate DECIMAL(5,4), tiny DECIMAL(31,30))",
        "INSERT INTO m VALUES (1, 0.10, 0.0825, 0.5), (2, 19.99, 1.5, 0.000000000000000000000000000001)",
        "SELECT id, amount * rate, amount / rate, amount + rate, -amount, amount - 0.05 FROM m ORDER BY id",
        "SELECT SUM(amount), AVG(amount), SUM(rate), AVG(rate), SUM(amount * rate) FROM m",
        "SELECT id, tiny FROM m ORDER BY id",
    ])
    assert out[0].values == [(Decimal("1.0000"), Decimal("1.0000"), Decimal("0.6667"), Decimal("1.11111111"), 1,
                              Decimal("3.375"), Decimal("-1.5"), Decimal("0.333333"))]
    assert out[1].values == [(Decimal("123456789012345678901234567891"),
                              Decimal("0.1234567890123456789012345678901234567890"))]
    assert out[5].values == [(Decimal("20.09"), Decimal("10.045000"), Decimal("1.5825"), Decimal("0.79125000"),
                              Decimal("29.993250"))]
    assert out[6].values[0] == (1, Decimal("0.500000000000000000000000000000"))


def test_doubles_and_unsigned_integers_as_mariadb_writes_them(differ: Differ) -> None:
    out = differ.check([
        "SELECT 1e0 - 1e0, -'' / 1e1, 1e20, 1e15, 1e14, 0.00001e0, 1e-16, 1.8446744073709552e19, 0.1e0 + 0.2e0",
        "SELECT 1.5e3-2, ROUND(2e0, 1), 18446744073709551615, ~0, CAST(-1 AS UNSIGNED), 1 << 63",
    ])
    assert out[0].values == [(0.0, -0.0, 1e20, 1e15, 1e14, 1e-05, 1e-16, 1.8446744073709552e19, 0.30000000000000004)]
    assert out[1].values == [(1498.0, 2.0, 2**64 - 1, 2**64 - 1, 2**64 - 1, 2**63)]


def test_random_decimal_sums_match(differ: Differ) -> None:
    seed = random.randrange(2**32)
    print(f"decimal sums seed: {seed}")  # shown on failure
    rng = random.Random(seed)
    values = ", ".join(f"({i}, {rng.randrange(-10**9, 10**9) / 100:.2f}, {rng.randrange(10**6) / 10**4:.4f})"
                       for i in range(200))
    differ.check([
        "CREATE TABLE r (id INT PRIMARY KEY, a DECIMAL(12,2), b DECIMAL(8,4))",
        f"INSERT INTO r VALUES {values}",
        "SELECT SUM(a), AVG(a), SUM(b), AVG(b), SUM(a * b), SUM(a) / 7, MIN(a - b), MAX(a + b) FROM r",
        "SELECT id, a * b, a / b, a - b FROM r WHERE id < 20 AND b <> 0 ORDER BY id",
    ])


def test_decimal_columns_keep_every_digit(differ: Differ) -> None:
    # was a known difference: a DECIMAL column kept a double's 15 significant digits
    out = differ.check([
        "CREATE TABLE big (id INT PRIMARY KEY, amount DECIMAL(10,2), b DECIMAL(30,10), t DECIMAL(31,30))",
        "INSERT INTO big VALUES (1, 0.1, 12345678901234567890.1234567890, -0.999999999999999999999999999999)",
        "INSERT INTO big VALUES (2, 0.2, '-98765432109876543210.0987654321', 0.123456789012345678901234567890)",
        "UPDATE big SET b = 11111111111111111111.1111111111 WHERE id = 2",
        "SELECT id, amount * 3, b, t, CONCAT(b), b + 1, b - b FROM big ORDER BY id",
        "SELECT SUM(b), SUM(t), MAX(b), COUNT(*) FROM big WHERE amount * 3 = 0.3",
    ])
    assert out[4].values == [
        (1, Decimal("0.30"), Decimal("12345678901234567890.1234567890"), Decimal("-0.999999999999999999999999999999"),
         "12345678901234567890.1234567890", Decimal("12345678901234567891.1234567890"), Decimal("0E-10")),
        (2, Decimal("0.60"), Decimal("11111111111111111111.1111111111"), Decimal("0.123456789012345678901234567890"),
         "11111111111111111111.1111111111", Decimal("11111111111111111112.1111111111"), Decimal("0E-10"))]
    assert out[5].values == [(Decimal("12345678901234567890.1234567890"), Decimal("-0.999999999999999999999999999999"),
                              Decimal("12345678901234567890.1234567890"), 1)]
