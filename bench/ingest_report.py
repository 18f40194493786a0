"""The ingest benchmark's table and CSV files: rates, ratios, CPU split and the exactly-once check.

Kept apart from ``ingest.py`` and the ``ingest_*`` modules that run the consumers, so that each
stays one job. A result is a dict of floats per consumer: ``seconds`` (first publish to last
signal delivered or stored), ``publish_s``, ``hwm_kb``, ``cpu_s`` (consumer), ``broker_cpu_s``,
``pub_cpu_s``, ``load1`` (the one-minute load average when the run started) and, for
``voltvan ingest``, ``rows`` (stored rows, duplicates included) and ``distinct`` (distinct
``(vehicle_id, ts, name)``).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
ONE_WORKER = "voltvan ingest, 1 worker"


def stored_once(r: dict[str, float], total_signals: int) -> str:
    """``yes`` when every published (and acknowledged) signal is stored exactly once."""
    if "rows" not in r:
        return "-"
    rows, distinct = int(r["rows"]), int(r["distinct"])
    if rows == distinct == total_signals:
        return "yes"
    return f"NO: {rows:,} rows, {distinct:,} distinct of {total_signals:,}"


def report(
    vans: int, messages: int, total_signals: int, results: list[tuple[str, dict[str, float]]]
) -> bool:
    """Print the table, write ``bench/results/ingest.csv``; False if a check failed."""
    from rich.console import Console
    from rich.table import Table

    bare = [r for n, r in results if "count only" in n]
    limit = max(total_signals / r["seconds"] for r in bare)
    c_sub = [r for n, r in results if n.startswith("mosquitto_sub (C")]
    c_rate = total_signals / c_sub[0]["seconds"] if c_sub else math.nan
    one = [r for n, r in results if n == ONE_WORKER]
    one_rate = total_signals / one[0]["seconds"] if one else math.nan
    table = Table(title=f"ingest: {total_signals:,} signals, {messages:,} messages")
    cols = (
        "consumer",
        "seconds",
        "signals/s",
        "vs best bare",
        "vs mosquitto_sub",
        "vs 1 worker",
        "peak MB",
        "CPU µs/signal",
        "broker µs/signal",
        "publishers µs/signal",
        "broker busy",
        "CPUs busy",
        "stored once",
        "load",
    )
    for col in cols:
        table.add_column(col, justify="left" if col in ("consumer", "stored once") else "right")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "ingest.csv"
    cpus = os.cpu_count() or 1
    ok = True
    with out.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["consumer", "vans", "signals", "messages", "seconds", "signals_per_s",
                    "ratio_to_best_bare", "ratio_to_mosquitto_sub", "ratio_to_1_worker",
                    "publish_s", "peak_mb", "cpu_us_per_signal", "broker_cpu_us_per_signal",
                    "publishers_cpu_us_per_signal", "broker_busy", "cpus_busy", "rows_stored",
                    "rows_distinct", "stored_once", "load1"])  # fmt: skip
        for name, r in results:
            rate = total_signals / r["seconds"]
            per = 1e6 / total_signals
            cpu_us = r.get("cpu_s", math.nan) * per
            broker_us = r.get("broker_cpu_s", math.nan) * per
            pub_us = r.get("pub_cpu_s", math.nan) * per
            # The share of the machine all three used while the stream flowed: near the number
            # of CPUs, the consumer cannot go faster without needing less CPU per signal.
            busy = (cpu_us + broker_us + pub_us) / per / r["seconds"]
            # Mosquitto routes on one thread: near 1.0 the broker itself is the limit.
            broker_busy = broker_us / per / r["seconds"]
            vs_one = rate / one_rate if "rows" in r else math.nan
            once = stored_once(r, total_signals)
            ok = ok and once in ("yes", "-")
            load = r.get("load1", math.nan)
            row = [name, f"{r['seconds']:.2f}", f"{rate:,.0f}", f"{rate / limit:.2f}",
                   f"{rate / c_rate:.2f}", "-" if math.isnan(vs_one) else f"{vs_one:.2f}",
                   f"{r['hwm_kb'] / 1024:.0f}", f"{cpu_us:.2f}", f"{broker_us:.2f}",
                   f"{pub_us:.2f}", f"{broker_busy:.2f}", f"{busy:.2f} of {cpus}", once,
                   f"{load:.1f}"]  # fmt: skip
            table.add_row(*row)
            w.writerow([name, vans, total_signals, messages, f"{r['seconds']:.3f}", f"{rate:.0f}",
                        f"{rate / limit:.3f}", f"{rate / c_rate:.3f}", f"{vs_one:.3f}",
                        f"{r['publish_s']:.3f}", f"{r['hwm_kb'] / 1024:.1f}", f"{cpu_us:.3f}",
                        f"{broker_us:.3f}", f"{pub_us:.3f}", f"{broker_busy:.3f}", f"{busy:.3f}",
                        int(r.get("rows", -1)), int(r.get("distinct", -1)), once,
                        f"{load:.2f}"])  # fmt: skip
    Console(width=200).print(table)
    print(f"wrote {out.relative_to(REPO)}")
    for name, r in results:
        once = stored_once(r, total_signals)
        if once not in ("yes", "-"):
            print(f"WARNING: {name}: {once}")
    return ok


def report_http(r: dict[str, float], args: argparse.Namespace, num_signals: int) -> bool:
    """Print the HTTP run, write ``bench/results/ingest_http.csv``; False if rows are missing."""
    n = r["requests"]
    signals = n * args.samples * num_signals
    text = (
        f"HTTP ingest: {n:,.0f} requests of {args.samples} samples x "
        f"{num_signals} signals from {args.clients} clients in "
        f"{r['seconds']:.2f} s = {n / r['seconds']:,.0f} requests/s, "
        f"{signals / r['seconds']:,.0f} signals/s; server CPU {r['cpu_s'] / n * 1e3:.2f} ms per "
        f"request; stored {r['stored']:,.0f} of {signals:,} rows; server peak "
        f"{r['hwm_kb'] / 1024:.0f} MB"
    )
    print(text)
    with (RESULTS / "ingest_http.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["requests", "clients", "seconds", "requests_per_s", "signals_per_s",
                    "server_cpu_ms_per_request", "stored", "peak_mb"])  # fmt: skip
        w.writerow([n, args.clients, f"{r['seconds']:.3f}", f"{n / r['seconds']:.1f}",
                    f"{signals / r['seconds']:.0f}", f"{r['cpu_s'] / n * 1e3:.3f}",
                    int(r["stored"]), f"{r['hwm_kb'] / 1024:.1f}"])  # fmt: skip
    if r["stored"] != signals:
        print(f"WARNING: HTTP stored {r['stored']:,.0f} rows, expected {signals:,}")
        return False
    return True
