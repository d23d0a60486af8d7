"""TLS in scenarios: the test's own CAs and certificates (`{{get_ca "ca"}}`, `{{get_cert "name"}}`,
`{{get_key "name"}}`), made when a string first names them, and a connection's `tls:` settings.

`{{get_cert "name"}}` is a certificate of the test's CA `test`, valid for localhost and 127.0.0.1, as a
server or a client; `{{get_cert "other/name"}}` is one of the CA `other` (a second CA, to test that a peer
of the wrong CA is refused). `{{get_ca "test"}}` is the CA's certificate. Everything lives in the test's
directory and goes with it; no key is checked in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, final

from ._schema import ClientTLS


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:60] or "_"


@final
class ScenarioTLS:
    """One test's CAs and certificates, by name."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cas: dict[str, Any] = {}
        self._certs: dict[str, Any] = {}

    def ca(self, name: str) -> Any:
        # Imported when a test uses TLS: the runner's other tests need no cryptography.
        from app._certs import CertificateAuthority

        if name not in self._cas:
            self._cas[name] = CertificateAuthority.create(self.directory / _safe(name), name=f"scenario CA {name}")
        return self._cas[name]

    def cert(self, key: str) -> Any:
        if key not in self._certs:
            ca_name, _, name = key.rpartition("/")
            ca = self.ca(ca_name or "test")
            self._certs[key] = ca.issue(_safe(name), Path(ca.cert).parent)
        return self._certs[key]

    def functions(self) -> dict[str, Callable[[str], str]]:
        """The template functions."""
        return {"get_ca": lambda k: str(self.ca(k).cert), "get_cert": lambda k: str(self.cert(k).cert),
                "get_key": lambda k: str(self.cert(k).key)}

    @staticmethod
    def client_params(tls: ClientTLS | None, render: Callable[[str], str]) -> dict[str, Any]:
        """PyMySQL's TLS arguments of a connection: the server verified against `tls.ca`, or no TLS at all."""
        if tls is None:
            return {"ssl_disabled": True}
        params: dict[str, Any] = {"ssl_ca": render(tls.ca), "ssl_verify_cert": True,
                                  "ssl_verify_identity": tls.verify_identity}
        if tls.cert is not None and tls.key is not None:
            params.update(ssl_cert=render(tls.cert), ssl_key=render(tls.key))
        return params
