"""``voltvan import`` and ``voltvan derive``, and the fleet facts they and the reports share.

``derive`` builds the derived tables the reports (:mod:`._reports`) read, so reports stay fast
however many raw rows there are. Heavy imports happen inside the commands.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from voltvan.cli._app import app, console
from voltvan.cli._output import Col, Output, emit
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.telemetry import FleetFacts

import_app = typer.Typer(help="Import recorded vehicle logs into a data directory.")
app.add_typer(import_app, name="import")

DataOpt = Annotated[Path, typer.Option("--data", help="Telemetry data directory.")]

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


#: Option of each field the analytics functions name in their errors.
_OPTIONS = {"day": "--day", "vehicle_type": "--vehicle-type", "battery_wh": "--battery-wh"}


@contextmanager
def as_options() -> Iterator[None]:
    """Name the command-line option, not the function argument, in an input error."""
    try:
        yield
    except InvalidInput as exc:
        option = _OPTIONS.get(exc.where.field or "")
        if option is None:
            raise
        raise InvalidInput(exc.message, field=option) from None


def fleet_info(
    path: Path | None, vehicle_type: str | None = None, vans: Sequence[str] = ()
) -> FleetFacts:
    """The fleet facts of ``--fleet`` and ``--vehicle-type``."""
    from voltvan.telemetry import fleet_facts

    with as_options():
        return fleet_facts(path, vehicle_type, vans)


def capacities(info: FleetFacts, battery_wh: float | None, vans: Sequence[str]) -> dict[str, float]:
    """Usable battery per van from the fleet facts and ``--battery-wh``."""
    from voltvan.telemetry import capacities as caps

    with as_options():
        return caps(info, battery_wh, vans)


def check_day(day: str | None) -> None:
    from voltvan.telemetry import check_day as check

    with as_options():
        check(day)


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
    from voltvan.telemetry import find_logs
    from voltvan.telemetry import import_rsk_twizy as run

    files = find_logs(source)
    with console.status(f"importing {len(files)} log file(s)") as status:
        summary = run(
            source,
            data,
            vehicle_id=vehicle_id,
            tz=tz,
            on_file=lambda name, n: status.update(f"imported {name} ({n} samples)"),
        )
    emit(
        f"Imported into {data}",
        [Col("file", left=True), "samples", "dates repaired"],
        summary.files,
        Output.table,
    )
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
    engine: Annotated[
        str, typer.Option("--engine", help="duckdb (this machine) or spark (docs/scale.md).")
    ] = "duckdb",
    master: Annotated[
        str | None, typer.Option("--master", help="Spark master with --engine spark.")
    ] = None,
) -> None:
    """(Re)build the derived tables: trips, stops, charging_sessions, daily_energy."""
    from rich.progress import Progress

    from voltvan.telemetry import AnalyticsParams, TripParams, days_with_signals, derive

    for d in day or []:
        check_day(d)
    days = day or days_with_signals(data)
    vans = vehicle_ids(data)
    info = fleet_info(fleet, vehicle_type, vans)
    params = AnalyticsParams(
        trips=TripParams(speed_threshold_kmh / 3.6, min_trip_s, min_trip_m, min_stop_s, max_gap_s)
    )
    if engine not in ("duckdb", "spark"):
        raise InvalidInput(f"unknown engine {engine!r} (duckdb or spark)", field="--engine")
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("deriving", total=len(days))
        run = derive if engine == "duckdb" else _spark_derive(master)
        summary = run(
            data,
            days=days,
            params=params,
            battery_wh=capacities(info, battery_wh, vans),
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
    for note in blank_energy_notes(summary.blank_energy, summary.no_capacity):
        console.print(f"note: {note}", highlight=False)


def _spark_derive(master: str | None) -> Any:
    """``derive`` on Spark with the same arguments (needs the ``spark`` extra)."""
    from voltvan.telemetry.spark import derive_spark, require_pyspark

    require_pyspark()

    def run(data: Path, **kw: Any) -> Any:
        on_day = kw.pop("on_day")
        summary = derive_spark(data, master=master, **kw)
        for d in summary.days:
            on_day(d)
        return summary

    return run


def blank_energy_notes(blank: Mapping[str, int], no_capacity: Sequence[str]) -> list[str]:
    """What derive could not compute (energy of trips and charging sessions) and why."""
    if not blank:
        return []
    from voltvan.telemetry import NEEDS_CAPACITY

    notes = []
    if no_capacity:
        n = sum(blank[v] for v in no_capacity)
        notes.append(
            f"energy (kWh, Wh/km) left blank for {n} trips and charging sessions of "
            f"{vans_text(no_capacity)}: {NEEDS_CAPACITY}"
        )
    rest = [v for v in blank if v not in no_capacity]
    if rest:
        n = sum(blank[v] for v in rest)
        notes.append(
            f"energy left blank for {n} trips and charging sessions of {vans_text(rest)}: "
            "no state of charge (or energy) reading at their start and end"
        )
    return notes


def vans_text(vans: Sequence[str], most: int = 5) -> str:
    shown = ", ".join(sorted(vans)[:most])
    return f"{shown} and {len(vans) - most} more" if len(vans) > most else shown


def vehicle_ids(data: Path) -> list[str]:
    from voltvan.telemetry import open_query
    from voltvan.telemetry import vehicle_ids as ids

    return ids(open_query(data))
