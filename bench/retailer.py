"""A retailer's whole day: 40,000 stops, 250 vans, 10 depots, planned in one time limit.

Three measurements, each printed as a table and written to ``bench/results/retailer.json``:

1. **The whole day.** Generates the day (``voltvan scenario generate --depots``), then runs
   ``voltvan plan DIR --time-limit T`` as a subprocess, as a user would: wall time of the whole
   command (reading, planning, the independent check, writing the files), peak memory summed over
   the command and its worker processes (sampled every 0.2 s), distance, vans used, unserved
   stops by reason and the checker's verdict. The load average is recorded beside the figures:
   the machine may be shared.
2. **Stops to depots.** ``nearest`` (regret order, nearest depot with room) against
   ``transport`` (the LP): total depot-to-stop distance, how full the fullest depot is, time.
3. **Processes or Spark.** One generated day (default 3,000 stops, 4 depots, 120 s) planned by
   ``voltvan plan`` with the same time limit and workers, once on local processes and once with
   ``--engine spark`` (``local[2]`` by default; Spark's start-up counts, as for a user): wall time,
   distance, served, the checker's verdict, and Spark's ratio to the processes on each.
4. **What the split costs.** A one-depot city day (default 2,000 stops) planned whole, and cut
   into 2 and 4 sectors, at equal total time in one process (so each variant has the same CPU):
   distance, vans, unserved, checker, and the distance ratio to planning it whole.

Run: ``python bench/retailer.py`` (or ``make bench-retailer``); ``--quick`` for a small day;
``--skip day assign split`` for the engines alone (a few minutes; needs ``voltvan[spark]``).
Long runs belong under ``nice -n 10`` on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


def _voltvan() -> list[str]:
    return [str(Path(sys.executable).with_name("voltvan"))]


class PeakMemory:
    """Peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.peak_b = 0
        self._root = psutil.Process(pid)
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak_b = max(self.peak_b, total)
            except psutil.Error:
                return
            self._stop.wait(self._every_s)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_b


def measured_run(cmd: list[str]) -> tuple[int, str, float, int]:
    """Run ``cmd`` to its end: exit code, output, wall seconds and peak memory in bytes (the
    command and every process it starts, summed)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mem = PeakMemory(proc.pid)
    output, _ = proc.communicate()
    wall_s = time.perf_counter() - t0
    return proc.returncode, output, wall_s, mem.stop()


def whole_day(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from voltvan.plan import Plan

    day = work / "day"
    t0 = time.perf_counter()
    subprocess.run(
        [*_voltvan(), "scenario", "generate", "--stops", str(args.stops), "--vans",
         str(args.vans), "--depots", str(args.depots), "--seed", str(args.seed), "--out",
         str(day)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    generate_s = time.perf_counter() - t0
    load_before = os.getloadavg()
    cmd = [*_voltvan(), "plan", str(day), "--time-limit", str(args.time_limit), "--out",
           str(work / "plan"), "--assign", args.assign,
           "--max-stops-per-solve", str(args.max_stops_per_solve)]  # fmt: skip
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    returncode, output, wall_s, peak_b = measured_run(cmd)
    load_after = os.getloadavg()
    plan = Plan.read_json(work / "plan" / "plan.json")
    reasons = Counter(u.reason for u in plan.unassigned)
    return {
        "stops": args.stops,
        "vans": args.vans,
        "depots": args.depots,
        "time_limit_s": args.time_limit,
        "max_stops_per_solve": args.max_stops_per_solve,
        "workers": plan.stats.get("workers"),
        "generate_s": round(generate_s, 1),
        "planning_s": round(float(plan.stats.get("planning_time_s", 0.0)), 1),
        "command_s": round(wall_s, 1),
        "peak_memory_mb": round(peak_b / 2**20),
        "distance_km": round(plan.distance_m / 1000, 1),
        "vans_used": len(plan.routes),
        "served": plan.num_stops_served,
        "unserved": len(plan.unassigned),
        "unserved_reasons": dict(reasons),
        "parts": len(plan.stats.get("parts", [])),
        "checker_feasible": returncode == 0,
        "exit_code": returncode,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "tail": output.strip().splitlines()[-3:],
    }


def engines(args: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    """The same day through ``voltvan plan`` on processes and on Spark, one after the other."""
    from voltvan.plan import Plan

    day = work / "engines-day"
    vans = args.engine_vans or max(1, -(-args.engine_stops // 140))
    subprocess.run(
        [*_voltvan(), "scenario", "generate", "--stops", str(args.engine_stops), "--vans",
         str(vans), "--depots", str(args.engine_depots), "--seed", str(args.seed), "--out",
         str(day)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    for engine in ("processes", "spark"):
        out = work / f"plan-{engine}"
        cmd = [*_voltvan(), "plan", str(day), "--time-limit", str(args.engine_time), "--out",
               str(out), "--engine", engine]  # fmt: skip
        if engine == "spark":
            cmd += ["--master", args.master]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        load = os.getloadavg()[0]
        returncode, output, wall_s, peak_b = measured_run(cmd)
        if not (out / "plan.json").exists():
            raise SystemExit(f"voltvan plan --engine {engine} wrote no plan:\n{output}")
        plan = Plan.read_json(out / "plan.json")
        rows.append(
            {
                "engine": engine,
                "stops": args.engine_stops,
                "vans": vans,
                "depots": args.engine_depots,
                "parts": len(plan.stats.get("parts", [])),
                "workers": plan.stats.get("workers"),
                "time_limit_s": args.engine_time,
                "planning_s": round(float(plan.stats.get("planning_time_s", 0.0)), 1),
                "command_s": round(wall_s, 1),
                "peak_memory_mb": round(peak_b / 2**20),
                "distance_km": round(plan.distance_m / 1000, 1),
                "served": plan.num_stops_served,
                "unserved": len(plan.unassigned),
                "checker_feasible": returncode == 0,
                "load_1min_before": round(load, 2),
                "load_1min_after": round(os.getloadavg()[0], 2),
            }
        )
    base = rows[0]
    for r in rows:
        for key in ("command_s", "planning_s", "distance_km", "served"):
            r[f"{key}_vs_processes"] = round(r[key] / base[key], 3) if base[key] else None
    return rows


def assignment(args: argparse.Namespace) -> list[dict[str, Any]]:
    from voltvan.planning import assign_stops
    from voltvan.planning._assign import depot_capacity
    from voltvan.scenario import generate_metro_scenario
    from voltvan.travel import haversine_m

    sc = generate_metro_scenario(
        num_stops=args.stops, num_vans=args.vans, num_depots=args.depots, seed=args.seed
    )
    stops = {s.id: s for s in sc.stops}
    cap = depot_capacity(sc)
    rows = []
    for method in ("nearest", "transport"):
        t0 = time.perf_counter()
        got = assign_stops(sc, method)
        took = time.perf_counter() - t0
        total_m, fullest = 0.0, 0.0
        for k, d in enumerate(sc.fleet.depots):
            ss = [stops[i] for i in got[d.id]]
            if not ss:
                continue
            lat = np.array([s.lat for s in ss])
            lon = np.array([s.lon for s in ss])
            total_m += float(haversine_m(lat, lon, d.lat, d.lon).sum())
            need = np.array([(s.weight_kg, s.volume_m3, s.service_s) for s in ss]).sum(axis=0)
            fullest = max(fullest, float((need / cap[k]).max()))
        rows.append(
            {
                "method": method,
                "seconds": round(took, 2),
                "mean_depot_to_stop_km": round(total_m / len(sc.stops) / 1000, 2),
                "fullest_depot_share": round(fullest, 3),
            }
        )
    return rows


def split_cost(args: argparse.Namespace) -> list[dict[str, Any]]:
    from voltvan.check import check_plan
    from voltvan.planning import plan_day
    from voltvan.scenario import generate_scenario

    n = args.split_stops
    sc = generate_scenario(num_stops=n, num_vans=max(1, -(-n // 140)), seed=args.seed)
    rows: list[dict[str, Any]] = []
    for k in (1, 2, 4):
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        plan = plan_day(sc, time_limit_s=args.split_time, workers=1, max_stops_per_solve=-(-n // k))
        took = time.perf_counter() - t0
        result = check_plan(plan, sc)
        rows.append(
            {
                "sectors": len(plan.stats["parts"]),
                "seconds": round(took, 1),
                "distance_km": round(plan.distance_m / 1000, 1),
                "vans_used": len(plan.routes),
                "unserved": len(plan.unassigned),
                "checker_feasible": result.is_feasible,
                "load_1min": round(load, 2),
            }
        )
    base = rows[0]["distance_km"]
    for r in rows:
        r["distance_vs_whole"] = round(r["distance_km"] / base, 3) if base else None
    return rows


def _table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    if not rows:
        return
    keys = list(rows[0])
    print(" | ".join(keys))
    for r in rows:
        print(" | ".join(str(r[k]) for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stops", type=int, default=40_000)
    ap.add_argument("--vans", type=int, default=250)
    ap.add_argument("--depots", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--workers", type=int, default=0, help="0: the machine's cores")
    ap.add_argument("--assign", default="nearest", choices=("nearest", "transport"))
    ap.add_argument("--max-stops-per-solve", type=int, default=2000)
    ap.add_argument("--split-stops", type=int, default=2000)
    ap.add_argument("--split-time", type=float, default=60.0)
    ap.add_argument("--engine-stops", type=int, default=3000)
    ap.add_argument("--engine-vans", type=int, default=0, help="0: one per 140 stops")
    ap.add_argument("--engine-depots", type=int, default=4)
    ap.add_argument("--engine-time", type=float, default=120.0)
    ap.add_argument("--master", default="local[2]", help="Spark master of the engines run")
    ap.add_argument("--skip", nargs="*", default=[], choices=("day", "engines", "assign", "split"))
    ap.add_argument("--quick", action="store_true", help="2,000 stops, 15 vans, 3 depots, 60 s")
    args = ap.parse_args()
    if args.quick:
        args.stops, args.vans, args.depots, args.time_limit = 2000, 15, 3, 60.0
        args.split_stops, args.split_time = 600, 15.0
        args.engine_stops, args.engine_depots, args.engine_time = 600, 3, 20.0
    out: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        if "day" not in args.skip:
            out["day"] = whole_day(args, Path(tmp))
            _table("The whole day", [out["day"]])
        if "engines" not in args.skip:
            out["engines"] = engines(args, Path(tmp))
            _table("Processes or Spark (the same day, limit and workers)", out["engines"])
    if "assign" not in args.skip:
        out["assignment"] = assignment(args)
        _table("Stops to depots", out["assignment"])
    if "split" not in args.skip:
        out["split"] = split_cost(args)
        _table(f"What the split costs ({args.split_stops} stops, 1 depot)", out["split"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "retailer-quick.json" if args.quick else "retailer.json"
    (RESULTS / name).write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwrote {RESULTS / name}")


if __name__ == "__main__":
    main()
