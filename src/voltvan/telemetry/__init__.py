"""Vehicle telemetry: VSS signal catalog, message validation, the Parquet store and its queries.

Writes go through one :class:`Store` per writer (``open_store``); reads go through
``open_query``, which needs nothing but the closed Parquet files. Layout and message format:
``docs/formats/telemetry.md``. Analytics (``derive``, alerts, calibration) build derived tables on
top of the same files: ``docs/analytics.md``.
"""

from voltvan.telemetry.analytics import (
    DEFAULT_FIT as DEFAULT_FIT,
)
from voltvan.telemetry.analytics import (
    DERIVED_TABLES as DERIVED_TABLES,
)
from voltvan.telemetry.analytics import KMH_TO_MPS as KMH_TO_MPS
from voltvan.telemetry.analytics import (
    NEEDS_CAPACITY as NEEDS_CAPACITY,
)
from voltvan.telemetry.analytics import NET_CAPACITY as NET_CAPACITY
from voltvan.telemetry.analytics import SESSION_SCHEMA as SESSION_SCHEMA
from voltvan.telemetry.analytics import SIGNALS_RELATION as SIGNALS_RELATION
from voltvan.telemetry.analytics import TRIP_SCHEMA as TRIP_SCHEMA
from voltvan.telemetry.analytics import TRIP_SIGNALS_SQL as TRIP_SIGNALS_SQL
from voltvan.telemetry.analytics import (
    Alert as Alert,
)
from voltvan.telemetry.analytics import (
    AlertParams as AlertParams,
)
from voltvan.telemetry.analytics import (
    AnalyticsParams as AnalyticsParams,
)
from voltvan.telemetry.analytics import (
    ChargingParams as ChargingParams,
)
from voltvan.telemetry.analytics import (
    DerivedTable as DerivedTable,
)
from voltvan.telemetry.analytics import (
    FleetFacts as FleetFacts,
)
from voltvan.telemetry.analytics import (
    GpsParams as GpsParams,
)
from voltvan.telemetry.analytics import (
    TripParams as TripParams,
)
from voltvan.telemetry.analytics import (
    calibrate as calibrate,
)
from voltvan.telemetry.analytics import (
    capacities as capacities,
)
from voltvan.telemetry.analytics import charging_flag_sql as charging_flag_sql
from voltvan.telemetry.analytics import charging_keep_sql as charging_keep_sql
from voltvan.telemetry.analytics import charging_standing_sql as charging_standing_sql
from voltvan.telemetry.analytics import (
    check_day as check_day,
)
from voltvan.telemetry.analytics import daily_energy_sql as daily_energy_sql
from voltvan.telemetry.analytics import (
    day_filter as day_filter,
)
from voltvan.telemetry.analytics import (
    days_with_signals as days_with_signals,
)
from voltvan.telemetry.analytics import (
    derive as derive,
)
from voltvan.telemetry.analytics import (
    derived_rows as derived_rows,
)
from voltvan.telemetry.analytics import driving_time_sql as driving_time_sql
from voltvan.telemetry.analytics import (
    estimate_health as estimate_health,
)
from voltvan.telemetry.analytics import (
    flag_gps_faults as flag_gps_faults,
)
from voltvan.telemetry.analytics import (
    fleet_facts as fleet_facts,
)
from voltvan.telemetry.analytics import (
    high_consumption_alerts as high_consumption_alerts,
)
from voltvan.telemetry.analytics import (
    latest_soc as latest_soc,
)
from voltvan.telemetry.analytics import (
    long_stop_alerts as long_stop_alerts,
)
from voltvan.telemetry.analytics import (
    low_soc_alerts as low_soc_alerts,
)
from voltvan.telemetry.analytics import (
    match_observed as match_observed,
)
from voltvan.telemetry.analytics import (
    newest_signal_ts as newest_signal_ts,
)
from voltvan.telemetry.analytics import (
    observed_trips as observed_trips,
)
from voltvan.telemetry.analytics import rebuild_would_lose as rebuild_would_lose
from voltvan.telemetry.analytics import segments_sql as segments_sql
from voltvan.telemetry.analytics import stops_from_segments_sql as stops_from_segments_sql
from voltvan.telemetry.analytics import time_bucket_sql as time_bucket_sql
from voltvan.telemetry.analytics import time_buckets_sql as time_buckets_sql
from voltvan.telemetry.analytics import trips_from_segments_sql as trips_from_segments_sql
from voltvan.telemetry.analytics import van_gps_distances as van_gps_distances
from voltvan.telemetry.analytics import (
    vans_without_capacity as vans_without_capacity,
)
from voltvan.telemetry.analytics import (
    vehicle_ids as vehicle_ids,
)
from voltvan.telemetry.ingest import (
    AIR_TEMPERATURE as AIR_TEMPERATURE,
)
from voltvan.telemetry.ingest import (
    ALTITUDE as ALTITUDE,
)
from voltvan.telemetry.ingest import (
    BATTERY_POWER as BATTERY_POWER,
)
from voltvan.telemetry.ingest import (
    ENERGY_KWH as ENERGY_KWH,
)
from voltvan.telemetry.ingest import (
    IS_CHARGING as IS_CHARGING,
)
from voltvan.telemetry.ingest import (
    LATITUDE as LATITUDE,
)
from voltvan.telemetry.ingest import (
    LONGITUDE as LONGITUDE,
)
from voltvan.telemetry.ingest import (
    MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES,
)
from voltvan.telemetry.ingest import (
    ODOMETER as ODOMETER,
)
from voltvan.telemetry.ingest import (
    REJECT_REASONS as REJECT_REASONS,
)
from voltvan.telemetry.ingest import (
    RSK_TWIZY_TZ as RSK_TWIZY_TZ,
)
from voltvan.telemetry.ingest import (
    SOC as SOC,
)
from voltvan.telemetry.ingest import (
    SPEED as SPEED,
)
from voltvan.telemetry.ingest import (
    TOPIC_FILTER as TOPIC_FILTER,
)
from voltvan.telemetry.ingest import (
    VSS_VERSION as VSS_VERSION,
)
from voltvan.telemetry.ingest import (
    Batch as Batch,
)
from voltvan.telemetry.ingest import (
    Context as Context,
)
from voltvan.telemetry.ingest import (
    IngestStats as IngestStats,
)
from voltvan.telemetry.ingest import (
    IngestWorker as IngestWorker,
)
from voltvan.telemetry.ingest import (
    LogFile as LogFile,
)
from voltvan.telemetry.ingest import (
    MqttParams as MqttParams,
)
from voltvan.telemetry.ingest import (
    Publisher as Publisher,
)
from voltvan.telemetry.ingest import (
    PublishError as PublishError,
)
from voltvan.telemetry.ingest import (
    Reject as Reject,
)
from voltvan.telemetry.ingest import (
    RejectReason as RejectReason,
)
from voltvan.telemetry.ingest import (
    RetireError as RetireError,
)
from voltvan.telemetry.ingest import (
    RetireResult as RetireResult,
)
from voltvan.telemetry.ingest import (
    Signal as Signal,
)
from voltvan.telemetry.ingest import (
    Sink as Sink,
)
from voltvan.telemetry.ingest import (
    Tokens as Tokens,
)
from voltvan.telemetry.ingest import (
    WriteResult as WriteResult,
)
from voltvan.telemetry.ingest import (
    add_samples as add_samples,
)
from voltvan.telemetry.ingest import (
    add_token as add_token,
)
from voltvan.telemetry.ingest import (
    find_logs as find_logs,
)
from voltvan.telemetry.ingest import (
    get_signal as get_signal,
)
from voltvan.telemetry.ingest import (
    hash_token as hash_token,
)
from voltvan.telemetry.ingest import (
    is_vehicle_id as is_vehicle_id,
)
from voltvan.telemetry.ingest import (
    load_fleet_ids as load_fleet_ids,
)
from voltvan.telemetry.ingest import (
    load_tokens as load_tokens,
)
from voltvan.telemetry.ingest import (
    now_us as now_us,
)
from voltvan.telemetry.ingest import (
    parse_message as parse_message,
)
from voltvan.telemetry.ingest import (
    parse_mqtt_url as parse_mqtt_url,
)
from voltvan.telemetry.ingest import (
    read_rsk_twizy_csv as read_rsk_twizy_csv,
)
from voltvan.telemetry.ingest import (
    retire_client as retire_client,
)
from voltvan.telemetry.ingest import (
    signal_catalog as signal_catalog,
)
from voltvan.telemetry.ingest import (
    signal_codes as signal_codes,
)
from voltvan.telemetry.ingest import (
    signal_names as signal_names,
)
from voltvan.telemetry.ingest import (
    tls_context as tls_context,
)
from voltvan.telemetry.ingest import (
    topic_for as topic_for,
)
from voltvan.telemetry.ingest import (
    vehicle_from_topic as vehicle_from_topic,
)
from voltvan.telemetry.ingest import (
    write_samples as write_samples,
)
from voltvan.telemetry.store import (
    LIVE_SIGNALS as LIVE_SIGNALS,
)
from voltvan.telemetry.store import (
    RAW_VIEWS as RAW_VIEWS,
)
from voltvan.telemetry.store import (
    Connection as Connection,
)
from voltvan.telemetry.store import (
    FileLock as FileLock,
)
from voltvan.telemetry.store import (
    ImportSummary as ImportSummary,
)
from voltvan.telemetry.store import (
    LiveTail as LiveTail,
)
from voltvan.telemetry.store import (
    Store as Store,
)
from voltvan.telemetry.store import (
    compact as compact,
)
from voltvan.telemetry.store import (
    day_series as day_series,
)
from voltvan.telemetry.store import (
    fetch_arrow as fetch_arrow,
)
from voltvan.telemetry.store import (
    import_rsk_twizy as import_rsk_twizy,
)
from voltvan.telemetry.store import (
    live_rows as live_rows,
)
from voltvan.telemetry.store import (
    open_query as open_query,
)
from voltvan.telemetry.store import (
    open_store as open_store,
)
from voltvan.telemetry.store import (
    raw_horizon as raw_horizon,
)
from voltvan.telemetry.store import (
    read_only_sql as read_only_sql,
)
from voltvan.telemetry.store import (
    refresh_views as refresh_views,
)
from voltvan.telemetry.store import (
    register_view_hook as register_view_hook,
)
from voltvan.telemetry.store import (
    retain as retain,
)
from voltvan.telemetry.store import (
    utc_days as utc_days,
)

__all__ = [
    "AIR_TEMPERATURE",
    "ALTITUDE",
    "BATTERY_POWER",
    "DEFAULT_FIT",
    "DERIVED_TABLES",
    "ENERGY_KWH",
    "IS_CHARGING",
    "KMH_TO_MPS",
    "LATITUDE",
    "LIVE_SIGNALS",
    "LONGITUDE",
    "MAX_PAYLOAD_BYTES",
    "NEEDS_CAPACITY",
    "NET_CAPACITY",
    "ODOMETER",
    "RAW_VIEWS",
    "REJECT_REASONS",
    "RSK_TWIZY_TZ",
    "SESSION_SCHEMA",
    "SIGNALS_RELATION",
    "SOC",
    "SPEED",
    "TOPIC_FILTER",
    "TRIP_SCHEMA",
    "TRIP_SIGNALS_SQL",
    "VSS_VERSION",
    "Alert",
    "AlertParams",
    "AnalyticsParams",
    "Batch",
    "ChargingParams",
    "Connection",
    "Context",
    "DerivedTable",
    "FileLock",
    "FleetFacts",
    "GpsParams",
    "ImportSummary",
    "IngestStats",
    "IngestWorker",
    "LiveTail",
    "LogFile",
    "MqttParams",
    "PublishError",
    "Publisher",
    "Reject",
    "RejectReason",
    "RetireError",
    "RetireResult",
    "Signal",
    "Sink",
    "Store",
    "Tokens",
    "TripParams",
    "WriteResult",
    "add_samples",
    "add_token",
    "calibrate",
    "capacities",
    "charging_flag_sql",
    "charging_keep_sql",
    "charging_standing_sql",
    "check_day",
    "compact",
    "daily_energy_sql",
    "day_filter",
    "day_series",
    "days_with_signals",
    "derive",
    "derived_rows",
    "driving_time_sql",
    "estimate_health",
    "fetch_arrow",
    "find_logs",
    "flag_gps_faults",
    "fleet_facts",
    "get_signal",
    "hash_token",
    "high_consumption_alerts",
    "import_rsk_twizy",
    "is_vehicle_id",
    "latest_soc",
    "live_rows",
    "load_fleet_ids",
    "load_tokens",
    "long_stop_alerts",
    "low_soc_alerts",
    "match_observed",
    "newest_signal_ts",
    "now_us",
    "observed_trips",
    "open_query",
    "open_store",
    "parse_message",
    "parse_mqtt_url",
    "raw_horizon",
    "read_only_sql",
    "read_rsk_twizy_csv",
    "rebuild_would_lose",
    "refresh_views",
    "register_view_hook",
    "retain",
    "retire_client",
    "segments_sql",
    "signal_catalog",
    "signal_codes",
    "signal_names",
    "stops_from_segments_sql",
    "time_bucket_sql",
    "time_buckets_sql",
    "tls_context",
    "topic_for",
    "trips_from_segments_sql",
    "utc_days",
    "van_gps_distances",
    "vans_without_capacity",
    "vehicle_from_topic",
    "vehicle_ids",
    "write_samples",
]
