"""The planning bar follows the clock between the planner's reports."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress

from voltvan.cli._clock_bar import ClockBar


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_moves_with_the_clock_and_stops_at_the_budget() -> None:
    """No report for 7 s of a 20 s budget: the bar shows 7 s; past the budget it shows it full."""
    clock = FakeClock()
    bar = ClockBar()
    with Progress(bar, console=Console(file=None, quiet=True), get_time=clock) as progress:
        task_id = progress.add_task("plan", total=20.0)
        task = progress.tasks[0]
        clock.now += 7.0
        assert bar.render(task).completed == 7.0
        progress.update(task_id, completed=9.0)  # a report ahead of the clock wins
        assert bar.render(task).completed == 9.0
        clock.now += 60.0
        assert bar.render(task).completed == 20.0
