"""Vehicle telemetry: VSS signal catalog, message validation, the Parquet store and its queries.

Writes go through one :class:`Store` per writer (``open_store``); reads go through
``open_query``, which needs nothing but the closed Parquet files. Layout and message format:
``docs/formats/telemetry.md``.
"""

from voltvan.telemetry._fleet import Tokens as Tokens
from voltvan.telemetry._fleet import load_fleet_ids as load_fleet_ids
from voltvan.telemetry._fleet import load_tokens as load_tokens
from voltvan.telemetry._messages import REJECT_REASONS as REJECT_REASONS
from voltvan.telemetry._messages import TOPIC_FILTER as TOPIC_FILTER
from voltvan.telemetry._messages import Batch as Batch
from voltvan.telemetry._messages import Context as Context
from voltvan.telemetry._messages import Reject as Reject
from voltvan.telemetry._messages import RejectReason as RejectReason
from voltvan.telemetry._messages import add_samples as add_samples
from voltvan.telemetry._messages import parse_message as parse_message
from voltvan.telemetry._messages import topic_for as topic_for
from voltvan.telemetry._messages import vehicle_from_topic as vehicle_from_topic
from voltvan.telemetry._query import RAW_VIEWS as RAW_VIEWS
from voltvan.telemetry._query import open_query as open_query
from voltvan.telemetry._query import refresh_views as refresh_views
from voltvan.telemetry._query import register_view_hook as register_view_hook
from voltvan.telemetry._signals import VSS_VERSION as VSS_VERSION
from voltvan.telemetry._signals import Signal as Signal
from voltvan.telemetry._signals import get_signal as get_signal
from voltvan.telemetry._signals import signal_catalog as signal_catalog
from voltvan.telemetry._store import Store as Store
from voltvan.telemetry._store import WriteResult as WriteResult
from voltvan.telemetry._store import open_store as open_store
from voltvan.telemetry._store import write_samples as write_samples

__all__ = [
    "RAW_VIEWS",
    "REJECT_REASONS",
    "TOPIC_FILTER",
    "VSS_VERSION",
    "Batch",
    "Context",
    "Reject",
    "RejectReason",
    "Signal",
    "Store",
    "Tokens",
    "WriteResult",
    "add_samples",
    "get_signal",
    "load_fleet_ids",
    "load_tokens",
    "open_query",
    "open_store",
    "parse_message",
    "refresh_views",
    "register_view_hook",
    "signal_catalog",
    "topic_for",
    "vehicle_from_topic",
    "write_samples",
]
