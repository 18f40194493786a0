"""The console's alerts: SoC too low for the rest of the route, behind schedule, a long stop,
failed deliveries.

SoC and long stops use the telemetry rules (``voltvan.telemetry.low_soc_alerts`` and
``long_stop_alerts``, thresholds in ``docs/analytics.md``) on the live picture: the rest of the
route starts after the furthest stop reached, and a stop is how long the van has stood still.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from voltvan.console._progress import LiveSoc, StopState, VanProgress
from voltvan.plan import Plan
from voltvan.telemetry import AlertParams, long_stop_alerts, low_soc_alerts


@dataclass(frozen=True, slots=True)
class ConsoleParams:
    """Thresholds of the console's own rules; ``telemetry`` holds the shared ones."""

    behind_s: float = 15 * 60.0  # behind the plan by more than this: warning (twice: critical)
    telemetry: AlertParams = field(default_factory=AlertParams)


@dataclass(frozen=True, slots=True)
class FleetAlert:
    kind: str  # low_soc_for_route, behind_schedule, long_stop, failed_deliveries
    van_id: str
    severity: str  # warning, critical
    message: str
    value: float
    threshold: float

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "van_id": self.van_id,
            "severity": self.severity,
            "message": self.message,
            "value": self.value,
            "threshold": self.threshold,
        }


@dataclass(frozen=True, slots=True)
class Stillness:
    """A van standing still since ``since`` at (lat, lon), for ``duration_s`` up to now."""

    since: datetime
    duration_s: float
    lat: float | None
    lon: float | None


def fleet_alerts(
    plan: Plan,
    progress: Mapping[str, VanProgress],
    states: Mapping[str, Mapping[str, StopState]],
    live: Mapping[str, LiveSoc],
    still: Mapping[str, Stillness],
    params: ConsoleParams = ConsoleParams(),
) -> list[FleetAlert]:
    """Every alert of the fleet now, the critical ones first, then by van."""
    out: list[FleetAlert] = []
    for route in plan.routes:
        van = route.van_id
        p = progress.get(van)
        if p is None:
            continue
        if van in live:
            out += _low_soc(plan, van, live[van], route.visits[p.reached_index].arrival_s, params)
        if p.delay_s > params.behind_s:
            out.append(
                FleetAlert(
                    "behind_schedule",
                    van,
                    "critical" if p.delay_s > 2 * params.behind_s else "warning",
                    f"{p.delay_s / 60:.0f} min behind the plan"
                    + (f" (next stop {p.next_stop_id})" if p.next_stop_id else ""),
                    p.delay_s,
                    params.behind_s,
                )
            )
        failed = [s for s, st in states.get(van, {}).items() if st.status == "failed"]
        if failed:
            out.append(
                FleetAlert(
                    "failed_deliveries",
                    van,
                    "warning",
                    f"{len(failed)} failed deliver{'y' if len(failed) == 1 else 'ies'}: "
                    + ", ".join(sorted(failed)[:5])
                    + (" ..." if len(failed) > 5 else ""),
                    float(len(failed)),
                    0.0,
                )
            )
    out += _long_stops(plan, still, params)
    rank = {"critical": 0, "warning": 1}
    return sorted(out, key=lambda a: (rank.get(a.severity, 2), a.van_id, a.kind))


def _low_soc(
    plan: Plan, van: str, live: LiveSoc, reached_s: float, params: ConsoleParams
) -> Iterable[FleetAlert]:
    # The rule counts the legs arriving after ``now_s``: those after the furthest visit reached.
    for a in low_soc_alerts(plan, {van: (None, live.soc)}, reached_s, params.telemetry):
        yield FleetAlert(a.kind, van, a.severity, a.message, a.value, a.threshold)


def _long_stops(
    plan: Plan, still: Mapping[str, Stillness], params: ConsoleParams
) -> Iterable[FleetAlert]:
    stops = [
        {"vehicle_id": van, "duration_s": s.duration_s, "lat": s.lat, "lon": s.lon,
         "start_ts": s.since}
        for van, s in still.items()
    ]  # fmt: skip
    for a in long_stop_alerts(stops, params.telemetry, plan=plan):
        yield FleetAlert(a.kind, a.vehicle_id, a.severity, a.message, a.value, a.threshold)
