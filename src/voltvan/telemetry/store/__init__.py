"""The telemetry lake: day-partitioned Parquet written by one :class:`Store` per writer, read
through DuckDB views (``open_query``), compacted and retained (``voltvan.telemetry`` maintenance).

Sits above ingest (it stores ingest's batches) and below analytics (which adds derived views
through :func:`register_view_hook`). Layout: ``docs/formats/telemetry.md``.
"""

from voltvan.telemetry.store._duck import Connection as Connection
from voltvan.telemetry.store._duck import fetch_arrow as fetch_arrow
from voltvan.telemetry.store._layout import FileLock as FileLock
from voltvan.telemetry.store._layout import raw_horizon as raw_horizon
from voltvan.telemetry.store._live import LIVE_SIGNALS as LIVE_SIGNALS
from voltvan.telemetry.store._live import LiveTail as LiveTail
from voltvan.telemetry.store._live import day_series as day_series
from voltvan.telemetry.store._live import live_rows as live_rows
from voltvan.telemetry.store._live import utc_days as utc_days
from voltvan.telemetry.store._log_import import ImportSummary as ImportSummary
from voltvan.telemetry.store._log_import import import_rsk_twizy as import_rsk_twizy
from voltvan.telemetry.store._maintain import compact as compact
from voltvan.telemetry.store._maintain import retain as retain
from voltvan.telemetry.store._query import RAW_VIEWS as RAW_VIEWS
from voltvan.telemetry.store._query import open_query as open_query
from voltvan.telemetry.store._query import read_only_sql as read_only_sql
from voltvan.telemetry.store._query import refresh_views as refresh_views
from voltvan.telemetry.store._query import register_view_hook as register_view_hook
from voltvan.telemetry.store._store import Store as Store
from voltvan.telemetry.store._store import open_store as open_store

__all__ = [
    "LIVE_SIGNALS",
    "RAW_VIEWS",
    "Connection",
    "FileLock",
    "ImportSummary",
    "LiveTail",
    "Store",
    "compact",
    "day_series",
    "fetch_arrow",
    "import_rsk_twizy",
    "live_rows",
    "open_query",
    "open_store",
    "raw_horizon",
    "read_only_sql",
    "refresh_views",
    "register_view_hook",
    "retain",
    "utc_days",
]
