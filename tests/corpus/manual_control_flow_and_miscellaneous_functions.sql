-- category: control flow and miscellaneous functions
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == AES_ENCRYPT: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/aes_encrypt
SELECT HEX(AES_ENCRYPT('foo', 'bar', '0123456789abcdef', 'aes-256-cbc')) AS x;

-- == ANALYZE TABLE: https://mariadb.com/docs/server/reference/sql-statements/table-statements/analyze-table
SET SESSION use_stat_tables='COMPLEMENTARY';

-- == COMPRESS: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/compress
SELECT LENGTH(COMPRESS(REPEAT('a',1000)));
SELECT LENGTH(COMPRESS(''));
SELECT LENGTH(COMPRESS('a'));
SELECT LENGTH(COMPRESS(REPEAT('a',16)));

-- == DECODE: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/decode
SELECT DECODE_ORACLE(2+1,31,'found1',32,'found2','default');
SELECT DECODE_ORACLE(2+4,31,'found1',32,'found2','default');
SELECT DECODE_ORACLE(2+2,31,'found1',32,'found2','default');

-- == HANDLER: https://mariadb.com/docs/server/reference/sql-structure/nosql/handler/handler-commands
CREATE TABLE t1 (f1 INT);
INSERT INTO t1 VALUES (1),(2),(3);
DROP TABLE IF EXISTS t1;

-- == MD5: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/md5
SELECT MD5('testing');

-- == NEXT VALUE FOR: https://mariadb.com/docs/server/reference/sql-structure/sequences/sequence-functions/next-value-for-sequence_name
CREATE OR REPLACE SEQUENCE s MAXVALUE=2;
ALTER SEQUENCE s MAXVALUE=2 CYCLE;
DROP SEQUENCE IF EXISTS s;

-- == PREVIOUS VALUE FOR: https://mariadb.com/docs/server/reference/sql-structure/sequences/sequence-functions/previous-value-for-sequence_name
CREATE SEQUENCE s START WITH 100 INCREMENT BY 10;
DROP SEQUENCE IF EXISTS s;

-- == SHA1: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/sha1
SELECT SHA1('some boring text');

-- == SHA2: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/sha2
SELECT SHA2('Maria',224);
SELECT SHA2('Maria',256);
SELECT SHA2('Maria',0);

-- == UNCOMPRESS: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/uncompress
SELECT UNCOMPRESS(COMPRESS('a string'));
SELECT UNCOMPRESS('a string');

-- == UNCOMPRESSED_LENGTH: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/encryption-hashing-and-compression-functions/uncompressed_length
SELECT UNCOMPRESSED_LENGTH(COMPRESS(REPEAT('a',30)));

-- == _rowid: https://mariadb.com/docs/server/reference/sql-functions/pseudo-columns/_rowid
CREATE TABLE t1 (a INT PRIMARY KEY, b VARCHAR(80));
INSERT INTO t1 VALUES (1,"one"),(2,"two");
SELECT * FROM t1 WHERE _rowid=1;
DROP TABLE IF EXISTS t1;

-- == CASE OPERATOR: https://mariadb.com/docs/server/reference/sql-functions/control-flow-functions/case-operator
SELECT CASE 1 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'more' END;
SELECT CASE WHEN 1>0 THEN 'true' ELSE 'false' END;
SELECT CASE BINARY 'B' WHEN 'a' THEN 1 WHEN 'b' THEN 2 END;

-- == IF Function: https://mariadb.com/docs/server/reference/sql-functions/control-flow-functions/if-function
SELECT IF(1>2,2,3);

-- == IFNULL: https://mariadb.com/docs/server/reference/sql-functions/control-flow-functions/ifnull
SELECT IFNULL(1,0);
SELECT IFNULL(NULL,10);
SELECT IFNULL(1/0,10);
SELECT IFNULL(1/0,'yes');

-- == NULLIF: https://mariadb.com/docs/server/reference/sql-functions/control-flow-functions/nullif
SELECT NULLIF(1,1);
SELECT NULLIF(1,2);

-- == NVL2: https://mariadb.com/docs/server/reference/sql-functions/control-flow-functions/nvl2
SELECT NVL2(NULL,1,2);
SELECT NVL2('x',1,2);

-- == INET6_ATON: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/inet6_aton
SELECT HEX(INET6_ATON('10.0.1.1'));
SELECT HEX(INET6_ATON('48f3::d432:1431:ba23:846f'));

-- == INET6_NTOA: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/inet6_ntoa
SELECT INET6_NTOA(UNHEX('0A000101'));
SELECT INET6_NTOA(UNHEX('48F3000000000000D4321431BA23846F'));

-- == INET_ATON: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/inet_aton
SELECT INET_ATON('192.168.1.1');

-- == INET_NTOA: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/inet_ntoa
SELECT INET_NTOA(3232235777);

-- == IS_IPV4: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/is_ipv4
SELECT IS_IPV4('1110.0.1.1');
SELECT IS_IPV4('48f3::d432:1431:ba23:846f');

-- == IS_IPV4_COMPAT: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/is_ipv4_compat
SELECT IS_IPV4_COMPAT(INET6_ATON('::10.0.1.1'));
SELECT IS_IPV4_COMPAT(INET6_ATON('::48f3::d432:1431:ba23:846f'));

-- == IS_IPV4_MAPPED: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/is_ipv4_mapped
SELECT IS_IPV4_MAPPED(INET6_ATON('::10.0.1.1'));
SELECT IS_IPV4_MAPPED(INET6_ATON('::ffff:10.0.1.1'));

-- == IS_IPV6: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/miscellaneous-functions/is_ipv6
SELECT IS_IPV6('48f3::d432:1431:ba23:846f');
SELECT IS_IPV6('10.0.1.1');
