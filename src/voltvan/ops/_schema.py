"""The tables of the day and their versioned migrations (``schema_version`` holds the number).

Times are integer microseconds since the epoch (UTC), as in telemetry, so that both databases
store and compare them the same way. Photos and signatures are not here: ``proofs`` names the
files, which live beside the database (:mod:`voltvan.ops._proofs`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)

from voltvan.errors import VoltvanError
from voltvan.ops._db import writing

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("van_id", String(64)),
    Column("secret_hash", String(80), nullable=False, unique=True),
    Column("created_us", BigInteger, nullable=False),
)

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("scenario", String(200), nullable=False),
    Column("plan_json", Text, nullable=False),
    Column("published_us", BigInteger, nullable=False),
    Column("published_by", String(64), nullable=False),
)

#: Which van serves which stop in which version, in what order: the route look-ups.
plan_stops = Table(
    "plan_stops",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("stop_id", String(64), primary_key=True),
    Column("van_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Index("plan_stops_van", "day", "version", "van_id"),
)

#: What the people on the day need to know about a stop (name, address, note, parcels, ...).
day_stops = Table(
    "day_stops",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("stop_id", String(64), primary_key=True),
    Column("details_json", Text, nullable=False),
)

#: Each stop's status now; ``event_id`` is the event that set it (none while planned).
stop_status = Table(
    "stop_status",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("stop_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("van_id", String(64)),
    Column("reason", String(32)),
    Column("event_id", String(36)),
    Column("updated_us", BigInteger, nullable=False),
)

#: Every event a device sent, applied or refused (409), with the answer it got: a device that
#: sends it again gets the same answer.
events = Table(
    "events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("day", String(10), nullable=False),
    Column("van_id", String(64), nullable=False),
    Column("stop_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("received_us", BigInteger, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("plan_version", Integer, nullable=False),
    Column("reason", String(32)),
    Column("note", Text, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("accuracy_m", Float),
    Column("photo", String(71)),
    Column("signature", String(71)),
    Column("undoes", String(36)),
    Column("undone_by", String(36)),
    Column("fingerprint", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("prev_status", String(16)),
    Column("status_code", Integer, nullable=False),
    Column("answer_json", Text, nullable=False),
    Index("events_day_van", "day", "van_id", "received_us"),
)

proofs = Table(
    "proofs",
    metadata,
    Column("proof_id", String(71), primary_key=True),
    Column("media_type", String(32), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_us", BigInteger, nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t for t in metadata.sorted_tables if t is not schema_version])


#: Migration N brings the schema from version N-1 to N; append, never edit.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1,)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(engine: Engine) -> int:
    """Bring the database to :data:`SCHEMA_VERSION` (one transaction); return the version."""
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Two servers starting at once: one migrates, the other waits and finds it done.
            conn.execute(text("SELECT pg_advisory_xact_lock(7207)"))
        if not inspect(conn).has_table("schema_version"):
            metadata.create_all(conn, tables=[schema_version])
        current = conn.execute(select(func.max(schema_version.c.version))).scalar()
        if current is None:
            conn.execute(insert(schema_version).values(version=0))
            current = 0
        if current > SCHEMA_VERSION:
            raise VoltvanError(
                f"the database has schema version {current}; this voltvan knows up to "
                f"{SCHEMA_VERSION}: upgrade voltvan"
            )
        for step in MIGRATIONS[current:]:
            step(conn)
        conn.execute(update(schema_version).values(version=SCHEMA_VERSION))
    return SCHEMA_VERSION


def drop_all(engine: Engine) -> None:
    """Remove every table (tests start each store afresh on one shared database)."""
    with writing(engine) as conn:
        metadata.drop_all(conn)
