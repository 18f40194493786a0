"""Alerts a dispatcher must see today: a van that cannot finish its route, a stop that lasts too
long, a van that uses far more energy than the model expects.

Each rule is a plain function over data the caller already has (the plan, the last known state,
the derived stops and trips), so the web console, the CLI and a scheduled job raise the same
alerts. Thresholds are documented in ``docs/analytics.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np

from voltvan.domain import ConsumptionParams
from voltvan.energy import ObservedTrip
from voltvan.plan import Plan, Route
from voltvan.travel import haversine_m

AlertKind = Literal["low_soc_for_route", "long_stop", "high_consumption"]
Severity = Literal["warning", "critical"]


@dataclass(frozen=True, slots=True)
class AlertParams:
    """Thresholds of the alert rules (see ``docs/analytics.md``)."""

    reserve_fraction: float = 0.10  # energy that must stay in the battery at every point
    long_stop_s: float = 45 * 60.0  # a stop longer than this away from depots/chargers
    known_place_radius_m: float = 300.0  # stops this close to a depot or charger are expected
    consumption_ratio: float = 1.3  # observed / predicted above this is "far above"
    min_trip_m: float = 2_000.0  # shorter trips are too noisy to judge consumption


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert: what, which van, when, how bad, and the number behind it."""

    kind: AlertKind
    vehicle_id: str
    ts: datetime | None
    severity: Severity
    message: str
    value: float
    threshold: float


def _battery_wh(route: Route) -> float | None:
    """Usable capacity implied by the plan (energy on arrival / SoC on arrival)."""
    for v in route.visits:
        if v.soc > 0.01:
            return v.energy_wh / v.soc
    return None


def low_soc_alerts(
    plan: Plan,
    state: Mapping[str, tuple[datetime | None, float]],
    now_s: float,
    params: AlertParams = AlertParams(),
    *,
    consumption_factor: Mapping[str, float] | None = None,
) -> list[Alert]:
    """Vans whose SoC now (``state[van] = (ts, soc fraction)``) cannot carry them to the end.

    The rest of the route is every leg arriving after ``now_s`` (seconds after midnight of the
    plan's day), with the plan's energy per leg (the energy model's figure) scaled by the van's
    observed/predicted ratio where known, and the planned charge stops added back.
    """
    out: list[Alert] = []
    for route in plan.routes:
        if route.van_id not in state:
            continue
        ts, soc = state[route.van_id]
        cap = _battery_wh(route)
        if cap is None:
            continue
        factor = (consumption_factor or {}).get(route.van_id, 1.0)
        reserve = params.reserve_fraction * cap
        energy = soc * cap
        lowest = energy
        where = ""
        for visit in route.visits:
            if visit.arrival_s <= now_s:
                continue
            energy -= visit.energy_from_prev_wh * factor
            if energy < lowest:
                lowest, where = energy, visit.location_id
            energy = min(cap, energy + visit.charge_wh)
        if lowest < reserve:
            short = reserve - lowest
            severity: Severity = "critical" if lowest < 0 else "warning"
            out.append(
                Alert(
                    kind="low_soc_for_route",
                    vehicle_id=route.van_id,
                    ts=ts,
                    severity=severity,
                    message=(
                        f"SoC {soc:.0%} is {short / 1000:.1f} kWh short of finishing the route "
                        f"with the {params.reserve_fraction:.0%} reserve (lowest at {where})"
                    ),
                    value=lowest / cap,
                    threshold=params.reserve_fraction,
                )
            )
    return out


def _known_places(plan: Plan | None) -> np.ndarray:
    if plan is None:
        return np.empty((0, 2))
    pts = {
        (v.lat, v.lon)
        for r in plan.routes
        for v in r.visits
        if v.kind in ("start", "end", "charge")
    }
    return np.array(sorted(pts), dtype=np.float64).reshape(-1, 2)


def long_stop_alerts(
    stops: Iterable[Mapping[str, Any]],
    params: AlertParams = AlertParams(),
    *,
    plan: Plan | None = None,
) -> list[Alert]:
    """Stops longer than ``long_stop_s`` that are not at a depot or charger of the plan."""
    places = _known_places(plan)
    out: list[Alert] = []
    for s in stops:
        dur = float(s["duration_s"])
        if dur < params.long_stop_s:
            continue
        lat, lon = s.get("lat"), s.get("lon")
        if lat is not None and lon is not None and len(places):
            d = haversine_m(
                np.full(len(places), lat), np.full(len(places), lon), places[:, 0], places[:, 1]
            )
            if float(d.min()) <= params.known_place_radius_m:
                continue
        out.append(
            Alert(
                kind="long_stop",
                vehicle_id=str(s["vehicle_id"]),
                ts=s.get("start_ts"),
                severity="critical" if dur >= 2 * params.long_stop_s else "warning",
                message=f"stopped {dur / 60:.0f} min away from depots and chargers",
                value=dur,
                threshold=params.long_stop_s,
            )
        )
    return out


def high_consumption_alerts(
    observed: Sequence[tuple[str, datetime | None, ObservedTrip]],
    model: Mapping[str, ConsumptionParams] | ConsumptionParams,
    params: AlertParams = AlertParams(),
) -> list[Alert]:
    """Trips whose measured energy exceeds the energy model's prediction by the ratio."""
    from voltvan.energy import predict_trip_wh

    out: list[Alert] = []
    for van, ts, trip in observed:
        if trip.distance_m < params.min_trip_m:
            continue
        p = model if isinstance(model, ConsumptionParams) else model.get(van)
        if p is None:
            continue
        predicted = predict_trip_wh(p, trip)
        if predicted <= 0:
            continue
        ratio = trip.observed_energy_wh / predicted
        if ratio > params.consumption_ratio:
            km = trip.distance_m / 1000.0
            out.append(
                Alert(
                    kind="high_consumption",
                    vehicle_id=van,
                    ts=ts,
                    severity="critical" if ratio > 2 * params.consumption_ratio else "warning",
                    message=(
                        f"used {trip.observed_energy_wh / km:.0f} Wh/km, the model expects "
                        f"{predicted / km:.0f} Wh/km ({ratio:.1f}x)"
                    ),
                    value=ratio,
                    threshold=params.consumption_ratio,
                )
            )
    return out
