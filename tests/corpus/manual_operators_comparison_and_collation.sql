-- category: operators, comparison and collation
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == !: https://mariadb.com/docs/server/reference/sql-structure/operators/logical-operators/not
SELECT NOT 10;
SELECT NOT 0;
SELECT NOT NULL;
SELECT ! (1+1);
SELECT ! 1+1;

-- == !=: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/not-equal
SELECT '.01' <> '0.01';
SELECT .01 <> '0.01';
SELECT 'zapp' <> 'zappp';

-- == &&: https://mariadb.com/docs/server/reference/sql-structure/operators/logical-operators/and
SELECT 1 && 1;
SELECT 1 && 0;
SELECT 1 && NULL;
SELECT 0 && NULL;
SELECT NULL && 0;

-- == <: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/less-than
SELECT 2 < 2;

-- == <=: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/less-than-or-equal
SELECT 0.1 <= 2;

-- == <=>: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/null-safe-equal
SELECT 1 <=> 1, NULL <=> NULL, 1 <=> NULL;
SELECT 1 = 1, NULL = NULL, 1 = NULL;

-- == =: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/equal
SELECT 1 = 0;
SELECT '0' = 0;
SELECT '0.0' = 0;
SELECT '0.01' = 0;
SELECT '.01' = 0.01;
SELECT 1 = NULL;
SELECT NULL = NULL;

-- == >: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/greater-than
SELECT 2 > 2;
SELECT 'b' > 'a';

-- == >=: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/greater-than-or-equal
SELECT 2 >= 2;
SELECT 'A' >= 'a';

-- == Addition Operator (+): https://mariadb.com/docs/server/reference/sql-structure/operators/arithmetic-operators/addition-operator
SELECT 3+5;

-- == BETWEEN AND: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/between-and
SELECT 1 BETWEEN 2 AND 3;

-- == COALESCE: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/coalesce
SELECT COALESCE(NULL,1);

-- == Division Operator (/): https://mariadb.com/docs/server/reference/sql-structure/operators/arithmetic-operators/division-operator
SELECT 4/5;
SELECT 300/(2-2);
SELECT 300/7;

-- == GREATEST: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/greatest
SELECT GREATEST(2,0);

-- == IN: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/in
SELECT 2 IN (0,3,5,7);

-- == INTERVAL: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/interval
SELECT INTERVAL(22, 24, 26, 28);

-- == IS: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/is
SELECT 1 IS TRUE, 0 IS FALSE, NULL IS UNKNOWN;

-- == IS NOT: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/is-not
SELECT 1 IS NOT UNKNOWN, 0 IS NOT UNKNOWN, NULL IS NOT UNKNOWN;

-- == IS NOT NULL: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/is-not-null
SELECT 1 IS NOT NULL, 0 IS NOT NULL, NULL IS NOT NULL;

-- == IS NULL: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/is-null
SELECT 1 IS NULL, 0 IS NULL, NULL IS NULL;

-- == ISNULL: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/isnull
SELECT ISNULL(1+1);
SELECT ISNULL(1/0);

-- == LEAST: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/least
SELECT LEAST(2,0);

-- == Modulo Operator (%): https://mariadb.com/docs/server/reference/sql-structure/operators/arithmetic-operators/modulo-operator
SELECT 1042 % 50;

-- == Multiplication Operator (*): https://mariadb.com/docs/server/reference/sql-structure/operators/arithmetic-operators/multiplication-operator
SELECT 76;
SELECT 12345678909876543210;
SELECT 1801439850948198418014398509481984.0;
SELECT 1801439850948198418014398509481984;

-- == NOT BETWEEN: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/not-between
SELECT 1 NOT BETWEEN 2 AND 3;

-- == NOT IN: https://mariadb.com/docs/server/reference/sql-structure/operators/comparison-operators/not-in
SELECT 2 NOT IN (0,3,5,7);

-- == Subtraction Operator (-): https://mariadb.com/docs/server/reference/sql-structure/operators/arithmetic-operators/subtraction-operator
SELECT 96-9;
SELECT 15-17;
SELECT 3.66 + 1.333;

-- == XOR: https://mariadb.com/docs/server/reference/sql-structure/operators/logical-operators/xor
SELECT 1 XOR 1;
SELECT 1 XOR 0;
SELECT 1 XOR NULL;

-- == ||: https://mariadb.com/docs/server/reference/sql-structure/operators/logical-operators/or
SELECT 1 || 1;
SELECT 1 || 0;
SELECT 0 || 0;
SELECT 0 || NULL;
SELECT 1 || NULL;
