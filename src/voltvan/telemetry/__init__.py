"""Vehicle telemetry: VSS signal catalog, message validation, the Parquet store and its queries.

Writes go through one :class:`Store` per writer (``open_store``); reads go through
``open_query``, which needs nothing but the closed Parquet files. Layout and message format:
``docs/formats/telemetry.md``. Analytics (``derive``, alerts, calibration) build derived tables on
top of the same files: ``docs/analytics.md``.
"""

from voltvan.telemetry._alerts import Alert as Alert
from voltvan.telemetry._alerts import AlertParams as AlertParams
from voltvan.telemetry._alerts import high_consumption_alerts as high_consumption_alerts
from voltvan.telemetry._alerts import long_stop_alerts as long_stop_alerts
from voltvan.telemetry._alerts import low_soc_alerts as low_soc_alerts
from voltvan.telemetry._calibrate import calibrate as calibrate
from voltvan.telemetry._charging_sessions import ChargingParams as ChargingParams
from voltvan.telemetry._derived import AnalyticsParams as AnalyticsParams
from voltvan.telemetry._derived import derive as derive
from voltvan.telemetry._fleet import Tokens as Tokens
from voltvan.telemetry._fleet import hash_token as hash_token
from voltvan.telemetry._fleet import load_fleet_ids as load_fleet_ids
from voltvan.telemetry._fleet import load_tokens as load_tokens
from voltvan.telemetry._gps import GpsParams as GpsParams
from voltvan.telemetry._gps import flag_gps_faults as flag_gps_faults
from voltvan.telemetry._health import estimate_health as estimate_health
from voltvan.telemetry._import import import_rsk_twizy as import_rsk_twizy
from voltvan.telemetry._live import LIVE_SIGNALS as LIVE_SIGNALS
from voltvan.telemetry._live import LiveTail as LiveTail
from voltvan.telemetry._live import day_series as day_series
from voltvan.telemetry._live import live_rows as live_rows
from voltvan.telemetry._live import utc_days as utc_days
from voltvan.telemetry._messages import MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES
from voltvan.telemetry._messages import REJECT_REASONS as REJECT_REASONS
from voltvan.telemetry._messages import TOPIC_FILTER as TOPIC_FILTER
from voltvan.telemetry._messages import Batch as Batch
from voltvan.telemetry._messages import Context as Context
from voltvan.telemetry._messages import Reject as Reject
from voltvan.telemetry._messages import RejectReason as RejectReason
from voltvan.telemetry._messages import add_samples as add_samples
from voltvan.telemetry._messages import now_us as now_us
from voltvan.telemetry._messages import parse_message as parse_message
from voltvan.telemetry._messages import topic_for as topic_for
from voltvan.telemetry._messages import vehicle_from_topic as vehicle_from_topic
from voltvan.telemetry._mqtt import parse_mqtt_url as parse_mqtt_url
from voltvan.telemetry._publisher import Publisher as Publisher
from voltvan.telemetry._publisher import PublishError as PublishError
from voltvan.telemetry._query import RAW_VIEWS as RAW_VIEWS
from voltvan.telemetry._query import open_query as open_query
from voltvan.telemetry._query import read_only_sql as read_only_sql
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
from voltvan.telemetry._token_file import add_token as add_token
from voltvan.telemetry._trips import TripParams as TripParams

__all__ = [
    "LIVE_SIGNALS",
    "MAX_PAYLOAD_BYTES",
    "RAW_VIEWS",
    "REJECT_REASONS",
    "TOPIC_FILTER",
    "VSS_VERSION",
    "Alert",
    "AlertParams",
    "AnalyticsParams",
    "Batch",
    "ChargingParams",
    "Context",
    "GpsParams",
    "LiveTail",
    "PublishError",
    "Publisher",
    "Reject",
    "RejectReason",
    "Signal",
    "Store",
    "Tokens",
    "TripParams",
    "WriteResult",
    "add_samples",
    "add_token",
    "calibrate",
    "day_series",
    "derive",
    "estimate_health",
    "flag_gps_faults",
    "get_signal",
    "hash_token",
    "high_consumption_alerts",
    "import_rsk_twizy",
    "live_rows",
    "load_fleet_ids",
    "load_tokens",
    "long_stop_alerts",
    "low_soc_alerts",
    "now_us",
    "open_query",
    "open_store",
    "parse_message",
    "parse_mqtt_url",
    "read_only_sql",
    "refresh_views",
    "register_view_hook",
    "signal_catalog",
    "topic_for",
    "utc_days",
    "vehicle_from_topic",
    "write_samples",
]
