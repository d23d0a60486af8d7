"""Who may speak replication: members of the cluster, proven by the shared cluster secret.

The primary opens the standby's replication endpoint with an HTTP/1.1 upgrade request that carries a
fresh nonce (`App-Nonce`). The standby answers `101 Switching Protocols` with a nonce of its own and
its proof (`App-Proof`: an HMAC-SHA256 under the secret of both nonces and its role), or `401` to a
request without a well-formed nonce. The primary checks the standby's proof before it sends anything
(so a listener that is not a member never gets a frame, nor the data a snapshot holds), then sends
its own proof: 64 hex digits, before its first frame. The standby reads exactly those bytes and
closes the stream when they are wrong, before it reads any frame. Both proofs cover both nonces, so
neither can be replayed on another connection, and the secret never crosses the wire.

The secret authenticates the peers, it does not encrypt the stream: run replication over a network
you trust, or between hosts whose link is protected otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Final

NONCE_HEADER: Final = "App-Nonce"
PROOF_HEADER: Final = "App-Proof"
PROOF_LENGTH: Final = 64  # hex digits of an HMAC-SHA256
MIN_SECRET_LENGTH: Final = 16
_NONCE: Final = re.compile(r"[0-9a-f]{32}")


class PeerRefused(Exception):
    """The other end of a replication link is not a member of the cluster (no or a wrong proof)."""


def new_nonce() -> str:
    """A fresh nonce for one handshake (128 random bits, hex)."""
    return secrets.token_hex(16)


def valid_nonce(value: str | None) -> bool:
    return value is not None and _NONCE.fullmatch(value) is not None


def proof(secret: bytes, role: str, primary_nonce: str, standby_nonce: str) -> str:
    """What a node of `role` ('primary' or 'standby') sends to prove it knows the secret."""
    message = f"app-replication/1|{role}|{primary_nonce}|{standby_nonce}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def check(secret: bytes, role: str, primary_nonce: str, standby_nonce: str, given: str | bytes | None) -> bool:
    """Whether `given` is the proof a member of `role` would send (compared in constant time)."""
    if given is None:
        return False
    text = given.decode("ascii", "replace") if isinstance(given, bytes) else given
    return hmac.compare_digest(proof(secret, role, primary_nonce, standby_nonce), text)


def header_value(request: bytes, name: str) -> str | None:
    """The value of header `name` in an HTTP request or response head (None if absent)."""
    lines = request.decode("latin-1").split("\r\n")
    wanted = name.lower()
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == wanted:
            return value.strip()
    return None
