"""Finding charging sessions in the signals: set-based SQL, one detection path per kind of van.

Three sources, best first (``docs/analytics.md``): the van's ``Charging.IsCharging`` flag; the
battery power ``TractionBattery.CurrentPower`` (positive = into the battery) above
``min_power_w`` while standing; for vans that send neither, SoC rising while standing. Each found
session carries the raw figures its energy is chosen from (:mod:`._charging_sessions`). The
Spark engine runs the same CTEs (``voltvan.telemetry.spark``), so they are exported one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voltvan.telemetry.analytics._day_window import ts_sql
from voltvan.telemetry.analytics._time_buckets import bucket_sql, buckets_sql
from voltvan.telemetry.analytics._trips import KMH_TO_MPS, SIGNALS
from voltvan.telemetry.ingest import BATTERY_POWER, ENERGY_KWH, IS_CHARGING, SOC, SPEED
from voltvan.telemetry.store import Connection


@dataclass(frozen=True, slots=True)
class ChargingParams:
    """Session thresholds (see ``docs/analytics.md``)."""

    min_power_w: float = 500.0  # battery power above this, standing, counts as charging
    min_session_s: float = 120.0  # shorter blips are not sessions
    min_soc_gain_pct: float = 2.0  # SoC-only detection: a rise smaller than this is noise
    standing_mps: float = 1.0  # speed at or below this counts as standing
    max_gap_s: float = 900.0  # silence longer than this ends a session


#: What a session is made of: the samples that decide where one starts and ends.
SESSION_INPUTS = ", ".join(f"'{n}'" for n in (IS_CHARGING, BATTERY_POWER, SOC, SPEED, ENERGY_KWH))


def _flag_sql(p: ChargingParams, where: str, span: str) -> str:
    """CTEs of the vans that send ``IsCharging`` (on ``span``): islands of the flag alone."""
    return f"""
    raw_flag AS (
        SELECT vehicle_id, ts, value FROM {SIGNALS} WHERE name = '{IS_CHARGING}' {where}
    ), flag_vans AS (
        SELECT DISTINCT vehicle_id FROM raw_flag WHERE true {span}
    ), flag_rows AS (
        SELECT vehicle_id, ts, value > 0.5 AS charging,
            lag(value > 0.5) OVER w AS prev_chg, lead(ts) OVER w AS next_ts,
            epoch(ts) - epoch(lag(ts) OVER w) AS dt_prev
        FROM raw_flag WHERE vehicle_id IN (SELECT vehicle_id FROM flag_vans)
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), flag_runs AS (
        SELECT *, sum(CASE WHEN prev_chg IS DISTINCT FROM charging OR dt_prev > {p.max_gap_s}
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
        FROM flag_rows
    ), flag_sessions AS (  -- a run at the first (last) sample read may start earlier (end later)
        SELECT vehicle_id, min(ts) AS start_ts,
            max(CASE WHEN next_ts IS NOT NULL AND epoch(next_ts) - epoch(ts) <= {p.max_gap_s}
                     THEN next_ts ELSE ts END) AS end_ts,
            NOT bool_or(dt_prev IS NULL) AS settled_start,
            NOT bool_or(next_ts IS NULL) AS settled_end
        FROM flag_runs WHERE charging GROUP BY vehicle_id, run
    ), flag_buckets AS (  -- one row per hour a session overlaps (see _time_buckets)
        SELECT *, {buckets_sql("start_ts", "end_ts")} AS bucket FROM flag_sessions
    ), flag_detail AS (  -- LEFT JOIN: a session without SoC/power rows still counts
        SELECT f.*, s.ts, s.name, s.value,
            epoch(lead(s.ts) OVER (PARTITION BY f.vehicle_id, f.start_ts, s.name ORDER BY s.ts))
                - epoch(s.ts) AS dt
        FROM flag_buckets f LEFT JOIN (
            SELECT vehicle_id, ts, name, value, {bucket_sql("ts")} AS bucket FROM {SIGNALS}
            WHERE name IN ('{SOC}', '{BATTERY_POWER}', '{ENERGY_KWH}') {where}
        ) s ON s.vehicle_id = f.vehicle_id AND s.bucket = f.bucket
           AND s.ts >= f.start_ts AND s.ts <= f.end_ts
    ), flagged AS (
        SELECT vehicle_id, start_ts, end_ts, settled_start, settled_end,
            arg_min(value, ts) FILTER (WHERE name = '{SOC}') AS start_soc_pct,
            arg_max(value, ts) FILTER (WHERE name = '{SOC}') AS end_soc_pct,
            sum(greatest(value, 0) * coalesce(dt, 0)) FILTER (
                WHERE name = '{BATTERY_POWER}') / 3600.0 AS power_wh,
            1000.0 * (arg_max(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')
                - arg_min(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')) AS kwh_wh,
            max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS peak_power_w,
            'is_charging' AS source,
            count(value) FILTER (WHERE name = '{BATTERY_POWER}') > 0 AS has_power,
            NULL::DOUBLE AS gain_pct
        FROM flag_detail
        GROUP BY vehicle_id, start_ts, end_ts, settled_start, settled_end
    )"""


def _held(column: str, gap_s: float) -> str:
    """The last ``column`` value at or before each row, unless older than ``gap_s``."""
    sent = f"last_value(CASE WHEN {column} IS NOT NULL THEN ts END IGNORE NULLS) OVER w"
    return f"""CASE WHEN epoch(ts) - epoch({sent}) <= {gap_s}
                THEN last_value({column} IGNORE NULLS) OVER w END"""


def _standing_sql(p: ChargingParams, where: str, span: str) -> str:
    """CTEs of the other vans: battery power while standing decides, else SoC rising.

    Every value holds at most ``max_gap_s`` and a rise of SoC across a longer silence is not
    counted, so a row depends on nothing older than ``max_gap_s`` before it and a run on
    nothing older than twice that before its first row: a run starting later than that after
    the first row read is the same as over all data.
    """
    settle_s = 2 * p.max_gap_s
    return f"""
    piv AS (
        SELECT vehicle_id, ts,
            max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS p_w,
            max(value) FILTER (WHERE name = '{SOC}') AS soc,
            max(value) FILTER (WHERE name = '{SPEED}') * {KMH_TO_MPS} AS v,
            max(value) FILTER (WHERE name = '{ENERGY_KWH}') AS kwh
        FROM {SIGNALS}
        WHERE name IN ('{BATTERY_POWER}', '{SOC}', '{SPEED}', '{ENERGY_KWH}') {where}
          AND vehicle_id NOT IN (SELECT vehicle_id FROM flag_vans)
        GROUP BY vehicle_id, ts
    ), kind AS (
        SELECT vehicle_id, bool_or(p_w IS NOT NULL) AS has_power
        FROM piv WHERE true {span} GROUP BY vehicle_id
    ), filled AS (
        SELECT piv.*, kind.has_power,
            {_held("p_w", p.max_gap_s)} AS p_f,
            {_held("soc", p.max_gap_s)} AS soc_f,
            {_held("v", p.max_gap_s)} AS v_f,
            {_held("kwh", p.max_gap_s)} AS kwh_f,
            lead(ts) OVER w AS next_ts, first_value(ts) OVER w AS first_ts
        FROM piv JOIN kind USING (vehicle_id)
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING)
    ), state AS (
        SELECT *,
            has_power AND coalesce(p_f, 0) > {p.min_power_w}
                AND coalesce(v_f, 0) <= {p.standing_mps} AS charging,
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
            epoch(min(ts)) - epoch(any_value(first_ts)) >= {settle_s} AS settled_start,
            NOT bool_or(next_ts IS NULL) AS settled_end,
            arg_min(soc_f, ts) AS start_soc_pct, arg_max(soc_f, ts) AS end_soc_pct,
            sum(greatest(coalesce(p_f, 0), 0) * dt_next) / 3600.0 AS power_wh,
            (arg_max(kwh_f, ts) - arg_min(kwh_f, ts)) * 1000.0 AS kwh_wh,
            max(p_f) AS peak_power_w, 'power' AS source, bool_or(has_power) AS has_power,
            NULL::DOUBLE AS gain_pct
        FROM runs WHERE charging
        GROUP BY vehicle_id, run
    ), soc_only AS (
        SELECT vehicle_id, ts, soc_f, v_f, first_ts, lead(ts) OVER w AS next_soc_ts,
            CASE WHEN epoch(ts) - epoch(lag(ts) OVER w) <= {p.max_gap_s}
                 THEN soc_f - lag(soc_f) OVER w END AS d_soc
        FROM state WHERE NOT has_power AND soc IS NOT NULL
        WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), soc_runs AS (
        SELECT *, sum(CASE WHEN coalesce(d_soc, -1) < 0 OR coalesce(v_f, 0) > {p.standing_mps}
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run
        FROM soc_only
    ), rising AS (
        SELECT vehicle_id, min(ts) FILTER (WHERE d_soc > 0) AS first_rise,
            max(ts) FILTER (WHERE d_soc > 0) AS end_ts,
            sum(CASE WHEN d_soc > 0 THEN d_soc ELSE 0 END) AS gain_pct,
            max(soc_f) AS end_soc_pct,
            epoch(min(ts)) - epoch(any_value(first_ts)) >= {settle_s} AS settled_start,
            NOT bool_or(next_soc_ts IS NULL) AS settled_end
        FROM soc_runs GROUP BY vehicle_id, run
    ), implicit AS (  -- a run cut by the window may gain enough over all data: kept to settle
        SELECT vehicle_id, first_rise AS start_ts, end_ts, settled_start, settled_end,
            end_soc_pct - gain_pct AS start_soc_pct, end_soc_pct,
            NULL::DOUBLE AS power_wh, NULL::DOUBLE AS kwh_wh, NULL::DOUBLE AS peak_power_w,
            'soc' AS source, false AS has_power, gain_pct
        FROM rising
        WHERE gain_pct > 0
          AND (gain_pct >= {p.min_soc_gain_pct} OR NOT (settled_start AND settled_end))
    )"""


def found_sql(
    p: ChargingParams, where: str, *, flag_only: bool, span: tuple[datetime, datetime] | None
) -> str:
    """Every candidate session with ``settled_start``/``settled_end`` (see :mod:`._day_window`)
    and before the size filters of :func:`keep_sql`, which a session cut by the window could fail.

    A van takes the ``IsCharging`` path when it sends the flag within ``span``, else the power
    path when it sends battery power there, else the SoC path; without ``span``, anywhere.
    """
    span_sql = "" if span is None else f" AND ts >= {ts_sql(span[0])} AND ts < {ts_sql(span[1])}"
    if flag_only:
        return f"WITH {_flag_sql(p, where, span_sql)} SELECT * FROM flagged"
    return f"""
    WITH {_flag_sql(p, where, span_sql)}, {_standing_sql(p, where, span_sql)}
    SELECT * FROM flagged UNION ALL BY NAME SELECT * FROM explicit
    UNION ALL BY NAME SELECT * FROM implicit
    """


def keep_sql(p: ChargingParams) -> str:
    """The size filters: long enough, and for SoC-only detection a large enough rise."""
    return (
        f"epoch(end_ts) - epoch(start_ts) >= {p.min_session_s}"
        f" AND coalesce(gain_pct >= {p.min_soc_gain_pct}, true)"
    )


def sessions_sql(
    params: ChargingParams = ChargingParams(), where: str = "", *, flag_only: bool = False
) -> str:
    """SQL of all sessions in the signals matching ``where``.

    ``flag_only`` skips the power and SoC paths: right (and several times faster) when every
    van sends ``IsCharging`` (see :func:`all_vans_send_flag`).
    """
    found = found_sql(params, where, flag_only=flag_only, span=None)
    return f"""SELECT * EXCLUDE (settled_start, settled_end, gain_pct) FROM ({found})
    WHERE {keep_sql(params)}"""


def all_vans_send_flag(con: Connection) -> bool:
    """Whether every van in the last known state has sent ``IsCharging`` (cheap: small file).

    False when the state is empty (unknown), so the caller takes every detection path.
    """
    rows = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT flag) FROM (SELECT vehicle_id, "
        f"bool_or(name = '{IS_CHARGING}') AS flag FROM last_state GROUP BY vehicle_id)"
    ).fetchall()
    return bool(rows) and rows[0][0] > 0 and rows[0][1] == 0
