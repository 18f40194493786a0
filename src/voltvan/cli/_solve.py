"""``voltvan solve``: solve one benchmark instance (Schneider EVRPTW or VRPLIB VRPTW) to JSON.

The output is the benchmark solution format of ``docs/benchmarks.md``, readable by the independent
checker ``check_evrptw.py``. Progress is shown live; a summary table closes the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console


@app.command("solve")
def solve_command(
    instance: Annotated[
        Path,
        typer.Argument(
            help="Instance file: Schneider EVRPTW text (header 'StringID Type x y ...') or "
            "VRPLIB VRPTW (.vrp); the format is detected from the content."
        ),
    ],
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.1, help="Search time budget in seconds (wall clock)."),
    ] = 60.0,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            help="Random seed of the search; with --max-iterations the result is reproducible.",
        ),
    ] = 0,
    max_iterations: Annotated[
        int | None,
        typer.Option(
            "--max-iterations",
            min=1,
            help="Also stop after this many PyVRP iterations in total; reproducible on any machine "
            "when the iterations run out before the time limit.",
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Solution JSON to write: one list of visits per vehicle, a visit being a node id "
            'or, for a charging stop, {"node": "S5", "charge": energy charged in the '
            "instance's energy unit} (docs/formats/benchmark-solution.md).",
        ),
    ] = Path("solution.json"),
) -> None:
    """Solve a benchmark instance: fewest vehicles then distance (EVRPTW), distance (VRPTW)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from voltvan.benchmarks import read_instance, write_solution
    from voltvan.planning.ev import EvProgress, solve_ev

    bench = read_instance(instance)
    inst = bench.instance
    console.print(
        f"[bold]{bench.name}[/] ({bench.format}): {inst.num_clients} clients, "
        f"{inst.num_stations} charging stations"
    )
    total = float(time_limit)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("searching", total=total)

        def on_progress(p: EvProgress) -> None:
            state = "[green]feasible[/]" if p.best_is_feasible else "[red]infeasible[/]"
            progress.update(
                task,
                completed=min(p.elapsed_s, total),
                description=f"best {p.best_cost:,.2f}, {p.num_vehicles} vehicles, {state}",
            )

        solution = solve_ev(
            inst,
            time_limit_s=time_limit,
            max_iterations=max_iterations,
            seed=seed,
            on_progress=on_progress,
        )
        progress.update(task, completed=total)
    write_solution(out, inst, solution)
    stops = sum(1 for r in solution.routes for n in r.visits if inst.is_station(n))
    table = Table(title=f"voltvan solve {bench.name}")
    for col in ("vehicles", "distance", "charging stops", "feasible", "runtime s", "solution"):
        table.add_column(col, overflow="fold")  # a long path folds, never cut short
    table.add_row(
        str(len(solution.routes)),
        f"{solution.distance:.2f}",
        str(stops),
        "yes" if solution.is_feasible else "[red]no[/]",
        f"{solution.stats.get('runtime_s', 0.0):.1f}",
        str(out),
    )
    console.print(table)
    if solution.unassigned:
        names = ", ".join(inst.names[n] for n in solution.unassigned[:15])
        console.print(f"[red]{len(solution.unassigned)} unassigned[/]: {names}")
    if not solution.is_feasible:
        raise typer.Exit(1)
