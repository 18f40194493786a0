"""EVRPTW-PR benchmark: voltvan on the Schneider et al. (2014) 100-customer instances.

Every solution is written as benchmark JSON and checked by the independent checker
``tests/tools/check_evrptw.py`` (a subprocess). Vehicles and distance are compared with the
best-known solutions (Erdelic et al. 2022, partial recharging) and, side by side, with the
published RoutingBlocks ALNS results (Klein & Schiffer 2023; their runtimes, not ours).

    python bench/evrptw.py --quick --time-limit 60
    python bench/evrptw.py --instances c101 r102 --time-limit 30

The 28 instances are not in the repository (tests/data holds 4 of them): ``--shared DIR`` names
a folder with ``bench/evrptw/100/*_21.txt``, ``bench/evrptw/bks-evrptwpr.tsv`` and
``bench/evrptw/routingblocks2023.csv`` (default: ``../shared`` beside the checkout). Writes
bench/results/evrptw.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import mean

from rich.console import Console
from rich.table import Table

from voltvan.benchmarks import read_instance, write_solution
from voltvan.planning.ev import solve_ev

REPO = Path(__file__).resolve().parents[1]
CHECKER = REPO / "tests" / "tools" / "check_evrptw.py"
WHERE = (
    "the Schneider et al. (2014) 100-customer instances (*_21.txt), the best-known solutions "
    "bks-evrptwpr.tsv and the RoutingBlocks results routingblocks2023.csv come from the "
    "RoutingBlocks paper repository, https://github.com/INFORMSJoC/2023.0104 (MIT; see "
    "tests/data/bench/evrptw/SOURCE.txt). Put them in DIR/bench/evrptw/ (instances in 100/) and "
    "pass --shared DIR"
)
QUICK = ("c101", "c103", "c204", "r102", "r105", "r201", "rc101", "rc201")
console = Console(width=150)


def _bks(shared: Path) -> dict[str, tuple[int, float]]:
    out = {}
    with (shared / "bench" / "evrptw" / "bks-evrptwpr.tsv").open() as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[row["INSTANCE"].lower()] = (int(row["NUM_VEHICLES"]), float(row["TOTAL_DISTANCE"]))
    return out


def _published(shared: Path) -> dict[str, tuple[int, float, float]]:
    out = {}
    with (shared / "bench" / "evrptw" / "routingblocks2023.csv").open() as f:
        for row in csv.DictReader(f):
            out[row["instance"].lower()] = (
                int(row["k"]),
                float(row["cost"]),
                float(row["runtime"]),
            )
    return out


def _check(instance: Path, solution: Path) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, str(CHECKER), str(instance), str(solution)],
        capture_output=True,
        text=True,
        check=False,
    )
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--quick", action="store_true", help=f"only {len(QUICK)} instances")
    parser.add_argument("--instances", nargs="*", help="instance names, e.g. c101 r102")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--shared", type=Path, default=REPO.parent / "shared", help="folder holding bench/evrptw"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "evrptw.csv")
    args = parser.parse_args()
    folder = args.shared / "bench" / "evrptw" / "100"
    needed = (folder, folder.parent / "bks-evrptwpr.tsv", folder.parent / "routingblocks2023.csv")
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        raise SystemExit(f"benchmark data absent: {', '.join(missing)}.\nWhere to get it: {WHERE}.")
    names = sorted(p.stem.removesuffix("_21") for p in folder.glob("*_21.txt"))
    if args.instances:
        names = [n for n in names if n in set(args.instances)]
    elif args.quick:
        names = [n for n in names if n in QUICK]
    bks, published = _bks(args.shared), _published(args.shared)
    rows: list[dict[str, object]] = []
    sol_dir = Path(tempfile.mkdtemp(prefix="voltvan-evrptw-"))
    for name in names:
        path = folder / f"{name}_21.txt"
        bench = read_instance(path)
        with console.status(f"{name}: solving for {args.time_limit:g} s"):
            solution = solve_ev(bench.instance, time_limit_s=args.time_limit, seed=args.seed)
        out = sol_dir / f"{name}.json"
        write_solution(out, bench.instance, solution)
        check = _check(path, out)
        bk_v, bk_d = bks[name]
        dist = float(check["distance"])  # type: ignore[arg-type]
        rb = published.get(name)
        row: dict[str, object] = {
            "instance": name,
            "feasible": bool(check["feasible"]),
            "vehicles": int(check["vehicles"]),  # type: ignore[call-overload]
            "distance": round(dist, 2),
            "bks_vehicles": bk_v,
            "bks_distance": round(bk_d, 2),
            "gap_pct": round(100 * (dist - bk_d) / bk_d, 2),
            "runtime_s": round(float(solution.stats.get("runtime_s", 0.0)), 1),
            "rb_published_vehicles": rb[0] if rb else "",
            "rb_published_gap_pct": round(100 * (rb[1] - bk_d) / bk_d, 2) if rb else "",
            "rb_published_runtime_s": round(rb[2]) if rb else "",
        }
        rows.append(row)
        console.print(
            f"{name}: {row['vehicles']} vehicles (best-known {bk_v}), distance {dist:.2f} "
            f"({row['gap_pct']:+.2f} %), checker {'ok' if row['feasible'] else check['errors']}"
        )
    _print(rows, args.time_limit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["instance"])
        writer.writeheader()
        writer.writerows(rows)
    console.print(f"CSV: {args.out}")
    return 0 if all(r["feasible"] for r in rows) else 1


def _print(rows: list[dict[str, object]], time_limit: float) -> None:
    table = Table(title=f"EVRPTW-PR, voltvan at {time_limit:g} s per instance vs best-known")
    cols = ["instance", "checker", "veh", "bks veh", "distance", "bks dist", "gap %"]
    cols += ["RB veh*", "RB gap %*", "RB s*"]
    for c in cols:
        table.add_column(c, justify="right")
    for r in rows:
        table.add_row(
            str(r["instance"]),
            "ok" if r["feasible"] else "[red]FAIL[/]",
            str(r["vehicles"]),
            str(r["bks_vehicles"]),
            f"{r['distance']:.2f}",
            f"{r['bks_distance']:.2f}",
            f"{r['gap_pct']:+.2f}",
            str(r["rb_published_vehicles"]),
            f"{r['rb_published_gap_pct']:+.2f}" if r["rb_published_gap_pct"] != "" else "",
            str(r["rb_published_runtime_s"]),
        )
    if rows:
        gaps = [float(r["gap_pct"]) for r in rows]  # type: ignore[arg-type]
        extra = [int(r["vehicles"]) - int(r["bks_vehicles"]) for r in rows]  # type: ignore[call-overload]
        rb = [float(r["rb_published_gap_pct"]) for r in rows if r["rb_published_gap_pct"] != ""]  # type: ignore[arg-type]
        table.add_section()
        table.add_row(
            "mean",
            f"{sum(bool(r['feasible']) for r in rows)}/{len(rows)}",
            f"max +{max(extra)}",
            "",
            "",
            "",
            f"{mean(gaps):+.2f}",
            "",
            f"{mean(rb):+.2f}" if rb else "",
            "",
        )
    console.print(table)
    console.print("* RoutingBlocks: published results (Klein & Schiffer 2023), not run here.")


if __name__ == "__main__":
    sys.exit(main())
