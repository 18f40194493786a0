"""One deadline for a whole run, so that the phases' times add up to the limit and never beyond.

A time limit handed to each phase as a number is spent once per phase: the planner's re-solves
each took a third of it on top of the first solve, and the preparation before the search took
its own, so ``--time-limit 60`` could last 100 s. A :class:`Deadline` is a point in time instead:
every phase asks how much is left and takes its share of that. The clock is injectable so that
tests can check the shares without timing anything.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

Clock = Callable[[], float]


class Deadline:
    """The end of a time budget on a monotonic clock; ``limit_s=None`` never ends."""

    __slots__ = ("clock", "end", "limit_s", "start")

    def __init__(self, limit_s: float | None, *, clock: Clock = time.perf_counter) -> None:
        if limit_s is not None and not (math.isfinite(limit_s) and limit_s >= 0):
            raise ValueError(f"a time limit must be a finite number >= 0, got {limit_s!r}")
        self.clock = clock
        self.start = clock()
        self.limit_s = limit_s
        self.end = math.inf if limit_s is None else self.start + limit_s

    @property
    def bounded(self) -> bool:
        return self.limit_s is not None

    def elapsed_s(self) -> float:
        return self.clock() - self.start

    def remaining_s(self) -> float:
        """Seconds left (``inf`` without a limit, never negative)."""
        return max(0.0, self.end - self.clock())

    def expired(self) -> bool:
        return self.clock() > self.end

    def within(self, seconds: float) -> Deadline:
        """A deadline for one phase: ``seconds`` from now, but never after this one."""
        sub = Deadline(None, clock=self.clock)
        sub.start = self.start
        sub.end = min(self.end, self.clock() + max(0.0, seconds))
        sub.limit_s = sub.end - sub.start if math.isfinite(sub.end) else None
        return sub
