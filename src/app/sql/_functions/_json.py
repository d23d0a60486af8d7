"""JSON functions, as SQLite's JSON1 extension computes them.

SQLite writes JSON without the spaces MySQL puts after commas and colons, and JSON_TYPE answers in
lower case; these are SQLite's functions under MySQL's names until they get implementations here.
"""

from __future__ import annotations

from sqlglot import exp

from .._sqltypes import INT, STRING
from ._registry import Family

fn = Family("json")

fn.native("JSON_ARRAY", returns=STRING, examples=["JSON_ARRAY()", "JSON_ARRAY(1, 'a')"])
fn.native("JSON_OBJECT", node=exp.JSONObject, returns=STRING, examples=["JSON_OBJECT('a', 1)"])
fn.native("JSON_EXTRACT", node=exp.JSONExtract, returns=STRING, examples=["JSON_EXTRACT('[1, 2]', '$[1]')"])
fn.native("JSON_VALID", returns=INT, examples=["JSON_VALID('{}')", "JSON_VALID('{')"])
fn.native("JSON_TYPE", node=exp.JSONType, returns=STRING, examples=["JSON_TYPE('[1]')"])
fn.native("JSON_SET", node=exp.JSONSet, returns=STRING, examples=["JSON_SET('{}', '$.a', 1)"])
fn.native("JSON_INSERT", returns=STRING, examples=["JSON_INSERT('{}', '$.a', 1)"])
fn.native("JSON_REPLACE", returns=STRING, examples=["JSON_REPLACE('{\"a\": 1}', '$.a', 2)"])
fn.native("JSON_REMOVE", node=exp.JSONRemove, returns=STRING, examples=["JSON_REMOVE('{\"a\": 1}', '$.a')"])
fn.native("JSON_QUOTE", returns=STRING, examples=["JSON_QUOTE('a')"])
fn.native("JSON_ARRAY_INSERT", node=exp.JSONArrayInsert, returns=STRING,
          examples=["JSON_ARRAY_INSERT('[]', '$[0]', 0)"])
fn.native("JSON_OBJECTAGG", node=exp.JSONObjectAgg, returns=STRING, examples=["JSON_OBJECTAGG('a', 1)"])
