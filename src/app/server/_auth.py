"""Authentication of a login: mysql_native_password and caching_sha2_password.

The server's greeting offers mysql_native_password (as MariaDB's does). A client may answer with
another plugin's data (mysql-connector and MySQL 8 clients start with caching_sha2_password); when that
is the account's plugin, its answer is checked as it is, otherwise the server asks it to switch
(AuthSwitchRequest) to the account's plugin.

caching_sha2_password, as MySQL 8 runs it:
- Fast path: the client sends XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)) + nonce)). The server keeps
  SHA256(SHA256(pw)) of each account that logged in since it started (the cache), recovers
  SHA256(pw) from the scramble and compares its hash. A hit answers `0x01 0x03` (fast auth success),
  then OK.
- Full authentication, when the account is not cached (or the scramble does not match): the server
  answers `0x01 0x04`. Over TLS the client then sends its password in clear (NUL-terminated). Over a
  plaintext connection it asks for the server's RSA public key (`0x02`), gets it (`0x01` + PEM) and sends
  RSA-OAEP(password + NUL, XOR-ed with the nonce); anything else is taken for such a ciphertext and fails.
  A password in clear over plaintext is never accepted. Success fills the cache, so the next login of the
  account takes the fast path.
- A caching_sha2 client logging in as no account gets the exchange of an uncached account, then the
  refusal: the answers do not tell which user names exist.

Who the accounts are is the `Credentials` source's business (the configured bootstrap users here; the
account store once it is there): it answers a `Credential` per user name, or None for no such account.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Protocol, final

from ._config import UserConfig
from ._wire import Wire

NATIVE: Final = "mysql_native_password"
SHA2: Final = "caching_sha2_password"

_FAST_AUTH_OK: Final = b"\x01\x03"
_FULL_AUTH: Final = b"\x01\x04"
_PUBLIC_KEY_REQUEST: Final = b"\x02"


def native_hash(password: bytes) -> bytes:
    """SHA1(SHA1(password)): what mysql_native_password keeps of a password."""
    return hashlib.sha1(hashlib.sha1(password).digest()).digest()


def sha2_hash(password: bytes) -> bytes:
    """SHA256(SHA256(password)): what the caching_sha2_password cache keeps."""
    return hashlib.sha256(hashlib.sha256(password).digest()).digest()


@dataclass(frozen=True)
class Credential:
    """One account's authentication.

    Attributes:
        plugin: `mysql_native_password` or `caching_sha2_password`.
        native: SHA1(SHA1(password)) for mysql_native_password accounts; b"" for no password.
        verifier: checks a password given in clear (caching_sha2_password's full authentication).
        stamp: changes when the password does, so a cached hash of an old password is not used.
        empty: the account has no password.
    """

    plugin: str
    native: bytes
    verifier: Callable[[bytes], bool]
    stamp: bytes
    empty: bool

    def check_password(self, password: bytes) -> bool:
        return bool(self.verifier(password))


class Credentials(Protocol):
    """Where the accounts come from."""

    def credential(self, user: str, host: str) -> Credential | None: ...


def credential_for_password(plugin: str, password: bytes) -> Credential:
    """The credential of an account whose password is known (the configured bootstrap users)."""
    def verify(given: bytes) -> bool:
        return hmac.compare_digest(given, password)
    return Credential(plugin, native_hash(password) if password else b"", verify,
                      hashlib.sha256(b"app-credential|" + plugin.encode() + b"|" + password).digest(), not password)


@final
class ConfigCredentials:
    """The accounts of the configuration's `users:` list."""

    def __init__(self, users: Iterable[UserConfig]) -> None:
        self._accounts = {u.name: credential_for_password(u.plugin, u.password.encode()) for u in users}

    def credential(self, user: str, host: str) -> Credential | None:
        return self._accounts.get(user)


@cache
def _rsa_key() -> tuple[Any, bytes]:
    """This process's RSA key pair for caching_sha2_password's key exchange (made at first use: 2048-bit
    generation costs tens of milliseconds, which a server that is never asked should not pay)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key, pem


_rsa_lock = threading.Lock()


def rsa_public_key() -> bytes:
    """The PEM public key a client gets when it asks (`0x02`)."""
    with _rsa_lock:
        return _rsa_key()[1]


def _rsa_decrypt(ciphertext: bytes) -> bytes | None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    with _rsa_lock:
        key = _rsa_key()[0]
    try:
        # RSA_PKCS1_OAEP_PADDING, as MySQL's server decrypts: OAEP with SHA-1 and MGF1(SHA-1).
        plain: bytes = key.decrypt(ciphertext, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()),
                                                            algorithm=hashes.SHA1(), label=None))
    except ValueError:
        return None
    return plain


def _xor(data: bytes, salt: bytes) -> bytes:
    return bytes(b ^ salt[i % len(salt)] for i, b in enumerate(data))


def auth_switch(plugin: str, salt: bytes) -> bytes:
    """AuthSwitchRequest to `plugin` with a nonce."""
    return b"\xfe" + plugin.encode() + b"\0" + salt + b"\0"


def check_native(cred: Credential, salt: bytes, scramble: bytes) -> bool:
    """Whether `scramble` proves a mysql_native_password account's password for `salt`."""
    if cred.empty:
        return scramble == b""
    if len(scramble) != 20:
        return False
    # scramble = SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))): recover SHA1(password).
    mask = hashlib.sha1(salt + cred.native).digest()
    candidate = bytes(a ^ b for a, b in zip(scramble, mask, strict=True))
    return hmac.compare_digest(hashlib.sha1(candidate).digest(), cred.native)


@final
class Authenticator:
    """Runs the authentication exchange of a login or a COM_CHANGE_USER; holds caching_sha2's cache."""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[bytes, bytes]] = {}  # (user, host) -> (stamp, SHA256(SHA256(pw)))

    def flush(self) -> None:
        """Forget every cached hash (FLUSH PRIVILEGES, an account changed): next logins authenticate fully."""
        with self._lock:
            self._cache.clear()

    def authenticate(self, wire: Wire, user: str, host: str, plugin: str, auth: bytes, salt: bytes, *,
                     secure: bool) -> bool:
        """Check a client's login. `plugin` and `auth` are what its handshake response (or COM_CHANGE_USER)
        carried; the exchange continues on `wire` as the account's plugin needs. False: refuse (1045)."""
        cred = self.credentials.credential(user, host)
        if cred is None:
            if plugin == SHA2 and auth:
                self._pretend_full_authentication(wire, secure)
            return False
        if cred.plugin != plugin:
            wire.send(auth_switch(cred.plugin, salt))
            auth = wire.read(command=False)
        if cred.plugin == NATIVE:
            return check_native(cred, salt, auth)
        return self._caching_sha2(wire, cred, user, host, auth, salt, secure)

    @staticmethod
    def _pretend_full_authentication(wire: Wire, secure: bool) -> None:
        """For a caching_sha2 client logging in as no account: the exchange an uncached account gets, then a
        refusal, so that the answer does not tell which user names exist."""
        wire.send(_FULL_AUTH)
        reply = wire.read(command=False)
        if not secure and reply == _PUBLIC_KEY_REQUEST:
            wire.send(b"\x01" + rsa_public_key())
            wire.read(command=False)

    def _caching_sha2(self, wire: Wire, cred: Credential, user: str, host: str, auth: bytes, salt: bytes,
                      secure: bool) -> bool:
        if cred.empty or not auth:
            # An empty scramble is what a client without a password sends; it proves only an empty password.
            return cred.empty and auth in (b"", b"\0")
        with self._lock:
            cached = self._cache.get((user, host))
        if cached is not None and cached[0] == cred.stamp and len(auth) == 32:
            stored = cached[1]
            mask = hashlib.sha256(stored + salt).digest()
            candidate = bytes(a ^ b for a, b in zip(auth, mask, strict=True))
            if hmac.compare_digest(hashlib.sha256(candidate).digest(), stored):
                wire.send(_FAST_AUTH_OK)
                return True
        wire.send(_FULL_AUTH)
        reply = wire.read(command=False)
        if secure:
            password = reply[:-1] if reply.endswith(b"\0") else reply
        else:
            if reply == _PUBLIC_KEY_REQUEST:
                wire.send(b"\x01" + rsa_public_key())
                reply = wire.read(command=False)
            plain = _rsa_decrypt(reply)
            if plain is None:
                return False
            password = _xor(plain, salt[:20])
            if not password.endswith(b"\0"):
                return False
            password = password[:-1]
        if not cred.check_password(password):
            return False
        with self._lock:
            self._cache[(user, host)] = (cred.stamp, sha2_hash(password))
        return True
