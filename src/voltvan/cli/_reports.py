"""``voltvan report``: the group of derived tables, for people and machines, and what they share.

Each report (trips, energy, charging, alerts: one module each) prints one table through
:func:`._output.emit` (``--csv``/``--json`` for machines) and says below it what it could not
compute and why, instead of leaving columns silently blank. The options, the row query and the
note about blank energy live here so the four say it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from voltvan.cli._analytics import as_options
from voltvan.cli._app import app

if TYPE_CHECKING:
    from voltvan.telemetry import DerivedTable

report_app = typer.Typer(help="Reports over the derived telemetry tables.", no_args_is_help=True)
app.add_typer(report_app, name="report")

VehicleOpt = Annotated[str | None, typer.Option("--vehicle", help="Only this vehicle id.")]
DayOpt = Annotated[str | None, typer.Option("--day", help="Only this UTC day, YYYY-MM-DD.")]
NO_ROWS = "no rows (run `voltvan derive` first?)"


def derived(
    data: Path, table: DerivedTable, vehicle: str | None, day: str | None
) -> list[dict[str, Any]]:
    """The rows of one derived table, for one van and day if given."""
    from voltvan.telemetry import derived_rows, open_query

    with as_options():
        return derived_rows(open_query(data), table, vehicle=vehicle, day=day)


def blank_energy_note(what: str, vans: Sequence[str]) -> list[str]:
    """The note for rows whose energy is blank although the SoC was seen: no capacity."""
    if not vans:
        return []
    from voltvan.telemetry import NEEDS_CAPACITY

    return [f"kWh and Wh/km are blank for {what}: {NEEDS_CAPACITY}"]


def div(v: float | None, by: float) -> float | None:
    """``v / by``, a blank staying blank: an unknown value is shown as unknown, not as zero."""
    return None if v is None else v / by


def pct(v: float | None) -> float | None:
    """A fraction in per cent, for people; a blank stays blank."""
    return None if v is None else 100.0 * v


def kwh(v: float | None) -> float | None:
    """Wh (or W) in thousands, for people; a blank stays blank."""
    return None if v is None else v / 1000.0
