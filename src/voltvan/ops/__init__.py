"""Operations: the live day on one server (plan versions, stop statuses, delivery events, accounts).

Store: SQLite in the data directory by default, PostgreSQL for production, the same SQLAlchemy
Core code on both; photos and signatures are content-addressed files beside it. See
``docs/operations.md`` for the API, the roles and the rules of events.
"""

from voltvan.ops._accounts import User as User
from voltvan.ops._db import DEFAULT_DB_FILE as DEFAULT_DB_FILE
from voltvan.ops._db import resolve_db as resolve_db
from voltvan.ops._events import Answer as Answer
from voltvan.ops._model import EVENT_KINDS as EVENT_KINDS
from voltvan.ops._model import FAIL_REASONS as FAIL_REASONS
from voltvan.ops._model import MAX_PLAN_VERSION as MAX_PLAN_VERSION
from voltvan.ops._model import ROLES as ROLES
from voltvan.ops._model import STOP_STATUSES as STOP_STATUSES
from voltvan.ops._model import UNDO_WINDOW_S as UNDO_WINDOW_S
from voltvan.ops._model import EventIn as EventIn
from voltvan.ops._model import Position as Position
from voltvan.ops._model import check_day as check_day
from voltvan.ops._plans import StopDetails as StopDetails
from voltvan.ops._plans import details_of as details_of
from voltvan.ops._plans import stop_of as stop_of
from voltvan.ops._proofs import MAX_PROOF_BYTES as MAX_PROOF_BYTES
from voltvan.ops._proofs import ProofFiles as ProofFiles
from voltvan.ops._proofs import sniff_image as sniff_image
from voltvan.ops._range import DONE as DONE
from voltvan.ops._range import REACHED as REACHED
from voltvan.ops._range import LiveSoc as LiveSoc
from voltvan.ops._range import range_ahead as range_ahead
from voltvan.ops._store import PROOFS_DIR as PROOFS_DIR
from voltvan.ops._store import OpsStore as OpsStore
from voltvan.ops._store import open_ops as open_ops

__all__ = [
    "DEFAULT_DB_FILE",
    "DONE",
    "EVENT_KINDS",
    "FAIL_REASONS",
    "MAX_PLAN_VERSION",
    "MAX_PROOF_BYTES",
    "PROOFS_DIR",
    "REACHED",
    "ROLES",
    "STOP_STATUSES",
    "UNDO_WINDOW_S",
    "Answer",
    "EventIn",
    "LiveSoc",
    "OpsStore",
    "Position",
    "ProofFiles",
    "StopDetails",
    "User",
    "check_day",
    "details_of",
    "open_ops",
    "range_ahead",
    "resolve_db",
    "sniff_image",
    "stop_of",
]
