"""``voltvan import``, ``voltvan derive``, ``voltvan report trips|energy|charging|alerts``.

Reports read the derived tables (``voltvan derive`` builds them), so they stay fast however many
raw rows there are. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from voltvan.cli._app import app, console
from voltvan.errors import InvalidInput

import_app = typer.Typer(help="Import recorded vehicle logs into a data directory.")
report_app = typer.Typer(help="Reports over the derived telemetry tables.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(report_app, name="report")

DataOpt = Annotated[Path, typer.Option("--data", help="Telemetry data directory.")]
VehicleOpt = Annotated[str | None, typer.Option("--vehicle", help="Only this vehicle id.")]
DayOpt = Annotated[str | None, typer.Option("--day", help="Only this UTC day, YYYY-MM-DD.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Machine-readable CSV on stdout.")]
FleetOpt = Annotated[
    Path | None,
    typer.Option(
        "--fleet",
        help="fleet.toml (or its scenario folder): usable battery, mass and consumption "
        "parameters of each van's type.",
    ),
]
TypeOpt = Annotated[
    str | None,
    typer.Option(
        "--vehicle-type",
        help="Catalog vehicle type (large, small, twizy) for vans the fleet file does not "
        "list: usable battery (Wh), mass (kg) and consumption parameters.",
    ),
]
BatteryOpt = Annotated[
    float | None,
    typer.Option(
        "--battery-wh",
        help="Usable battery capacity in Wh for vans the fleet file and the NetCapacity signal "
        "do not cover (energy = SoC drop x capacity).",
    ),
]


@dataclass(frozen=True, slots=True)
class _FleetInfo:
    battery_wh: dict[str, float]
    mass_kg: dict[str, float]
    consumption: dict[str, Any]


def _fleet_info(
    path: Path | None, vehicle_type: str | None = None, vans: Sequence[str] = ()
) -> _FleetInfo:
    info = _FleetInfo({}, {}, {})
    from voltvan.energy import vehicle_mass_kg

    if path is not None:
        from voltvan.scenario import read_fleet

        fleet = read_fleet(path)
        types = {t.id: t for t in fleet.vehicle_types}
        for v in fleet.vans:
            vt = types[v.type_id]
            info.battery_wh[v.id] = vt.battery_wh
            info.mass_kg[v.id] = vehicle_mass_kg(vt, 0.0)
            info.consumption[v.id] = vt.consumption
    if vehicle_type is not None:
        from voltvan import catalog

        makers = {"large": catalog.large_van, "small": catalog.small_van, "twizy": catalog.twizy}
        if vehicle_type not in makers:
            raise InvalidInput(
                f"unknown vehicle type {vehicle_type!r} (known: {', '.join(makers)})",
                field="--vehicle-type",
            )
        vt = makers[vehicle_type]()
        for van in vans:
            info.battery_wh.setdefault(van, vt.battery_wh)
            info.mass_kg.setdefault(van, vehicle_mass_kg(vt, 0.0))
            info.consumption.setdefault(van, vt.consumption)
    return info


def _capacities(
    info: _FleetInfo, battery_wh: float | None, vans: Sequence[str]
) -> dict[str, float]:
    caps = dict(info.battery_wh)
    if battery_wh is not None:
        if battery_wh <= 0:
            raise InvalidInput(f"must be positive, got {battery_wh}", field="--battery-wh")
        for v in vans:
            caps.setdefault(v, battery_wh)
    return caps


def _check_day(day: str | None) -> None:
    if day is None:
        return
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise InvalidInput(f"{day!r} is not a YYYY-MM-DD date", field="--day") from None


@import_app.command("rsk-twizy")
def import_rsk_twizy(
    source: Annotated[Path, typer.Argument(help="An RSK Twizy CSV log or a folder of them.")],
    data: DataOpt,
    vehicle_id: Annotated[str, typer.Option("--vehicle-id", help="Vehicle id to store under.")],
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone of the logs' local times (IANA name).")
    ] = "Africa/Casablanca",
) -> None:
    """Import the Rabat Twizy logs (1 Hz SoC, speed, GPS, altitude, temperature) as VSS signals."""
    from rich.table import Table

    from voltvan.telemetry._import import find_logs
    from voltvan.telemetry._import import import_rsk_twizy as run

    files = find_logs(source)
    with console.status(f"importing {len(files)} log file(s)") as status:
        summary = run(
            source,
            data,
            vehicle_id=vehicle_id,
            tz=tz,
            on_file=lambda name, n: status.update(f"imported {name} ({n} samples)"),
        )
    table = Table(title=f"Imported into {data}")
    for col in ("file", "samples", "dates repaired"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for name, n, repaired in summary.files:
        table.add_row(name, f"{n:,}", str(repaired))
    console.print(table)
    console.print(
        f"rows stored {summary.stored:,}, duplicates {summary.duplicates:,}, "
        f"rejected {summary.rejected:,} (see the rejected view); run `voltvan derive`."
    )


@app.command("derive")
def derive_cmd(
    data: DataOpt,
    day: Annotated[
        list[str] | None, typer.Option("--day", help="Rebuild only this UTC day (repeatable).")
    ] = None,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    battery_wh: BatteryOpt = None,
    speed_threshold_kmh: Annotated[
        float, typer.Option(help="Moving above this speed, km/h.")
    ] = 3.6,
    min_trip_s: Annotated[float, typer.Option(help="Shortest trip, s.")] = 60.0,
    min_trip_m: Annotated[float, typer.Option(help="Shortest trip, m.")] = 200.0,
    min_stop_s: Annotated[float, typer.Option(help="Shortest stop (parking), s.")] = 180.0,
    max_gap_s: Annotated[float, typer.Option(help="A silence this long splits trips, s.")] = 600.0,
) -> None:
    """(Re)build the derived tables: trips, stops, charging_sessions, daily_energy."""
    from rich.progress import Progress

    from voltvan.telemetry._derived import AnalyticsParams, days_with_signals, derive
    from voltvan.telemetry._trips import TripParams

    for d in day or []:
        _check_day(d)
    days = day or days_with_signals(data)
    vans = _vehicle_ids(data)
    info = _fleet_info(fleet, vehicle_type, vans)
    params = AnalyticsParams(
        trips=TripParams(speed_threshold_kmh / 3.6, min_trip_s, min_trip_m, min_stop_s, max_gap_s)
    )
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("deriving", total=len(days))
        summary = derive(
            data,
            days=days,
            params=params,
            battery_wh=_capacities(info, battery_wh, vans),
            on_day=lambda d: progress.advance(task),
        )
    console.print(
        f"{len(summary.days)} day(s): " + ", ".join(f"{k} {v:,}" for k, v in summary.rows.items())
    )
    if summary.kept:
        console.print(
            f"kept as derived before retention removed the raw data they need: "
            f"{', '.join(summary.kept)}",
            highlight=False,
        )


def _vehicle_ids(data: Path) -> list[str]:
    from voltvan.telemetry._derived import connect

    con = connect(data)
    return [str(r[0]) for r in con.execute("SELECT DISTINCT vehicle_id FROM last_state").fetchall()]


def _where(vehicle: str | None, day: str | None, ts_col: str) -> tuple[str, list[object]]:
    _check_day(day)
    where, args = "", list[object]()
    if vehicle is not None:
        where += " AND vehicle_id = ?"
        args.append(vehicle)
    if day is not None:
        where += f" AND CAST({ts_col} AS DATE) = CAST(? AS DATE)"
        args.append(day)
    return where, args


def _emit(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    as_csv: bool,
    *,
    empty: str = "no rows (run `voltvan derive` first?)",
) -> None:
    if as_csv:
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows(rows)
        return
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(c, justify="left" if c in ("vehicle", "start", "end", "day") else "right")
    for r in rows:
        table.add_row(*(_fmt(v) for v in r))
    console.print(table)
    if not rows:
        console.print(empty)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def _query(data: Path, sql: str, args: list[object]) -> list[tuple[Any, ...]]:
    from voltvan.telemetry._derived import connect

    return [tuple(r) for r in connect(data).execute(sql, args).fetchall()]


@report_app.command("trips")
def report_trips(
    data: DataOpt, vehicle: VehicleOpt = None, day: DayOpt = None, as_csv: CsvOpt = False
) -> None:
    """Trips: start and end (UTC), duration, driving time, distance (and its source), energy."""
    where, args = _where(vehicle, day, "start_ts")
    rows = _query(
        data,
        f"""SELECT vehicle_id, start_ts, end_ts, duration_s / 60, driving_s / 60,
            distance_m / 1000, distance_source, gps_faults, energy_wh / 1000, wh_per_km,
            100 * start_soc, 100 * end_soc
        FROM trips WHERE true {where} ORDER BY vehicle_id, start_ts""",
        args,
    )
    cols = ["vehicle", "start", "end", "min", "driving min", "km", "km from", "gps faults",
            "kWh", "Wh/km", "SoC start %", "SoC end %"]  # fmt: skip
    _emit("Trips", cols, rows, as_csv)


@report_app.command("energy")
def report_energy(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrate", help="Also fit the energy model to the trips and report the fit."
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
    where, args = _where(vehicle, day, "day")
    rows = _query(
        data,
        f"""SELECT vehicle_id, day::VARCHAR, trips, distance_m / 1000, driving_s / 3600,
            energy_wh / 1000, wh_per_km FROM daily_energy WHERE true {where}
        ORDER BY vehicle_id, day""",
        args,
    )
    cols = ["vehicle", "day", "trips", "km", "driving h", "kWh", "Wh/km"]
    _emit("Energy per van per day", cols, rows, as_csv)
    if calibrate:
        info = _fleet_info(fleet, vehicle_type, _vehicle_ids(data))
        _report_fit(data, vehicle, day, info, mass_kg, frontal_area_m2, drag_coefficient, fit)


def _report_fit(
    data: Path,
    vehicle: str | None,
    day: str | None,
    info: _FleetInfo,
    mass_kg: float | None,
    frontal_area_m2: float | None,
    drag_coefficient: float | None,
    fit: list[str] | None,
) -> None:
    from dataclasses import replace

    from rich.table import Table

    from voltvan.domain import ConsumptionParams
    from voltvan.telemetry._calibrate import DEFAULT_FIT, calibrate
    from voltvan.telemetry._derived import connect

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
    table = Table(title=f"Energy model fit on {result.num_trips} trips")
    table.add_column("parameter")
    table.add_column("before", justify="right")
    table.add_column("fitted", justify="right")
    for name in result.fitted:
        table.add_row(name, f"{getattr(base, name):.4g}", f"{getattr(result.params, name):.4g}")
    console.print(table)
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
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    battery_wh: BatteryOpt = None,
) -> None:
    """Charging sessions (start/end SoC, energy, peak power) and a state-of-health estimate."""
    from voltvan.telemetry._health import estimate_health

    where, args = _where(vehicle, day, "start_ts")
    sql = f"SELECT * FROM charging_sessions WHERE true {where} ORDER BY vehicle_id, start_ts"
    from voltvan.telemetry._derived import connect

    con = connect(data)
    sessions = [dict(zip([d[0] for d in con.execute(sql, args).description or []], r,
                         strict=True)) for r in con.execute(sql, args).fetchall()]  # fmt: skip
    rows = [
        (s["vehicle_id"], s["start_ts"], s["end_ts"], s["duration_s"] / 60,
         _pct(s["start_soc"]), _pct(s["end_soc"]), _kwh(s["energy_wh"]), s["energy_source"],
         _kwh(s["peak_power_w"]), s["source"])
        for s in sessions
    ]  # fmt: skip
    cols = ["vehicle", "start", "end", "min", "SoC start %", "SoC end %", "kWh", "kWh from",
            "peak kW", "detected by"]  # fmt: skip
    _emit("Charging sessions", cols, rows, as_csv)
    vans = sorted({s["vehicle_id"] for s in sessions})
    caps = _capacities(_fleet_info(fleet, vehicle_type, vans), battery_wh, vans)
    health = estimate_health(sessions, caps)
    if health and not as_csv:
        _emit(
            "Battery state of health",
            ["vehicle", "sessions", "SoC seen", "capacity kWh", "nominal kWh", "SoH %", "conf."],
            [
                (
                    h.vehicle_id,
                    h.num_sessions,
                    h.soc_observed,
                    h.capacity_wh / 1000,
                    h.nominal_wh / 1000,
                    100 * h.soh,
                    h.confidence,
                )
                for h in health
            ],
            False,
        )


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
) -> None:
    """Alerts: SoC too low for the rest of the planned route, long stops, high consumption."""
    from zoneinfo import ZoneInfo

    from voltvan.plan import Plan
    from voltvan.telemetry._alerts import (
        high_consumption_alerts,
        long_stop_alerts,
        low_soc_alerts,
    )
    from voltvan.telemetry._calibrate import observed_trips
    from voltvan.telemetry._derived import connect
    from voltvan.telemetry._trips import SOC

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
    info = _fleet_info(fleet, vehicle_type, _vehicle_ids(data))
    if info.mass_kg:
        trips = _dicts(
            con, "SELECT * FROM trips WHERE CAST(start_ts AS DATE) = CAST(? AS DATE)", day
        )
        trips = [t for t in trips if t["vehicle_id"] in info.mass_kg]
        obs = observed_trips(con, trips, mass_kg=info.mass_kg)
        keyed = [(t["vehicle_id"], t["start_ts"], o) for t, o in _pair(trips, obs)]
        alerts += high_consumption_alerts(keyed, info.consumption)
    rows = [(a.kind, a.vehicle_id, a.ts, a.severity, a.message) for a in alerts]
    _emit(f"Alerts at {at.isoformat()}", ["alert", "vehicle", "since", "severity", "what"],
          rows, as_csv, empty="no alerts")  # fmt: skip


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
