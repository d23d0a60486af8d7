-- category: numeric functions and arithmetic
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == &: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/bitwise_and
SELECT 2&1;
SELECT 3&1;
SELECT 29 & 15;

-- == <<: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/shift-left
SELECT 1 << 2;

-- == >>: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/shift-right
SELECT 4 >> 2;

-- == BIT_COUNT: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/bit_count
SELECT BIT_COUNT(29), BIT_COUNT(b'101010');

-- == TRUE FALSE: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/true-false
SELECT TRUE, true, FALSE, false;

-- == ~: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/bitwise-not
SELECT 3 & ~1;
SELECT 5 & ~1;

-- == ^: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/bitwise-xor
SELECT 1 ^ 1;
SELECT 1 ^ 0;
SELECT 11 ^ 3;

-- == |: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/bit-functions-and-operators/bitwise-or
SELECT 2|1;
SELECT 29 | 15;

-- == ABS: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/abs
SELECT ABS(42);
SELECT ABS(-42);
SELECT ABS(DATE '1994-01-01');

-- == ACOS: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/acos
SELECT ACOS(1);
SELECT ACOS(1.0001);
SELECT ACOS(0);
SELECT ACOS(0.234);

-- == ASIN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/asin
SELECT ASIN(0.2);
SELECT ASIN('foo');
SHOW WARNINGS;

-- == ATAN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/atan
SELECT ATAN(2);
SELECT ATAN(-2);

-- == ATAN2: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/atan2
SELECT ATAN(-2,2);
SELECT ATAN2(PI(),0);

-- == CEILING: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/ceiling
SELECT CEILING(1.23);
SELECT CEILING(-1.23);

-- == CONV: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/conv
SELECT CONV('a',16,2);
SELECT CONV('6E',18,8);
SELECT CONV(-17,10,-18);
SELECT CONV(12+'10'+'10'+0xa,10,10);

-- == COS: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/cos
SELECT COS(PI());

-- == COT: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/cot
SELECT COT(42);
SELECT COT(12);
SELECT COT(0);

-- == CRC32: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/crc32
SELECT CRC32(CRC32('Maria'),'DB');

-- == CRC32C: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/crc32c
SELECT CRC32C('MariaDB');
SELECT CRC32C(CRC32C('Maria'),'DB');

-- == DEGREES: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/degrees
SELECT DEGREES(PI());
SELECT DEGREES(PI() / 2);
SELECT DEGREES(45);

-- == DIV: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/div
SELECT 300 DIV 7;
SELECT 300 DIV 0;

-- == EXP: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/exp
SELECT EXP(2);
SELECT EXP(-2);
SELECT EXP(0);
SELECT EXP(NULL);

-- == FLOOR: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/floor
SELECT FLOOR(1.23);
SELECT FLOOR(-1.23);

-- == LN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/ln
SELECT LN(2);
SELECT LN(-2);

-- == LOG: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/log
SELECT LOG(2);
SELECT LOG(-2);

-- == LOG10: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/log10
SELECT LOG10(2);
SELECT LOG10(100);
SELECT LOG10(-100);

-- == LOG2: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/log2
SELECT LOG2(4398046511104);
SELECT LOG2(65536);
SELECT LOG2(-100);

-- == MOD: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/mod
SELECT 1042 % 50;
SELECT MOD(234, 10);
SELECT 253 % 7;
SELECT MOD(29,9);
SELECT 29 MOD 9;

-- == OCT: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/oct
SELECT OCT(34);
SELECT OCT(12);

-- == PI: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/pi
SELECT PI();
SELECT PI()+0.0000000000000000000000;

-- == POW: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/pow
SELECT POW(2,3);
SELECT POW(2,-2);

-- == RADIANS: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/radians
SELECT RADIANS(45);
SELECT RADIANS(90);
SELECT RADIANS(PI());
SELECT RADIANS(180);

-- == RAND: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/rand
CREATE TABLE t (i INT);
INSERT INTO t VALUES(1),(2),(3);
DROP TABLE IF EXISTS t;

-- == ROUND: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/round
SELECT ROUND(-1.23);
SELECT ROUND(-1.58);
SELECT ROUND(1.58);
SELECT ROUND(1.298, 1);
SELECT ROUND(1.298, 0);
SELECT ROUND(23.298, -1);

-- == SIGN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/sign
SELECT SIGN(-32);
SELECT SIGN(0);
SELECT SIGN(234);

-- == SIN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/sin
SELECT SIN(1.5707963267948966);
SELECT SIN(PI());
SELECT ROUND(SIN(PI()));

-- == SQRT: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/sqrt
SELECT SQRT(4);
SELECT SQRT(20);
SELECT SQRT(-16);
SELECT SQRT(1764);

-- == TAN: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/tan
SELECT TAN(0.7853981633974483);
SELECT TAN(PI());
SELECT TAN(PI()+1);
SELECT TAN(RADIANS(PI()));

-- == TRUNCATE: https://mariadb.com/docs/server/reference/sql-functions/numeric-functions/truncate
SELECT TRUNCATE(1.223,1);
SELECT TRUNCATE(1.999,1);
SELECT TRUNCATE(1.999,0);
SELECT TRUNCATE(-1.999,1);
SELECT TRUNCATE(122,-2);
SELECT TRUNCATE(10.28100,0);
