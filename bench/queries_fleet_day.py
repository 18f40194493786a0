"""The fleet day the telemetry benches generate: many vans' signals, straight to Parquet.

``queries.py`` and ``lake.py`` both measure on this day, so their numbers are about the same
data. Each van reports ten signals from 06:00 to 18:00 UTC while it drives, delivers and (every
fifth van) charges over lunch; DuckDB writes them in chunks of vans in the storage layout v1
(``signals/date=.../*.parquet`` in long format, ``state/last_state.parquet``).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from voltvan.telemetry import (
    AIR_TEMPERATURE,
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    LATITUDE,
    LONGITUDE,
    ODOMETER,
    SOC,
    SPEED,
)
from voltvan.telemetry.store._duck import connect

DAY = "2026-03-02"
HEADING = "Vehicle.CurrentLocation.Heading"
SIGNALS = (SPEED, LATITUDE, LONGITUDE, SOC, ODOMETER, BATTERY_POWER, IS_CHARGING,
           AIR_TEMPERATURE, HEADING, ENERGY_KWH)  # fmt: skip
START_S = 6 * 3600  # vans report from 06:00 to 18:00 UTC
SPAN_S = 12 * 3600
_NAMES = "[" + ", ".join(f"'{n}'" for n in SIGNALS) + "]"  # a DuckDB list of the names


def _values_sql(k_expr: str) -> str:
    """The 10 signal values of van ``v`` at sample ``k`` (a driving/delivery/lunch-charge day)."""
    tod = f"({START_S} + {k_expr} * period)"
    charger = "(v % 5 = 0)"
    lunch = f"({charger} AND {tod} >= 43200 AND {tod} < 45900)"
    moving = f"(NOT {lunch} AND (({tod} + v * 37) % 2100) < 1500)"
    speed = f"CASE WHEN {moving} THEN 30 + 20 * sin(({tod} + v) / 300.0) ELSE 0 END"
    gain = (f"CASE WHEN {charger} AND {tod} >= 45900 THEN 25.0 "
            f"WHEN {lunch} THEN 25.0 * ({tod} - 43200) / 2700.0 ELSE 0 END")  # fmt: skip
    soc = f"greatest(1.0, 95.0 - (50 + v % 40) * {k_expr} / n_k + {gain})"
    power = f"CASE WHEN {lunch} THEN 22000.0 WHEN {moving} THEN -400.0 * ({speed}) ELSE -300.0 END"
    return f"""[{speed}, 52.40 + (v % 100) / 500.0 + {k_expr} * 1e-5,
        13.20 + (v // 100) / 500.0 + {k_expr} * 1e-5, {soc},
        10000000 + v * 1000 + floor({k_expr} * period * 8.0),
        {power}, CASE WHEN {lunch} THEN 1.0 ELSE 0.0 END, 8 + 4 * sin({tod} / 7000.0),
        ({k_expr} * 7 + v) % 360, 0.75 * ({soc})]"""


def van_day_copy_sql(day: str, first: int, last: int, n_k: int, path: Path) -> str:
    """COPY of the samples of vans ``first`` to ``last - 1`` on ``day`` (``n_k`` of each signal,
    06:00 to 18:00 UTC) to one Parquet file, sorted as the store writes: the van day this bench
    and ``lake.py`` generate."""
    return f"""
        COPY (
            SELECT printf('van-%05d', v) AS vehicle_id,
                TIMESTAMPTZ '{day} 00:00:00+00' + to_microseconds(
                    CAST(({START_S} + k * period) * 1e6 AS BIGINT)) AS ts,
                unnest({_NAMES}) AS name, unnest({_values_sql("k")}) AS value,
                NULL::VARCHAR AS value_text,
                TIMESTAMPTZ '{day} 18:00:00+00' AS ingested_at
            FROM (SELECT v, k, {SPAN_S / n_k} AS period, {n_k} AS n_k
                  FROM range({first}, {last}) r(v), range({n_k}) s(k))
            ORDER BY vehicle_id, ts
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
    """


def generate(work: Path, rows: int, vans: int, console: Console) -> tuple[int, float]:
    """Write the signals and the last-state file; returns (rows written, bytes on disk)."""
    n_k = max(2, rows // (vans * len(SIGNALS)))
    period = SPAN_S / n_k
    out = work / "signals" / f"date={DAY}"
    out.mkdir(parents=True)
    con = connect()
    chunk = max(1, 5_000_000 // (n_k * len(SIGNALS)))
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"generating {vans * n_k * len(SIGNALS):,} rows", total=vans)
        for first in range(0, vans, chunk):
            last = min(vans, first + chunk)
            con.execute(van_day_copy_sql(DAY, first, last, n_k, out / f"part-{first:05d}.parquet"))
            progress.update(task, completed=last)
    state = work / "state"
    state.mkdir()
    con.execute(f"""
        COPY (
            SELECT printf('van-%05d', v) AS vehicle_id, unnest({_NAMES}) AS name,
                TIMESTAMPTZ '{DAY} 00:00:00+00' + to_microseconds(
                    CAST(({START_S} + (n_k - 1) * period) * 1e6 AS BIGINT)) AS ts,
                unnest({_values_sql("(n_k - 1)")}) AS value, NULL::VARCHAR AS value_text,
                TIMESTAMPTZ '{DAY} 18:00:00+00' AS ingested_at
            FROM (SELECT v, {period} AS period, {n_k} AS n_k FROM range({vans}) r(v))
        ) TO '{state / "last_state.parquet"}' (FORMAT parquet)
    """)
    total = con.execute(f"SELECT count(*) FROM read_parquet('{out}/*.parquet')").fetchone()
    size = sum(p.stat().st_size for p in work.rglob("*.parquet"))
    return int(total[0]) if total else 0, float(size)
