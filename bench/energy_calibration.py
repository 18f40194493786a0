"""Energy model against reality and against itself: one command, tables on screen, CSV on disk.

    python bench/energy_calibration.py [--data DIR] [--out bench/results]

1. Leave-one-trip-out on the 7 real RSK Twizy trips (CC BY 4.0, NaitMalek et al.): the physics
   model with one or two fitted parameters against a constant Wh/km fitted on the same trips,
   on whole held-out trips and on their 5 km pieces.
2. The leg model (distance and duration only) against the 1 Hz trace model on standard cycles.
3. The default vans: urban leg on a mild, cold and hot day; WLTC at test mass against the spec
   sheet's WLTP range.
4. Time to build one 2,000 x 2,000 leg-energy matrix (the planner's largest call).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from voltvan.academy import data_file
from voltvan.catalog import large_van, small_van, twizy
from voltvan.energy import (
    DRIVER_KG,
    cross_validate,
    leg_energy_matrix_wh,
    leg_energy_wh,
    read_rsk_pieces,
    read_rsk_trip,
    trace_energy_wh,
    vehicle_mass_kg,
)

REPO = Path(__file__).resolve().parents[1]
KIT_KG = 10.0
FIT_SETS = (
    ("drivetrain_efficiency",),
    ("rolling_resistance", "drag_coefficient"),
    ("drivetrain_efficiency", "auxiliary_w"),
)
CYCLES = ("WLTC_3b_low", "WLTC_3b_middle", "WLTC_3b_high", "WLTC_3b_extrahigh", "EPA_city")
WLTP_RANGE_KM = {"large": 317.0, "small": 423.0}  # from the cited OpenEV sheets
N1_PAYLOAD_SHARE = 0.28  # WLTP test mass of a van: running order + 25 kg + 28 % of payload


def twizy_validation(console: Console, rows: list[dict[str, object]]) -> None:
    van = twizy()
    mass_kg = van.mass_kg + DRIVER_KG + KIT_KG
    files = sorted(data_file("rsk-twizy-ev/Analyzed").glob("T*/*.csv"))
    trips = [read_rsk_trip(f, battery_wh=van.battery_wh, mass_kg=mass_kg) for f in files]
    pieces = [read_rsk_pieces(f, battery_wh=van.battery_wh, mass_kg=mass_kg) for f in files]
    summary = Table(title=f"RSK Twizy, leave one trip out ({len(trips)} trips)")
    for col in (
        "fitted",
        "trip err model",
        "trip err Wh/km",
        "ratio",
        "piece MAE model",
        "piece MAE Wh/km",
        "ratio ",
    ):
        summary.add_column(col, justify="right")
    for fit in FIT_SETS:
        cv = cross_validate(trips, van.consumption, fit=fit, pieces=pieces)
        m, b = cv.mean_abs_pct(model=True), cv.mean_abs_pct(model=False)
        pm, pb = cv.mean_abs_wh(model=True, pieces=True), cv.mean_abs_wh(model=False, pieces=True)
        summary.add_row(
            "+".join(fit),
            f"{m:.1f} %",
            f"{b:.1f} %",
            f"{m / b:.2f}",
            f"{pm:.0f} Wh",
            f"{pb:.0f} Wh",
            f"{pm / pb:.2f}",
        )
        rows.append(
            {
                "section": "twizy",
                "case": "+".join(fit),
                "model": m,
                "peer": b,
                "model_pieces_wh": pm,
                "peer_pieces_wh": pb,
            }
        )
        if fit == FIT_SETS[0]:
            detail = Table(title="held-out trips, fit = drivetrain_efficiency")
            for col in ("trip", "km", "observed Wh", "model Wh", "err", "Wh/km baseline", "err "):
                detail.add_column(col, justify="right")
            for h in cv.held_out:
                if not h.is_piece:
                    detail.add_row(
                        h.name,
                        f"{h.distance_m / 1000:.1f}",
                        f"{h.observed_wh:.0f}",
                        f"{h.model_wh:.0f}",
                        f"{(h.model_wh / h.observed_wh - 1) * 100:+.1f} %",
                        f"{h.baseline_wh:.0f}",
                        f"{(h.baseline_wh / h.observed_wh - 1) * 100:+.1f} %",
                    )
            console.print(detail)
            effs = [p.drivetrain_efficiency for p in cv.fitted_params]
            console.print(
                f"fitted drivetrain efficiency per fold: {min(effs):.3f} - {max(effs):.3f}; "
                f"{sum(h.is_piece for h in cv.held_out)} held-out pieces"
            )
    console.print(summary)


def _cycle(data: Path, name: str) -> np.ndarray:
    table = np.genfromtxt(
        data / "real" / "emobpy-cycles-evspecs" / "driving_cycles.csv", delimiter=",", names=True
    )
    v = table[name] / 3.6
    return np.asarray(v[~np.isnan(v)])


def leg_vs_trace(data: Path, console: Console, rows: list[dict[str, object]]) -> None:
    table = Table(title="leg model (distance + duration) vs 1 Hz trace model, Wh/km, 20 °C")
    table.add_column("cycle")
    for van in (large_van(), small_van(), twizy()):
        table.add_column(f"{van.id} trace", justify="right")
        table.add_column(f"{van.id} leg", justify="right")
        table.add_column("ratio", justify="right")
    for name in CYCLES:
        v = _cycle(data, name)
        t = np.arange(v.size, dtype=float)
        km = float(np.sum(0.5 * (v[1:] + v[:-1]))) / 1000
        cells = [name]
        for van in (large_van(), small_van(), twizy()):
            m = van.mass_kg + DRIVER_KG
            trace = (
                trace_energy_wh(van.consumption, mass_kg=m, time_s=t, speed_mps=v, ambient_c=20.0)[
                    -1
                ]
                / km
            )
            leg = (
                leg_energy_wh(
                    van.consumption,
                    distance_m=km * 1000,
                    duration_s=float(t[-1]),
                    mass_kg=m,
                    ambient_c=20.0,
                )
                / km
            )
            cells += [f"{trace:.0f}", f"{leg:.0f}", f"{leg / trace:.3f}"]
            rows.append(
                {"section": "leg_vs_trace", "case": f"{van.id} {name}", "model": leg, "peer": trace}
            )
        table.add_row(*cells)
    console.print(table)


def default_vans(data: Path, console: Console, rows: list[dict[str, object]]) -> None:
    table = Table(title="default vans: urban 10 km at 25 km/h, half payload; WLTC at test mass")
    for col in ("van", "20 °C", "-5 °C", "35 °C", "WLTC model", "sheet WLTP", "ratio"):
        table.add_column(col, justify="right")
    v = _cycle(data, "WLTC_3b_full")
    t = np.arange(v.size, dtype=float)
    km = float(np.sum(0.5 * (v[1:] + v[:-1]))) / 1000
    for van in (large_van(), small_van()):
        urban = [
            leg_energy_wh(
                van.consumption,
                distance_m=10_000.0,
                duration_s=1_440.0,
                mass_kg=vehicle_mass_kg(van, van.payload_kg / 2),
                ambient_c=c,
            )
            / 10
            for c in (20.0, -5.0, 35.0)
        ]
        test_params = dataclasses.replace(van.consumption, auxiliary_w=0.0, hvac_w_per_k=0.0)
        test_mass = van.mass_kg + 25.0 + N1_PAYLOAD_SHARE * van.payload_kg
        wltc = (
            trace_energy_wh(test_params, mass_kg=test_mass, time_s=t, speed_mps=v, ambient_c=23.0)[
                -1
            ]
            / km
        )
        sheet = van.battery_wh / WLTP_RANGE_KM[van.id]
        table.add_row(
            van.name,
            *(f"{u:.0f}" for u in urban),
            f"{wltc:.0f}",
            f"{sheet:.0f}",
            f"{wltc / sheet:.2f}",
        )
        rows.append(
            {
                "section": "vans",
                "case": van.id,
                "model": wltc,
                "peer": sheet,
                "urban_20c": urban[0],
                "urban_m5c": urban[1],
                "urban_35c": urban[2],
            }
        )
    console.print(table)


def matrix_timing(console: Console, rows: list[dict[str, object]]) -> None:
    rng = np.random.default_rng(0)
    d = rng.uniform(0.0, 20_000.0, (2_000, 2_000))
    t = d / rng.uniform(4.0, 15.0, d.shape)
    van = large_van()
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        leg_energy_matrix_wh(van.consumption, d, t, mass_kg=3_500.0, ambient_c=-5.0)
        runs.append(time.perf_counter() - start)
    console.print(f"2,000 x 2,000 leg-energy matrix: best {min(runs):.3f} s of 3")
    rows.append({"section": "matrix", "case": "2000x2000", "model": min(runs), "peer": ""})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO / "tests" / "data",
        help="folder holding real/emobpy-cycles-evspecs (the Twizy trips are package data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "bench" / "results",
        help="folder for energy_calibration.csv",
    )
    args = parser.parse_args()
    console = Console(width=150)
    rows: list[dict[str, object]] = []
    twizy_validation(console, rows)
    leg_vs_trace(args.data, console, rows)
    default_vans(args.data, console, rows)
    matrix_timing(console, rows)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "energy_calibration.csv"
    fields = sorted({k for r in rows for k in r}, key=lambda k: (k != "section", k != "case", k))
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
