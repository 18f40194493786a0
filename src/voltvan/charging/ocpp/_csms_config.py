"""``chargers.toml``: the chargers that may connect to the central system, and its options.

A charger's credential is its password (security profiles 1 and 2) or its client certificate
(profile 3, see ``_tls``); which of the two the server asks for decides whether a charger may
go without a password, so the file is read knowing the profile.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from voltvan.charging._schedule import Schedule
from voltvan.errors import InvalidInput
from voltvan.passwords import check_password_hash, is_password_hash


@dataclasses.dataclass(frozen=True, slots=True)
class ChargerAccount:
    """A charger allowed to connect, with its security-profile-1 password: its scrypt hash
    (``voltvan hash-password``), or the password itself in older files and simulated nights.
    ``None`` for a charger known only by its certificate (profile 3)."""

    id: str
    password: str | None
    connectors: int = 1

    def basic_auth_password(self) -> str:
        """The password the charger shows in profiles 1 and 2; one without refuses to pose as
        a Basic-auth charger rather than send an empty or made-up password."""
        if self.password is None:
            raise InvalidInput(
                f"charger {self.id!r} has no password: only security profile 3 (client "
                "certificates) knows a charger without one",
                field="password",
            )
        return self.password


@dataclasses.dataclass(frozen=True, slots=True)
class CsmsConfig:
    """Who may connect and how the server talks to them."""

    chargers: dict[str, ChargerAccount]
    heartbeat_s: int = 60
    accept_unknown_tags: bool = False
    late_grace_s: float = 900.0
    response_timeout_s: float = 10.0
    watch_every_s: float | None = 30.0
    path_prefix: str = "/"


def read_csms_config(path: Path, *, client_certificates: bool = False) -> CsmsConfig:
    """``chargers.toml``: ``[csms]`` options and one ``[[charger]]`` table per charger.

    With ``client_certificates`` (security profile 3) a charger's certificate is its credential,
    so its password may be left out; a password that is there is still checked, since it is what
    the charger falls back to on profile 2. Without, every charger needs one: a passwordless
    charger must never be let in by password.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not TOML: {exc}", file=path) from exc
    accounts: dict[str, ChargerAccount] = {}
    for i, c in enumerate(data.get("charger", [])):
        where = f"charger[{i}]"
        cid, pw = c.get("id"), c.get("password")
        if not isinstance(cid, str) or not cid:
            raise InvalidInput("needs an id", file=path, field=f"{where}.id")
        if pw is None and not client_certificates:
            raise InvalidInput(
                "needs a password of at least 8 characters (only security profile 3, "
                "--client-ca, knows chargers by their certificate alone)",
                file=path,
                field=f"{where}.password",
            )
        if pw is not None:
            if not isinstance(pw, str) or len(pw) < 8:
                raise InvalidInput(
                    "needs a password of at least 8 characters",
                    file=path,
                    field=f"{where}.password",
                )
            if is_password_hash(pw) and (why := check_password_hash(pw)) is not None:
                raise InvalidInput(why, file=path, field=f"{where}.password")
        n = c.get("connectors", 1)
        if not isinstance(n, int) or n < 1:
            raise InvalidInput("connectors must be >= 1", file=path, field=f"{where}.connectors")
        if cid in accounts:
            raise InvalidInput(f"duplicate charger id {cid!r}", file=path, field=f"{where}.id")
        accounts[cid] = ChargerAccount(cid, pw, n)
    opts = data.get("csms", {})
    try:
        return CsmsConfig(
            chargers=accounts,
            heartbeat_s=int(opts.get("heartbeat_s", 60)),
            accept_unknown_tags=bool(opts.get("accept_unknown_tags", False)),
            late_grace_s=float(opts.get("late_grace_s", 900.0)),
            watch_every_s=float(opts.get("watch_every_s", 30.0)),
            path_prefix=_path_prefix(opts.get("path_prefix", "/")),
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"bad option: {exc}", file=path, field="csms") from exc


def _path_prefix(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("/") or not value.endswith("/"):
        raise ValueError(f"path_prefix must start and end with '/', got {value!r}")
    return value


def check_schedule_chargers(config: CsmsConfig, schedule: Schedule) -> None:
    """Every charger the schedule uses must be an account the server knows."""
    for c in schedule.connectors:
        if c.charger_id not in config.chargers:
            raise InvalidInput(
                f"the schedule uses unknown charger id {c.charger_id!r}", field="charger_id"
            )
