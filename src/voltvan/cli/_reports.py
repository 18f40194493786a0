"""``voltvan report trips|energy|charging|alerts``: the derived tables, for people and machines.

Each report prints one table through :func:`._output.emit` (``--csv``/``--json`` for machines)
and says below it what it could not compute and why, instead of leaving columns silently blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from voltvan.cli._analytics import (
    NEEDS_CAPACITY,
    BatteryOpt,
    DataOpt,
    FleetInfo,
    FleetOpt,
    TypeOpt,
    capacities,
    check_day,
    fleet_info,
    vans_text,
    vehicle_ids,
)
from voltvan.cli._app import app
from voltvan.cli._output import Col, CsvOpt, JsonOpt, Output, emit, output
from voltvan.errors import InvalidInput

report_app = typer.Typer(help="Reports over the derived telemetry tables.", no_args_is_help=True)
app.add_typer(report_app, name="report")

VehicleOpt = Annotated[str | None, typer.Option("--vehicle", help="Only this vehicle id.")]
DayOpt = Annotated[str | None, typer.Option("--day", help="Only this UTC day, YYYY-MM-DD.")]
NO_ROWS = "no rows (run `voltvan derive` first?)"


def _where(vehicle: str | None, day: str | None, ts_col: str) -> tuple[str, list[object]]:
    check_day(day)
    where, args = "", list[object]()
    if vehicle is not None:
        where += " AND vehicle_id = ?"
        args.append(vehicle)
    if day is not None:
        where += f" AND CAST({ts_col} AS DATE) = CAST(? AS DATE)"
        args.append(day)
    return where, args


def _query(data: Path, sql: str, args: list[object]) -> list[tuple[Any, ...]]:
    from voltvan.telemetry.analytics._derived import connect

    return [tuple(r) for r in connect(data).execute(sql, args).fetchall()]


def _blank_energy_note(what: str, vans: Sequence[str]) -> list[str]:
    """The note for rows whose energy is blank although the SoC was seen: no capacity."""
    if not vans:
        return []
    return [f"kWh and Wh/km are blank for {what}: {NEEDS_CAPACITY}"]


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
    where, args = _where(vehicle, day, "start_ts")
    rows = _query(
        data,
        f"""SELECT vehicle_id, start_ts, end_ts, duration_s / 60, driving_s / 60,
            distance_m / 1000, distance_source, gps_faults, energy_wh / 1000, wh_per_km,
            100 * start_soc, 100 * end_soc
        FROM trips WHERE true {where} ORDER BY vehicle_id, start_ts""",
        args,
    )
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
    where, args = _where(vehicle, day, "day")
    rows = _query(
        data,
        f"""SELECT vehicle_id, day::VARCHAR, trips, distance_m / 1000, driving_s / 3600,
            energy_wh / 1000, wh_per_km FROM daily_energy WHERE true {where}
        ORDER BY vehicle_id, day""",
        args,
    )
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
    if not vans:
        return []
    marks = ", ".join("?" * len(vans))
    found = _query(
        data,
        f"""SELECT DISTINCT vehicle_id FROM trips WHERE energy_wh IS NULL
            AND start_soc IS NOT NULL AND end_soc IS NOT NULL AND vehicle_id IN ({marks})""",
        list(vans),
    )
    return sorted(str(r[0]) for r in found)


def _report_fit(
    data: Path,
    vehicle: str | None,
    day: str | None,
    info: FleetInfo,
    mass_kg: float | None,
    frontal_area_m2: float | None,
    drag_coefficient: float | None,
    fit: list[str] | None,
) -> None:
    from dataclasses import replace

    from voltvan.cli._app import console
    from voltvan.domain import ConsumptionParams
    from voltvan.telemetry.analytics._calibrate import DEFAULT_FIT, calibrate
    from voltvan.telemetry.analytics._derived import connect

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
    where, args = _where(vehicle, day, "start_ts")
    result = calibrate(
        connect(data), base, mass_kg=masses, fit=fit or DEFAULT_FIT, where=where, args=args
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
    from voltvan.telemetry.analytics._derived import connect
    from voltvan.telemetry.analytics._health import estimate_health

    fmt = output(as_csv, as_json)
    where, args = _where(vehicle, day, "start_ts")
    sql = f"SELECT * FROM charging_sessions WHERE true {where} ORDER BY vehicle_id, start_ts"
    cur = connect(data).execute(sql, args)
    names = [d[0] for d in cur.description or []]
    sessions = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
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
    from voltvan.telemetry import SOC
    from voltvan.telemetry.analytics._alerts import (
        high_consumption_alerts,
        long_stop_alerts,
        low_soc_alerts,
    )
    from voltvan.telemetry.analytics._calibrate import observed_trips
    from voltvan.telemetry.analytics._derived import connect

    fmt = output(as_csv, as_json)
    con = connect(data)
    state = {
        str(v): (ts, float(val) / 100.0)
        for v, ts, val in con.execute(
            "SELECT vehicle_id, ts, value FROM last_state WHERE name = ?", [SOC]
        ).fetchall()
    }
    if now is not None:
        try:
            at = datetime.fromisoformat(now)
        except ValueError:
            raise InvalidInput(f"{now!r} is not an RFC 3339 time", field="--now") from None
    else:
        newest = con.execute("SELECT max(ts) FROM last_state").fetchall()[0]
        at = newest[0] if newest and newest[0] is not None else datetime.now(UTC)
    if at.tzinfo is None:
        raise InvalidInput(f"{now!r} needs a time zone offset", field="--now")
    local = at.astimezone(ZoneInfo(tz))
    now_s = local.hour * 3600 + local.minute * 60 + local.second
    day = at.astimezone(UTC).date().isoformat()
    the_plan = Plan.read_json(plan) if plan is not None else None
    alerts = low_soc_alerts(the_plan, state, now_s) if the_plan is not None else []
    stops = _dicts(con, "SELECT * FROM stops WHERE CAST(start_ts AS DATE) = CAST(? AS DATE)", day)
    alerts += long_stop_alerts(stops, plan=the_plan)
    info = fleet_info(fleet, vehicle_type, vehicle_ids(data))
    notes = []
    if the_plan is None:
        notes.append("no low-SoC alerts: they set the SoC against the planned route; give --plan")
    if info.mass_kg:
        trips = _dicts(
            con, "SELECT * FROM trips WHERE CAST(start_ts AS DATE) = CAST(? AS DATE)", day
        )
        trips = [t for t in trips if t["vehicle_id"] in info.mass_kg]
        obs = observed_trips(con, trips, mass_kg=info.mass_kg)
        keyed = [(t["vehicle_id"], t["start_ts"], o) for t, o in _pair(trips, obs)]
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


def _dicts(con: Any, sql: str, day: str) -> list[dict[str, Any]]:
    cur = con.execute(sql, [day])
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _pair(trips: list[dict[str, Any]], obs: Sequence[Any]) -> list[tuple[dict[str, Any], Any]]:
    """Match observed trips back to their rows by name (observed_trips skips some)."""
    by_name = {o.name: o for o in obs}
    out = []
    for t in trips:
        name = f"{t['vehicle_id']} {t['start_ts']:%Y-%m-%d %H:%M}"
        if name in by_name:
            out.append((t, by_name[name]))
    return out
