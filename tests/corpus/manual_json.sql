-- category: JSON
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == JSON_ARRAY: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_array
SELECT Json_Array(56, 3.1416, 'My name is "Foo"', NULL);

-- == JSON_ARRAYAGG: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_arrayagg
CREATE TABLE t1 (a INT, b INT);
INSERT INTO t1 VALUES (1, 1),(2, 1), (1, 1),(2, 1), (3, 2),(2, 2),(2, 2),(2, 2);
SELECT JSON_ARRAYAGG(a), JSON_ARRAYAGG(b) FROM t1;
SELECT JSON_ARRAYAGG(a), JSON_ARRAYAGG(b) FROM t1 GROUP BY b;
DROP TABLE IF EXISTS t1;

-- == JSON_ARRAY_APPEND: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_array_append
SET @json = '[1, 2, [3, 4]]';
SELECT JSON_ARRAY_APPEND(@json, '$[1]', 6);
SELECT JSON_ARRAY_APPEND(@json, '$[1]', 6, '$[2]', 7);
SELECT JSON_ARRAY_APPEND(@json, '$', 5);
SET @json = '{"A": 1, "B": [2], "C": [3, 4]}';
SELECT JSON_ARRAY_APPEND(@json, '$.B', 5);

-- == JSON_ARRAY_INSERT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_array_insert
SET @json = '[1, 2, [3, 4]]';
SELECT JSON_ARRAY_INSERT(@json, '$[0]', 5);
SELECT JSON_ARRAY_INSERT(@json, '$[1]', 6);
SELECT JSON_ARRAY_INSERT(@json, '$[1]', 6, '$[2]', 7);

-- == JSON_ARRAY_INTERSECT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_array_intersect
SET @json1= '[1,2,3]';
SET @json2= '[1,2,4]';

-- == JSON_COMPACT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_compact
SET @j = '{ "A": 1, "B": [2, 3]}';
SELECT JSON_COMPACT(@j), @j;

-- == JSON_CONTAINS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_contains
SET @json = '{"A": 0, "B": {"C": 1}, "D": 2}';
SELECT JSON_CONTAINS(@json, '2', '$.A');
SELECT JSON_CONTAINS(@json, '2', '$.D');
SELECT JSON_CONTAINS(@json, '{"C": 1}', '$.A');
SELECT JSON_CONTAINS(@json, '{"C": 1}', '$.B');

-- == JSON_CONTAINS_PATH: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_contains_path
SET @json = '{"A": 1, "B": [2], "C": [3, 4]}';
SELECT JSON_CONTAINS_PATH(@json, 'one', '$.A', '$.D');
SELECT JSON_CONTAINS_PATH(@json, 'all', '$.A', '$.D');

-- == JSON_DEPTH: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_depth
SELECT JSON_DEPTH('[]'), JSON_DEPTH('true'), JSON_DEPTH('{}');
SELECT JSON_DEPTH('[1, 2, 3]'), JSON_DEPTH('[[], {}, []]');
SELECT JSON_DEPTH('[1, 2, [3, 4, 5, 6], 7]');

-- == JSON_DETAILED: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_detailed
SET @j = '{ "A":1,"B":[2,3]}';
SELECT @j;
SELECT JSON_DETAILED(@j);

-- == JSON_EQUALS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_equals
SELECT JSON_EQUALS('{"a"   :[1, 2, 3],"b":[4]}', '{"b":[4],"a":[1, 2, 3.0]}');
SELECT JSON_EQUALS('{"a":[1, 2, 3]}', '{"a":[1, 2, 3.01]}');

-- == JSON_EXISTS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_exists
SELECT JSON_EXISTS('{"key1":"xxxx", "key2":[1, 2, 3]}', "$.key2");
SELECT JSON_EXISTS('{"key1":"xxxx", "key2":[1, 2, 3]}', "$.key3");
SELECT JSON_EXISTS('{"key1":"xxxx", "key2":[1, 2, 3]}', "$.key2[1]");
SELECT JSON_EXISTS('{"key1":"xxxx", "key2":[1, 2, 3]}', "$.key2[10]");

-- == JSON_EXTRACT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_extract
SET @json = '[1, 2, [3, 4]]';
SELECT JSON_EXTRACT(@json, '$[1]');
SELECT JSON_EXTRACT(@json, '$[2]');
SELECT JSON_EXTRACT(@json, '$[2][1]');

-- == JSON_INSERT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_insert
SET @json = '{ "A": 0, "B": [1, 2]}';
SELECT JSON_INSERT(@json, '$.C', '[3, 4]');

-- == JSON_KEYS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_keys
SELECT JSON_KEYS('{"A": 1, "B": {"C": 2}}');
SELECT JSON_KEYS('{"A": 1, "B": 2, "C": {"D": 3}}', '$.C');

-- == JSON_LOOSE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_loose
SET @j = '{ "A":1,"B":[2,3]}';
SELECT JSON_LOOSE(@j), @j;

-- == JSON_MERGE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_merge
SET @json1 = '[1, 2]';
SET @json2 = '[3, 4]';
SELECT JSON_MERGE(@json1,@json2);

-- == JSON_MERGE_PATCH: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_merge_patch
SET @json1 = '[1, 2]';
SET @json2 = '[2, 3]';
SELECT JSON_MERGE_PATCH(@json1,@json2),JSON_MERGE_PRESERVE(@json1,@json2);

-- == JSON_MERGE_PRESERVE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_merge_preserve
SET @json1 = '[1, 2]';
SET @json2 = '[2, 3]';
SELECT JSON_MERGE_PATCH(@json1,@json2),JSON_MERGE_PRESERVE(@json1,@json2);

-- == JSON_OBJECT: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_object
SELECT JSON_OBJECT("id", 1, "name", "Monty");

-- == JSON_OBJECT_FILTER_KEYS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_object_filter_keys
SET @obj1= '{ "a": 1, "b": 2, "c": 3}';
SET @obj2= '{"b" : 10, "c": 20, "d": 30}';

-- == JSON_OBJECT_TO_ARRAY: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_object_to_array
SET @obj1= '{ "a": [1, 2, 3], "b": { "key1":"val1", "key2": {"key3":"val3"} }}';

-- == JSON_OVERLAPS: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_overlaps
SELECT JSON_OVERLAPS('false', 'false');
SELECT JSON_OVERLAPS('true', '["abc", 1, 2, true, false]');
SELECT JSON_OVERLAPS('{"A": 1, "B": {"C":2}}', '{"A": 2, "B": {"C":2}}') AS is_overlap;

-- == JSON_QUERY: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_query
SELECT json_query('{"key1":{"a":1, "b":[1,2]}}', '$.key1');
SELECT json_query('{"key1":123, "key1": [1,2,3]}', '$.key1');

-- == JSON_QUOTE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_quote
SELECT JSON_QUOTE('A'), JSON_QUOTE("B"), JSON_QUOTE('"C"');

-- == JSON_REMOVE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_remove
SELECT JSON_REMOVE('{"A": 1, "B": 2, "C": {"D": 3}}', '$.C');
SELECT JSON_REMOVE('["A", "B", ["C", "D"], "E"]', '$[1]');

-- == JSON_REPLACE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_replace
SELECT JSON_REPLACE('{ "A": 1, "B": [2, 3]}', '$.B[1]', 4);

-- == JSON_SCHEMA_VALID: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_schema_valid
CREATE TABLE obj_table(val_obj JSON CHECK(JSON_SCHEMA_VALID('{
  "type":"object",
    "properties": {
      "number1":{
        "type":"number",
        "maximum":5,
        "const":4
      },
      "string1":{
        "type":"string",
        "maxLength":5,
        "minLength":3
      },
    "object1":{
      "type":"object",
       "properties":{
         "key1": {"type":"string"},
         "key2":{"type":"array"},
         "key3":{"type":"number", "minimum":3}
       },
       "dependentRequired": { "key1":["key3"] }
     }
  },
  "required":["number1","object1"]
  }', val_obj)));
SET @schema= '{
  "properties" : {
    "number1":{ "maximum":10 },
    "string1" : { "maxLength": 3}
  }
}';
DROP TABLE IF EXISTS obj_table;

-- == JSON_SEARCH: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_search
SET @json = '["A", [{"B": "1"}], {"C":"AB"}, {"D":"BC"}]';
SELECT JSON_SEARCH(@json, 'one', 'AB');

-- == JSON_TYPE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_type
SELECT JSON_TYPE('{"A": 1, "B": 2, "C": 3}');

-- == JSON_UNQUOTE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_unquote
SELECT JSON_UNQUOTE('"Monty"');

-- == JSON_VALID: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_valid
SELECT JSON_VALID('{"id": 1, "name": "Monty"}');
SELECT JSON_VALID('{"id": 1, "name": "Monty", "oddfield"}');

-- == JSON_VALUE: https://mariadb.com/docs/server/reference/sql-functions/special-functions/json-functions/json_value
SELECT json_value('{"key1":123}', '$.key1');
SELECT json_value('{"key1": [1,2,3], "key1":123}', '$.key1');

-- == JSON Data Type: https://mariadb.com/docs/server/reference/data-types/string-data-types/json
CREATE TABLE t (j JSON);
DESC t;
DROP TABLE IF EXISTS t;
