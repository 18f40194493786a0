"""Observed consumption back into the energy model: trips as speed traces with measured energy.

The planner's energy model (:mod:`voltvan.energy`) is only as good as its parameters. Every
derived trip with a measured energy (SoC drop times capacity, or the battery energy signal) and
its 1 Hz speed trace is an observation; :func:`calibrate` hands them to
:func:`voltvan.energy.fit_consumption` and returns the fit, and :func:`predicted_wh` gives the
model's figure for one trip (the high-consumption alert compares against it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from voltvan.domain import ConsumptionParams
from voltvan.energy import FitResult, ObservedTrip, clean_altitude_m, fit_consumption
from voltvan.energy import predict_trip_wh as _predict
from voltvan.errors import InvalidInput
from voltvan.telemetry.analytics._trips import KMH_TO_MPS, SIGNALS, fetch_table
from voltvan.telemetry.ingest import ALTITUDE, LATITUDE, LONGITUDE, SPEED
from voltvan.telemetry.store import Connection

DEFAULT_FIT = ("drivetrain_efficiency", "auxiliary_w")


def trip_trace(con: Connection, vehicle_id: str, start: Any, end: Any) -> dict[str, np.ndarray]:
    """Time (s from trip start), wheel speed (m/s) and cleaned altitude of a trip, 1 row per ts."""
    rows = fetch_table(
        con,
        f"""SELECT epoch(ts) AS t,
                max(value) FILTER (WHERE name = '{SPEED}') * {KMH_TO_MPS} AS v,
                max(value) FILTER (WHERE name = '{LATITUDE}') AS lat,
                max(value) FILTER (WHERE name = '{LONGITUDE}') AS lon,
                max(value) FILTER (WHERE name = '{ALTITUDE}') AS alt
            FROM {SIGNALS} WHERE vehicle_id = ? AND ts >= ? AND ts <= ?
              AND name IN ('{SPEED}', '{LATITUDE}', '{LONGITUDE}', '{ALTITUDE}')
            GROUP BY ts HAVING v IS NOT NULL ORDER BY ts""",
        [vehicle_id, start, end],
    )
    cols = {
        c: np.asarray(rows.column(c).to_numpy(zero_copy_only=False), np.float64)
        for c in ("t", "v", "lat", "lon", "alt")
    }
    cols["t"] = cols["t"] - (cols["t"][0] if len(cols["t"]) else 0.0)
    cols["v"] = np.clip(cols["v"], 0.0, None)
    return cols


def observed_trips(
    con: Connection,
    trips: Sequence[Mapping[str, Any]],
    *,
    mass_kg: Mapping[str, float] | float,
    min_distance_m: float = 1000.0,
) -> list[ObservedTrip]:
    """The trips with a measured energy, as the energy model's observations."""
    out: list[ObservedTrip] = []
    for t in trips:
        energy = t.get("energy_wh")
        if energy is None or energy <= 0 or (t.get("distance_m") or 0.0) < min_distance_m:
            continue
        van = str(t["vehicle_id"])
        mass = mass_kg if isinstance(mass_kg, int | float) else mass_kg.get(van)
        if mass is None:
            continue
        tr = trip_trace(con, van, t["start_ts"], t["end_ts"])
        if len(tr["t"]) < 10:
            continue
        alt = None
        if np.isfinite(tr["alt"]).sum() > 10:
            alt = clean_altitude_m(
                tr["t"], np.nan_to_num(tr["lat"]), np.nan_to_num(tr["lon"]), tr["alt"]
            )
        out.append(
            ObservedTrip(
                time_s=tr["t"],
                speed_mps=tr["v"],
                altitude_m=alt,
                ambient_c=float(t["ambient_c"]) if t.get("ambient_c") is not None else 15.0,
                mass_kg=float(mass),
                observed_energy_wh=float(energy),
                name=f"{van} {t['start_ts']:%Y-%m-%d %H:%M}",
            )
        )
    return out


def calibrate(
    con: Connection,
    base: ConsumptionParams,
    *,
    mass_kg: Mapping[str, float] | float,
    fit: Sequence[str] = DEFAULT_FIT,
    where: str = "",
    args: Sequence[object] | None = None,
) -> FitResult:
    """Fit the energy model's parameters to the derived trips (``where`` filters the trips view)."""
    trips = fetch_table(con, f"SELECT * FROM trips WHERE true {where} ORDER BY start_ts", args)
    observed = observed_trips(con, trips.to_pylist(), mass_kg=mass_kg)
    if not observed:
        raise InvalidInput(
            "no trip with a measured energy to calibrate on (run `voltvan derive` with "
            "--battery-wh, and check that the vans send SoC)",
            field="trips",
        )
    return fit_consumption(observed, base, fit=tuple(fit))


def predicted_wh(trip: ObservedTrip, params: ConsumptionParams) -> float:
    """The energy model's battery energy for an observed trip, Wh."""
    return _predict(params, trip)
