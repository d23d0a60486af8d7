"""TLS: the SQL listener's upgrade (CLIENT_SSL), and the replication links' mutual TLS.

MySQL clients ask for TLS inside the protocol, not on a separate port: the server's greeting
advertises CLIENT_SSL; a client that wants TLS answers with an SSLRequest (the first 32 bytes of a
HandshakeResponse41, sequence id 1), both sides run the TLS handshake on the same socket, and the
client then sends its real HandshakeResponse41 (sequence id 2) inside TLS. Nothing the client sent in
the clear before the handshake may be read as if it came through TLS: bytes that arrive after the
SSLRequest and before the TLS handshake end the connection (an injected command would otherwise
run as the authenticated user).

The replication links use TLS from the first byte, and both ends present a certificate that chains
to the cluster's CA: a peer without one is refused in the handshake, before any frame is read.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from ._config import ConfigError, TLSConfig

#: TLS 1.2 and 1.3, as MariaDB 10.11's `tls_version` default.
MINIMUM_VERSION: Final = ssl.TLSVersion.TLSv1_2
TLS_VERSIONS: Final = "TLSv1.2,TLSv1.3"


def _load(ctx: ssl.SSLContext, tls: TLSConfig, what: str) -> ssl.SSLContext:
    ctx.minimum_version = MINIMUM_VERSION
    try:
        ctx.load_cert_chain(tls.cert, tls.key)
        if tls.ca is not None:
            ctx.load_verify_locations(cafile=tls.ca)
    except (OSError, ssl.SSLError) as e:
        raise ConfigError(f"cannot load the {what} certificate, key or CA ({tls.cert}, {tls.key}, {tls.ca}): "
                          f"{getattr(e, 'strerror', None) or e}", key="tls" if what == "server" else "cluster.tls"
                          ) from None
    return ctx


def server_context(tls: TLSConfig) -> ssl.SSLContext:
    """The SQL listener's context. A client certificate is optional, checked against `ca` when given
    (MySQL's `ssl_ca`): accounts do not require X509 here."""
    ctx = _load(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), tls, "server")
    ctx.verify_mode = ssl.CERT_OPTIONAL if tls.ca is not None else ssl.CERT_NONE
    return ctx


def peer_server_context(tls: TLSConfig) -> ssl.SSLContext:
    """A replication endpoint's context: a certificate the peer presents must chain to the cluster's CA (or
    the handshake fails); a peer that presents none is let through the handshake only so that the endpoint
    can log the refusal (CERT_OPTIONAL), and is closed before any frame is read."""
    ctx = _load(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), tls, "cluster")
    ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx


def peer_client_context(tls: TLSConfig) -> ssl.SSLContext:
    """A primary's context towards its standbys: it verifies the standby's certificate and name against the
    cluster's CA and presents its own."""
    ctx = _load(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), tls, "cluster")
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.check_hostname = True
    return ctx


class HandshakeFailed(Exception):
    """The client's TLS handshake failed (wrong version, no common cipher, garbage, hung up)."""


def accept(sock: socket.socket, ctx: ssl.SSLContext) -> ssl.SSLSocket:
    """Run the server side of the TLS handshake on a client socket (with the socket's timeout)."""
    try:
        return ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=True)
    except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
        raise HandshakeFailed(str(e) or type(e).__name__) from None


@dataclass(frozen=True)
class SessionTLS:
    """What SHOW STATUS LIKE 'Ssl_%' tells of one connection (names and empty values as MariaDB's)."""

    version: str = ""
    cipher: str = ""
    not_before: str = ""
    not_after: str = ""
    verify_mode: int = 0

    def status(self) -> dict[str, str]:
        return {"Ssl_cipher": self.cipher, "Ssl_server_not_after": self.not_after,
                "Ssl_server_not_before": self.not_before, "Ssl_verify_mode": str(self.verify_mode),
                "Ssl_version": self.version}


PLAINTEXT: Final = SessionTLS()


def _asn1_time(when: datetime) -> str:
    # OpenSSL's ASN1_TIME_print form, which MySQL and MariaDB show: "Nov 29 03:30:00 2026 GMT".
    return when.astimezone(UTC).strftime("%b %e %H:%M:%S %Y GMT").replace("  ", " ")


def certificate_dates(cert_file: str) -> tuple[str, str]:
    """(not before, not after) of the first certificate in a PEM file, as MySQL prints them."""
    from cryptography import x509

    with open(cert_file, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    return _asn1_time(cert.not_valid_before_utc), _asn1_time(cert.not_valid_after_utc)


def session_tls(sock: ssl.SSLSocket, dates: tuple[str, str], verify_mode: int) -> SessionTLS:
    cipher = sock.cipher()
    return SessionTLS(sock.version() or "", cipher[0] if cipher else "", dates[0], dates[1], verify_mode)
