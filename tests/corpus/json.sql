-- category: JSON
-- source: the MariaDB manual's JSON Functions pages and JSON Data Type (a LONGTEXT with a JSON_VALID check in
-- MariaDB), JSONPath Expressions, JSON_TABLE and the differences between JSON_QUERY and JSON_VALUE: JSON columns
-- in tables, paths with wildcards and array ranges, and what MySQL-only syntax (->, ->>) does here.

CREATE TABLE docs (id INT PRIMARY KEY, j JSON);
INSERT INTO docs VALUES (1, '{"name": "ann", "age": 30, "tags": ["a", "b"], "addr": {"city": "Oslo", "zip": "0150"}}'), (2, '{"name": "bob", "age": null, "tags": [], "addr": {"city": "Rome"}}'), (3, '[1, 2, 3]'), (4, '"just a string"'), (5, NULL);
INSERT INTO docs VALUES (6, '{bad json}');
SHOW CREATE TABLE docs;
SELECT id, JSON_TYPE(j), JSON_VALID(j), JSON_LENGTH(j), JSON_DEPTH(j) FROM docs ORDER BY id;
SELECT id, JSON_EXTRACT(j, '$.name'), JSON_UNQUOTE(JSON_EXTRACT(j, '$.name')), JSON_VALUE(j, '$.name'), JSON_QUERY(j, '$.addr') FROM docs ORDER BY id;
SELECT id, JSON_EXTRACT(j, '$.age'), JSON_VALUE(j, '$.age'), JSON_EXTRACT(j, '$.age') IS NULL, JSON_TYPE(JSON_EXTRACT(j, '$.age')) FROM docs ORDER BY id;
SELECT id, JSON_EXTRACT(j, '$.tags[0]'), JSON_EXTRACT(j, '$.tags[*]'), JSON_EXTRACT(j, '$.tags[last]'), JSON_EXTRACT(j, '$[1 to 2]') FROM docs ORDER BY id;
SELECT id, JSON_EXTRACT(j, '$**.city'), JSON_EXTRACT(j, '$.*'), JSON_KEYS(j), JSON_KEYS(j, '$.addr') FROM docs ORDER BY id;
SELECT id FROM docs WHERE JSON_EXTRACT(j, '$.name') = 'ann';
SELECT id FROM docs WHERE JSON_VALUE(j, '$.age') > 20;
SELECT id FROM docs WHERE JSON_CONTAINS(j, '"a"', '$.tags') ORDER BY id;
SELECT id FROM docs WHERE JSON_CONTAINS_PATH(j, 'one', '$.addr.zip') ORDER BY id;
SELECT id FROM docs WHERE JSON_SEARCH(j, 'one', 'Rome') IS NOT NULL;
SELECT id, JSON_SEARCH(j, 'all', 'a%') FROM docs ORDER BY id;
UPDATE docs SET j = JSON_SET(j, '$.age', 31, '$.new', TRUE) WHERE id = 1;
UPDATE docs SET j = JSON_REMOVE(j, '$.tags') WHERE id = 2;
UPDATE docs SET j = JSON_ARRAY_APPEND(j, '$', 4) WHERE id = 3;
SELECT id, j FROM docs WHERE id <= 3 ORDER BY id;
SELECT JSON_OBJECT('id', id, 'doc', j) FROM docs WHERE id IN (3, 4) ORDER BY id;
SELECT JSON_ARRAYAGG(JSON_VALUE(j, '$.name')) FROM docs;
SELECT JSON_OBJECTAGG(id, JSON_TYPE(j)) FROM docs WHERE j IS NOT NULL;
SELECT j->'$.name' FROM docs WHERE id = 1;
SELECT j->>'$.name' FROM docs WHERE id = 1;
SELECT CAST(j AS CHAR), j = '[1, 2, 3, 4]', CONCAT(j, '') FROM docs WHERE id = 3;
SELECT * FROM JSON_TABLE('[{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3}]', '$[*]' COLUMNS (rn FOR ORDINALITY, a INT PATH '$.a', b VARCHAR(5) PATH '$.b' DEFAULT 'none' ON EMPTY)) AS jt;
SELECT d.id, jt.tag FROM docs d, JSON_TABLE(d.j, '$.tags[*]' COLUMNS (tag VARCHAR(5) PATH '$')) AS jt ORDER BY d.id, jt.tag;
SELECT * FROM JSON_TABLE('{"a": [1, 2]}', '$' COLUMNS (x INT PATH '$.nosuch' NULL ON EMPTY, y JSON PATH '$.a', NESTED PATH '$.a[*]' COLUMNS (z INT PATH '$'))) AS jt;
SELECT JSON_VALID('{"a": 1}'), JSON_VALID('{a: 1}'), JSON_VALID('[1,]'), JSON_VALID(''), JSON_VALID('null'), JSON_VALID('1e400'), JSON_VALID(' [ ] ');
SELECT JSON_EXTRACT('{"a": 1, "a": 2}', '$.a'), JSON_COMPACT('{"a": 1, "a": 2}'), JSON_KEYS('{"a": 1, "a": 2}');
SELECT JSON_EXTRACT('[1, [2, [3, [4]]]]', '$[1][1][1][0]'), JSON_DEPTH('[[[[]]]]'), JSON_LENGTH('[[1, 2], 3]', '$[0]');
SELECT JSON_EXTRACT('{"a b": 1, "c.d": 2}', '$."a b"'), JSON_EXTRACT('{"a b": 1, "c.d": 2}', '$."c.d"');
SELECT JSON_EXTRACT('{"n": 1.50}', '$.n'), JSON_EXTRACT('{"n": 1e2}', '$.n'), JSON_EXTRACT('{"n": -0}', '$.n'), JSON_EXTRACT('{"n": 12345678901234567890}', '$.n');
SELECT JSON_VALUE('{"n": 1.50}', '$.n') + 0, JSON_VALUE('{"b": true}', '$.b'), JSON_VALUE('{"s": "x\\ny"}', '$.s'), JSON_UNQUOTE('"\\u00e9"');
SELECT JSON_ARRAY(1, 1.5, 1e0, 'a', TRUE, NULL, DATE'2024-01-01', TIME'10:00:00', 0x41);
SELECT JSON_OBJECT('d', 1.50, 'f', 1.5e0, 'b', b'1', 'u', 18446744073709551615, 'n', -1);
SELECT JSON_SET('{}', '$.a.b', 1), JSON_SET('[]', '$[5]', 1), JSON_INSERT('[1]', '$[0]', 0), JSON_REPLACE('[1]', '$[3]', 9);
SELECT JSON_MERGE_PATCH('{"a": 1, "b": 2}', '{"b": null, "c": 3}'), JSON_MERGE_PRESERVE('{"a": 1}', '{"a": 2}'), JSON_MERGE_PATCH('[1]', '[2]');
SELECT JSON_CONTAINS('[1, 2, [3]]', '3'), JSON_CONTAINS('[1, 2, [3]]', '[3]'), JSON_CONTAINS('{"a": {"b": 1}}', '{"b": 1}', '$.a'), JSON_CONTAINS('1', '1.0');
SELECT JSON_QUOTE('a"b'), JSON_QUOTE(NULL), JSON_UNQUOTE('a'), JSON_UNQUOTE('"a'), JSON_UNQUOTE('"\\t"');
SELECT JSON_DETAILED('{"a": [1, {"b": 2}]}'), JSON_PRETTY('{"a": 1}'), JSON_LOOSE('{"a":1}'), JSON_COMPACT('{ "a" : [ 1 , 2 ] }');
SELECT JSON_EQUALS('{"a": 1, "b": 2}', '{"b": 2, "a": 1}'), JSON_NORMALIZE('{"b": 1, "a": 2}'), JSON_OVERLAPS('[1, 2]', '[2, 3]');
SELECT JSON_EXISTS('{"a": 1}', '$.a'), JSON_EXISTS('{"a": 1}', '$.b'), JSON_EXISTS('{"a": 1}', 'bad');
