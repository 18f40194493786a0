"""Which vehicle ids exist, and which token each may present: the ingest's view of the fleet.

Only the ``[[vans]]`` ids of ``fleet.toml`` matter to ingest, so this is a light read that
follows the scenario format's id rules (``id``, or ``count`` with ``id_prefix``) without needing
the rest of a scenario folder (``stops.csv``) to exist on an ingest host.
"""

from __future__ import annotations

import hashlib
import hmac
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest._topics import is_vehicle_id


def load_fleet_ids(path: str | Path) -> frozenset[str]:
    """The van ids of a ``fleet.toml`` (or of the ``fleet.toml`` in a scenario folder)."""
    from voltvan.scenario import read_fleet

    file = Path(path)
    ids = [van.id for van in read_fleet(file).vans]
    for vid in ids:
        if not is_vehicle_id(vid):
            raise InvalidInput(
                f"van id {vid!r} cannot be used in an MQTT topic (letters, digits, _ . : -)",
                file=file / "fleet.toml" if file.is_dir() else file,
                field="id",
            )
    return frozenset(ids)


def _read_toml(file: Path) -> dict[str, object]:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InvalidInput("file not found", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", file=file) from None


@dataclass(frozen=True, slots=True)
class Tokens:
    """Bearer tokens: one per vehicle (may post only its own signals) and reader tokens.

    A value is either the token itself or ``sha256:<hex digest>`` of it, so that the file on
    the server need not hold usable secrets.
    """

    vehicles: Mapping[str, str] = field(default_factory=dict)
    readers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        """No tokens at all: a development server that trusts everyone."""
        return not self.vehicles and not self.readers

    def vehicle_may_post(self, vehicle_id: str, token: str | None) -> bool:
        expected = self.vehicles.get(vehicle_id)
        return token is not None and expected is not None and _matches(expected, token)

    def is_reader(self, token: str | None) -> bool:
        return token is not None and any(_matches(t, token) for t in self.readers.values())


def hash_token(token: str) -> str:
    """The form a tokens file stores so that reading the file gives away no usable secret."""
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def _matches(expected: str, token: str) -> bool:
    if expected.startswith("sha256:"):
        return hmac.compare_digest(expected, hash_token(token))
    return hmac.compare_digest(expected.encode(), token.encode())


def load_tokens(path: str | Path) -> Tokens:
    """Read a tokens file: ``[vehicles]`` id = token, ``[readers]`` name = token (TOML)."""
    file = Path(path)
    data = _read_toml(file)
    unknown = set(data) - {"vehicles", "readers"}
    if unknown:
        raise InvalidInput(f"unknown table(s) {sorted(unknown)}", file=file, field=min(unknown))
    out: dict[str, dict[str, str]] = {}
    for table in ("vehicles", "readers"):
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            raise InvalidInput(f"{table} must be a table", file=file, field=table)
        for key, value in entries.items():
            if not isinstance(value, str) or len(value) < 16:
                raise InvalidInput(
                    f"token of {key!r} must be a string of at least 16 characters",
                    file=file,
                    field=f"{table}.{key}",
                )
        out[table] = dict(entries)
    return Tokens(vehicles=out["vehicles"], readers=out["readers"])
