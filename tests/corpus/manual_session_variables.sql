-- category: session variables
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == SET: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/set-commands/set
SELECT VARIABLE_NAME, SESSION_VALUE, GLOBAL_VALUE FROM
 INFORMATION_SCHEMA.SYSTEM_VARIABLES WHERE
  VARIABLE_NAME IN ('max_error_count', 'skip_parallel_replication', 'innodb_sync_spin_loops');

-- == SET CHARACTER SET: https://mariadb.com/docs/server/reference/data-types/string-data-types/character-sets/set-character-set
SHOW VARIABLES LIKE 'character_set_%';
SHOW VARIABLES LIKE 'collation%';
SET CHARACTER SET utf8mb4;
SHOW VARIABLES LIKE 'character_set_%';
SHOW VARIABLES LIKE 'collation%';

-- == SET NAMES: https://mariadb.com/docs/server/reference/data-types/string-data-types/character-sets/set-names
SET NAMES DEFAULT;
SELECT VARIABLE_NAME, SESSION_VALUE
    FROM INFORMATION_SCHEMA.SYSTEM_VARIABLES WHERE
    VARIABLE_NAME LIKE 'character_set_con%' OR
    VARIABLE_NAME LIKE 'character_set_cl%' OR
    VARIABLE_NAME LIKE 'character_set_re%' OR
    VARIABLE_NAME LIKE 'collation_c%';
