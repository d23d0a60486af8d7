"""MySQL errors raised by the SQL layer.

Every error a client can see is a `SQLError` carrying MySQL's error number and
SQLSTATE, so that drivers map it to the exception class they would for MySQL
(pymysql: 1062 -> IntegrityError, 1064 -> ProgrammingError, ...).
"""

from __future__ import annotations

import re
from typing import Final

# Tables are stored in SQLite under names that keep MariaDB's case apart (see `_sqlite.stored_name`):
# an upper-case letter is this private-use character and the letter in lower case.
NAME_ESCAPE: Final = "\ue000"
_ESCAPED: Final = re.compile("\ue000(.)", re.DOTALL)


def shown_name(text: str) -> str:
    """`text` (a table name as SQLite stores it, or any text made from such names: an error message, a
    CREATE TABLE statement) as MariaDB shows it."""
    if NAME_ESCAPE not in text:
        return text
    return _ESCAPED.sub(lambda m: NAME_ESCAPE if m.group(1) == NAME_ESCAPE else m.group(1).upper(), text)


class SQLError(Exception):
    """An error reported to the client as a MySQL error packet."""

    def __init__(self, code: int, message: str, sqlstate: str | None = None) -> None:
        message = shown_name(message)
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.sqlstate = sqlstate or SQLSTATES.get(code, "HY000")

    def __str__(self) -> str:
        return f"({self.code}, {self.sqlstate}) {self.message}"


# Error numbers, as MariaDB and MySQL number them.
ER_DB_CREATE_EXISTS: Final = 1007
ER_DB_DROP_EXISTS: Final = 1008
ER_ACCESS_DENIED: Final = 1045
ER_NO_DB: Final = 1046
ER_BAD_NULL: Final = 1048
ER_BAD_DB: Final = 1049
ER_TABLE_EXISTS: Final = 1050
ER_BAD_TABLE: Final = 1051
ER_BAD_FIELD: Final = 1054
ER_DUP_ENTRY: Final = 1062
ER_PARSE: Final = 1064
ER_EMPTY_QUERY: Final = 1065
ER_UNKNOWN: Final = 1105
ER_NO_SUCH_TABLE: Final = 1146
ER_UNKNOWN_SYSTEM_VARIABLE: Final = 1193
ER_LOCK_WAIT_TIMEOUT: Final = 1205
ER_LOCK_DEADLOCK: Final = 1213
ER_WRONG_VALUE_FOR_VAR: Final = 1231
ER_NOT_SUPPORTED: Final = 1235
ER_READ_ONLY: Final = 1290
ER_SP_DOES_NOT_EXIST: Final = 1305
ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT: Final = 1582
ER_WRONG_ARGUMENTS: Final = 1210
ER_CHECK_CONSTRAINT: Final = 4025

# MariaDB's SQLSTATE of each error number this server raises (HY000 for the others).
SQLSTATES: Final[dict[int, str]] = {
    1022: "23000", 1040: "08004", 1044: "42000", 1045: "28000", 1046: "3D000", 1047: "08S01",
    1048: "23000", 1049: "42000", 1050: "42S01", 1051: "42S02", 1052: "23000", 1054: "42S22",
    1055: "42000", 1056: "42000", 1057: "42000", 1058: "21S01", 1059: "42000", 1060: "42S21",
    1061: "42000", 1062: "23000", 1063: "42000", 1064: "42000", 1065: "42000", 1066: "42000",
    1067: "42000", 1068: "42000", 1069: "42000", 1070: "42000", 1071: "42000", 1072: "42000",
    1073: "42000", 1074: "42000", 1075: "42000", 1081: "08S01", 1090: "42000", 1091: "42000",
    1101: "42000", 1102: "42000", 1103: "42000", 1104: "42000", 1106: "42000", 1108: "HY000",
    1109: "42S02", 1110: "42000", 1112: "42000", 1113: "42000", 1115: "42000", 1118: "42000",
    1120: "42000", 1121: "42000", 1131: "42000", 1132: "42000", 1133: "42000", 1136: "21S01",
    1138: "22004", 1139: "42000", 1140: "42000", 1141: "42000", 1142: "42000", 1143: "42000",
    1144: "42000", 1145: "42000", 1146: "42S02", 1147: "42000", 1148: "42000", 1149: "42000",
    1153: "08S01", 1162: "42000", 1163: "42000", 1164: "42000", 1166: "42000", 1167: "42000",
    1169: "23000", 1170: "42000", 1171: "42000", 1172: "42000", 1173: "42000", 1176: "42000",
    1177: "42000", 1178: "42000", 1179: "25000", 1184: "08S01", 1203: "42000", 1207: "25000",
    1211: "42000", 1213: "40001", 1216: "23000", 1217: "23000", 1222: "21000", 1226: "42000",
    1227: "42000", 1230: "42000", 1231: "42000", 1232: "42000", 1234: "42000", 1235: "42000",
    1239: "42000", 1241: "21000", 1242: "21000", 1247: "42S22", 1248: "42000", 1249: "01000",
    1250: "42000", 1252: "42000", 1253: "42000", 1261: "01000", 1262: "01000", 1263: "22004",
    1264: "22003", 1265: "01000", 1280: "42000", 1281: "42000", 1286: "42000", 1292: "22007",
    1295: "HY000", 1304: "42000", 1305: "42000", 1308: "42000", 1309: "42000", 1310: "42000", 1312: "0A000",
    1313: "42000", 1314: "0A000", 1315: "42000", 1316: "42000", 1317: "70100", 1318: "42000",
    1319: "42000", 1320: "42000", 1321: "2F005", 1322: "42000", 1323: "42000", 1324: "42000",
    1325: "24000", 1326: "24000", 1327: "42000", 1329: "02000", 1330: "42000", 1331: "42000",
    1332: "42000", 1333: "42000", 1334: "HY000", 1335: "0A000", 1336: "0A000", 1337: "42000",
    1338: "42000", 1339: "20000", 1358: "HY000", 1365: "22012", 1366: "22007", 1367: "22007",
    1370: "42000", 1403: "42000", 1406: "22001", 1407: "42000", 1410: "42000", 1413: "42000",
    1414: "42000", 1415: "0A000", 1416: "22003", 1425: "42000", 1426: "42000", 1427: "42000",
    1437: "42000", 1439: "42000", 1441: "22008", 1451: "23000", 1452: "23000", 1458: "42000",
    1463: "42000", 1557: "23000", 1568: "25001", 1582: "42000", 1583: "42000", 1584: "42000",
    1630: "42000", 1690: "22003", 1691: "HY000", 1764: "HY000", 1792: "25006", 1859: "23000",
    1644: "45000", 1645: "0K000", 3047: "HY000", 4025: "23000", 4078: "HY000", 4092: "42S02",
    4161: "HY000", 1005: "HY000", 1364: "HY000", 1553: "HY000", 1701: "42000",
}


def syntax_error(near: str, detail: str = "") -> SQLError:
    """MySQL's 1064 message, quoting the text where parsing went wrong."""
    near = near.strip()[:80]
    suffix = f" ({detail})" if detail else ""
    return SQLError(
        ER_PARSE,
        "You have an error in your SQL syntax; check the manual that corresponds to your"
        f" MariaDB server version for the right syntax to use near '{near}' at line 1{suffix}",
    )


def stack_overrun() -> SQLError:
    """1436: a statement nested deeper than the server can follow (MariaDB says so when its thread stack
    would overflow: hex() nested a thousand deep, a thousand nested stored-program calls)."""
    return SQLError(1436, "Thread stack overrun: the statement is nested too deeply", "HY000")


def not_supported(what: str) -> SQLError:
    """1235: a statement MySQL accepts that this server does not implement."""
    return SQLError(ER_NOT_SUPPORTED, f"This version of app doesn't yet support '{what}'")


def unknown_database(name: str) -> SQLError:
    return SQLError(ER_BAD_DB, f"Unknown database '{name}'")


def no_database() -> SQLError:
    return SQLError(ER_NO_DB, "No database selected")


def read_only(database: str) -> SQLError:
    """A write refused by a node that does not accept writes (a standby)."""
    return SQLError(ER_READ_ONLY, f"database server is set to read only mode: {database} is read-only")
