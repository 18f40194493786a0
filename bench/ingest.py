"""Ingest benchmark: a generated fleet stream through Mosquitto, voltvan vs bare subscribers.

A fleet of ``--vans`` vans sends ``--signals`` VSS signals at 1 Hz for ``--seconds`` seconds of
vehicle time, compressed: every message is a batch of ``--samples`` one-second samples, as
telematics units send them. ``--publishers`` processes publish the pre-built stream with QoS 1
to a private Mosquitto (started here on a free port): by default a small C libmosquitto
publisher compiled here with gcc (so that the load generator is not the bottleneck), else
paho-mqtt processes (``--publisher``). The load generator is also timed alone. The same stream
is consumed, one run after the other, by

* ``mosquitto_sub`` (C, QoS 1, counts and discards: what the broker can deliver to one
  subscriber) and, for every ``--workers`` N above 1, N ``mosquitto_sub`` in one shared
  subscription (what the broker can deliver to N members: the ceiling N workers approach),
* a bare paho-mqtt subscriber (Python, QoS 1, counts only: the common Python client),
* voltvan's own MQTT client, bare (QoS 1, counts and acknowledges only: the limit of the
  client the worker uses),
* ``voltvan ingest`` (parse, validate, dedup, durable Parquet, PUBACK after the write),
  with one worker, and ``voltvan ingest --workers N`` for every N of ``--workers`` (e.g.
  ``--workers 1 2 4``): N processes in one MQTT v5 shared subscription.

After every ``voltvan ingest`` run the stored rows are counted twice (all rows, distinct
``(vehicle_id, ts, name)``): every acknowledged signal must be stored exactly once, or the
benchmark says so and exits with 1. The broker's CPU is read for every run; Mosquitto routes on
one thread, so a broker busy near one CPU is the broker's own limit on this machine. The stream
is a burst (published as fast as the broker takes it), so a per-message latency would measure
the backlog rather than the pipeline: the benchmark reports rates, not latencies.

Each rate is signals / (last signal delivered or durably stored - first publish); every consumer
runs ``--repeat`` times, interleaved, each against a fresh broker, and the median run is reported
with the load average at its start. The ratios compare voltvan with the fastest bare subscriber
and with one worker, all of the same invocation. Peak memory is the VmHWM of
the consuming process(es). Run: ``python bench/ingest.py`` (or ``make bench-ingest``);
``--quick`` for a short run. Prints a table and writes ``bench/results/ingest.csv``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ingest_publishers
from ingest_c_publisher import CPublishers, build_c_publisher, write_payload_files
from ingest_http import http_client, run_http
from ingest_procs import process_cpu_s, start_broker
from ingest_publishers import run_publishers_alone
from ingest_report import ONE_WORKER, report, report_http
from ingest_stream import SIGNALS, Stream
from ingest_subscribers import (
    bare_subscriber,
    lean_subscriber,
    run_bare,
    run_mosquitto_sub,
    run_mosquitto_sub_shared,
)
from ingest_worker import run_voltvan

LOAD_ONLY = "load generator alone"


def worker_count(text: str) -> int:
    """An argparse type: a whole number of workers, at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of workers") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} workers: need at least 1")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--vans", type=int, default=2000, help="vans in the fleet (default 2000)")
    ap.add_argument(
        "--seconds", type=int, default=300, help="vehicle seconds per van (default 300)"
    )
    ap.add_argument("--samples", type=int, default=10, help="1 Hz samples per message (default 10)")
    ap.add_argument(
        "--signals", type=int, default=10, help=f"signals per sample (max {len(SIGNALS)})"
    )
    ap.add_argument("--publishers", type=int, default=2, help="publisher processes (default 2)")
    ap.add_argument(
        "--publisher",
        choices=("auto", "c", "python"),
        default="auto",
        help="load generator: C (libmosquitto, compiled here with gcc), paho-mqtt processes,\n"
        "or auto = C when gcc and libmosquitto-dev are present (default)",
    )
    ap.add_argument(
        "--workers",
        type=worker_count,
        nargs="+",
        default=[1],
        metavar="N",
        help="worker counts to run, e.g. --workers 1 2 4 (default 1): N > 1 runs\n"
        "`voltvan ingest --workers N` and N mosquitto_sub in one shared subscription",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per consumer; median reported")
    ap.add_argument("--quick", action="store_true", help="500 vans x 30 s, one run each")
    ap.add_argument("--mosquitto", default=shutil.which("mosquitto") or "/usr/sbin/mosquitto")
    ap.add_argument(
        "--http", type=int, default=2000, help="HTTP requests per HTTP run (0: no HTTP run)"
    )
    ap.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients (32)")
    ap.add_argument("--_bare", nargs=2, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_lean", nargs=2, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_http", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._bare:
        bare_subscriber(*args._bare)
        return
    if args._lean:
        lean_subscriber(*args._lean)
        return
    if args.quick:
        args.vans, args.seconds, args.repeat, args.http = 500, 30, 1, 500
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    if args._http:  # the HTTP client process: the same stream as its parent's
        t0 = datetime.fromisoformat(os.environ["BENCH_T0"])
        args.vans = int(os.environ["BENCH_VANS"])
    stream = Stream(args.vans, args.seconds, args.samples, min(args.signals, len(SIGNALS)), t0)
    if args._http:
        port, requests, clients = args._http
        http_client(port, stream, requests, clients)
        return
    sub_bin = shutil.which("mosquitto_sub")
    tmp_ctx = tempfile.TemporaryDirectory(prefix="voltvan-bench-ingest-")
    folder = Path(tmp_ctx.name)
    if args.publisher != "python":
        exe = build_c_publisher(folder)
        if exe is None and args.publisher == "c":
            sys.exit("--publisher c: cannot build the C publisher (needs gcc, libmosquitto-dev)")
        if exe is not None:
            ingest_publishers.PUBLISHER = CPublishers(
                exe, write_payload_files(folder, stream, args.publishers)
            )
    kind = "C (libmosquitto)" if ingest_publishers.PUBLISHER else "Python (paho-mqtt)"
    print(
        f"stream: {stream.vans} vans x {stream.signals} signals x {stream.seconds} s = "
        f"{stream.total_signals:,} signals in {stream.messages:,} messages of "
        f"{stream.samples} samples; {args.publishers} {kind} publisher processes; "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    results: list[tuple[str, dict[str, float]]] = []
    with tmp_ctx:
        runs: list[tuple[str, object]] = [
            (LOAD_ONLY, lambda p: run_publishers_alone(p, stream, args.publishers))
        ]
        if sub_bin:
            runs.append(
                (
                    "mosquitto_sub (C, count only)",
                    lambda p: run_mosquitto_sub(p, stream, args.publishers, sub_bin),
                )
            )
        runs.append(
            (
                "paho bare subscriber (count only)",
                lambda p: run_bare(p, stream, args.publishers, "bare"),
            )
        )
        runs.append(
            (
                "voltvan MQTT client bare (count only)",
                lambda p: run_bare(p, stream, args.publishers, "lean"),
            )
        )
        counts = sorted(set(args.workers) | {1})  # one worker is the reference of the ratios
        if sub_bin:
            for n in counts[1:]:
                runs.append(
                    (
                        f"mosquitto_sub x {n} ($share, count only)",
                        lambda p, n=n: run_mosquitto_sub_shared(
                            p, stream, args.publishers, sub_bin, n, folder
                        ),
                    )
                )
        for n in counts:
            runs.append(
                (
                    ONE_WORKER if n == 1 else f"voltvan ingest, {n} workers ($share)",
                    lambda p, n=n: run_voltvan(p, stream, args.publishers, n, folder),
                )
            )
        samples: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runs}
        for rep in range(args.repeat):  # interleaved, so that a load spike hits every consumer
            for name, fn in runs:
                broker, port = start_broker(folder, args.mosquitto)  # a fresh broker per run
                try:
                    load1 = os.getloadavg()[0]
                    print(f"... {name} (run {rep + 1}/{args.repeat}, load {load1:.1f})", flush=True)
                    result = fn(port)  # type: ignore[operator]
                    result["load1"] = load1
                    result["broker_cpu_s"] = process_cpu_s(broker.pid)  # a fresh broker per run
                    samples[name].append(result)
                finally:
                    broker.terminate()
                    broker.wait()
                for data in folder.glob("data-*"):
                    shutil.rmtree(data, ignore_errors=True)
        for name, runs_of in samples.items():
            results.append((name, sorted(runs_of, key=lambda r: r["seconds"])[len(runs_of) // 2]))
        http_runs = []
        for rep in range(args.repeat if args.http else 0):
            print(f"... voltvan serve, HTTP (run {rep + 1}/{args.repeat})", flush=True)
            http_runs.append(run_http(stream, args.http, args.clients, folder))
    load = [r for n, r in results if n == LOAD_ONLY]
    ok = report(stream.vans, stream.messages, stream.total_signals,
                [(n, r) for n, r in results if n != LOAD_ONLY])  # fmt: skip
    if load:
        r = load[0]
        cpu = f", {r['cpu_s'] / stream.total_signals * 1e6:.2f} µs CPU/signal" if r["cpu_s"] else ""
        print(
            f"load generator alone ({kind}, {args.publishers} processes, no subscriber): "
            f"{r['seconds']:.2f} s = {stream.messages / r['seconds']:,.0f} messages/s, "
            f"{stream.total_signals / r['seconds']:,.0f} signals/s{cpu}"
        )
    if http_runs:
        median = sorted(http_runs, key=lambda r: r["seconds"])[len(http_runs) // 2]
        ok = report_http(median, args, stream.signals) and ok
    if not ok:
        sys.exit("a consumer did not store every acknowledged signal exactly once (see above)")


if __name__ == "__main__":
    main()
