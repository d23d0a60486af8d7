"""The logins' accounts come from the node's account store (`app.sql.AccountStore`).

`StoreCredentials` is the `Credentials` source `_auth.Authenticator` asks: the account a login as
`user` from `host` would use (MariaDB's matching, `AccountStore.lookup`), as a `Credential` of its
plugin and stored authentication string.
"""

from __future__ import annotations

import hashlib
import socket
from typing import final

from app.sql import Account, AccountStore, check_password

from ._auth import NATIVE, Credential


def client_host(sock: socket.socket) -> str:
    """The host of a client's socket as accounts match it and USER() shows it: 'localhost' for a
    loopback peer (as MariaDB names it when it resolves names), else the peer's address."""
    try:
        peer = sock.getpeername()
    except OSError:
        return "localhost"
    ip = str(peer[0]) if isinstance(peer, tuple) and peer else ""
    if ip.startswith("::ffff:"):
        ip = ip[7:]
    if not ip or ip == "::1" or ip.startswith("127."):
        return "localhost"
    return ip


def _ip(host: str) -> str | None:
    return "127.0.0.1" if host == "localhost" else host


def login_account(store: AccountStore, user: str, host: str) -> Account | None:
    """The account a login as `user` from `host` (see `client_host`) uses, or None."""
    return store.lookup(user, host, _ip(host))


@final
class StoreCredentials:
    """The credentials of the accounts in `store` (a `_auth.Credentials`)."""

    def __init__(self, store: AccountStore) -> None:
        self.store = store

    def credential(self, user: str, host: str) -> Credential | None:
        account = login_account(self.store, user, host)
        if account is None:
            return None
        plugin, stored = account.plugin, account.auth_string

        def verify(password: bytes) -> bool:
            return check_password(plugin, stored, password.decode("utf-8", "surrogateescape"))

        native = bytes.fromhex(stored[1:]) if plugin == NATIVE and stored else b""
        stamp = hashlib.sha256(f"app-account|{plugin}|{stored}".encode()).digest()
        return Credential(plugin, native, verify, stamp, not stored)
