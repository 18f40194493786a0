"""Derived tables on top of the lake: trips, stops, charging sessions, daily energy; alerts,
GPS faults, battery health and the calibration of the energy model (``docs/analytics.md``).

The top of telemetry: reads the store, never written to by it.
"""

from voltvan.telemetry.analytics._alerts import Alert as Alert
from voltvan.telemetry.analytics._alerts import AlertParams as AlertParams
from voltvan.telemetry.analytics._alerts import high_consumption_alerts as high_consumption_alerts
from voltvan.telemetry.analytics._alerts import long_stop_alerts as long_stop_alerts
from voltvan.telemetry.analytics._alerts import low_soc_alerts as low_soc_alerts
from voltvan.telemetry.analytics._calibrate import calibrate as calibrate
from voltvan.telemetry.analytics._charging_sessions import ChargingParams as ChargingParams
from voltvan.telemetry.analytics._derived import AnalyticsParams as AnalyticsParams
from voltvan.telemetry.analytics._derived import derive as derive
from voltvan.telemetry.analytics._gps import GpsParams as GpsParams
from voltvan.telemetry.analytics._gps import flag_gps_faults as flag_gps_faults
from voltvan.telemetry.analytics._health import estimate_health as estimate_health
from voltvan.telemetry.analytics._trips import TripParams as TripParams

__all__ = [
    "Alert",
    "AlertParams",
    "AnalyticsParams",
    "ChargingParams",
    "GpsParams",
    "TripParams",
    "calibrate",
    "derive",
    "estimate_health",
    "flag_gps_faults",
    "high_consumption_alerts",
    "long_stop_alerts",
    "low_soc_alerts",
]
