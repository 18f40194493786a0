"""OCPP security profiles 2 and 3: the central system behind TLS, chargers known by certificate.

Profile 2 is ``wss://`` with the server's certificate and the chargers' Basic-auth passwords of
profile 1; profile 3 adds client certificates: the TLS handshake requires one signed by the
operator's CA (``client_ca``), and the certificate must name the charger that connects, in its
subject's common name or a DNS name of its subjectAltName (OCPP 2.0.1 A00.FR.412-413), so one
charger's certificate never opens another charger's path. Both profiles accept TLS 1.2 and newer
only (OCPP 1.6 security whitepaper, OCPP 2.0.1 part 2 A00.FR.309); Python's default cipher list
already leaves out the suites OCPP forbids.
"""

from __future__ import annotations

import dataclasses
import ssl
from pathlib import Path
from typing import Any

from voltvan.errors import InvalidInput


@dataclasses.dataclass(frozen=True, slots=True)
class CsmsTls:
    """The server's certificate chain and key (PEM), and the CA of the chargers' certificates
    when they must present one (security profile 3)."""

    certfile: Path
    keyfile: Path
    client_ca: Path | None = None

    @property
    def profile(self) -> int:
        """The OCPP security profile served: 2 (TLS + Basic auth) or 3 (client certificates)."""
        return 2 if self.client_ca is None else 3

    def context(self) -> ssl.SSLContext:
        """A server context that refuses TLS below 1.2 and, for profile 3, any charger without
        a certificate from ``client_ca``."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        for path, field in ((self.certfile, "certfile"), (self.keyfile, "keyfile")):
            if not path.is_file():
                raise InvalidInput("file not found", file=path, field=field)
        try:
            ctx.load_cert_chain(self.certfile, self.keyfile)
        except ssl.SSLError as exc:
            raise InvalidInput(
                f"not a PEM certificate chain with its private key: {exc.reason}",
                file=self.certfile,
                field="certfile/keyfile",
            ) from exc
        if self.client_ca is not None:
            if not self.client_ca.is_file():
                raise InvalidInput("file not found", file=self.client_ca, field="client-ca")
            try:
                ctx.load_verify_locations(cafile=self.client_ca)
            except ssl.SSLError as exc:
                raise InvalidInput(
                    f"not a PEM CA certificate: {exc.reason}",
                    file=self.client_ca,
                    field="client-ca",
                ) from exc
            ctx.verify_mode = ssl.CERT_REQUIRED
        return ctx


def certificate_names(peercert: dict[str, Any] | None) -> set[str]:
    """The names a verified client certificate vouches for: subject CN and DNS subjectAltNames."""
    if not peercert:
        return set()
    names = {
        value for rdn in peercert.get("subject", ()) for key, value in rdn if key == "commonName"
    }
    names.update(value for kind, value in peercert.get("subjectAltName", ()) if kind == "DNS")
    return names


def peer_certificate(connection: Any) -> dict[str, Any] | None:
    """The verified certificate of the client on a websockets connection, if it showed one."""
    transport = getattr(connection, "transport", None)
    ssl_object = None if transport is None else transport.get_extra_info("ssl_object")
    if ssl_object is None:
        return None
    cert: dict[str, Any] | None = ssl_object.getpeercert()
    return cert


def certificate_names_charger(connection: Any, charger_id: str) -> bool:
    """Whether the connection's client certificate names ``charger_id`` (profile 3)."""
    return charger_id in certificate_names(peer_certificate(connection))
