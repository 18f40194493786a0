"""A day planned in parts from the CLI: the options of ``voltvan plan`` for it, and one progress
bar for the whole run of :func:`voltvan.planning.plan_day`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from voltvan.cli._app import console

if TYPE_CHECKING:
    from voltvan.domain import Scenario
    from voltvan.plan import Plan


class Engine(StrEnum):
    """Where the parts of a day are planned (``voltvan.planning.ENGINES``)."""

    processes = "processes"
    spark = "spark"


@dataclass(frozen=True)
class DayOptions:
    """How a day too big for one search is split and fanned out (``voltvan.planning.plan_day``)."""

    workers: int | None = None
    max_stops_per_solve: int = 2000  # voltvan.planning.MAX_STOPS_PER_SOLVE (not imported: start-up)
    assign: str = "nearest"
    engine: str = "processes"
    master: str | None = None


def plan_in_parts(
    scenario: Scenario, *, time_limit_s: float, seed: int, max_iter: int | None, day: DayOptions
) -> Plan:
    """The whole day by depot and sector in parallel, with one bar for the whole run."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from voltvan.planning import DayProgress, plan_day

    columns = (
        TextColumn("[bold]planning the day[/]"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("day", total=time_limit_s, status=_starting(day))

        def on_progress(p: DayProgress) -> None:
            bar.update(
                task,
                completed=min(p.elapsed_s, time_limit_s),
                status=f"{p.parts_done} of {p.num_parts} parts planned · "
                f"{p.stops_done:,} of {p.num_stops:,} stops",
            )

        plan = plan_day(
            scenario,
            time_limit_s=time_limit_s,
            workers=day.workers,
            max_stops_per_solve=day.max_stops_per_solve,
            assign=day.assign,
            seed=seed,
            max_iterations=max_iter,
            on_progress=on_progress,
            engine=day.engine,
            master=day.master,
        )
        bar.update(task, completed=time_limit_s)
    return plan


def _starting(day: DayOptions) -> str:
    spark = day.engine == Engine.spark
    return "assigning stops to depots" + (", starting Spark" if spark else "")
