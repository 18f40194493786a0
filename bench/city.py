"""City benchmark: generated delivery days, voltvan vs a naive "range = max distance" plan.

For each size (stops, vans) this generates a cold winter day (seeded), then

* plans it with :func:`voltvan.planning.plan_scenario` and checks the plan with the independent
  checker (:func:`voltvan.check.check_plan`): planning time, vans, distance, unassigned stops,
  violations (energy ones separately) and the peak memory of the process;
* plans it the way VROOM/PyVRP users do today: PyVRP used directly, with the same capacities,
  windows and shifts, and the battery replaced by ``max_distance`` = the van's WLTP range from its
  spec sheet (``tests/data/real/open-ev-data-vans``); then replays those routes with the full energy
  model on the cold day and counts the routes that fall below the reserve and below zero
  (stranded).

Each case runs in a fresh subprocess so that its peak memory (``ru_maxrss``) is its own.
Run: ``python bench/city.py`` (or ``make bench-city``); ``--quick`` for a short run. Prints a
table and writes ``bench/results/city.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / "tests" / "data"  # the cited spec sheets ship there, for the tests
RESULTS = REPO / "bench" / "results"
CASES = ((300, 12), (500, 5), (1000, 30), (2000, 60))
QUICK_CASES = ((300, 12), (500, 5))
SCALE = 1000  # PyVRP integer scale for metres, seconds, kg and m3 in the naive model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per plan (default 60)")
    ap.add_argument("--seed", type=int, default=0, help="generator and search seed")
    ap.add_argument("--day", default="cold", choices=("cold", "mild"), help="weather of the day")
    ap.add_argument("--quick", action="store_true", help="300 and 500 stops (tight fleet) at 20 s")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder (tests/data)")
    ap.add_argument("--case", nargs=2, type=int, metavar=("STOPS", "VANS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], args.case[1], args)))
        return
    cases = QUICK_CASES if args.quick else CASES
    limit = 20.0 if args.quick else args.time_limit
    rows = []
    for stops, vans in cases:
        print(f"... {stops} stops, {vans} vans, {limit:g} s per plan", flush=True)
        cmd = [
            sys.executable,
            __file__,
            "--case",
            str(stops),
            str(vans),
            "--time-limit",
            str(limit),
            "--seed",
            str(args.seed),
            "--day",
            args.day,
            "--data",
            str(args.data),
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"case {stops}/{vans} failed")
        rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
    _print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "city.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out}")


def run_case(num_stops: int, num_vans: int, args: argparse.Namespace) -> dict[str, Any]:
    from voltvan.check import check_plan
    from voltvan.planning import plan_scenario
    from voltvan.scenario import generate_scenario

    scenario = generate_scenario(
        num_stops=num_stops, num_vans=num_vans, seed=args.seed, day=args.day
    )
    t0 = time.perf_counter()
    plan = plan_scenario(scenario, time_limit_s=args.time_limit, seed=args.seed)
    plan_s = time.perf_counter() - t0
    result = check_plan(plan, scenario)
    energy_kinds = ("energy_reserve", "energy_battery")
    naive = naive_plan(scenario, args.time_limit, args.seed, args.data)
    return {
        "stops": num_stops,
        "vans": num_vans,
        "day": args.day,
        "ambient_c": scenario.fleet.ambient_c,
        "time_limit_s": args.time_limit,
        "plan_s": round(plan_s, 1),
        "vans_used": len(plan.routes),
        "distance_km": round(plan.distance_m / 1000, 1),
        "served": plan.num_stops_served,
        "unassigned": len(plan.unassigned),
        "charge_stops": sum(len(r.charge_visits) for r in plan.routes),
        "min_soc": round(min((r.min_soc for r in plan.routes), default=float("nan")), 3),
        "violations": len(result.violations),
        "energy_violations": sum(result.count(k) for k in energy_kinds),
        "peak_mem_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **naive,
    }


def spec_range_m(source: str, data: Path, fallback_m: float) -> float:
    """WLTP range from the spec sheet the van type cites (OpenEV Data), else ``fallback_m``."""
    m = re.search(r"(src/\S+?\.json)", source)
    sheet = data / "real" / "open-ev-data-vans" / m.group(1) if m else None
    if sheet is None or not sheet.exists():
        return fallback_m
    data = json.loads(sheet.read_text(encoding="utf-8"))
    rated = [r for r in data.get("range", {}).get("rated", []) if r.get("range_km")]
    wltp = [r for r in rated if str(r.get("cycle", "")).lower() == "wltp"] or rated
    return float(wltp[0]["range_km"]) * 1000 if wltp else fallback_m


def naive_plan(scenario: Any, time_limit_s: float, seed: int, data: Path) -> dict[str, Any]:
    """PyVRP with the battery as a plain range limit, replayed with the full energy model."""
    from voltvan.check import check_plan

    plan, feasible, ranges, naive_s = range_capped_plan(scenario, time_limit_s, seed, data)
    routes = plan.routes
    result = check_plan(plan, scenario)
    below_reserve = {v.van_id for v in result.violations if v.kind == "energy_reserve"}
    stranded = sum(1 for r in routes if min(v.energy_wh for v in r.visits) < 0)
    return {
        "naive_s": round(naive_s, 1),
        "naive_feasible_pyvrp": feasible,
        "naive_routes": len(routes),
        "naive_distance_km": round(sum(r.distance_m for r in routes) / 1000, 1),
        "naive_max_route_km": round(max((r.distance_m for r in routes), default=0) / 1000, 1),
        "naive_below_reserve": len(below_reserve),
        "naive_stranded": stranded,
        "spec_range_km": "/".join(f"{t}:{v / 1000:.0f}" for t, v in sorted(ranges.items())),
    }


def range_capped_plan(
    scenario: Any, time_limit_s: float, seed: int, data: Path
) -> tuple[Any, bool, dict[str, float], float]:
    """The plan a user of a plain VRP solver makes: PyVRP with ``max_distance`` = WLTP range.

    Returns the plan (routes timed with the full energy model, no charge stops), whether PyVRP
    found it feasible, the range used per van type (m) and the solving time (s).
    """
    import pyvrp
    from pyvrp.stop import MaxRuntime

    from voltvan.plan import Plan
    from voltvan.planning import MATRIX_DEPART_S
    from voltvan.planning._context import Context
    from voltvan.planning._timeline import time_route
    from voltvan.travel import build_matrices

    fleet = scenario.fleet
    matrices = build_matrices(scenario, depart_s=MATRIX_DEPART_S)
    nd = len(fleet.depots)
    k = nd + len(scenario.stops)  # depots then stops: chargers are not part of this model
    dist: Any = np.round(matrices.distance_m[:k, :k] * SCALE).astype(np.int64)
    dur: Any = np.round(matrices.duration_s[:k, :k] * SCALE).astype(np.int64)
    locations = [pyvrp.Location(0, 0, name=i) for i in matrices.ids[:k]]
    depots = [
        pyvrp.Depot(
            i, tw_early=int(d.opening.start_s * SCALE), tw_late=int(d.opening.end_s * SCALE)
        )
        for i, d in enumerate(fleet.depots)
    ]
    clients, groups = [], []
    for j, s in enumerate(scenario.stops):
        multi = len(s.time_windows) > 1
        if multi:
            groups.append(pyvrp.ClientGroup(required=True))
        for tw in s.time_windows:
            clients.append(
                pyvrp.Client(
                    nd + j,
                    delivery=[round(s.weight_kg * SCALE), round(s.volume_m3 * SCALE)],
                    service_duration=round(s.service_s * SCALE),
                    tw_early=round(tw.start_s * SCALE),
                    tw_late=round(tw.end_s * SCALE),
                    required=not multi,
                    group=len(groups) - 1 if multi else None,
                    name=s.id,
                )
            )
            if multi:
                groups[-1].add_client(len(clients) - 1)
    depot_ix = {d.id: i for i, d in enumerate(fleet.depots)}
    by_key: dict[tuple[str, str, float, float], list[str]] = {}
    for van in fleet.vans:
        by_key.setdefault(
            (van.type_id, van.depot_id, van.shift.start_s, van.shift.end_s), []
        ).append(van.id)
    keys = list(by_key)
    ranges = {}
    vtypes = []
    for type_id, depot_id, start, end in keys:
        vt = fleet.vehicle_type(type_id)
        ranges[type_id] = spec_range_m(vt.source, data, vt.battery_wh / 0.2 * 1.0)
        vtypes.append(
            pyvrp.VehicleType(
                len(by_key[(type_id, depot_id, start, end)]),
                capacity=[round(vt.payload_kg * SCALE), round(vt.volume_m3 * SCALE)],
                start_depot=depot_ix[depot_id],
                end_depot=depot_ix[depot_id],
                tw_early=round(start * SCALE),
                tw_late=round(end * SCALE),
                max_distance=round(ranges[type_id] * SCALE),
                fixed_cost=round(vt.fixed_cost * SCALE),
            )
        )
    data = pyvrp.ProblemData(
        locations,
        clients,
        depots,
        vtypes,
        [dist],
        [dur],
        groups=groups,
    )
    t0 = time.perf_counter()
    res = pyvrp.solve(data, MaxRuntime(time_limit_s), seed=seed, display=False)
    naive_s = time.perf_counter() - t0
    ctx = Context.of(scenario, matrices)
    routes = []
    for r in res.best.routes():
        type_id = keys[r.vehicle_type()][0]
        van = fleet.van(by_key[keys[r.vehicle_type()]].pop(0))
        seq: list[tuple[Any, str]] = [("stop", clients[a.idx].name) for a in r if a.is_client()]
        assert van.type_id == type_id
        routes.append(time_route(ctx, van, seq).route)
    plan = Plan(scenario=scenario.name, routes=tuple(routes), stats={})
    return plan, bool(res.best.is_feasible()), ranges, naive_s


def _print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'stops':>6} {'vans':>5} {'plan s':>7} {'used':>5} {'km':>8} {'unas':>5} "
        f"{'chg':>4} {'minSoC':>7} {'viol':>5} {'E-viol':>6} {'MB':>6} | "
        f"{'naive km':>9} {'routes':>6} {'<res':>5} {'strand':>6} {'ratio km':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = (
            r["distance_km"] / r["naive_distance_km"] if r["naive_distance_km"] else float("nan")
        )
        print(
            f"{r['stops']:>6} {r['vans']:>5} {r['plan_s']:>7.1f} {r['vans_used']:>5} "
            f"{r['distance_km']:>8.1f} {r['unassigned']:>5} {r['charge_stops']:>4} "
            f"{r['min_soc']:>7.1%} {r['violations']:>5} {r['energy_violations']:>6} "
            f"{r['peak_mem_mb']:>6} | {r['naive_distance_km']:>9.1f} {r['naive_routes']:>6} "
            f"{r['naive_below_reserve']:>5} {r['naive_stranded']:>6} {ratio:>8.3f}"
        )
    print(
        "used = vans used; unas = stops unassigned; chg = charge stops; viol/E-viol = independent "
        "checker violations (all / energy); MB = peak RSS; naive = PyVRP with max_distance = WLTP "
        "range, replayed with the full energy model: <res = routes below the reserve, strand = "
        "routes below 0 Wh; ratio km = voltvan distance / naive distance"
    )


if __name__ == "__main__":
    main()
