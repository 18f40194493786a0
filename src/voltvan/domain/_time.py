"""Times of day: the service day's clock, its ``HH:MM`` form and the time window.

Every time in the model is seconds after midnight of the service day, allowed up to the end of
the next day so that a night shift or a late window can run past midnight without wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain._checks import _non_negative, _require

DAY_S = 86_400
MAX_TIME_S = 2 * DAY_S


def format_hhmm(t_s: float) -> str:
    """Seconds after midnight as ``HH:MM`` (``25:30`` for 01:30 the next day)."""
    minutes = round(t_s / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A closed interval ``[start_s, end_s]`` of seconds after midnight."""

    start_s: float
    end_s: float

    def __post_init__(self) -> None:
        _non_negative(self.start_s, "tw_start", owner="time window")
        _non_negative(self.end_s, "tw_end", owner="time window")
        _require(
            self.end_s >= self.start_s,
            f"time window ends before it starts "
            f"({format_hhmm(self.start_s)} > {format_hhmm(self.end_s)})",
            "tw_end",
        )
        _require(
            self.end_s <= MAX_TIME_S,
            f"time window ends after the next day ({format_hhmm(self.end_s)})",
            "tw_end",
        )

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def contains(self, t_s: float) -> bool:
        return self.start_s <= t_s <= self.end_s
