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
from voltvan.telemetry.analytics._charging_sessions import ChargingParams as ChargingParams
from voltvan.telemetry.analytics._derived import DERIVED_TABLES as DERIVED_TABLES
from voltvan.telemetry.analytics._derived import AnalyticsParams as AnalyticsParams
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
from voltvan.telemetry.analytics._trips import TripParams as TripParams

__all__ = [
    "DEFAULT_FIT",
    "DERIVED_TABLES",
    "NEEDS_CAPACITY",
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
    "check_day",
    "day_filter",
    "days_with_signals",
    "derive",
    "derived_rows",
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
    "vans_without_capacity",
    "vehicle_ids",
]
