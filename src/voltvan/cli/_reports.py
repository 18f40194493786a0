"""``voltvan report trips|energy|charging|alerts``: the derived tables, for people and machines.

Each report prints one table through :func:`._output.emit` (``--csv``/``--json`` for machines)
and says below it what it could not compute and why, instead of leaving columns silently blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from voltvan.cli._analytics import (
    BatteryOpt,
    DataOpt,
    FleetOpt,
    TypeOpt,
    as_options,
    capacities,
    fleet_info,
    vans_text,
    vehicle_ids,
)
from voltvan.cli._app import app
from voltvan.cli._output import Col, CsvOpt, JsonOpt, Output, emit, output
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.telemetry import DerivedTable, FleetFacts

report_app = typer.Typer(help="Reports over the derived telemetry tables.", no_args_is_help=True)
app.add_typer(report_app, name="report")

VehicleOpt = Annotated[str | None, typer.Option("--vehicle", help="Only this vehicle id.")]
DayOpt = Annotated[str | None, typer.Option("--day", help="Only this UTC day, YYYY-MM-DD.")]
NO_ROWS = "no rows (run `voltvan derive` first?)"


def _rows(
    data: Path, table: DerivedTable, vehicle: str | None, day: str | None
) -> list[dict[str, Any]]:
    from voltvan.telemetry import derived_rows, open_query

    with as_options():
        return derived_rows(open_query(data), table, vehicle=vehicle, day=day)


def _blank_energy_note(what: str, vans: Sequence[str]) -> list[str]:
    """The note for rows whose energy is blank although the SoC was seen: no capacity."""
    if not vans:
        return []
    from voltvan.telemetry import NEEDS_CAPACITY

    return [f"kWh and Wh/km are blank for {what}: {NEEDS_CAPACITY}"]


def _div(v: float | None, by: float) -> float | None:
    return None if v is None else v / by


@report_app.command("trips")
def report_trips(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Trips: start and end (UTC), duration, driving time, distance (and its source), energy."""
    fmt = output(as_csv, as_json)
    rows = [
        (t["vehicle_id"], t["start_ts"], t["end_ts"], _div(t["duration_s"], 60),
         _div(t["driving_s"], 60), _div(t["distance_m"], 1000), t["distance_source"],
         t["gps_faults"], _kwh(t["energy_wh"]), t["wh_per_km"], _pct(t["start_soc"]),
         _pct(t["end_soc"]))
        for t in _rows(data, "trips", vehicle, day)
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("start", left=True), Col("end", 5, left=True),
        Col("min", 3), Col("driving min", 7), "km", Col("km from", 8, left=True),
        Col("gps faults", 9), "kWh", "Wh/km", Col("SoC start %", 4), Col("SoC end %", 2),
    ]  # fmt: skip
    no_cap = sorted({r[0] for r in rows if r[8] is None and None not in (r[10], r[11])})
    notes = _blank_energy_note("the trips of " + vans_text(no_cap), no_cap)
    emit("Trips", cols, rows, fmt, empty=NO_ROWS, notes=notes)


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
        (d["vehicle_id"], str(d["day"]), d["trips"], _div(d["distance_m"], 1000),
         _div(d["driving_s"], 3600), _kwh(d["energy_wh"]), d["wh_per_km"])
        for d in _rows(data, "daily_energy", vehicle, day)
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("day", left=True), "trips", "km", Col("driving h", 1),
        "kWh", "Wh/km",
    ]  # fmt: skip
    blank = sorted({r[0] for r in rows if r[5] is None})
    notes = _blank_energy_note("the days of " + vans_text(blank), _no_capacity(data, blank))
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


@report_app.command("charging")
def report_charging(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    battery_wh: BatteryOpt = None,
) -> None:
    """Charging sessions (start/end SoC, energy, peak power) and a state-of-health estimate.

    The state of health is a second table, shown without --csv/--json only.
    """
    from voltvan.telemetry import estimate_health

    fmt = output(as_csv, as_json)
    sessions = _rows(data, "charging_sessions", vehicle, day)
    rows = [
        (s["vehicle_id"], s["start_ts"], s["end_ts"], s["duration_s"] / 60,
         _pct(s["start_soc"]), _pct(s["end_soc"]), _kwh(s["energy_wh"]), s["energy_source"],
         _kwh(s["peak_power_w"]), s["source"])
        for s in sessions
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("start", left=True), Col("end", 5, left=True),
        Col("min", 3), "SoC start %", "SoC end %", "kWh", Col("kWh from", 8, left=True),
        Col("peak kW", 6), Col("detected by", 7, left=True),
    ]  # fmt: skip
    vans = sorted({s["vehicle_id"] for s in sessions})
    caps = capacities(fleet_info(fleet, vehicle_type, vans), battery_wh, vans)
    no_cap = sorted({s["vehicle_id"] for s in sessions if s["energy_wh"] is None})
    notes = _blank_energy_note("the sessions of " + vans_text(no_cap), no_cap)
    unknown = [v for v in vans if v not in caps]
    if unknown:
        notes.append(
            f"no state of health for {vans_text(unknown)}: it compares the capacity the sessions "
            "show with the nominal one; give --fleet, --vehicle-type or --battery-wh"
        )
    emit("Charging sessions", cols, rows, fmt, empty=NO_ROWS, notes=notes)
    health = estimate_health(sessions, caps)
    if health and fmt is Output.table:
        health_cols: list[Col | str] = [
            Col("vehicle", left=True), "sessions", "SoC seen", "capacity kWh", "nominal kWh",
            "SoH %", "conf.",
        ]  # fmt: skip
        health_rows = [
            (h.vehicle_id, h.num_sessions, h.soc_observed, h.capacity_wh / 1000,
             h.nominal_wh / 1000, 100 * h.soh, h.confidence)
            for h in health
        ]  # fmt: skip
        emit("Battery state of health", health_cols, health_rows, fmt)


def _pct(v: float | None) -> float | None:
    return None if v is None else 100.0 * v


def _kwh(v: float | None) -> float | None:
    return None if v is None else v / 1000.0


@report_app.command("alerts")
def report_alerts(
    data: DataOpt,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="plan.json of the day (for the SoC alert).")
    ] = None,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Judge at this RFC 3339 time; default: the newest signal."),
    ] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone of the plan's times of day (IANA name).")
    ] = "UTC",
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Alerts: SoC too low for the rest of the planned route, long stops, high consumption."""
    from zoneinfo import ZoneInfo

    from voltvan.plan import Plan
    from voltvan.telemetry import (
        derived_rows,
        high_consumption_alerts,
        latest_soc,
        long_stop_alerts,
        low_soc_alerts,
        match_observed,
        newest_signal_ts,
        observed_trips,
        open_query,
    )

    fmt = output(as_csv, as_json)
    con = open_query(data)
    state = latest_soc(con)
    if now is not None:
        try:
            at = datetime.fromisoformat(now)
        except ValueError:
            raise InvalidInput(f"{now!r} is not an RFC 3339 time", field="--now") from None
    else:
        at = newest_signal_ts(con) or datetime.now(UTC)
    if at.tzinfo is None:
        raise InvalidInput(f"{now!r} needs a time zone offset", field="--now")
    local = at.astimezone(ZoneInfo(tz))
    now_s = local.hour * 3600 + local.minute * 60 + local.second
    day = at.astimezone(UTC).date().isoformat()
    the_plan = Plan.read_json(plan) if plan is not None else None
    alerts = low_soc_alerts(the_plan, state, now_s) if the_plan is not None else []
    stops = derived_rows(con, "stops", day=day)
    alerts += long_stop_alerts(stops, plan=the_plan)
    info = fleet_info(fleet, vehicle_type, vehicle_ids(data))
    notes = []
    if the_plan is None:
        notes.append("no low-SoC alerts: they set the SoC against the planned route; give --plan")
    if info.mass_kg:
        trips = derived_rows(con, "trips", day=day)
        trips = [t for t in trips if t["vehicle_id"] in info.mass_kg]
        obs = observed_trips(con, trips, mass_kg=info.mass_kg)
        keyed = [(t["vehicle_id"], t["start_ts"], o) for t, o in match_observed(trips, obs)]
        alerts += high_consumption_alerts(keyed, info.consumption)
    else:
        notes.append(
            "no high-consumption alerts: they compare each trip with the energy model of the "
            "van's type; give --fleet or --vehicle-type"
        )
    rows = [(a.kind, a.vehicle_id, a.ts, a.severity, a.message) for a in alerts]
    cols: list[Col | str] = [
        Col("alert", left=True), Col("vehicle", left=True), Col("since", 2, left=True),
        Col("severity", 1, left=True), Col("what", left=True),
    ]  # fmt: skip
    emit(f"Alerts at {at.isoformat()}", cols, rows, fmt, empty="no alerts", notes=notes)
