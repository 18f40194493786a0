"""``voltvan report energy``: energy per km per van and day, and on request the model's fit.

``--calibrate`` fits the energy model's parameters to the trips and shows them before and after,
so a fleet can check the catalogue's consumption against how its own vans drive.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voltvan.cli._analytics import (
    DataOpt,
    FleetOpt,
    TypeOpt,
    as_options,
    fleet_info,
    vans_text,
    vehicle_ids,
)
from voltvan.cli._output import Col, CsvOpt, JsonOpt, Output, emit, output
from voltvan.cli._reports import (
    NO_ROWS,
    DayOpt,
    VehicleOpt,
    blank_energy_note,
    derived,
    div,
    kwh,
    report_app,
)
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.telemetry import FleetFacts


@report_app.command("energy")
def report_energy(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrate",
            help="Also fit the energy model to the trips and report the fit (a table only).",
        ),
    ] = False,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    mass_kg: Annotated[
        float | None, typer.Option("--mass-kg", help="Van mass incl. driver for the fit, kg.")
    ] = None,
    frontal_area_m2: Annotated[
        float | None, typer.Option("--frontal-area-m2", help="Frontal area for the fit, m².")
    ] = None,
    drag_coefficient: Annotated[
        float | None, typer.Option("--drag-coefficient", help="Drag coefficient for the fit.")
    ] = None,
    fit: Annotated[
        list[str] | None,
        typer.Option("--fit", help="Parameter to fit (repeatable); default efficiency + aux W."),
    ] = None,
) -> None:
    """Energy per km, distance and driving time per van per day; optionally the model fit."""
    fmt = output(as_csv, as_json)
    if calibrate and fmt is not Output.table:
        raise InvalidInput(
            "the fit is a table for people: leave out --csv/--json, or --calibrate",
            field="--calibrate",
        )
    rows = [
        (d["vehicle_id"], str(d["day"]), d["trips"], div(d["distance_m"], 1000),
         div(d["driving_s"], 3600), kwh(d["energy_wh"]), d["wh_per_km"])
        for d in derived(data, "daily_energy", vehicle, day)
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("day", left=True), "trips", "km", Col("driving h", 1),
        "kWh", "Wh/km",
    ]  # fmt: skip
    blank = sorted({r[0] for r in rows if r[5] is None})
    notes = blank_energy_note("the days of " + vans_text(blank), _no_capacity(data, blank))
    emit("Energy per van per day", cols, rows, fmt, empty=NO_ROWS, notes=notes)
    if calibrate:
        info = fleet_info(fleet, vehicle_type, vehicle_ids(data))
        _report_fit(data, vehicle, day, info, mass_kg, frontal_area_m2, drag_coefficient, fit)


def _no_capacity(data: Path, vans: Sequence[str]) -> list[str]:
    """Of ``vans``, those with trips whose SoC was seen at both ends but energy is blank."""
    from voltvan.telemetry import open_query, vans_without_capacity

    return vans_without_capacity(open_query(data), vans) if vans else []


def _report_fit(
    data: Path,
    vehicle: str | None,
    day: str | None,
    info: FleetFacts,
    mass_kg: float | None,
    frontal_area_m2: float | None,
    drag_coefficient: float | None,
    fit: list[str] | None,
) -> None:
    from dataclasses import replace

    from voltvan.cli._app import console
    from voltvan.domain import ConsumptionParams
    from voltvan.telemetry import DEFAULT_FIT, calibrate, day_filter, open_query

    base = next(iter(info.consumption.values()), None) if vehicle is None else (
        info.consumption.get(vehicle)
    )  # fmt: skip
    base = base or ConsumptionParams()
    if frontal_area_m2 is not None:
        base = replace(base, frontal_area_m2=frontal_area_m2)
    if drag_coefficient is not None:
        base = replace(base, drag_coefficient=drag_coefficient)
    masses: dict[str, float] | float = mass_kg if mass_kg is not None else info.mass_kg
    if not masses:
        raise InvalidInput("give --mass-kg or --fleet for the calibration", field="--mass-kg")
    with as_options():
        where, args = day_filter(vehicle, day, "start_ts")
    result = calibrate(
        open_query(data), base, mass_kg=masses, fit=fit or DEFAULT_FIT, where=where, args=args
    )
    rows = [
        (name, f"{getattr(base, name):.4g}", f"{getattr(result.params, name):.4g}")
        for name in result.fitted
    ]
    emit(f"Energy model fit on {result.num_trips} trips",
         [Col("parameter", left=True), "before", "fitted"], rows, Output.table)  # fmt: skip
    console.print(
        f"RMSE {result.rmse_wh:.0f} Wh per trip, mean absolute error "
        f"{result.mean_abs_pct_error:.1f} %"
    )
