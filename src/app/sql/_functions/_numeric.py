"""Numeric functions: ABS, ROUND, TRUNCATE, MOD, FORMAT, RAND and SQLite's math functions.

Also the helpers that show numbers as MySQL shows them inside strings (a DECIMAL(10,2) is '10.50'
where SQLite kept the REAL 10.5), which the translator calls where MySQL turns a number into text.
"""

from __future__ import annotations

import math
import random
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_DIVISION_BY_ZERO, warn
from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError, syntax_error
from .._sqltypes import DOUBLE, INT, STRING, SQLType, absolute, floor_of, modulo
from .._types import double_text as shortest_double
from .._types import fixed_double_text, float_text
from ._decimal import UNKNOWN_DIGITS, digits_of, from_decimal, round_decimal, rounding_type, truncating_type
from ._registry import Family
from ._unsigned import uint64_of
from ._values import number_of, text, to_int

fn = Family("numeric")
_INT64: Final = 2**63
WARN_UNKNOWN_LOCALE: Final = 1649

# -- SQLite has these -----------------------------------------------------------------------------

_D = ("DOUBLE",)  # every argument is read as a DOUBLE (a string one with MariaDB's warning)

fn.native("ABS", numbers=_D, node=exp.Abs, returns=lambda n, t: t.apply(absolute, [n.this]),
          examples=["ABS(-1.50)", "ABS(-2)"])
fn.native("CEIL", "CEILING", numbers=_D, node=exp.Ceil, returns=lambda n, t: t.apply(floor_of, [n.this]),
          examples=["CEIL(1.5)", "CEILING(-1.5)"])
fn.native("FLOOR", numbers=_D, node=exp.Floor, returns=lambda n, t: t.apply(floor_of, [n.this]),
          examples=["FLOOR(1.5)"])
fn.native("SIGN", numbers=_D, node=exp.Sign, returns=INT, examples=["SIGN(-2)"])
fn.native("SQRT", numbers=_D, node=exp.Sqrt, returns=DOUBLE, examples=["SQRT(4)"])
fn.native("EXP", numbers=_D, node=exp.Exp, returns=DOUBLE, examples=["EXP(1)"])
fn.native("PI", node=exp.Pi, returns=SQLType("double", 6, fixed=True), examples=["PI()"])  # 3.141593
fn.native("SIN", numbers=_D, node=exp.Sin, returns=DOUBLE, examples=["SIN(1)"])
fn.native("COS", numbers=_D, node=exp.Cos, returns=DOUBLE, examples=["COS(1)"])
fn.native("TAN", numbers=_D, node=exp.Tan, returns=DOUBLE, examples=["TAN(1)"])
fn.native("ASIN", numbers=_D, node=exp.Asin, returns=DOUBLE, examples=["ASIN(1)"])
fn.native("ACOS", numbers=_D, node=exp.Acos, returns=DOUBLE, examples=["ACOS(1)"])
fn.native("ATAN", numbers=_D, node=exp.Atan, returns=DOUBLE, examples=["ATAN(1)", "ATAN(-2, 2)"],
          # ATAN(y, x) is ATAN2(y, x)
          rewrite=lambda n: exp.Atan2(this=n.this, expression=n.expression) if n.expression else None)
fn.native("ATAN2", numbers=_D, node=exp.Atan2, returns=DOUBLE, examples=["ATAN2(1, 2)"])
fn.native("DEGREES", numbers=_D, node=exp.Degrees, returns=DOUBLE, examples=["DEGREES(1)"])
fn.native("RADIANS", numbers=_D, node=exp.Radians, returns=DOUBLE, examples=["RADIANS(180)"])


# -- ours ------------------------------------------------------------------------------------------


@fn.scalar("MOD", numbers=_D, node=exp.Mod, args=lambda n: [n.this, n.expression],
           returns=lambda n, t: t.apply(modulo, n.expressions[:2]) if len(n.expressions) == 2 else None,
           examples=["MOD(7, 3)", "MOD(-7.5, 2)", "7 % 0", "10 MOD 4"])
def mod(a: Any, b: Any) -> Any:
    """MOD and %: works on fractions, takes the dividend's sign, NULL for a zero divisor."""
    if a is None or b is None:
        return None
    x, y = number_of(a), number_of(b)
    if y == 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    if isinstance(x, int) and isinstance(y, int):  # exact, the dividend's sign
        r = abs(x) % abs(y)
        return from_decimal(Decimal(r if x >= 0 else -r))
    return math.fmod(x, y)


def _round_args(node: exp.Expr) -> list[exp.Expr | None]:
    """ROUND's and TRUNCATE's arguments, the digits given as a literal read as MariaDB reads them."""
    digits = node.args.get("decimals")
    third = any(node.args.get(k) is not None for k in node.arg_types if k not in ("this", "decimals"))
    if isinstance(node, exp.Trunc) and (third or digits is None):
        raise syntax_error(")")  # TRUNCATE is a word of MariaDB's grammar, with exactly two arguments
    if third:
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                       "Incorrect parameter count in the call to native function 'ROUND'")
    d = digits_of(digits)
    if digits is None:
        digits = exp.Literal.number(0)
    elif d is not UNKNOWN_DIGITS and d is not None and not (isinstance(digits, exp.Literal) and digits.this == str(d)):
        digits = exp.Literal.number(d) if d >= 0 else exp.Neg(this=exp.Literal.number(-d))
    return [node.this, digits]


@fn.scalar("ROUND", numbers=("DOUBLE", "INTEGER"), node=exp.Round, args=_round_args, returns=rounding_type,
           examples=["ROUND(1.5)", "ROUND(1.555, 2)", "ROUND(15, -1)", "ROUND(2.5e0)", "ROUND(2, 0.5)"])
def round_number(x: Any, digits: Any) -> Any:
    """ROUND of an integer (negative digits round half away from zero) or of a DECIMAL SQLite holds
    (a REAL is the decimal its repr writes); a DOUBLE's is `APP_DBL_ROUND`, chosen by its type."""
    return _round(x, digits, ROUND_HALF_UP)


@fn.scalar("TRUNCATE", numbers=("DOUBLE", "INTEGER"), node=exp.Trunc, args=_round_args, returns=truncating_type,
           examples=["TRUNCATE(1.555, 2)", "TRUNCATE(-1.5, 0)", "TRUNCATE(155, -1)"])
def truncate(x: Any, digits: Any) -> Any:
    """TRUNCATE as ROUND (`round_number`), cutting toward zero."""
    return _round(x, digits, ROUND_DOWN)


def _round(x: Any, digits: Any, rounding: str) -> Any:
    if x is None or digits is None:
        return None
    n, d = number_of(x), to_int(digits)
    if isinstance(n, int):
        if d >= 0:  # (a BIGINT UNSIGNED past 2**63 - 1 goes back as its digits)
            return n if -_INT64 <= n < _INT64 else str(n)
        return from_decimal(round_decimal(Decimal(n), d, rounding))
    if n != n or n in (math.inf, -math.inf):
        return n
    result = round_decimal(Decimal(repr(n)), d, rounding)
    return float(result)


@fn.internal("APP_DBL_ROUND", returns=rounding_type)
def double_round(x: Any, digits: Any) -> Any:
    """ROUND of a DOUBLE as MariaDB's my_double_round computes it: x * 10^d rounded to the nearest
    even (2.5e0 is 2, 0.125e0 at 2 digits is 0.12), then divided back."""
    return _double_round(x, digits, cut=False)


@fn.internal("APP_DBL_TRUNCATE", returns=truncating_type)
def double_truncate(x: Any, digits: Any) -> Any:
    """TRUNCATE of a DOUBLE, as `double_round` but cutting toward zero."""
    return _double_round(x, digits, cut=True)


def _double_round(x: Any, digits: Any, *, cut: bool) -> Any:
    if x is None or digits is None:
        return None
    value, d = float(number_of(x)), to_int(digits)
    scale = 10.0 ** abs(d) if abs(d) <= 308 else math.inf
    if d < 0 and scale == math.inf:
        return 0.0
    if d >= 0 and (value == 0 or math.isinf(value * scale)):
        return value
    shifted = value / scale if d < 0 else value * scale
    if cut:
        whole = float(math.floor(shifted) if value >= 0 else math.ceil(shifted))
    else:
        whole = float(round(shifted))
    return whole * scale if d < 0 else whole / scale


@fn.scalar("FORMAT", node=exp.NumberToStr, numbers=("DOUBLE", "INTEGER2", ""),
           args=lambda n: [n.this, n.args.get("format"), n.args.get("culture")], returns=STRING,
           examples=["FORMAT(1234567.891, 2)", "FORMAT(0.5, 0)", "FORMAT(1234.5, 2, 'de_DE')"])
def format_number(x: Any, digits: Any, *locale: Any) -> str | None:
    """FORMAT(1234.5, 2) = '1,234.50': at most 38 decimals, the integer part grouped as the locale
    (the third argument, en_US by default; an unknown one warns 1649) groups it. A number literal past
    a double's digits comes as its text (`_coercion._EXACT_LITERALS`) and is written exactly."""
    if x is None or digits is None:
        return None
    point, separator, groups = _locale_format(locale[0]) if locale else _EN_US
    d = max(0, min(to_int(digits), 38))
    if isinstance(x, (bytes, bytearray, memoryview)):  # (a DECIMAL past a double's digits is stored so)
        x = text(x)
    if isinstance(x, str) and _DECIMAL_TEXT.fullmatch(x):
        exact = Decimal(x)
    else:
        n = number_of(x)
        if isinstance(n, float) and (n != n or n in (math.inf, -math.inf)):
            return None
        exact = Decimal(repr(n) if isinstance(n, float) else n)
    value = exact.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP, context=_EVERY_DIGIT)
    sign, whole, fraction = ("-" if value < 0 else ""), *f"{value.copy_abs():.{d}f}".partition(".")[::2]
    return sign + _grouped(whole, separator, groups) + (point + fraction if d else "")


def _grouped(whole: str, separator: str, groups: tuple[int, int]) -> str:
    """The integer digits with `separator` between groups: the last `groups[0]` digits, then `groups[1]`
    each (India's 12,34,567); no grouping for a 0."""
    first, then = groups
    if not first or len(whole) <= first:
        return whole
    parts, rest = [whole[-first:]], whole[:-first]
    while rest:
        parts.append(rest[-then:])
        rest = rest[:-then]
    return separator.join(reversed(parts))


_DECIMAL_TEXT: Final = re.compile(r"-?\d+(\.\d+)?")
_EN_US: Final = (".", ",", (3, 3))
# FORMAT's locales as MariaDB formats numbers in them (asked of MariaDB 10.11: FORMAT(1234567890123.5, 1, name)):
# decimal point, thousands separator, grouping.
_NUMBER_FORMATS: Final = {
    **dict.fromkeys("ar_AE ar_BH ar_DZ ar_EG ar_IN ar_IQ ar_JO ar_KW ar_LB ar_LY ar_MA ar_OM ar_QA ar_SD ar_SY ar_TN "
                    "ar_YE en_AU en_CA en_GB en_NZ en_PH en_US en_ZA en_ZW es_DO es_GT es_HN es_MX es_NI es_PA es_PE "
                    "es_PR es_SV es_US gu_IN he_IL hi_IN ja_JP ko_KR ms_MY th_TH ur_PK zh_CN zh_HK zh_TW".split(),
                    _EN_US),
    **dict.fromkeys(["ar_SA", "sr_RS"], (".", "", (0, 0))),
    **dict.fromkeys("be_BY da_DK de_BE de_DE de_LU es_AR es_BO es_CL es_CO es_EC es_ES es_PY es_UY es_VE fo_FO hu_HU "
                    "id_ID is_IS lt_LT mn_MN nb_NO no_NO ro_RO ru_UA sq_AL tr_TR uk_UA vi_VN".split(),
                    (",", ".", (3, 3))),
    "bg_BG": (",", "\x00", (3, 3)),
    **dict.fromkeys("ca_ES de_AT el_GR eu_ES fr_BE fr_CA fr_CH fr_FR fr_LU gl_ES hr_HR it_IT nl_BE nl_NL pl_PL pt_BR "
                    "pt_PT sl_SI".split(), (",", "", (0, 0))),
    **dict.fromkeys("cs_CZ es_CR et_EE fi_FI lv_LV mk_MK ru_RU sk_SK sv_FI sv_SE ka_GE".split(), (",", " ", (3, 3))),
    "de_CH": (".", "'", (3, 3)),
    **dict.fromkeys(["en_IN", "ta_IN", "te_IN"], (".", ",", (3, 2))),
    **dict.fromkeys(["it_CH", "rm_CH"], (",", "'", (3, 3))),
}
_LOCALE_NAMES: Final = {name.lower(): name for name in _NUMBER_FORMATS}


def _locale_format(locale: Any) -> tuple[str, str, tuple[int, int]]:
    name = _LOCALE_NAMES.get(text(locale).lower()) if locale is not None else None
    if name is None:
        warn(WARN_UNKNOWN_LOCALE, f"Unknown locale: '{'NULL' if locale is None else text(locale)}'")
        return _EN_US
    return _NUMBER_FORMATS[name]


_EVERY_DIGIT: Final = Context(prec=400)  # a DOUBLE's 309 integer digits and FORMAT's 30 decimals


@fn.scalar("RAND", node=exp.Rand, returns=DOUBLE, deterministic=False, examples=["RAND()", "RAND(7)"])
def rand(*seed: Any) -> float:
    """RAND(), and RAND(n): the first number of MariaDB's generator (my_rnd) seeded with n as a 32-bit integer."""
    if not seed:
        return random.random()
    n = 0 if seed[0] is None else to_int(seed[0])
    if isinstance(n, float):  # past what an integer holds
        n = 0
    n &= 0xFFFFFFFF
    seed1 = ((n * 0x10001 + 55555555) & 0xFFFFFFFF) % _RND_MAX
    seed2 = ((n * 0x10000001) & 0xFFFFFFFF) % _RND_MAX
    seed1 = (seed1 * 3 + seed2) % _RND_MAX
    return seed1 / _RND_MAX


_RND_MAX: Final = 0x3FFFFFFF


# -- numbers where MySQL makes them text (see _rewrite.mark_text_columns) --------------------------


@fn.internal("APP_DECIMAL_TEXT", returns=STRING)
def decimal_text(value: Any, scale: Any) -> Any:
    """A DECIMAL column's value where MySQL uses it as a string (CONCAT, GROUP_CONCAT, CAST AS
    CHAR): with the column's scale, '10.50', which SQLite's REAL 10.5 lost."""
    if value is None or scale is None or isinstance(value, str):
        return value
    quantum = Decimal(1).scaleb(-int(scale))
    if isinstance(value, bytes):  # a value past a double's digits, kept as its (padded) digits
        try:
            value = Decimal(value.decode())
        except (InvalidOperation, UnicodeDecodeError):
            return value
    exact = Decimal(repr(value) if isinstance(value, float) else value)
    out = format(exact.quantize(quantum, rounding=ROUND_HALF_UP, context=_EVERY_DIGIT), "f")
    return out[1:] if out[0] == "-" and not out.strip("-0.") else out


@fn.internal("APP_UNSIGNED_TEXT", returns=STRING)
def unsigned_text(value: Any) -> Any:
    """A BIGINT UNSIGNED column's value as a string: one past 2**63 - 1 is stored as its zero-padded
    digits in a BLOB (see _statements.dml)."""
    return str(int(value)) if type(value) is bytes else value


@fn.internal("APP_UNSIGNED_NUMBER", returns=STRING)
def unsigned_number(value: Any) -> Any:
    """A BIGINT UNSIGNED column's value used as a number: one stored as its digits in a BLOB is the
    integer, or (past what SQLite's integers hold) its digits as text, which functions read exactly
    and SQLite's arithmetic as the nearest double."""
    if type(value) is not bytes:
        return value
    n = int(value)
    return n if n < 2**63 else str(n)


@fn.internal("APP_FIXED_DOUBLE_TEXT", returns=STRING)
def fixed_text(value: Any, scale: Any) -> Any:
    """A DOUBLE of fixed decimals (PI(), ROUND(x, 2), STD()) as a string: with those decimals."""
    if not isinstance(value, (int, float)) or scale is None:
        return value
    return fixed_double_text(float(value), int(scale))


@fn.internal("APP_DOUBLE_TEXT", returns=STRING)
def double_text(value: Any) -> Any:
    """A DOUBLE column's value as a string, as MariaDB writes it: 10 and 1e300, not SQLite's 10.0 and 1e+300."""
    return shortest_double(value) if isinstance(value, float) else value


@fn.internal("APP_FLOAT_TEXT", returns=STRING)
def float_column_text(value: Any) -> Any:
    """A FLOAT column's value as a string: its 6 significant digits (3.4e38, 0.1)."""
    return float_text(float(value)) if isinstance(value, (int, float)) else value


@fn.internal("APP_YEAR_TEXT", returns=STRING)
def year_text(value: Any) -> Any:
    """A YEAR column's value as a string: four digits (0000 for the zero year)."""
    return f"{value:04d}" if type(value) is int else value


@fn.scalar("POW", "POWER", numbers=_D, node=exp.Pow, args=lambda n: [n.this, n.expression], returns=DOUBLE,
           examples=["POW(2, 3)", "POWER(2, 0.5)", "POW(-2, 2)", "POW(4, -0.5)"])
def power(x: Any, y: Any) -> float | None:
    """x to the power y; MariaDB's 1690 where the result is no number (a negative base to a fraction)
    or beyond a DOUBLE (SQLite gave NULL or infinity)."""
    if x is None or y is None:
        return None
    a, b = float(number_of(x)), float(number_of(y))
    try:
        result = math.pow(a, b)
    except (ValueError, OverflowError):
        result = math.nan
    if result != result or result in (math.inf, -math.inf):
        raise SQLError(1690, f"DOUBLE value is out of range in 'pow({text(x)},{text(y)})'", "22003")
    return result


@fn.scalar("LN", node=exp.Ln, returns=DOUBLE, numbers=_D, examples=["LN(2)", "LOG(2)", "LN(0)"])
def ln(x: Any) -> float | None:
    """The natural logarithm; NULL with MariaDB's 1365 warning for a number not above 0."""
    if x is None:
        return None
    v = float(number_of(x))
    if v <= 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    return math.log(v)


@fn.scalar("LOG", "LOG10", "LOG2", node=exp.Log, args=lambda n: [n.this, n.expression], returns=DOUBLE,
           numbers=_D, examples=["LOG(2, 8)", "LOG10(100)", "LOG2(8)", "LOG(1, 8)", "LOG(2, -8)"])
def log(base: Any, x: Any) -> float | None:
    """The logarithm of `x` in `base` (LOG2 and LOG10 are bases 2 and 10); NULL with MariaDB's 1365
    warning where it is undefined."""
    if base is None:
        return None
    b = float(number_of(base))
    if x is None:
        if b <= 0:  # LOG(0, NULL): MariaDB checks the base first
            warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    v = float(number_of(x))
    if b <= 0 or b == 1 or v <= 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    return math.log(v) / math.log(b) if b != 10 else math.log10(v)


@fn.scalar("BIT_COUNT", node=exp.BitwiseCount, numbers=("DECIMAL",), returns=INT,
           examples=["BIT_COUNT(29)", "BIT_COUNT(-1)", "BIT_COUNT(10.6)", "BIT_COUNT(NULL)"])
def bit_count(value: Any) -> int | None:
    """The set bits of the 64-bit integer the value rounds to."""
    x = uint64_of(value)
    return None if x is None else x.bit_count()


@fn.scalar("COT", numbers=_D, node=exp.Cot, returns=DOUBLE, examples=["COT(1)", "COT(NULL)"])
def cot(value: Any) -> float | None:
    if value is None:
        return None
    x = float(number_of(value))
    t = math.tan(x)
    if t == 0:
        raise SQLError(1690, f"DOUBLE value is out of range in 'cot({text(value)})'", "22003")
    return 1 / t
