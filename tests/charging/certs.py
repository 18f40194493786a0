"""A throw-away CA with server and charger certificates, made by openssl at test time."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=60)


@dataclasses.dataclass(frozen=True)
class Pem:
    """A certificate and its private key."""

    cert: Path
    key: Path


def make_ca(folder: Path, name: str) -> Pem:
    """A self-signed CA named ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = Pem(folder / f"{name}.pem", folder / f"{name}.key")
    _openssl(
        "req", "-x509", *_KEY, "-keyout", ca.key, "-out", ca.cert, "-days", "2",
        "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return ca


def issue(ca: Pem, folder: Path, name: str, *, cn: str, server: bool = False) -> Pem:
    """A certificate for ``cn`` signed by ``ca``: a server's for 127.0.0.1 and localhost, or a
    charger's (client) whose CN and DNS subjectAltName are ``cn``."""
    leaf = Pem(folder / f"{name}.pem", folder / f"{name}.key")
    csr, ext = folder / f"{name}.csr", folder / f"{name}.ext"
    san = "DNS:localhost,IP:127.0.0.1" if server else f"DNS:{cn}"
    ext.write_text(
        "basicConstraints=CA:FALSE\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\n"
        f"subjectAltName={san}\n"
        f"extendedKeyUsage={'serverAuth' if server else 'clientAuth'}\n",
        encoding="utf-8",
    )
    _openssl("req", "-new", *_KEY, "-keyout", leaf.key, "-out", csr, "-subj", f"/CN={cn}")
    _openssl(
        "x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
        "-out", leaf.cert, "-days", "2", "-extfile", ext,
    )  # fmt: skip
    return leaf
