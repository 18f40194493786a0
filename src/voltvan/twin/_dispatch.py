"""The dispatcher of a simulated day: breakdowns, vans far behind, re-plans the vans follow.

Without the operations service a broken-down van just stops (its remaining stops are missed).
With it (:class:`OpsLink`) the drivers' events go to the service, and with ``replan`` the
dispatcher asks it for a re-plan when a van breaks down or runs more than ``late_s`` behind its
plan; every van then follows the new version (a van the new version gives a route it did not
have starts it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from voltvan.domain import Van
from voltvan.plan import Route
from voltvan.twin._ops import OpsClient, OpsDay, OpsError, hhmmss
from voltvan.twin._record import Event
from voltvan.twin._van import VanRun

DELAY_FLOOR_S = 60.0
"""A van less behind its plan than this is on time for the re-planner."""


@dataclass(frozen=True, slots=True)
class OpsLink:
    """How the twin uses the operations service."""

    client: OpsClient
    replan: bool = False
    late_s: float | None = None
    """Re-plan when a van arrives this much later than its plan says (None: never)."""


class Dispatch:
    """One simulated day's dispatcher."""

    def __init__(
        self,
        env: simpy.Environment,
        runs: dict[str, VanRun],
        spawn: Callable[[Van, Route], VanRun],
        vans: dict[str, Van],
        link: OpsLink | None = None,
        day: OpsDay | None = None,
    ) -> None:
        self.env, self.runs, self.spawn, self.vans = env, runs, spawn, vans
        self.link, self.day = link, day
        self.replans = 0

    def add(self, van: Van, route: Route) -> VanRun:
        """Start a van on ``route`` (at its departure) and listen to it."""
        run = self.spawn(van, route)
        run.on_late = self.late
        self.runs[van.id] = run
        return run

    @property
    def replanning(self) -> bool:
        return self.link is not None and self.link.replan and self.day is not None

    def breaker(self, run: VanRun, at_s: float) -> Generator[simpy.Event, Any, None]:
        """A SimPy process: the van breaks down at ``at_s`` if it is out on its route then."""
        yield self.env.timeout(max(0.0, at_s - self.env.now))
        on_route = run.rec.end_s is None and run.rec.stranded_at_s is None and run.left
        if not (on_route and run.process is not None and run.process.is_alive):
            return
        run.process.interrupt("breakdown")
        yield self.env.timeout(0.0)  # let the van stop before the dispatcher acts
        if self.replanning:
            t = float(int(self.env.now))
            self._replan(run, t, [{"type": "van_out_of_service", "van_id": run.van.id,
                              "time": hhmmss(t)}])  # fmt: skip

    def late(self, run: VanRun, behind_s: float) -> None:
        """Called by a van that arrives ``behind_s`` after its plan (once a day per van)."""
        limit = self.link.late_s if self.link is not None else None
        if self.replanning and limit is not None and behind_s > limit:
            run.late_replanned = True
            # not before the arrival that told: a stop the van is at is history, not ahead
            self._replan(run, float(math.ceil(self.env.now)), [])

    def _replan(self, by: VanRun, at_s: float, events: list[dict[str, Any]]) -> None:
        assert self.link is not None and self.day is not None
        self.sync()
        mentioned = {e["van_id"] for e in events}
        for r in self.runs.values():
            if r.van.id not in mentioned and r.running and r.behind_s > DELAY_FLOOR_S:
                events.append({"type": "delay", "van_id": r.van.id, "delay_s": round(r.behind_s)})
        try:
            plan = self.link.client.replan(self.day, at_s, events)
        except OpsError as exc:  # the day goes on with the version in force
            by.rec.events.append(Event(self.env.now, "replan_refused", by.here, note=str(exc)))
            return
        self.replans += 1
        for route in plan.routes:
            run = self.runs.get(route.van_id)
            if run is None:
                if route.out_of_service_s is None and route.stop_ids:
                    self.add(self.vans[route.van_id], route)
            elif run.running:
                run.follow(route)

    def sync(self) -> None:
        """Send every driver's events not sent yet (a device syncing its queue)."""
        if self.link is None or self.day is None:
            return
        for run in self.runs.values():
            self.link.client.send(self.day, run.van.id, run.rec.deliveries)
