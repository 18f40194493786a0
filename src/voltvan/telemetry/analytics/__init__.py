"""Derived tables on top of the lake: trips, stops, charging sessions, daily energy; alerts,
GPS faults, battery health and the calibration of the energy model (``docs/analytics.md``).

The top of telemetry: reads the store, never written to by it.
"""

from voltvan.telemetry.analytics._alerts import Alert as Alert
from voltvan.telemetry.analytics._alerts import AlertParams as AlertParams
from voltvan.telemetry.analytics._alerts import high_consumption_alerts as high_consumption_alerts
from voltvan.telemetry.analytics._alerts import long_stop_alerts as long_stop_alerts
from voltvan.telemetry.analytics._alerts import low_soc_alerts as low_soc_alerts
from voltvan.telemetry.analytics._calibrate import DEFAULT_FIT as DEFAULT_FIT
from voltvan.telemetry.analytics._calibrate import calibrate as calibrate
from voltvan.telemetry.analytics._calibrate import observed_trips as observed_trips

# The SQL and steps behind the derived tables, for the Spark engine (voltvan.telemetry.spark):
# it runs the same text, so each table has one definition.
from voltvan.telemetry.analytics._charging_detect import ChargingParams as ChargingParams
from voltvan.telemetry.analytics._charging_detect import _flag_sql as charging_flag_sql
from voltvan.telemetry.analytics._charging_detect import _standing_sql as charging_standing_sql
from voltvan.telemetry.analytics._charging_detect import keep_sql as charging_keep_sql
from voltvan.telemetry.analytics._charging_sessions import SESSION_SCHEMA as SESSION_SCHEMA
from voltvan.telemetry.analytics._daily import _TRIP_SIGNALS_SQL as TRIP_SIGNALS_SQL
from voltvan.telemetry.analytics._daily import NET_CAPACITY as NET_CAPACITY
from voltvan.telemetry.analytics._daily import TRIP_SCHEMA as TRIP_SCHEMA
from voltvan.telemetry.analytics._daily import _van_gps as van_gps_distances
from voltvan.telemetry.analytics._daily import daily_energy_sql as daily_energy_sql
from voltvan.telemetry.analytics._daily import driving_time_sql as driving_time_sql
from voltvan.telemetry.analytics._derived import DERIVED_TABLES as DERIVED_TABLES
from voltvan.telemetry.analytics._derived import AnalyticsParams as AnalyticsParams
from voltvan.telemetry.analytics._derived import _rebuild_would_lose as rebuild_would_lose
from voltvan.telemetry.analytics._derived import days_with_signals as days_with_signals
from voltvan.telemetry.analytics._derived import derive as derive
from voltvan.telemetry.analytics._fleet_facts import NEEDS_CAPACITY as NEEDS_CAPACITY
from voltvan.telemetry.analytics._fleet_facts import FleetFacts as FleetFacts
from voltvan.telemetry.analytics._fleet_facts import capacities as capacities
from voltvan.telemetry.analytics._fleet_facts import fleet_facts as fleet_facts
from voltvan.telemetry.analytics._gps import GpsParams as GpsParams
from voltvan.telemetry.analytics._gps import flag_gps_faults as flag_gps_faults
from voltvan.telemetry.analytics._health import estimate_health as estimate_health
from voltvan.telemetry.analytics._read import DerivedTable as DerivedTable
from voltvan.telemetry.analytics._read import check_day as check_day
from voltvan.telemetry.analytics._read import day_filter as day_filter
from voltvan.telemetry.analytics._read import derived_rows as derived_rows
from voltvan.telemetry.analytics._read import latest_soc as latest_soc
from voltvan.telemetry.analytics._read import match_observed as match_observed
from voltvan.telemetry.analytics._read import newest_signal_ts as newest_signal_ts
from voltvan.telemetry.analytics._read import vans_without_capacity as vans_without_capacity
from voltvan.telemetry.analytics._read import vehicle_ids as vehicle_ids
from voltvan.telemetry.analytics._time_buckets import bucket_sql as time_bucket_sql
from voltvan.telemetry.analytics._time_buckets import buckets_sql as time_buckets_sql
from voltvan.telemetry.analytics._trips import KMH_TO_MPS as KMH_TO_MPS
from voltvan.telemetry.analytics._trips import SIGNALS as SIGNALS_RELATION
from voltvan.telemetry.analytics._trips import TripParams as TripParams
from voltvan.telemetry.analytics._trips import _runs_sql as segments_sql
from voltvan.telemetry.analytics._trips import _stops_from as stops_from_segments_sql
from voltvan.telemetry.analytics._trips import _trips_from as trips_from_segments_sql

__all__ = [
    "DEFAULT_FIT",
    "DERIVED_TABLES",
    "KMH_TO_MPS",
    "NEEDS_CAPACITY",
    "NET_CAPACITY",
    "SESSION_SCHEMA",
    "SIGNALS_RELATION",
    "TRIP_SCHEMA",
    "TRIP_SIGNALS_SQL",
    "Alert",
    "AlertParams",
    "AnalyticsParams",
    "ChargingParams",
    "DerivedTable",
    "FleetFacts",
    "GpsParams",
    "TripParams",
    "calibrate",
    "capacities",
    "charging_flag_sql",
    "charging_keep_sql",
    "charging_standing_sql",
    "check_day",
    "daily_energy_sql",
    "day_filter",
    "days_with_signals",
    "derive",
    "derived_rows",
    "driving_time_sql",
    "estimate_health",
    "flag_gps_faults",
    "fleet_facts",
    "high_consumption_alerts",
    "latest_soc",
    "long_stop_alerts",
    "low_soc_alerts",
    "match_observed",
    "newest_signal_ts",
    "observed_trips",
    "rebuild_would_lose",
    "segments_sql",
    "stops_from_segments_sql",
    "time_bucket_sql",
    "time_buckets_sql",
    "trips_from_segments_sql",
    "van_gps_distances",
    "vans_without_capacity",
    "vehicle_ids",
]
