"""VRPTW benchmark: voltvan vs PyVRP used directly vs OR-Tools vs VROOM, same time budget.

Gehring & Homberger 1000-customer instances (VRPLIB, DIMACS convention: distances truncated to
one decimal). Every solver's routes are re-evaluated here by one independent function (distance,
time windows, capacity, every client once), and compared with the best-known cost (.sol, last
line). VROOM gets the budget as its timeout at exploration level 5; all run single-threaded.

    python bench/vrptw.py --quick --time-limit 60

The six instances are not in the repository (tests/data holds C1_10_1.vrp only): ``--shared DIR``
names a folder with ``bench/vrptw-gh1000/*.vrp`` and their ``.sol`` files (default: ``../shared``
beside the checkout). Writes bench/results/vrptw.csv.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import mean

import numpy as np
from rich.console import Console
from rich.table import Table

from voltvan.benchmarks import read_vrplib, vrplib_to_ev
from voltvan.benchmarks._vrplib import VrplibInstance
from voltvan.planning.ev import solve_ev

REPO = Path(__file__).resolve().parents[1]
WHERE = (
    "the Gehring & Homberger 1000-customer instances C1_10_1, C2_10_1, R1_10_1, R2_10_1, RC1_10_1 "
    "and RC2_10_1 (.vrp with their .sol) come from https://github.com/PyVRP/Instances, folder GH "
    "(MIT; also on CVRPLIB). Put them in DIR/bench/vrptw-gh1000/ and pass --shared DIR"
)
QUICK = ("C1_10_1", "RC2_10_1")
console = Console(width=150)
Routes = list[list[int]]  # node indices, depot 0 excluded


def _int_matrix(inst: VrplibInstance) -> np.ndarray:
    """DIMACS distances in tenths, as integers (what PyVRP's 'dimacs' rounding uses)."""
    d = np.sqrt(((inst.xy[:, None, :] - inst.xy[None, :, :]) ** 2).sum(axis=2))
    out: np.ndarray = np.floor(d * 10 + 1e-9).astype(np.int64)
    return out


def evaluate(inst: VrplibInstance, routes: Routes) -> tuple[bool, float, str]:
    """Independent check: every client once, capacity, windows (latest start), depot closing."""
    d = _int_matrix(inst) / 10.0
    seen = [c for r in routes for c in r]
    n = len(inst.ids)
    if sorted(seen) != list(range(1, n)):
        return False, 0.0, "clients missing or served twice"
    total = 0.0
    for r in routes:
        if sum(inst.demand[c] for c in r) > inst.capacity + 1e-9:
            return False, 0.0, "capacity"
        t, prev = inst.tw[0, 0], 0
        for c in [*r, 0]:
            t += d[prev, c]
            total += d[prev, c]
            if t > inst.tw[c, 1] + 1e-6:
                return False, 0.0, f"late at {inst.ids[c]}"
            t = max(t, inst.tw[c, 0]) + (inst.service[c] if c else 0.0)
            prev = c
    return True, total, ""


def run_voltvan(inst: VrplibInstance, path: Path, limit: float, seed: int) -> Routes:
    sol = solve_ev(vrplib_to_ev(inst), time_limit_s=limit, seed=seed)
    return [list(r.visits) for r in sol.routes]


def run_pyvrp(inst: VrplibInstance, path: Path, limit: float, seed: int) -> Routes:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    res = pyvrp.solve(data, MaxRuntime(limit), seed=seed, display=False)
    nd = data.num_depots
    return [[nd + a.idx for a in r if a.is_client()] for r in res.best.routes()]


def run_ortools(inst: VrplibInstance, path: Path, limit: float, seed: int) -> Routes:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    dist = _int_matrix(inst).tolist()
    service = [round(s * 10) for s in inst.service]
    n, k = len(inst.ids), inst.num_vehicles
    manager = pywrapcp.RoutingIndexManager(n, k, 0)
    routing = pywrapcp.RoutingModel(manager)

    def distance(i: int, j: int) -> int:
        return int(dist[manager.IndexToNode(i)][manager.IndexToNode(j)])

    def travel(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return int(dist[a][b] + service[a])

    def demand(i: int) -> int:
        return int(inst.demand[manager.IndexToNode(i)])

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance))
    horizon = int(inst.tw[0, 1] * 10)
    routing.AddDimension(routing.RegisterTransitCallback(travel), horizon, horizon, False, "t")
    time_dim = routing.GetDimensionOrDie("t")
    for node in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(
            int(np.ceil(inst.tw[node, 0] * 10)), int(inst.tw[node, 1] * 10)
        )
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand), 0, [int(inst.capacity)] * k, True, "load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(limit * 1000))
    sol = routing.SolveWithParameters(params)
    routes: Routes = []
    if sol is None:
        return routes
    for v in range(k):
        idx = routing.Start(v)
        route = []
        idx = sol.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            route.append(manager.IndexToNode(idx))
            idx = sol.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    return routes


def run_vroom(inst: VrplibInstance, path: Path, limit: float, seed: int) -> Routes:
    from datetime import timedelta

    import vroom

    problem = vroom.Input()
    problem.set_durations_matrix("car", _int_matrix(inst))
    tw0 = vroom.TimeWindow(int(inst.tw[0, 0] * 10), int(inst.tw[0, 1] * 10))
    for v in range(inst.num_vehicles):
        problem.add_vehicle(
            vroom.Vehicle(v + 1, start=0, end=0, capacity=[int(inst.capacity)], time_window=tw0)
        )
    for c in range(1, len(inst.ids)):
        problem.add_job(
            vroom.Job(
                c,
                location=c,
                default_service=round(inst.service[c] * 10),
                delivery=[int(inst.demand[c])],
                time_windows=[
                    vroom.TimeWindow(int(np.ceil(inst.tw[c, 0] * 10)), int(inst.tw[c, 1] * 10))
                ],
            )
        )
    sol = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=limit))
    df = sol.routes
    jobs = df[df["type"] == "job"]
    return [list(g["id"].astype(int)) for _, g in jobs.groupby("vehicle_id", sort=False)]


SOLVERS: dict[str, Callable[[VrplibInstance, Path, float, int], Routes]] = {
    "voltvan": run_voltvan,
    "pyvrp": run_pyvrp,
    "ortools": run_ortools,
    "vroom": run_vroom,
}


def _bks(sol: Path) -> float:
    last = sol.read_text().strip().splitlines()[-1]
    m = re.search(r"([\d.]+)\s*$", last)
    return float(m.group(1)) if m else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solver run")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    parser.add_argument("--instances", nargs="*", help="instance names, e.g. C1_10_1")
    parser.add_argument("--solvers", nargs="*", default=list(SOLVERS), choices=list(SOLVERS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="folder holding bench/vrptw-gh1000",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "vrptw.csv")
    args = parser.parse_args()
    folder = args.shared / "bench" / "vrptw-gh1000"
    names = sorted(p.stem for p in folder.glob("*.vrp"))
    if not names:
        raise SystemExit(f"benchmark data absent: no *.vrp in {folder}.\nWhere to get it: {WHERE}.")
    if args.instances:
        names = [n for n in names if n in set(args.instances)]
    elif args.quick:
        names = [n for n in names if n in QUICK]
    rows: list[dict[str, object]] = []
    for name in names:
        path = folder / f"{name}.vrp"
        inst = read_vrplib(path)
        bks = _bks(folder / f"{name}.sol")
        for solver in args.solvers:
            with console.status(f"{name}: {solver} for {args.time_limit:g} s"):
                start = time.perf_counter()
                routes = SOLVERS[solver](inst, path, args.time_limit, args.seed)
                runtime = time.perf_counter() - start
            ok, dist, why = evaluate(inst, routes)
            row = {
                "instance": name,
                "solver": solver,
                "feasible": ok,
                "vehicles": len(routes),
                "distance": round(dist, 1) if ok else "",
                "bks": bks,
                "gap_pct": round(100 * (dist - bks) / bks, 2) if ok else "",
                "runtime_s": round(runtime, 1),
                "error": why,
            }
            rows.append(row)
            console.print(row)
    _print(rows, args.solvers, args.time_limit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["instance"])
        writer.writeheader()
        writer.writerows(rows)
    console.print(f"CSV: {args.out}")
    return 0


def _print(rows: list[dict[str, object]], solvers: list[str], limit: float) -> None:
    table = Table(title=f"VRPTW 1000 customers, {limit:g} s per run: gap to best-known (%)")
    table.add_column("instance")
    for s in solvers:
        table.add_column(s, justify="right")
    if "voltvan" in solvers and "pyvrp" in solvers:
        table.add_column("voltvan / pyvrp", justify="right")
    by = {(r["instance"], r["solver"]): r for r in rows}
    names = list(dict.fromkeys(str(r["instance"]) for r in rows))
    gaps: dict[str, list[float]] = {s: [] for s in solvers}
    ratios: list[float] = []
    for name in names:
        cells = []
        for s in solvers:
            r = by.get((name, s))
            if r is None or not r["feasible"]:
                cells.append("[red]infeasible[/]")
                continue
            gaps[s].append(float(r["gap_pct"]))  # type: ignore[arg-type]
            cells.append(f"{float(r['gap_pct']):+.2f} ({r['vehicles']} veh)")  # type: ignore[arg-type]
        if "voltvan" in solvers and "pyvrp" in solvers:
            a, b = by.get((name, "voltvan")), by.get((name, "pyvrp"))
            if a and b and a["feasible"] and b["feasible"]:
                ratio = float(a["distance"]) / float(b["distance"])  # type: ignore[arg-type]
                ratios.append(ratio)
                cells.append(f"{ratio:.4f}")
            else:
                cells.append("")
        table.add_row(name, *cells)
    table.add_section()
    mean_cells = [f"{mean(gaps[s]):+.2f}" if gaps[s] else "" for s in solvers]
    if "voltvan" in solvers and "pyvrp" in solvers:
        mean_cells.append(f"{mean(ratios):.4f}" if ratios else "")
    table.add_row("mean", *mean_cells)
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
