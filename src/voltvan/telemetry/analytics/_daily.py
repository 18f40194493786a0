"""Distance, energy and driving time: per trip, and per van per day.

Distance has a priority (``docs/analytics.md``): the odometer (``Vehicle.TraveledDistance``) when
the trip has two readings, else the path through the GPS fixes left after fault flagging, else
the integral of wheel speed. Energy is the drop of ``StateOfCharge.CurrentEnergy`` when the van
sends it, else the SoC drop times the usable capacity (``NetCapacity`` signal, else the fleet's
``battery_wh``). Set-based parts are SQL; the GPS walk is numpy (:mod:`._gps`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from voltvan.telemetry.analytics._gps import GpsParams, flag_gps_faults
from voltvan.telemetry.analytics._time_buckets import bucket_sql, buckets_sql
from voltvan.telemetry.analytics._trips import (
    KMH_TO_MPS,
    SIGNALS,
    fetch_table,
    interval_fields,
    soc_fraction,
)
from voltvan.telemetry.ingest import (
    AIR_TEMPERATURE,
    ENERGY_KWH,
    LATITUDE,
    LONGITUDE,
    ODOMETER,
    SOC,
    SPEED,
)
from voltvan.telemetry.store import Connection
from voltvan.travel import haversine_m

NET_CAPACITY = "Vehicle.Powertrain.TractionBattery.NetCapacity"

_TRIP_SIGNALS_SQL = f"""
SELECT t.vehicle_id, t.start_ts,
    arg_min(s.value, s.ts) FILTER (WHERE s.name = '{SOC}') AS start_soc_pct,
    arg_max(s.value, s.ts) FILTER (WHERE s.name = '{SOC}') AS end_soc_pct,
    arg_min(s.value, s.ts) FILTER (WHERE s.name = '{ENERGY_KWH}') AS start_kwh,
    arg_max(s.value, s.ts) FILTER (WHERE s.name = '{ENERGY_KWH}') AS end_kwh,
    max(s.value) FILTER (WHERE s.name = '{ODOMETER}')
        - min(s.value) FILTER (WHERE s.name = '{ODOMETER}') AS odometer_m,
    count(DISTINCT s.ts) FILTER (WHERE s.name = '{ODOMETER}') AS odometer_n,
    avg(s.value) FILTER (WHERE s.name = '{AIR_TEMPERATURE}') AS ambient_c
FROM (SELECT vehicle_id, start_ts, end_ts, {buckets_sql("start_ts", "end_ts")} AS bucket
      FROM _trips_base) t
JOIN (SELECT *, {bucket_sql("ts")} AS bucket FROM {SIGNALS}
      WHERE name IN ('{SOC}', '{ENERGY_KWH}', '{ODOMETER}', '{AIR_TEMPERATURE}')) s
  ON s.vehicle_id = t.vehicle_id AND s.bucket = t.bucket
 AND s.ts >= t.start_ts AND s.ts <= t.end_ts
GROUP BY t.vehicle_id, t.start_ts
"""


def capacities_wh(con: Connection, fallback: Mapping[str, float] | None = None) -> dict[str, float]:
    """Usable capacity per van: its last ``NetCapacity`` signal, else the fleet's ``battery_wh``."""
    out = dict(fallback or {})
    rows = con.execute(
        f"SELECT vehicle_id, arg_max(value, ts) FROM {SIGNALS} WHERE name = '{NET_CAPACITY}' "
        "GROUP BY vehicle_id"
    ).fetchall()
    out.update({str(v): float(kwh) * 1000.0 for v, kwh in rows if kwh})
    return out


def enrich_trips(
    con: Connection,
    base: Any,
    *,
    battery_wh: Mapping[str, float] | None = None,
    gps: GpsParams | None = None,
) -> Any:
    """Trips with distance (and its source), energy, Wh/km, SoC at both ends, ambient."""
    import pyarrow as pa

    trips = base.to_pylist()
    if not trips:
        return pa.Table.from_pylist([], schema=TRIP_SCHEMA())
    con.register("_trips_base", base)
    try:
        extra = {
            (r["vehicle_id"], r["start_ts"]): r
            for r in fetch_table(con, _TRIP_SIGNALS_SQL).to_pylist()
        }
    finally:
        con.unregister("_trips_base")
    caps = capacities_wh(con, battery_wh)
    need_gps = [t for t in trips if (extra.get(_key(t)) or {}).get("odometer_n", 0) < 2]
    gps_m = _gps_distances(con, need_gps, gps or GpsParams()) if need_gps else {}
    for t in trips:
        e = extra.get(_key(t)) or {}
        if (e.get("odometer_n") or 0) >= 2:
            t["distance_m"], t["distance_source"], t["gps_faults"] = e["odometer_m"], "odometer", 0
        elif _key(t) in gps_m and gps_m[_key(t)][0] > 0:
            t["distance_m"], t["gps_faults"] = gps_m[_key(t)]
            t["distance_source"] = "gps"
        else:
            t["distance_m"], t["distance_source"], t["gps_faults"] = (
                t["speed_distance_m"],
                "speed",
                0,
            )
        t["start_soc"] = soc_fraction(e.get("start_soc_pct"))
        t["end_soc"] = soc_fraction(e.get("end_soc_pct"))
        t["energy_wh"] = _energy_wh(e, caps.get(t["vehicle_id"]))
        t["wh_per_km"] = (
            t["energy_wh"] / (t["distance_m"] / 1000.0)
            if t["energy_wh"] is not None and t["distance_m"] > 0
            else None
        )
        t["ambient_c"] = e.get("ambient_c")
    return pa.Table.from_pylist(trips, schema=TRIP_SCHEMA())


def TRIP_SCHEMA() -> Any:  # noqa: N802 - a constant built lazily so pyarrow loads on demand
    import pyarrow as pa

    return pa.schema(
        [
            *interval_fields(),
            ("driving_s", pa.float64()),
            ("speed_distance_m", pa.float64()),
            ("distance_m", pa.float64()),
            ("distance_source", pa.string()),
            ("gps_faults", pa.int64()),
            ("start_soc", pa.float64()),
            ("end_soc", pa.float64()),
            ("energy_wh", pa.float64()),
            ("wh_per_km", pa.float64()),
            ("ambient_c", pa.float64()),
        ]
    )


def _key(t: Mapping[str, Any]) -> tuple[str, Any]:
    return (t["vehicle_id"], t["start_ts"])


def _energy_wh(e: Mapping[str, Any], capacity_wh: float | None) -> float | None:
    if e.get("start_kwh") is not None and e.get("end_kwh") is not None:
        return float(e["start_kwh"] - e["end_kwh"]) * 1000.0
    if e.get("start_soc_pct") is None or e.get("end_soc_pct") is None or capacity_wh is None:
        return None
    return float(e["start_soc_pct"] - e["end_soc_pct"]) / 100.0 * capacity_wh


def positions(con: Connection, vans: list[str], start: Any, end: Any) -> dict[str, np.ndarray]:
    """Van, time (epoch s), lat, lon and wheel speed (m/s) of the vans' samples in a window.

    One query for all vans (sorted by van, then time), so a day of 10,000 vans is one scan.
    """
    con.register("_gps_vans", _van_table(vans))
    try:
        rows = fetch_table(
            con,
            f"""SELECT vehicle_id, epoch(ts) AS t,
                    max(value) FILTER (WHERE name = '{LATITUDE}') AS lat,
                    max(value) FILTER (WHERE name = '{LONGITUDE}') AS lon,
                    max(value) FILTER (WHERE name = '{SPEED}') * {KMH_TO_MPS} AS v
                FROM {SIGNALS} WHERE ts >= ? AND ts <= ?
                  AND vehicle_id IN (SELECT vehicle_id FROM _gps_vans)
                  AND name IN ('{LATITUDE}', '{LONGITUDE}', '{SPEED}')
                GROUP BY vehicle_id, ts ORDER BY vehicle_id, ts""",
            [start, end],
        )
    finally:
        con.unregister("_gps_vans")
    out = {
        c: np.asarray(rows.column(c).to_numpy(zero_copy_only=False), np.float64)
        for c in ("t", "lat", "lon", "v")
    }
    out["van"] = np.asarray(rows.column("vehicle_id").to_numpy(zero_copy_only=False), object)
    return out


def _van_table(vans: list[str]) -> Any:
    import pyarrow as pa

    return pa.table({"vehicle_id": pa.array(vans, pa.string())})


def _gps_distances(
    con: Connection, trips: list[dict[str, Any]], params: GpsParams
) -> dict[tuple[str, Any], tuple[float, int]]:
    """Cleaned GPS path length and number of flagged fixes of each trip."""
    out: dict[tuple[str, Any], tuple[float, int]] = {}
    by_van: dict[str, list[dict[str, Any]]] = {}
    for t in trips:
        by_van.setdefault(t["vehicle_id"], []).append(t)
    lo = min(t["start_ts"] for t in trips)
    hi = max(t["end_ts"] for t in trips)
    p = positions(con, sorted(by_van), lo, hi)
    van_col = p["van"]
    change = np.flatnonzero(van_col[1:] != van_col[:-1]) + 1 if len(van_col) else np.array([])
    starts = [0, *change.tolist()] if len(van_col) else []
    ends = [*starts[1:], len(van_col)]
    bounds = {str(van_col[a]): (a, b) for a, b in zip(starts, ends, strict=True)}
    for van, van_trips in by_van.items():
        if van not in bounds:
            continue
        a0, b0 = bounds[van]
        out.update(_van_gps(p, int(a0), int(b0), van_trips, params))
    return out


def _van_gps(
    p: dict[str, np.ndarray], a0: int, b0: int, trips: list[dict[str, Any]], params: GpsParams
) -> dict[tuple[str, Any], tuple[float, int]]:
    """Flag one van's fixes once, then cut the cleaned path at each trip's start and end."""
    t_all, v_all = p["t"][a0:b0], p["v"][a0:b0]
    la_all, lo_all = p["lat"][a0:b0], p["lon"][a0:b0]
    has_fix = np.isfinite(la_all) & np.isfinite(lo_all)
    t, la, lon = t_all[has_fix], la_all[has_fix], lo_all[has_fix]
    known = np.isfinite(v_all)
    # wheel speed at each fix, from the speed samples around it (NaN where the van sends none)
    v = np.interp(t, t_all[known], v_all[known]) if known.any() else np.full(len(t), np.nan)
    faulty = flag_gps_faults(t, la, lon, v, params)
    good = ~faulty
    tg, lag, log = t[good], la[good], lon[good]
    step = np.zeros(len(tg))
    if len(tg) > 1:
        step[1:] = haversine_m(lag[:-1], log[:-1], lag[1:], log[1:])
    cum = np.cumsum(step)
    out: dict[tuple[str, Any], tuple[float, int]] = {}
    for trip in trips:
        a, b = trip["start_ts"].timestamp(), trip["end_ts"].timestamp()
        i = int(np.searchsorted(tg, a, "left"))
        j = int(np.searchsorted(tg, b, "right")) - 1
        dist = float(cum[j] - cum[i]) if j > i else 0.0
        out[_key(trip)] = (dist, int(np.count_nonzero(faulty[(t >= a) & (t <= b)])))
    return out


def driving_time_sql(
    speed_threshold_mps: float = 1.0, max_gap_s: float = 600.0, where: str = ""
) -> str:
    """Driving time per van per UTC day straight from the speed samples (no trips needed).

    A sample counts as driving until the next one when its speed is above the threshold and
    the next sample is no further than ``max_gap_s`` away (the trips' rules).
    """
    return f"""
    SELECT vehicle_id, CAST(ts AS DATE) AS day,
        sum(CASE WHEN v > {speed_threshold_mps} AND dt <= {max_gap_s} THEN dt ELSE 0 END)
            AS driving_s
    FROM (
        SELECT vehicle_id, ts, value * {KMH_TO_MPS} AS v,
            epoch(lead(ts) OVER (PARTITION BY vehicle_id ORDER BY ts)) - epoch(ts) AS dt
        FROM {SIGNALS} WHERE name = '{SPEED}' {where}
    )
    GROUP BY ALL
    """


def daily_energy_sql(where: str = "") -> str:
    """Distance (odometer), energy (battery energy signal, SoC as fallback) per van per UTC day.

    One pass over three signals: each sample's change from the previous one of the same van and
    signal; distance sums the odometer changes, energy sums the drops of ``CurrentEnergy``
    (charging is a rise and does not count). ``soc_drop_pct`` lets callers without an energy
    signal multiply by the capacity.
    """
    return f"""
    WITH d AS (
        SELECT vehicle_id, CAST(ts AS DATE) AS day, name,
            value - lag(value) OVER (PARTITION BY vehicle_id, name ORDER BY ts) AS dv
        FROM {SIGNALS} WHERE name IN ('{ODOMETER}', '{ENERGY_KWH}', '{SOC}') {where}
    )
    SELECT vehicle_id, day,
        sum(dv) FILTER (WHERE name = '{ODOMETER}') AS distance_m,
        -1000.0 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0) AS energy_wh,
        -sum(dv) FILTER (WHERE name = '{SOC}' AND dv < 0) AS soc_drop_pct,
        -1e6 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0)
            / nullif(sum(dv) FILTER (WHERE name = '{ODOMETER}'), 0) AS wh_per_km
    FROM d GROUP BY ALL
    """
