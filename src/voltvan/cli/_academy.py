"""``voltvan academy list | start N | check N``: the graded lessons, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from voltvan.cli._app import app, console

academy_app = typer.Typer(
    help="Graded lessons: plan, energy, routing, charging and more, on voltvan's own code.",
    no_args_is_help=True,
)
app.add_typer(academy_app, name="academy")

Number = Annotated[int, typer.Argument(help="The lesson number (see voltvan academy list).")]
Dir = Annotated[
    Path,
    typer.Option("--dir", help="Your workspace folder: each lesson gets NN_slug/ inside it."),
]


@academy_app.command("list")
def list_command(workspace: Dir = Path()) -> None:
    """List the lessons, how long each takes and what you have passed."""
    from voltvan.academy import lessons, read_progress

    progress = read_progress(workspace)
    table = Table(title="voltvan academy")
    for col in ("lesson", "title", "minutes", "needs", "status"):
        table.add_column(col, justify="right" if col in ("lesson", "minutes") else "left")
    for found in lessons():
        entry = progress.get(str(found.number), {})
        status = "passed" if entry.get("passed") else "started" if entry.get("started") else ""
        table.add_row(
            f"{found.number:02d}",
            escape(found.title),
            str(found.minutes),
            ", ".join(found.needs),
            status,
        )
    console.print(table)
    console.print("Start one with: voltvan academy start N --dir DIR", highlight=False)


@academy_app.command("start")
def start_command(number: Number, workspace: Dir = Path()) -> None:
    """Copy lesson N's exercise (and its notebook and data) into DIR/NN_slug/."""
    from voltvan.academy import lesson, start

    found = lesson(number)
    started = start(found, workspace)
    console.print(f"Lesson {found.number}: {escape(found.title)} ({found.minutes} min)")
    for goal in found.goals:
        console.print(f"  - {escape(goal)}", highlight=False)
    if started.copied:
        console.print(f"Copied {', '.join(started.copied)} to {started.folder}", highlight=False)
    if started.kept:
        console.print(
            f"Kept your {', '.join(started.kept)} in {started.folder} (already there)",
            highlight=False,
        )
    console.print(
        f"Read and run {started.folder / 'lesson.py'}, then edit "
        f"{started.folder / 'exercise.py'} and run: voltvan academy check {found.number} "
        f"--dir {workspace}",
        highlight=False,
        soft_wrap=True,
    )


@academy_app.command("check")
def check_command(number: Number, workspace: Dir = Path()) -> None:
    """Grade your exercise for lesson N: exit 0 when it passes, 1 when not yet."""
    from voltvan.academy import check, exercise_path, lesson, record

    found = lesson(number)
    path = exercise_path(found, workspace)
    console.print(f"Checking {path} ...", highlight=False)
    result = check(found, path)
    record(workspace, found.number, passed=result.passed)
    for problem in result.problems:
        console.print(f"  - {escape(problem)}", highlight=False, soft_wrap=True)
    if result.passed:
        console.print(f"[bold green]passed[/]: lesson {found.number}, {escape(found.title)}")
        return
    console.print(f"[bold yellow]not yet[/]: {len(result.problems)} problem(s) to fix")
    raise typer.Exit(1)
