"""What the authentication plugins keep of a password, and how a password is checked against it.

mysql_native_password keeps `'*' + HEX(SHA1(SHA1(password)))` (41 characters, upper case), as
MariaDB's `mysql.user.authentication_string` and `PASSWORD()` show it; an empty password keeps ''.

caching_sha2_password keeps MySQL 8's form: `'$A$005$' + salt + hash`, where salt is 20 characters
and hash the 43-character SHA-256 crypt (Drepper's algorithm, 5000 rounds) of the password with that
salt; an empty password keeps ''. Its wire protocol's fast path needs SHA256(SHA256(password)),
which a server only knows after one full authentication (`sha2_digest` makes it from the cleartext;
`AccountStore` keeps it in memory, as MySQL's cache does).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Final

NATIVE: Final = "mysql_native_password"
SHA2: Final = "caching_sha2_password"
PLUGINS: Final = (NATIVE, SHA2)

_NATIVE_HASH: Final = re.compile(r"\*[0-9A-F]{40}")
_CRYPT_ALPHABET: Final = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SHA2_PREFIX: Final = "$A$005$"
_SHA2_ROUNDS: Final = 5000
_SALT_LEN: Final = 20


def native_auth_string(password: str) -> str:
    """'*' + upper hex SHA1(SHA1(password)); '' for an empty password (MariaDB's PASSWORD())."""
    if not password:
        return ""
    return "*" + hashlib.sha1(hashlib.sha1(password.encode()).digest()).hexdigest().upper()


def is_native_auth_string(text: str) -> bool:
    """Whether `text` is a stored mysql_native_password hash (or '' for no password)."""
    return text == "" or bool(_NATIVE_HASH.fullmatch(text.upper()))


def check_native_scramble(auth_string: str, salt: bytes, scramble: bytes) -> bool:
    """Whether a client's mysql_native_password `scramble` for `salt` proves the password kept as
    `auth_string` (an empty one: only an empty scramble does)."""
    if not auth_string:
        return scramble == b""
    if len(scramble) != 20 or not is_native_auth_string(auth_string):
        return False
    stored = bytes.fromhex(auth_string[1:])
    # scramble = SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))): recover SHA1(password).
    mask = hashlib.sha1(salt + stored).digest()
    candidate = bytes(a ^ b for a, b in zip(scramble, mask, strict=True))
    return hmac.compare_digest(hashlib.sha1(candidate).digest(), stored)


def _b64_from_24bit(b2: int, b1: int, b0: int, n: int) -> str:
    w = (b2 << 16) | (b1 << 8) | b0
    out = []
    for _ in range(n):
        out.append(_CRYPT_ALPHABET[w & 0x3F])
        w >>= 6
    return "".join(out)


def sha256_crypt(password: bytes, salt: bytes, rounds: int = _SHA2_ROUNDS) -> str:
    """The 43-character SHA-256 crypt of `password` (Drepper's "Unix crypt using SHA-256")."""
    b = hashlib.sha256(password + salt + password).digest()
    a = hashlib.sha256(password + salt)
    n = len(password)
    while n > 32:
        a.update(b)
        n -= 32
    a.update(b[:n])
    n = len(password)
    while n:
        a.update(b if n & 1 else password)
        n >>= 1
    da = a.digest()
    dp = hashlib.sha256(password * len(password)).digest()
    p = (dp * (len(password) // 32 + 1))[:len(password)]
    ds = hashlib.sha256(salt * (16 + da[0])).digest()
    s = ds[:len(salt)]
    c = da
    for i in range(rounds):
        h = hashlib.sha256()
        h.update(p if i & 1 else c)
        if i % 3:
            h.update(s)
        if i % 7:
            h.update(p)
        h.update(c if i & 1 else p)
        c = h.digest()
    order = [(0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14), (15, 25, 5), (6, 16, 26),
             (27, 7, 17), (18, 28, 8), (9, 19, 29)]
    out = "".join(_b64_from_24bit(c[i], c[j], c[k], 4) for i, j, k in order)
    return out + _b64_from_24bit(0, c[31], c[30], 3)


def sha2_auth_string(password: str, salt: str | None = None) -> str:
    """MySQL 8's stored caching_sha2_password form of `password` ('' for an empty password)."""
    if not password:
        return ""
    if salt is None:
        salt = "".join(secrets.choice(_CRYPT_ALPHABET) for _ in range(_SALT_LEN))
    return _SHA2_PREFIX + salt + sha256_crypt(password.encode(), salt.encode())


def is_sha2_auth_string(text: str) -> bool:
    """Whether `text` is a stored caching_sha2_password hash (or '')."""
    return text == "" or (text.startswith(_SHA2_PREFIX) and len(text) == len(_SHA2_PREFIX) + _SALT_LEN + 43)


def check_password(plugin: str, auth_string: str, password: str) -> bool:
    """Whether cleartext `password` is the one kept as `auth_string` by `plugin` (the full
    authentication of caching_sha2_password, over TLS or RSA; any plugin's cleartext check)."""
    if not auth_string:
        return password == ""
    if plugin == NATIVE:
        return hmac.compare_digest(native_auth_string(password), auth_string.upper())
    if plugin == SHA2 and is_sha2_auth_string(auth_string):
        salt = auth_string[len(_SHA2_PREFIX):len(_SHA2_PREFIX) + _SALT_LEN]
        return hmac.compare_digest(sha2_auth_string(password, salt), auth_string)
    return False


def sha2_digest(password: str) -> bytes:
    """SHA256(SHA256(password)): what the caching_sha2_password fast path checks a scramble with."""
    return hashlib.sha256(hashlib.sha256(password.encode()).digest()).digest()


def check_sha2_scramble(digest: bytes, nonce: bytes, scramble: bytes) -> bool:
    """Whether a caching_sha2_password fast-path `scramble` for `nonce` proves the password whose
    `sha2_digest` is `digest`. scramble = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce)."""
    if len(scramble) != 32 or len(digest) != 32:
        return False
    mask = hashlib.sha256(digest + nonce).digest()
    candidate = bytes(a ^ b for a, b in zip(scramble, mask, strict=True))  # SHA256(pw)
    return hmac.compare_digest(hashlib.sha256(candidate).digest(), digest)


def auth_string_for(plugin: str, password: str) -> str:
    """The stored form of `password` under `plugin` (one of `PLUGINS`)."""
    return sha2_auth_string(password) if plugin == SHA2 else native_auth_string(password)
