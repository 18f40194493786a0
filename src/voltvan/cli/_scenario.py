"""``voltvan scenario generate`` and ``voltvan scenario check``: make and inspect planning days."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console

if TYPE_CHECKING:
    from voltvan.scenario import ScenarioSummary

scenario_app = typer.Typer(
    help="Make, read and check scenario folders (fleet.toml + stops.csv).",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")


class DayKind(StrEnum):
    mild = "mild"
    cold = "cold"


@scenario_app.command("generate")
def generate(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write fleet.toml and stops.csv into.")
    ],
    stops: Annotated[int, typer.Option("--stops", min=1, help="Number of delivery stops.")] = 300,
    vans: Annotated[
        int, typer.Option("--vans", min=1, help="Number of vans (about 60 % of the large type).")
    ] = 10,
    depots: Annotated[
        int,
        typer.Option(
            "--depots",
            min=1,
            help="Number of depots: 1 is a Berlin city day; more make a retailer's day over the "
            "metropolitan area, each depot with its own vans, chargers and site limit.",
        ),
    ] = 1,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives identical files.")
    ] = 1,
    day: Annotated[
        DayKind,
        typer.Option(
            "--day",
            help="Kind of day: mild (15 °C, April) or cold (-5 °C, January); drives HVAC energy.",
        ),
    ] = DayKind.mild,
    large_share: Annotated[
        float,
        typer.Option(
            "--large-share", min=0.0, max=1.0, help="Share of vans of the large type (0..1)."
        ),
    ] = 0.6,
) -> None:
    """Generate a realistic delivery day in Berlin and write it as a scenario folder."""
    from voltvan.scenario import (
        generate_metro_scenario,
        generate_scenario,
        summarize,
        write_scenario,
    )

    if depots == 1:
        scenario = generate_scenario(
            num_stops=stops, num_vans=vans, seed=seed, day=day.value, large_share=large_share
        )
    else:
        scenario = generate_metro_scenario(
            num_stops=stops,
            num_vans=vans,
            num_depots=depots,
            seed=seed,
            day=day.value,
            large_share=large_share,
        )
    folder = write_scenario(scenario, out)
    console.print(_table(summarize(scenario), title=f"Generated {folder}"))


@scenario_app.command("check")
def check(
    folder: Annotated[
        Path, typer.Argument(help="Scenario folder (with fleet.toml and stops.csv).")
    ],
) -> None:
    """Validate a scenario folder and summarise it; bad input gives one line and exit code 2."""
    from voltvan.cli._read import read_scenario_noting
    from voltvan.scenario import summarize

    noted: list[str] = []
    scenario = read_scenario_noting(folder, noted)
    verdict = "OK" if not noted else f"valid, {len(noted)} warning{'s' * (len(noted) > 1)} above"
    console.print(_table(summarize(scenario), title=f"Scenario {folder}: {verdict}"))


def _table(s: ScenarioSummary, *, title: str) -> Table:
    t = Table(title=title, show_header=True, header_style="bold")
    t.add_column("what")
    t.add_column("value", justify="right")
    t.add_column("detail")
    t.add_row("day", f"{s.ambient_c:g} °C", f"{s.date} {s.name}")
    t.add_row("stops", str(s.num_stops), f"{s.total_service_s / 3600:.1f} h of service")
    vans = ", ".join(f"{n} {k}" for k, n in sorted(s.vans_by_type.items()))
    t.add_row("vans", str(sum(s.vans_by_type.values())), vans)
    t.add_row(
        "weight",
        f"{s.total_weight_kg:,.0f} kg",
        f"{s.weight_share:.0%} of {s.capacity_kg:,.0f} kg payload",
    )
    t.add_row(
        "volume",
        f"{s.total_volume_m3:,.1f} m³",
        f"{s.volume_share:.0%} of {s.capacity_m3:,.1f} m³ cargo space",
    )
    mix = ", ".join(f"{k} {v / max(1, s.num_stops):.0%}" for k, v in s.windows.items() if v)
    t.add_row("time windows", "", mix)
    t.add_row(
        "public chargers",
        str(s.num_public_chargers),
        f"{s.public_connectors} connectors, up to {s.public_max_kw:g} kW",
    )
    limit = f"site limit {s.site_limit_kw:g} kW" if s.site_limit_kw is not None else "no site limit"
    t.add_row(
        "depot chargers", str(s.num_depot_chargers), f"{s.depot_connectors} connectors, {limit}"
    )
    t.add_row("travel", "matrix.csv" if s.has_matrix else "model", "")
    return t
