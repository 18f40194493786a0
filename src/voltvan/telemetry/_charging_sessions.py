"""Charging sessions: when a van charged, from which SoC to which, how much energy, peak power.

Three sources, best first (``docs/analytics.md``): the van's ``Charging.IsCharging`` flag; the
battery power ``TractionBattery.CurrentPower`` (positive = into the battery) above
``min_power_w`` while standing; for vans that send neither, SoC rising while standing. Energy is
the integral of battery power where the van sends it (measured at the battery, so it can
estimate capacity, see :mod:`._health`), else the ``CurrentEnergy`` rise, else SoC gain times
capacity (marked ``energy_source = 'soc'``; useless for health). All set-based SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voltvan.telemetry._duck import Connection
from voltvan.telemetry._trips import (
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    KMH_TO_MPS,
    SIGNALS,
    SOC,
    SPEED,
    fetch_table,
)


@dataclass(frozen=True, slots=True)
class ChargingParams:
    """Session thresholds (see ``docs/analytics.md``)."""

    min_power_w: float = 500.0  # battery power above this, standing, counts as charging
    min_session_s: float = 120.0  # shorter blips are not sessions
    min_soc_gain_pct: float = 2.0  # SoC-only detection: a rise smaller than this is noise
    standing_mps: float = 1.0  # speed at or below this counts as standing
    max_gap_s: float = 900.0  # silence longer than this ends a session


def sessions_sql(
    params: ChargingParams = ChargingParams(), where: str = "", *, flag_only: bool = False
) -> str:
    """SQL of all sessions in the signals matching ``where``.

    ``flag_only`` skips the power and SoC paths: right (and several times faster) when every
    van sends ``IsCharging`` (see :func:`all_vans_send_flag`).
    """
    p = params
    sql = f"""
    WITH flag_rows AS (  -- vans that send IsCharging: islands of the flag alone (cheap)
        SELECT vehicle_id, ts, value > 0.5 AS charging,
            lag(value > 0.5) OVER w AS prev_chg, lead(ts) OVER w AS next_ts,
            epoch(ts) - epoch(lag(ts) OVER w) AS dt_prev
        FROM {SIGNALS} WHERE name = '{IS_CHARGING}' {where}
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), flag_runs AS (
        SELECT *, sum(CASE WHEN prev_chg IS DISTINCT FROM charging OR dt_prev > {p.max_gap_s}
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
        FROM flag_rows
    ), flag_sessions AS (
        SELECT vehicle_id, min(ts) AS start_ts,
            max(CASE WHEN next_ts IS NOT NULL AND epoch(next_ts) - epoch(ts) <= {p.max_gap_s}
                     THEN next_ts ELSE ts END) AS end_ts
        FROM flag_runs WHERE charging GROUP BY vehicle_id, run
    ), flag_detail AS (  -- LEFT JOIN: a session without SoC/power rows still counts
        SELECT f.vehicle_id, f.start_ts, f.end_ts, s.ts, s.name, s.value,
            epoch(lead(s.ts) OVER (PARTITION BY f.vehicle_id, f.start_ts, s.name ORDER BY s.ts))
                - epoch(s.ts) AS dt
        FROM flag_sessions f LEFT JOIN {SIGNALS} s
          ON s.vehicle_id = f.vehicle_id AND s.ts >= f.start_ts AND s.ts <= f.end_ts
         AND s.name IN ('{SOC}', '{BATTERY_POWER}', '{ENERGY_KWH}')
    ), flagged AS (
        SELECT vehicle_id, start_ts, end_ts,
            arg_min(value, ts) FILTER (WHERE name = '{SOC}') AS start_soc_pct,
            arg_max(value, ts) FILTER (WHERE name = '{SOC}') AS end_soc_pct,
            sum(greatest(value, 0) * coalesce(dt, 0)) FILTER (
                WHERE name = '{BATTERY_POWER}') / 3600.0 AS power_wh,
            1000.0 * (arg_max(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')
                - arg_min(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')) AS kwh_wh,
            max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS peak_power_w,
            'is_charging' AS source,
            count(value) FILTER (WHERE name = '{BATTERY_POWER}') > 0 AS has_power
        FROM flag_detail
        GROUP BY vehicle_id, start_ts, end_ts
    ), piv AS (  -- vans without the flag: power or SoC decide, so pivot what they send
        SELECT vehicle_id, ts,
            NULL::DOUBLE AS chg,
            max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS p_w,
            max(value) FILTER (WHERE name = '{SOC}') AS soc,
            max(value) FILTER (WHERE name = '{SPEED}') * {KMH_TO_MPS} AS v,
            max(value) FILTER (WHERE name = '{ENERGY_KWH}') AS kwh
        FROM {SIGNALS}
        WHERE name IN ('{BATTERY_POWER}', '{SOC}', '{SPEED}', '{ENERGY_KWH}') {where}
          AND vehicle_id NOT IN (SELECT DISTINCT vehicle_id FROM flag_rows)
        GROUP BY vehicle_id, ts
    ), kind AS (
        SELECT vehicle_id, bool_or(chg IS NOT NULL) AS has_flag,
            bool_or(p_w IS NOT NULL) AS has_power
        FROM piv GROUP BY vehicle_id
    ), filled AS (
        SELECT piv.*, kind.has_flag, kind.has_power,
            last_value(chg IGNORE NULLS) OVER w AS chg_f,
            last_value(p_w IGNORE NULLS) OVER w AS p_f,
            last_value(soc IGNORE NULLS) OVER w AS soc_f,
            last_value(v IGNORE NULLS) OVER w AS v_f,
            last_value(kwh IGNORE NULLS) OVER w AS kwh_f,
            lead(ts) OVER w AS next_ts
        FROM piv JOIN kind USING (vehicle_id)
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING)
    ), state AS (
        SELECT *,
            CASE WHEN has_flag THEN coalesce(chg_f, 0) > 0.5
                 WHEN has_power THEN coalesce(p_f, 0) > {p.min_power_w}
                                     AND coalesce(v_f, 0) <= {p.standing_mps}
                 ELSE false END AS charging,
            CASE WHEN next_ts IS NOT NULL AND epoch(next_ts) - epoch(ts) <= {p.max_gap_s}
                 THEN epoch(next_ts) - epoch(ts) ELSE 0 END AS dt_next
        FROM filled
    ), edges AS (
        SELECT *, lag(charging) OVER w AS prev_chg, epoch(ts) - epoch(lag(ts) OVER w) AS dt_prev
        FROM state WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), runs AS (
        SELECT *, sum(CASE WHEN prev_chg IS DISTINCT FROM charging OR dt_prev > {p.max_gap_s}
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
        FROM edges
    ), explicit AS (
        SELECT vehicle_id, min(ts) AS start_ts,
            max(CASE WHEN dt_next > 0 THEN next_ts ELSE ts END) AS end_ts,
            arg_min(soc_f, ts) AS start_soc_pct, arg_max(soc_f, ts) AS end_soc_pct,
            sum(greatest(coalesce(p_f, 0), 0) * dt_next) / 3600.0 AS power_wh,
            (arg_max(kwh_f, ts) - arg_min(kwh_f, ts)) * 1000.0 AS kwh_wh,
            max(p_f) AS peak_power_w,
            CASE WHEN bool_or(has_flag) THEN 'is_charging' ELSE 'power' END AS source,
            bool_or(has_power) AS has_power
        FROM runs WHERE charging
        GROUP BY vehicle_id, run
    ), soc_only AS (
        SELECT vehicle_id, ts, soc_f, v_f, next_ts, dt_next,
            soc_f - lag(soc_f) OVER w AS d_soc, epoch(ts) - epoch(lag(ts) OVER w) AS dt_prev
        FROM state WHERE NOT has_flag AND NOT has_power AND soc IS NOT NULL
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), soc_runs AS (
        SELECT *, sum(CASE WHEN coalesce(d_soc, -1) < 0 OR coalesce(v_f, 0) > {p.standing_mps}
                             OR dt_prev > {p.max_gap_s} THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
        FROM soc_only
    ), rising AS (
        SELECT vehicle_id, min(ts) FILTER (WHERE d_soc > 0) AS first_rise,
            max(ts) FILTER (WHERE d_soc > 0) AS end_ts,
            sum(CASE WHEN d_soc > 0 THEN d_soc ELSE 0 END) AS gain_pct,
            max(soc_f) AS end_soc_pct
        FROM soc_runs GROUP BY vehicle_id, run
        HAVING sum(CASE WHEN d_soc > 0 THEN d_soc ELSE 0 END) >= {p.min_soc_gain_pct}
    ), implicit AS (
        SELECT vehicle_id, first_rise AS start_ts, end_ts,
            end_soc_pct - gain_pct AS start_soc_pct, end_soc_pct,
            NULL::DOUBLE AS power_wh, NULL::DOUBLE AS kwh_wh, NULL::DOUBLE AS peak_power_w,
            'soc' AS source, false AS has_power
        FROM rising
    )
    SELECT * FROM (
        SELECT * FROM flagged UNION ALL BY NAME SELECT * FROM explicit
        UNION ALL BY NAME SELECT * FROM implicit
    )
    WHERE epoch(end_ts) - epoch(start_ts) >= {p.min_session_s}
    """
    if flag_only:
        cut = sql.index("    ), piv AS (")
        sql = (
            sql[:cut]
            + f"""    )
    SELECT * FROM flagged WHERE epoch(end_ts) - epoch(start_ts) >= {p.min_session_s}
    """
        )
    return sql


def all_vans_send_flag(con: Connection) -> bool:
    """Whether every van in the last known state has sent ``IsCharging`` (cheap: small file).

    False when the state is empty (unknown), so the caller takes every detection path.
    """
    rows = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT flag) FROM (SELECT vehicle_id, "
        f"bool_or(name = '{IS_CHARGING}') AS flag FROM last_state GROUP BY vehicle_id)"
    ).fetchall()
    return bool(rows) and rows[0][0] > 0 and rows[0][1] == 0


def charging_sessions(
    con: Connection,
    params: ChargingParams = ChargingParams(),
    *,
    where: str = "",
    args: list[Any] | None = None,
    battery_wh: dict[str, float] | None = None,
) -> Any:
    """Sessions with energy (and where the energy figure comes from), as an Arrow table."""
    import pyarrow as pa

    flag_only = all_vans_send_flag(con)
    sql = sessions_sql(params, where, flag_only=flag_only) + " ORDER BY vehicle_id, start_ts"
    repeat = sql.count("?") // len(args) if args else 0  # ``where`` appears more than once
    rows = fetch_table(con, sql, list(args or []) * repeat)
    out = []
    for r in rows.to_pylist():
        gain = (r["end_soc_pct"] or 0.0) - (r["start_soc_pct"] or 0.0)
        cap = (battery_wh or {}).get(r["vehicle_id"])
        if r["has_power"] and r["power_wh"] is not None and r["power_wh"] > 0:
            energy, src = r["power_wh"], "power"
        elif r["kwh_wh"] is not None:
            energy, src = r["kwh_wh"], "energy_signal"
        elif cap is not None:
            energy, src = gain / 100.0 * cap, "soc"
        else:
            energy, src = None, "none"
        out.append(
            {
                "vehicle_id": r["vehicle_id"],
                "start_ts": r["start_ts"],
                "end_ts": r["end_ts"],
                "duration_s": (r["end_ts"] - r["start_ts"]).total_seconds(),
                "start_soc": _frac(r["start_soc_pct"]),
                "end_soc": _frac(r["end_soc_pct"]),
                "energy_wh": energy,
                "energy_source": src,
                "peak_power_w": r["peak_power_w"],
                "source": r["source"],
            }
        )
    return pa.Table.from_pylist(out, schema=SESSION_SCHEMA())


def _frac(pct: float | None) -> float | None:
    return None if pct is None else pct / 100.0


def SESSION_SCHEMA() -> Any:  # noqa: N802 - a schema constant built lazily
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    return pa.schema(
        [
            ("vehicle_id", pa.string()),
            ("start_ts", ts),
            ("end_ts", ts),
            ("duration_s", pa.float64()),
            ("start_soc", pa.float64()),
            ("end_soc", pa.float64()),
            ("energy_wh", pa.float64()),
            ("energy_source", pa.string()),
            ("peak_power_w", pa.float64()),
            ("source", pa.string()),
        ]
    )
