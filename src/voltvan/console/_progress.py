"""Each van's progress against its plan: stops done, minutes ahead or behind, SoC at return.

Progress is read from what the drivers' devices report (the stops' statuses and when they were
done) and what the van's telemetry says (its state of charge now); the plan says what should
have happened by when. Times are seconds after midnight of the plan's day, local time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from voltvan.ops import DONE, REACHED, range_ahead
from voltvan.ops import LiveSoc as RangeSoc
from voltvan.plan import Route


@dataclass(frozen=True, slots=True)
class StopState:
    """A stop's status and, once delivered or failed, when (seconds after local midnight)."""

    status: str
    done_s: float | None = None


@dataclass(frozen=True, slots=True)
class LiveSoc:
    """The van's state of charge (fraction 0..1) as telemetry last gave it."""

    soc: float
    at_s: float


@dataclass(frozen=True, slots=True)
class VanProgress:
    van_id: str
    stops_total: int
    delivered: int
    failed: int
    arrived: int
    #: The next stop not delivered or failed after the furthest one reached (None: all done).
    next_stop_id: str | None
    #: Positive: behind the plan by this many seconds; negative: ahead.
    delay_s: float
    #: Index in ``route.visits`` of the furthest visit reached (0: still at the depot).
    reached_index: int
    planned_return_soc: float
    predicted_return_soc: float
    #: ``live``: from the van's SoC now; ``plan``: no telemetry, the plan's figure.
    soc_source: str
    planned_return_s: float
    #: A re-planned route of a van taken out of service ends there (no return to the depot).
    out_of_service_s: float | None = None

    @property
    def stops_done(self) -> int:
        return self.delivered + self.failed

    def to_dict(self) -> dict[str, object]:
        return {
            "van_id": self.van_id,
            "stops_total": self.stops_total,
            "stops_done": self.stops_done,
            "delivered": self.delivered,
            "failed": self.failed,
            "arrived": self.arrived,
            "next_stop_id": self.next_stop_id,
            "delay_s": round(self.delay_s, 1),
            "planned_return_soc": self.planned_return_soc,
            "predicted_return_soc": self.predicted_return_soc,
            "soc_source": self.soc_source,
            "planned_return_s": self.planned_return_s,
            "expected_return_s": self.planned_return_s + max(self.delay_s, 0.0),
            "out_of_service_s": self.out_of_service_s,
        }


def reached_index(route: Route, states: Mapping[str, StopState]) -> int:
    """The furthest visit the van has reached: a stop arrived at, delivered or failed, with the
    charge visits before it (0: none, the van is at or leaving its depot)."""
    out = 0
    for i, v in enumerate(route.visits):
        state = states.get(v.location_id) if v.kind == "stop" else None
        if state is not None and state.status in REACHED:
            out = i
    return out


def predicted_return_soc(route: Route, states: Mapping[str, StopState], live: LiveSoc) -> float:
    """The SoC back at the depot from the live one: the operations service's range rule (the
    driver's cockpit shows the same figure), so console and cockpit never disagree."""
    statuses = {stop: state.status for stop, state in states.items()}
    ahead = range_ahead(route, statuses, (), RangeSoc(soc=live.soc, at_us=0))
    soc = ahead["return_soc"]
    return route.visits[-1].soc if soc is None else float(soc)


def van_progress(
    route: Route, states: Mapping[str, StopState], now_s: float, live: LiveSoc | None = None
) -> VanProgress:
    """Where ``route``'s van is in its day at ``now_s``, from its stops' states and live SoC.

    Behind or ahead is the larger of two lower bounds: how late the furthest stop done was done
    (against its planned departure), and how far ``now_s`` is past the planned departure of the
    next stop not done yet (a van that has not finished it is at least that late). Before any
    stop is done only the second counts, and never as ahead.
    """
    visits = route.visits
    reached = reached_index(route, states)
    counts = {"delivered": 0, "failed": 0, "arrived": 0}
    last_done: int | None = None
    for i, v in enumerate(visits):
        state = states.get(v.location_id) if v.kind == "stop" else None
        if state is None:
            continue
        if state.status in counts:
            counts[state.status] += 1
        if state.status in DONE:
            last_done = i
    start = last_done if last_done is not None else 0
    pending = next(
        (
            i
            for i, v in enumerate(visits)
            if i > start
            and v.kind == "stop"
            and (states.get(v.location_id) or StopState("planned")).status not in DONE
        ),
        None,
    )
    lags: list[float] = []
    if last_done is not None:
        done_s = states[visits[last_done].location_id].done_s
        if done_s is not None:
            lags.append(done_s - visits[last_done].departure_s)
    if pending is not None:
        lags.append(now_s - visits[pending].departure_s)
    delay = max(lags) if lags else 0.0
    if last_done is None:
        delay = max(delay, 0.0)
    if live is not None:
        predicted, source = predicted_return_soc(route, states, live), "live"
    else:
        predicted, source = visits[-1].soc, "plan"
    return VanProgress(
        van_id=route.van_id,
        stops_total=len(route.stop_ids),
        delivered=counts["delivered"],
        failed=counts["failed"],
        arrived=counts["arrived"],
        next_stop_id=visits[pending].location_id if pending is not None else None,
        delay_s=delay,
        reached_index=reached,
        planned_return_soc=visits[-1].soc,
        predicted_return_soc=predicted,
        soc_source=source,
        planned_return_s=visits[-1].arrival_s,
        out_of_service_s=route.out_of_service_s,
    )
