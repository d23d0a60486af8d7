"""Certificates for tests: a throwaway CA and the certificates it signs, made at run time.

Nothing here is for production use (the keys are written unencrypted, the CA lives as long as a test
run); it exists so that no key is ever checked in. `testing_ca()` makes one CA per test run, shared by
every pytest-xdist worker through `app.testingshim.once`.

Example::

    ca = CertificateAuthority.create(directory)
    server = ca.issue("node0", directory)            # cert and key files, valid for localhost/127.0.0.1
    tls = {"cert": server.cert, "key": server.key, "ca": ca.cert}
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: The names every certificate of a test CA holds: the addresses test servers listen on.
LOCAL_NAMES: Final = ("localhost", "127.0.0.1", "::1")
_VALIDITY: Final = datetime.timedelta(days=2)


@dataclass(frozen=True)
class CertFiles:
    """A certificate and its private key, as PEM files."""

    cert: str
    key: str


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a private key readable by us only
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _san(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA's certificate and key files (PEM); `issue` signs server and client certificates with it."""

    cert: str
    key: str

    @classmethod
    def create(cls, directory: str | os.PathLike[str], name: str = "app test CA") -> CertificateAuthority:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.UTC)
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + _VALIDITY)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                             content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, encipher_only=False,
                                             decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        cert_path, key_path = directory / "ca.pem", directory / "ca-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, key_path)
        return cls(str(cert_path), str(key_path))

    def issue(self, name: str, directory: str | os.PathLike[str], *,
              names: tuple[str, ...] = LOCAL_NAMES) -> CertFiles:
        """A certificate for `name` (its common name and file names), valid for TLS servers and clients
        at `names` (DNS names or IP addresses), signed by this CA."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        ca_cert = x509.load_pem_x509_certificate(Path(self.cert).read_bytes())
        ca_key = serialization.load_pem_private_key(Path(self.key).read_bytes(), password=None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(ca_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + _VALIDITY)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_san(names), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                      ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        cert_path, key_path = directory / f"{name}.pem", directory / f"{name}-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, key_path)
        return CertFiles(str(cert_path), str(key_path))


@dataclass(frozen=True)
class TestingTLS:
    """The run's test CA and the certificates test servers and clients use (PEM file paths)."""

    __test__ = False

    ca: str
    ca_key: str
    cert: str  # servers' and cluster nodes' certificate (names: LOCAL_NAMES)
    key: str
    client_cert: str  # a client certificate of the same CA
    client_key: str

    def server_config(self) -> dict[str, str]:
        """`tls:` of a server's configuration."""
        return {"cert": self.cert, "key": self.key, "ca": self.ca}


def run_certificates() -> TestingTLS:
    """The test run's CA and certificates: made once per run (every xdist worker gets the same files, kept
    in the run's directory and removed with it), never checked in."""
    from app.testingshim import once
    from app.testingshim._once import run_dir

    def build() -> TestingTLS:
        directory = Path(run_dir()) / "tls"
        ca = CertificateAuthority.create(directory)
        server = ca.issue("server", directory)
        client = ca.issue("client", directory)
        return TestingTLS(ca.cert, ca.key, server.cert, server.key, client.cert, client.key)

    return once("app.server.run_certificates", build)
