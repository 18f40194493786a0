"""One handle on the day: the database (SQLite or PostgreSQL) and the folder of proof files.

Everything that changes the day goes through an :class:`OpsStore`, so the web API, the CLI and
re-planning share one set of rules. Opening a store brings its schema up to date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from voltvan.errors import VoltvanError
from voltvan.ops._accounts import User, add_user, authenticate, list_users
from voltvan.ops._db import open_engine, reading, resolve_db, shown
from voltvan.ops._events import Answer, list_events, record_event, store_proof
from voltvan.ops._model import EventIn, check_day
from voltvan.ops._plans import StopDetails, publish, read_plan, require_version, stop_details
from voltvan.ops._proofs import ProofFiles
from voltvan.ops._range import LiveSoc, range_view
from voltvan.ops._schema import migrate
from voltvan.ops._views import day_view, route_view
from voltvan.plan import Plan

#: The folder of photos and signatures, in the data directory.
PROOFS_DIR = "proofs"


@dataclass(frozen=True, slots=True)
class OpsStore:
    engine: Engine
    files: ProofFiles
    url: str

    def close(self) -> None:
        self.engine.dispose()

    # accounts
    def add_user(
        self, name: str, role: str, van_id: str | None = None, *, replace: bool = False
    ) -> str:
        return add_user(self.engine, name, role, van_id, replace=replace)

    def authenticate(self, secret: str) -> User | None:
        return authenticate(self.engine, secret)

    def users(self) -> list[User]:
        return list_users(self.engine)

    # plans
    def publish(
        self,
        day: str,
        plan: Plan,
        stops: Iterable[StopDetails] = (),
        *,
        base_version: int | None,
        by: str,
    ) -> int:
        return publish(self.engine, check_day(day), plan, stops, base_version=base_version, by=by)

    def plan(self, day: str, version: int | None = None) -> tuple[int, Plan]:
        """A version of the day's plan (the current one by default) and its number."""
        with reading(self.engine) as conn:
            number = version if version is not None else require_version(conn, day)
            return number, read_plan(conn, day, number)

    def stops(self, day: str, ids: Iterable[str]) -> list[StopDetails]:
        """The details published for the day's stops among ``ids`` (e.g. urgent ones added by a
        re-plan, which the scenario on disk does not have)."""
        with reading(self.engine) as conn:
            return stop_details(conn, day, list(ids))

    def route(self, day: str, van_id: str, known_version: int | None = None) -> dict[str, Any]:
        return route_view(self.engine, day, van_id, known_version)

    def day(self, day: str) -> dict[str, Any]:
        return day_view(self.engine, day)

    def range(self, day: str, van_id: str, live: LiveSoc | None = None) -> dict[str, Any]:
        """Predicted state of charge over the rest of the van's route (see ``_range``)."""
        return range_view(self.engine, day, van_id, live)

    # events and proofs
    def record(self, user: User, day: str, van_id: str, ev: EventIn) -> Answer:
        return record_event(self.engine, self.files, user, day, van_id, ev)

    def events(self, day: str, van_id: str | None = None) -> list[dict[str, Any]]:
        return list_events(self.engine, day, van_id)

    def put_proof(self, user: User, data: bytes) -> dict[str, Any]:
        return store_proof(self.engine, self.files, user, data)


def open_ops(db: str | None, data_dir: Path) -> OpsStore:
    """The store of ``--db`` (default: SQLite in ``data_dir``), its proofs in ``data_dir``."""
    url = resolve_db(db, data_dir)
    engine = open_engine(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        why = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise VoltvanError(f"cannot open the operations database {shown(url)}: {why}") from None
    except BaseException:
        engine.dispose()
        raise
    return OpsStore(engine=engine, files=ProofFiles(data_dir / PROOFS_DIR), url=shown(url))
