"""A progress bar for a time budget that moves with the clock.

The planner reports once per search round, and on a big day rounds are many seconds apart (the
preparation before the first one too): a bar fed only by those reports stands still, then jumps,
and looks hung. The budget is a wall-clock total, so the share of it spent is known at any time.
"""

from __future__ import annotations

from rich.progress import BarColumn, Task
from rich.progress_bar import ProgressBar


class ClockBar(BarColumn):
    """The time spent of ``task.total`` seconds, or what the task reported, whichever is more."""

    def render(self, task: Task) -> ProgressBar:
        bar = super().render(task)
        if task.total is not None and not task.finished:
            bar.completed = min(task.total, max(task.completed, task.elapsed or 0.0))
        return bar
