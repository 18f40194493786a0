"""The queries the telemetry bench times, each twice: through voltvan, and as hand-written SQL.

The hand SQL reads the same Parquet files directly and is the limit voltvan's views and
analytics SQL are measured against; both sides must return the same rows, or the bench says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from voltvan.telemetry import (
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    LATITUDE,
    LONGITUDE,
    ODOMETER,
    SOC,
    SPEED,
)
from voltvan.telemetry.analytics._charging_detect import (
    ChargingParams,
    all_vans_send_flag,
    sessions_sql,
)
from voltvan.telemetry.analytics._daily import daily_energy_sql, driving_time_sql
from voltvan.telemetry.store._duck import Connection


def signals_source(work: Path) -> str:
    """The generated signals as a DuckDB table expression, for the hand SQL."""
    return f"read_parquet('{work}/signals/date=*/*.parquet')"


Query = str | Callable[[Connection], list[Any]]


def queries(work: Path) -> list[tuple[str, Query, str]]:
    """(name, voltvan SQL over the views, hand SQL over the Parquet files)."""
    raw = signals_source(work)
    state = f"read_parquet('{work}/state/last_state*.parquet')"
    ten_min = (f"ts > (SELECT max(ts) FROM {{src}} WHERE name = '{SPEED}') "
               "- INTERVAL 10 MINUTE")  # fmt: skip
    chg = ChargingParams()
    return [
        (
            "last location of every van (signals view)",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM signals WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM {raw} WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
        ),
        (
            "  same via signals_all view",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM signals_all WHERE name IN ('{LATITUDE}', '{LONGITUDE}')
                GROUP BY vehicle_id""",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM {raw} WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
        ),
        (
            "vans below 20 % SoC (last state)",
            f"SELECT vehicle_id, value FROM last_state WHERE name = '{SOC}' AND value < 20",
            f"SELECT vehicle_id, value FROM {state} WHERE name = '{SOC}' AND value < 20",
        ),
        (
            "stationary vans, last 10 min (signals view)",
            f"""SELECT vehicle_id FROM signals WHERE name = '{SPEED}'
                AND {ten_min.format(src="signals")}
                GROUP BY vehicle_id HAVING max(value) < 1""",
            f"""SELECT vehicle_id FROM {raw} WHERE name = '{SPEED}'
                AND {ten_min.format(src=raw)}
                GROUP BY vehicle_id HAVING max(value) < 1""",
        ),
        (
            "  same via signals_all view",
            f"""SELECT vehicle_id FROM signals_all WHERE name = '{SPEED}'
                AND {ten_min.format(src="signals_all")}
                GROUP BY vehicle_id HAVING max(value) < 1""",
            f"""SELECT vehicle_id FROM {raw} WHERE name = '{SPEED}'
                AND {ten_min.format(src=raw)}
                GROUP BY vehicle_id HAVING max(value) < 1""",
        ),
        (
            "daily driving time per van",
            driving_time_sql(),
            f"""SELECT vehicle_id, CAST(ts AS DATE) AS day,
                sum(CASE WHEN v > 1 AND dt <= 600 THEN dt ELSE 0 END) AS driving_s
                FROM (SELECT vehicle_id, ts, value / 3.6 AS v,
                        epoch(lead(ts) OVER (PARTITION BY vehicle_id ORDER BY ts)) - epoch(ts)
                        AS dt FROM {raw} WHERE name = '{SPEED}') GROUP BY ALL""",
        ),
        (
            "energy per km per van per day",
            daily_energy_sql(),
            f"""WITH d AS (SELECT vehicle_id, CAST(ts AS DATE) AS day, name,
                    value - lag(value) OVER (PARTITION BY vehicle_id, name ORDER BY ts) AS dv
                    FROM {raw} WHERE name IN ('{ODOMETER}', '{ENERGY_KWH}', '{SOC}'))
                SELECT vehicle_id, day, sum(dv) FILTER (WHERE name = '{ODOMETER}') AS m,
                    -1000 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0) AS wh,
                    -sum(dv) FILTER (WHERE name = '{SOC}' AND dv < 0) AS soc_drop_pct,
                    -1e6 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0)
                    / nullif(sum(dv) FILTER (WHERE name = '{ODOMETER}'), 0) AS wh_per_km
                FROM d GROUP BY ALL""",
        ),
        (
            "charging sessions per day",
            lambda con: con.execute(
                f"""SELECT CAST(start_ts AS DATE) AS day, count(*) AS sessions,
                    avg(end_soc_pct - start_soc_pct) AS soc_gain, avg(power_wh) AS wh,
                    avg(kwh_wh) AS kwh_wh, max(peak_power_w) AS peak_w
                FROM ({sessions_sql(chg, flag_only=all_vans_send_flag(con))}) GROUP BY ALL"""
            ).fetchall(),
            f"""WITH c AS (SELECT vehicle_id, ts, value > 0.5 AS on_,
                    lag(value > 0.5) OVER (PARTITION BY vehicle_id ORDER BY ts) AS prev,
                    lead(ts) OVER (PARTITION BY vehicle_id ORDER BY ts) AS next_ts
                    FROM {raw} WHERE name = '{IS_CHARGING}'),
                g AS (SELECT *, sum(CASE WHEN on_ IS DISTINCT FROM prev THEN 1 ELSE 0 END)
                    OVER (PARTITION BY vehicle_id ORDER BY ts) AS run FROM c),
                s AS (SELECT vehicle_id, min(ts) AS t0, max(coalesce(next_ts, ts)) AS t1
                    FROM g WHERE on_ GROUP BY vehicle_id, run),
                d AS (SELECT s.vehicle_id, s.t0, r.ts, r.name, r.value,
                    epoch(lead(r.ts) OVER (PARTITION BY s.vehicle_id, s.t0, r.name
                        ORDER BY r.ts)) - epoch(r.ts) AS dt
                    FROM s JOIN {raw} r ON r.vehicle_id = s.vehicle_id AND r.ts >= s.t0
                    AND r.ts <= s.t1 AND r.name IN ('{SOC}', '{BATTERY_POWER}', '{ENERGY_KWH}')),
                e AS (SELECT vehicle_id, t0,
                    arg_max(value, ts) FILTER (WHERE name = '{SOC}')
                      - arg_min(value, ts) FILTER (WHERE name = '{SOC}') AS gain,
                    sum(greatest(value, 0) * coalesce(dt, 0))
                      FILTER (WHERE name = '{BATTERY_POWER}') / 3600 AS wh,
                    1000 * (arg_max(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')
                      - arg_min(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')) AS kwh_wh,
                    max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS peak_w
                    FROM d GROUP BY ALL)
                SELECT CAST(t0 AS DATE) AS day, count(*) AS sessions, avg(gain), avg(wh),
                    avg(kwh_wh), max(peak_w)
                FROM e GROUP BY ALL""",
        ),
    ]
