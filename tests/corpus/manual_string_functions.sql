-- category: string functions
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == ASCII: https://mariadb.com/docs/server/reference/sql-functions/string-functions/ascii
SELECT ASCII(9);
SELECT ASCII('9');
SELECT ASCII('abc');

-- == BIN: https://mariadb.com/docs/server/reference/sql-functions/string-functions/bin
SELECT BIN(12);

-- == BIT_LENGTH: https://mariadb.com/docs/server/reference/sql-functions/string-functions/bit_length
SELECT BIT_LENGTH('text');

-- == CHAR Function: https://mariadb.com/docs/server/reference/sql-functions/string-functions/char-function
SELECT CHAR(77,97,114,'105',97,'68',66);
SELECT CHAR(77,77.3,'77.3');

-- == CHAR_LENGTH: https://mariadb.com/docs/server/reference/sql-functions/string-functions/char_length
SELECT CHAR_LENGTH('MariaDB');

-- == CHR: https://mariadb.com/docs/server/reference/sql-functions/string-functions/chr
SELECT CHR(67);
SELECT CHR('67');
SELECT CHR('C');
SHOW WARNINGS;

-- == CONCAT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/concat
SELECT CONCAT('Ma', 'ria', 'DB');
SELECT CONCAT('Ma', 'ria', NULL, 'DB');
SELECT CONCAT(42.0);

-- == CONCAT_WS: https://mariadb.com/docs/server/reference/sql-functions/string-functions/concat_ws
SELECT CONCAT_WS(',','First name','Second name','Last Name');
SELECT CONCAT_WS('-','Floor',NULL,'Room');

-- == ELT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/elt
SELECT ELT(1, 'ej', 'Heja', 'hej', 'foo');
SELECT ELT(4, 'ej', 'Heja', 'hej', 'foo');

-- == EXPORT_SET: https://mariadb.com/docs/server/reference/sql-functions/string-functions/export_set
SELECT EXPORT_SET(5,'Y','N',',',4);
SELECT EXPORT_SET(6,'1','0',',',10);

-- == EXTRACTVALUE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/extractvalue
SELECT
    ExtractValue('<a>ccc<b>ddd</b></a>', '/a')            AS val1,
    ExtractValue('<a>ccc<b>ddd</b></a>', '/a/b')          AS val2,
    ExtractValue('<a>ccc<b>ddd</b></a>', '//b')           AS val3,
    ExtractValue('<a>ccc<b>ddd</b></a>', '/b')            AS val4,
    ExtractValue('<a>ccc<b>ddd</b><b>eee</b></a>', '//b') AS val5;

-- == FIELD: https://mariadb.com/docs/server/reference/sql-functions/string-functions/field
SELECT FIELD('ej', 'Hej', 'ej', 'Heja', 'hej', 'foo')
   AS 'Field Results';
SELECT FIELD('fo', 'Hej', 'ej', 'Heja', 'hej', 'foo')
   AS 'Field Results';
SELECT FIELD(1, 2, 3, 4, 5, 1) AS 'Field Results';
SELECT FIELD(NULL, 2, 3) AS 'Field Results';
SELECT FIELD('fail') AS 'Field Results';

-- == FIND_IN_SET: https://mariadb.com/docs/server/reference/sql-functions/string-functions/find_in_set
SELECT FIND_IN_SET('b','a,b,c,d') AS "Found Results";

-- == FORMAT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/format
SELECT FORMAT(1234567890.09876543210, 4) AS 'Format';
SELECT FORMAT(1234567.89, 4) AS 'Format';
SELECT FORMAT(1234567.89, 0) AS 'Format';
SELECT FORMAT(123456789,2,'de_DE') AS 'Format';

-- == HEX: https://mariadb.com/docs/server/reference/sql-functions/string-functions/hex
SELECT HEX(255);
SELECT 0x4D617269614442;
SELECT HEX('MariaDB');

-- == INSERT Function: https://mariadb.com/docs/server/reference/sql-functions/string-functions/insert-function
SELECT INSERT('Quadratic', 3, 4, 'What');
SELECT INSERT('Quadratic', -1, 4, 'What');
SELECT INSERT('Quadratic', 3, 100, 'What');

-- == INSTR: https://mariadb.com/docs/server/reference/sql-functions/string-functions/instr
SELECT INSTR('foobarbar', 'bar');
SELECT INSTR('My', 'Maria');

-- == LEFT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/left
SELECT LEFT('MariaDB', 5);

-- == LENGTH: https://mariadb.com/docs/server/reference/sql-functions/string-functions/length
SELECT LENGTH('MariaDB');

-- == LENGTHB: https://mariadb.com/docs/server/reference/sql-functions/string-functions/lengthb
SELECT CHAR_LENGTH('π'), LENGTH('π'), LENGTHB('π'), OCTET_LENGTH('π');

-- == LIKE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/like
CREATE TABLE t1 (d VARCHAR(16));
INSERT INTO t1 VALUES
  ("Monday"), ("Tuesday"), ("Wednesday"),
  ("Thursday"), ("Friday"), ("Saturday"), ("Sunday");
SELECT * FROM t1 WHERE d LIKE "T%";
DROP TABLE IF EXISTS t1;

-- == LOCATE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/locate
SELECT LOCATE('bar', 'foobarbar');
SELECT LOCATE('My', 'Maria');
SELECT LOCATE('bar', 'foobarbar', 5);

-- == LOWER: https://mariadb.com/docs/server/reference/sql-functions/string-functions/lower
SELECT LOWER('QUADRATICALLY');

-- == LPAD: https://mariadb.com/docs/server/reference/sql-functions/string-functions/lpad
SELECT LPAD('hello',10,'.');
SELECT LPAD('hello',2,'.');

-- == LTRIM: https://mariadb.com/docs/server/reference/sql-functions/string-functions/ltrim
SELECT QUOTE(LTRIM('   MariaDB   '));

-- == MAKE_SET: https://mariadb.com/docs/server/reference/sql-functions/string-functions/make_set
SELECT MAKE_SET(1,'a','b','c');
SELECT MAKE_SET(1 | 4,'hello','nice','world');
SELECT MAKE_SET(1 | 4,'hello','nice',NULL,'world');
SELECT QUOTE(MAKE_SET(0,'a','b','c'));

-- == MID: https://mariadb.com/docs/server/reference/sql-functions/string-functions/mid
SELECT MID('abcd',4,1);
SELECT MID('abcd',2,2);

-- == NATURAL_SORT_KEY: https://mariadb.com/docs/server/reference/sql-functions/string-functions/natural_sort_key
CREATE TABLE t1 (c TEXT);
INSERT INTO t1 VALUES ('b1'),('a2'),('a11'),('a1');
SELECT c FROM t1;
SELECT c FROM t1 ORDER BY c;
DROP TABLE IF EXISTS t1;

-- == OCTET_LENGTH: https://mariadb.com/docs/server/reference/sql-functions/string-functions/octet_length
SELECT CHAR_LENGTH('π'), LENGTH('π'), LENGTHB('π'), OCTET_LENGTH('π');

-- == ORD: https://mariadb.com/docs/server/reference/sql-functions/string-functions/ord
SELECT ORD('2');

-- == QUOTE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/quote
SELECT QUOTE("Don't!");
SELECT QUOTE(NULL);

-- == REGEXP: https://mariadb.com/docs/server/reference/sql-functions/string-functions/regular-expressions-functions/regexp
SELECT 'Monty!' REGEXP 'm%y%%';
SELECT 'Monty!' REGEXP '.';
SELECT 'new\nline' REGEXP 'new\\.\\line';
SELECT 'a' REGEXP 'A', 'a' REGEXP BINARY 'A';
SELECT 'a' REGEXP '^[a-d]';

-- == REGEXP_INSTR: https://mariadb.com/docs/server/reference/sql-functions/string-functions/regular-expressions-functions/regexp_instr
SELECT REGEXP_INSTR('abc','b');
SELECT REGEXP_INSTR('abc','x');
SELECT REGEXP_INSTR('BJÖRN','N');

-- == REGEXP_REPLACE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/regular-expressions-functions/regexp_replace
SELECT REGEXP_REPLACE('ab12cd','[0-9]','') AS remove_digits;
SELECT REGEXP_REPLACE('<html><head><title>title</title><body>body</body></htm>', '<.+?>',' ')
AS strip_html;

-- == REGEXP_SUBSTR: https://mariadb.com/docs/server/reference/sql-functions/string-functions/regular-expressions-functions/regexp_substr
SELECT REGEXP_SUBSTR('ab12cd','[0-9]+');
SELECT REGEXP_SUBSTR(
  'See https://mariadb.org/en/foundation/ for details',
  'https?://[^/]*');

-- == REPEAT Function: https://mariadb.com/docs/server/reference/sql-functions/string-functions/repeat-function
SELECT QUOTE(REPEAT('MariaDB ',4));

-- == REPLACE Function: https://mariadb.com/docs/server/reference/sql-functions/string-functions/replace-function
SELECT REPLACE('www.mariadb.org', 'w', 'Ww');

-- == REVERSE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/reverse
SELECT REVERSE('desserts');

-- == RIGHT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/right
SELECT RIGHT('MariaDB', 2);

-- == RPAD: https://mariadb.com/docs/server/reference/sql-functions/string-functions/rpad
SELECT RPAD('hello',10,'.');
SELECT RPAD('hello',2,'.');

-- == RTRIM: https://mariadb.com/docs/server/reference/sql-functions/string-functions/rtrim
SELECT QUOTE(RTRIM('MariaDB    '));

-- == SFORMAT: https://mariadb.com/docs/server/reference/sql-functions/string-functions/sformat
SELECT SFORMAT("The answer is {}.", 42);
CREATE TABLE test_sformat(mdb_release char(6), mdev int, feature char(20));
INSERT INTO test_sformat VALUES('10.7.0', 25015, 'Python style sformat'),
  ('10.7.0', 4958, 'UUID');
SELECT * FROM test_sformat;
SELECT SFORMAT('MariaDB Server {} has a preview for MDEV-{} which is about {}',
  mdb_release, mdev, feature) AS 'Preview Release Examples'
  FROM test_sformat;
DROP TABLE IF EXISTS test_sformat;

-- == SPACE: https://mariadb.com/docs/server/reference/sql-functions/string-functions/space
SELECT QUOTE(SPACE(6));

-- == STRCMP: https://mariadb.com/docs/server/reference/sql-functions/string-functions/strcmp
SELECT STRCMP('text', 'text2');
SELECT STRCMP('text2', 'text');
SELECT STRCMP('text', 'text');

-- == SUBSTRING: https://mariadb.com/docs/server/reference/sql-functions/string-functions/substring
SELECT SUBSTRING('Knowledgebase',5);
SELECT SUBSTRING('MariaDB' FROM 6);
SELECT SUBSTRING('Knowledgebase',3,7);
SELECT SUBSTRING('Knowledgebase', -4);
SELECT SUBSTRING('Knowledgebase', 0);
SELECT SUBSTRING('Knowledgebase', -8, 4);
SELECT SUBSTRING('Knowledgebase' FROM -8 FOR 4);

-- == SUBSTRING_INDEX: https://mariadb.com/docs/server/reference/sql-functions/string-functions/substring_index
SELECT SUBSTRING_INDEX('www.mariadb.org', '.', 2);
SELECT SUBSTRING_INDEX('www.mariadb.org', '.', -2);

-- == TO_BASE64: https://mariadb.com/docs/server/reference/sql-functions/string-functions/to_base64
SELECT TO_BASE64('Maria');

-- == TO_CHAR: https://mariadb.com/docs/server/reference/sql-functions/string-functions/to_char
SELECT TO_CHAR('1980-01-11 04:50:39', 'YYYY-MM-DD');
SELECT TO_CHAR('1980-01-11 04:50:39', 'HH24-MI-SS');
SELECT TO_CHAR('00-01-01 00:00:00', 'YY-MM-DD HH24:MI:SS');
SELECT TO_CHAR('99-12-31 23:59:59', 'YY-MM-DD HH24:MI:SS');
SELECT TO_CHAR('9999-12-31 23:59:59', 'YY-MM-DD HH24:MI:SS');
SELECT TO_CHAR('21-01-03 08:30:00', 'Y-MONTH-DY HH:MI:SS');
SELECT CONCAT('/', TO_CHAR('2020-01-06 10:11:12', 'DAY'), '/');
SELECT CONCAT('/', TO_CHAR('2020-01-06 10:11:12', 'FMDAY'), '/');
SELECT CONCAT('/', TO_CHAR('2020-01-06 10:11:12', 'FMFMDAY'), '/');
SELECT CONCAT('/', TO_CHAR('2020-01-06 10:11:12', 'FMFMFMDAY'), '/');
SELECT CONCAT('/', TO_CHAR('2020-01-06 10:11:12', 'DAYFM'), '/');

-- == UNHEX: https://mariadb.com/docs/server/reference/sql-functions/string-functions/unhex
SELECT HEX('MariaDB');
SELECT UNHEX('4D617269614442');
SELECT 0x4D617269614442;
SELECT UNHEX(HEX('string'));
SELECT HEX(UNHEX('1267'));

-- == WEIGHT_STRING: https://mariadb.com/docs/server/reference/sql-functions/string-functions/weight_string
SELECT HEX(WEIGHT_STRING('x'));
SELECT HEX(WEIGHT_STRING('x' AS BINARY(4)));
SELECT HEX(WEIGHT_STRING('x' AS CHAR(4)));
SELECT HEX(WEIGHT_STRING(0xaa22ee LEVEL 1));
SELECT HEX(WEIGHT_STRING(0xaa22ee LEVEL 1 DESC));
SELECT HEX(WEIGHT_STRING(0xaa22ee LEVEL 1 REVERSE));
