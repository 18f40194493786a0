"""Each alert fires on a crafted case and stays quiet on a normal one."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from voltvan.domain import ConsumptionParams
from voltvan.energy import ObservedTrip, predict_trip_wh
from voltvan.plan import Plan, Route, Visit
from voltvan.telemetry.analytics._alerts import (
    AlertParams,
    high_consumption_alerts,
    long_stop_alerts,
    low_soc_alerts,
)

BATTERY_WH = 60_000.0
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
DEPOT = (52.52, 13.40)


def _visit(kind: str, loc: str, lat: float, arrival_s: float, energy_wh: float,
           leg_wh: float) -> Visit:  # fmt: skip
    return Visit(
        kind=kind,  # type: ignore[arg-type]
        location_id=loc,
        lat=lat,
        lon=13.40,
        arrival_s=arrival_s,
        start_s=arrival_s,
        departure_s=arrival_s + 300,
        load_kg=0.0,
        load_m3=0.0,
        energy_wh=energy_wh,
        soc=energy_wh / BATTERY_WH,
        energy_from_prev_wh=leg_wh,
    )


def _plan() -> Plan:
    """One van: start full at 08:00, 4 legs of 12 kWh, back at the depot at 16:00."""
    visits = [_visit("start", "D", DEPOT[0], 8 * 3600, BATTERY_WH, 0.0)]
    e = BATTERY_WH
    for i, h in enumerate((10, 12, 14), start=1):
        e -= 12_000
        visits.append(_visit("stop", f"S{i}", 52.53 + 0.01 * i, h * 3600, e, 12_000))
    e -= 12_000
    visits.append(_visit("end", "D", DEPOT[0], 16 * 3600, e, 12_000))
    route = Route("V1", "large", "D", tuple(visits), 80_000.0, 48_000.0, 0.0, 48_000.0)
    return Plan(scenario="t", routes=(route,))


def test_low_soc_fires_when_the_rest_of_the_route_needs_more() -> None:
    """At 11:00 three 12 kWh legs remain; SoC 50 % (30 kWh) cannot do them with a reserve."""
    alerts = low_soc_alerts(_plan(), {"V1": (NOW, 0.50)}, now_s=11 * 3600)
    assert [a.kind for a in alerts] == ["low_soc_for_route"]
    assert alerts[0].severity == "critical"  # 30 - 36 kWh < 0: the van would strand
    assert alerts[0].value < 0


def test_low_soc_quiet_when_energy_suffices() -> None:
    """SoC 80 % (48 kWh) covers 36 kWh and the 6 kWh reserve."""
    assert low_soc_alerts(_plan(), {"V1": (NOW, 0.80)}, now_s=11 * 3600) == []


def test_low_soc_uses_observed_consumption_factor() -> None:
    """The same 80 % fails when the van has been using 30 % more than the model."""
    alerts = low_soc_alerts(
        _plan(), {"V1": (NOW, 0.80)}, now_s=11 * 3600, consumption_factor={"V1": 1.3}
    )
    assert len(alerts) == 1
    assert alerts[0].severity == "warning"


def test_long_stop_away_from_depot_fires_and_depot_stop_does_not() -> None:
    """A 70 min stop in town alerts; a 3 h stop at the depot and a 20 min stop do not."""
    stops = [
        {"vehicle_id": "V1", "start_ts": NOW, "duration_s": 70 * 60.0, "lat": 52.56, "lon": 13.45},
        {"vehicle_id": "V1", "start_ts": NOW, "duration_s": 3 * 3600.0, "lat": DEPOT[0],
         "lon": DEPOT[1] + 0.001},
        {"vehicle_id": "V1", "start_ts": NOW, "duration_s": 20 * 60.0, "lat": 52.56, "lon": 13.45},
    ]  # fmt: skip
    alerts = long_stop_alerts(stops, plan=_plan())
    assert [(a.kind, a.value) for a in alerts] == [("long_stop", 4200.0)]


def _trip(energy_factor: float, params: ConsumptionParams) -> ObservedTrip:
    t = np.arange(0, 1200, 1.0)
    v = np.where((t % 120) < 100, 12.0, 0.0)
    base = ObservedTrip(t, v, None, 15.0, 2_800.0, 1.0)
    return ObservedTrip(t, v, None, 15.0, 2_800.0, predict_trip_wh(params, base) * energy_factor)


def test_high_consumption_fires_above_ratio_only() -> None:
    """A trip at 1.6x the model's energy alerts; one at 1.1x does not."""
    p = ConsumptionParams()
    observed = [("V1", NOW, _trip(1.6, p)), ("V2", NOW, _trip(1.1, p))]
    alerts = high_consumption_alerts(observed, p, AlertParams())
    assert [a.vehicle_id for a in alerts] == ["V1"]
    assert abs(alerts[0].value - 1.6) < 1e-6
