"""Drivers and dispatchers: accounts whose secret is a bearer token kept only as its hash.

The secret is random (256 bits) and made here, never chosen by a person, so one SHA-256 of it
(:func:`voltvan.telemetry.hash_token`, as the telemetry tokens file stores) is as safe as a slow
password hash and lets the server find the account by the hash alone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from voltvan.errors import InvalidInput
from voltvan.ops._db import reading, writing
from voltvan.ops._model import ROLES, Role, is_id
from voltvan.ops._schema import users
from voltvan.telemetry import hash_token, now_us


@dataclass(frozen=True, slots=True)
class User:
    """Who sent a request: a driver drives one van; a dispatcher sees and plans the whole day."""

    name: str
    role: Role
    van_id: str | None = None

    @property
    def is_dispatcher(self) -> bool:
        return self.role == "dispatcher"

    def may_see_van(self, van_id: str) -> bool:
        return self.is_dispatcher or self.van_id == van_id


def add_user(
    engine: Engine, name: str, role: str, van_id: str | None = None, *, replace: bool = False
) -> str:
    """Create (or with ``replace`` re-key) an account; return its secret, which is not stored."""
    if not is_id(name):
        raise InvalidInput(f"{name!r} is not a name of 1-64 letters, digits, _ . : -", field="name")
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}", field="role")
    if role == "driver" and (van_id is None or not is_id(van_id)):
        raise InvalidInput("a driver needs the id of the van they drive (--van)", field="van")
    if role == "dispatcher" and van_id is not None:
        raise InvalidInput("a dispatcher sees every van; give no --van", field="van")
    secret = secrets.token_urlsafe(32)
    row = {
        "name": name,
        "role": role,
        "van_id": van_id,
        "secret_hash": hash_token(secret),
        "created_us": now_us(),
    }
    try:
        with writing(engine) as conn:
            if replace:
                conn.execute(delete(users).where(users.c.name == name))
            conn.execute(insert(users).values(row))
    except IntegrityError:
        raise InvalidInput(
            f"user {name!r} exists (--replace issues a new secret and voids the old)", field="name"
        ) from None
    return secret


def authenticate(engine: Engine, secret: str) -> User | None:
    """The account whose secret this is, or None."""
    with reading(engine) as conn:
        row = conn.execute(
            select(users.c.name, users.c.role, users.c.van_id).where(
                users.c.secret_hash == hash_token(secret)
            )
        ).first()
    if row is None:
        return None
    role: Role = "dispatcher" if row.role == "dispatcher" else "driver"
    return User(name=row.name, role=role, van_id=row.van_id)


def list_users(engine: Engine) -> list[User]:
    with reading(engine) as conn:
        rows = conn.execute(select(users.c.name, users.c.role, users.c.van_id).order_by("name"))
        return [
            User(r.name, "dispatcher" if r.role == "dispatcher" else "driver", r.van_id)
            for r in rows
        ]
