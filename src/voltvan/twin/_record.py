"""What the twin saw: one van's simulated day, one day of the fleet, and the whole run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from voltvan.twin._params import TwinParams

#: Kinds of :class:`Event`, in the words of ``docs/formats/twin.md``.
EVENT_KINDS = (
    "failed_delivery",
    "late",
    "queued",
    "charger_out_of_order",
    "no_charger",
    "stranded",
    "over_shift",
    "breakdown",
    "replan_refused",
)


@dataclass(frozen=True, slots=True)
class Event:
    """Something a dispatcher would want to hear about, when and where it happened.

    ``value`` is in the unit of the kind: seconds late, queued or over the shift; for a charger
    out of order, ``note`` names the charger the van went to instead.
    """

    t_s: float
    kind: str
    location_id: str
    value: float = 0.0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Leg:
    """One drive from place to place (cut short where the van stranded)."""

    start_s: float
    end_s: float
    from_lat: float
    from_lon: float
    to_lat: float
    to_lon: float
    distance_m: float


@dataclass(slots=True)
class VanDay:
    """One van's simulated day, filled in as SimPy drives it.

    A stop is *on time* when the van reaches it within a window (whether or not anyone is at
    home: ``failed`` counts those who were not), *late* when after the last window, *missed*
    when the van never gets there (stranded). ``trace_t_s``/``trace_wh`` are the battery's
    energy at every change of state; it moves linearly in between. ``legs`` and ``charging``
    are what the van's telemetry is made from.
    """

    van_id: str
    planned_stops: int
    battery_wh: float = 0.0
    start_soc: float = 0.0
    on_time: int = 0
    late: int = 0
    failed: int = 0
    missed: int = 0
    late_s: list[float] = field(default_factory=list)
    stranded_at_s: float | None = None
    broken_at_s: float | None = None
    lowest_soc: float = 1.0
    energy_wh: float = 0.0
    charged_wh: float = 0.0
    distance_m: float = 0.0
    queue_s: float = 0.0
    over_shift_s: float = 0.0
    end_s: float | None = None
    trace_t_s: list[float] = field(default_factory=list)
    trace_wh: list[float] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    charging: list[tuple[float, float]] = field(default_factory=list)
    deliveries: list[tuple[float, str, str]] = field(default_factory=list)
    """``(t_s, kind, stop_id)`` as a driver's device records them: arrived, delivered, failed."""

    @property
    def stranded(self) -> bool:
        return self.stranded_at_s is not None


@dataclass(frozen=True, slots=True)
class VanNight:
    """One van's night: how it came back, what the schedule promised, what it got."""

    van_id: str
    arrival_s: float
    soc_arrival: float
    connector_id: str | None
    planned_wh: float
    delivered_wh: float
    start_soc: float
    """The state of charge the van leaves with next morning."""


@dataclass(frozen=True, slots=True)
class Night:
    """The night after a simulated day."""

    mode: str
    vans: tuple[VanNight, ...]

    def start_wh(self, battery_wh: Mapping[str, float]) -> dict[str, float]:
        return {v.van_id: v.start_soc * battery_wh[v.van_id] for v in self.vans}


@dataclass(frozen=True, slots=True)
class DayResult:
    """One simulated day of the fleet: its weather, its broken chargers and every van."""

    day: int
    ambient_c: float
    out_of_order: tuple[str, ...]
    vans: tuple[VanDay, ...]
    night: Night | None = None
    """The night after the day (multi-day runs with overnight charging; none after the last)."""


@dataclass(frozen=True, slots=True)
class TwinRun:
    """All simulated days of one plan, with what made them (seed, knobs)."""

    scenario: str
    seed: int
    params: TwinParams
    days: tuple[DayResult, ...]
    overnight: str | None = None
    """``ideal`` or ``ocpp`` when each day starts from the night before, else None."""
