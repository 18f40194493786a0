"""One van's day as a SimPy process: drive the plan's route, serve, charge, and say what went wrong.

The van follows its plan in order. Each leg takes the travel model's time at the hour it is
driven, times a lognormal factor; it costs the energy model's energy at the real load and the
day's real temperature, times the driver's style and the leg's own scatter. Waiting for a
window, serving and queueing draw the parked power (12 V loads and heating). At a charge stop
the van queues for a connector and charges up to the energy the plan has it leave with; when
the charger is out of order it drives to the nearest working one instead. When the battery hits
zero the van is stranded where it is and the rest of its stops are missed.

This module holds the van's state, its route through the day, driving and parking, and the
energy bookkeeping; what it does at a stop and at a charger are in :mod:`._van_stops` and
:mod:`._van_charging`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from voltvan import energy
from voltvan.domain import Van, VehicleType
from voltvan.plan import Route, Visit
from voltvan.twin._noise import leg_sigma, mean_one
from voltvan.twin._record import Event, Leg, VanDay
from voltvan.twin._van_charging import charge_stop
from voltvan.twin._van_stops import arrive_home, reload, serve
from voltvan.twin._world import Day, World

Process = Generator[simpy.Event, Any, None]


class Stranded(Exception):
    """The battery is empty: the van stops where it is."""


class VanRun:
    """The state of one van on one simulated day (energy, load, place) and its record."""

    def __init__(
        self,
        world: World,
        day: Day,
        van: Van,
        route: Route,
        rng: np.random.Generator,
        start_wh: float | None = None,
    ) -> None:
        self.world, self.day, self.van, self.route, self.rng = world, day, van, route, rng
        self.vt: VehicleType = world.scenario.fleet.type_of(van)
        p = world.params
        self.style = mean_one(rng, p.style_sigma)
        stops = [world.stops[v.location_id] for v in route.visits if v.kind == "stop"]
        self.weight_kg = {s.id: s.weight_kg * mean_one(rng, p.payload_sigma) for s in stops}
        first_trip = []
        for v in route.visits[1:]:
            if v.kind == "reload":
                break
            if v.kind == "stop":
                first_trip.append(v.location_id)
        self.load_kg = sum(self.weight_kg[s] for s in first_trip)
        self.energy_wh = van.start_soc * self.vt.battery_wh if start_wh is None else start_wh
        self.here = route.depot_id
        self.rec = VanDay(van_id=van.id, planned_stops=len(stops), battery_wh=self.vt.battery_wh)
        self.rec.start_soc = self.rec.lowest_soc = self.energy_wh / self.vt.battery_wh
        self.todo: list[Visit] = list(route.visits[1:])
        self.current: Visit | None = None
        self.done: set[str] = set()
        """Stops the van has served or tried (they are never visited again)."""
        self.process: simpy.Process | None = None
        self.left = False
        self.behind_s = 0.0
        """How much later than its plan the van reached its last stop."""
        self.late_replanned = False
        self.on_late: Callable[[VanRun, float], None] | None = None

    @property
    def running(self) -> bool:
        """Out on its route (or not left yet), neither back, stranded nor broken down."""
        rec = self.rec
        return rec.end_s is None and rec.stranded_at_s is None and rec.broken_at_s is None

    def start(self) -> simpy.Process:
        self.process = self.env.process(self.run())
        return self.process

    @property
    def env(self) -> simpy.Environment:
        return self.day.env

    def run(self) -> Process:
        """The SimPy process: leave at the planned time, visit everything, come back.

        ``todo`` may be replaced while the van drives (:meth:`follow`, a new plan version); a
        breakdown interrupts the process and the van stops where it is.
        """
        try:
            yield self.env.timeout(max(0.0, self.route.visits[0].departure_s - self.env.now))
            self.left = True
            self.note()
            while self.todo:
                visit = self.todo.pop(0)
                self.current = visit
                if visit.kind == "charge":
                    yield from charge_stop(self, visit)
                elif visit.kind == "reload":
                    yield from reload(self, visit)
                elif visit.kind == "stop":
                    yield from self.drive_to(visit.location_id)
                    yield from serve(self, self.world.stops[visit.location_id])
                elif visit.kind == "end":
                    yield from self.drive_to(visit.location_id)
                    arrive_home(self)
            self.current = None
        except Stranded:
            self.rec.missed = self.rec.planned_stops - self.rec.on_time - self.rec.late
        except simpy.Interrupt:
            self.rec.broken_at_s = self.env.now
            self.rec.events.append(Event(self.env.now, "breakdown", self.here))
            self.current = None
            self.todo = []
            self.rec.missed = self.rec.planned_stops - self.rec.on_time - self.rec.late

    def follow(self, route: Route) -> None:
        """Go on with a new plan version of this van's route from where the van is now.

        The visits after its last ``resume`` visit (the whole route for a van that had not left)
        replace what was left; a stop the van is serving or driving to now, or has done, is
        not visited again.
        """
        k = route.resume_index
        at = 1 if k is None else k + 1
        busy = self.current.location_id if self.current is not None else None
        rest = [
            v
            for v in route.visits[at:]
            if not (v.kind == "stop" and (v.location_id in self.done or v.location_id == busy))
        ]
        for v in rest:
            if v.kind == "stop" and v.location_id not in self.weight_kg:
                stop = self.world.stops[v.location_id]
                self.weight_kg[stop.id] = stop.weight_kg * mean_one(
                    self.rng, self.world.params.payload_sigma
                )
        self.route = route
        self.todo = rest
        left = sum(1 for v in rest if v.kind == "stop") + (1 if busy in self.world.stops else 0)
        self.rec.planned_stops = len(self.done) + left

    # --- moving -------------------------------------------------------------------------------

    def drive_to(self, loc: str) -> Process:
        """Drive one leg at the hour's traffic; a battery that runs empty strands the van on it."""
        w = self.world
        i, j = w.row[self.here], w.row[loc]
        dist = float(w.distance_m[i, j])
        if i == j or dist <= 0.0:
            self.here = loc
            return
        now = self.env.now
        base = w.base_duration_s(i, j, now)
        dur = base * mean_one(self.rng, leg_sigma(w.params, w.travel, now))
        leg_wh = energy.leg_energy_wh(
            self.vt.consumption,
            distance_m=dist,
            duration_s=dur,
            mass_kg=energy.vehicle_mass_kg(self.vt, self.load_kg),
            ambient_c=self.day.ambient_c,
        )
        leg_wh *= self.style * mean_one(self.rng, w.params.leg_energy_sigma)
        share = 1.0 if leg_wh < self.energy_wh else self.energy_wh / leg_wh
        yield self.env.timeout(dur * share)
        self.rec.distance_m += dist * share
        (lat0, lon0), (lat1, lon1) = w.positions[self.here], w.positions[loc]
        lat1, lon1 = lat0 + (lat1 - lat0) * share, lon0 + (lon1 - lon0) * share
        self.rec.legs.append(Leg(now, self.env.now, lat0, lon0, lat1, lon1, dist * share))
        self.spend(leg_wh * share)
        if share < 1.0:
            self.strand(loc)
        self.here = loc

    def park(self, seconds: float, loc: str) -> Process:
        """Stand with the van on (waiting, serving, queueing): 12 V loads and part of the HVAC."""
        if seconds <= 0.0:
            return
        wh = energy.dwell_energy_wh(
            self.vt.consumption, duration_s=seconds, ambient_c=self.day.ambient_c
        )
        share = 1.0 if wh < self.energy_wh else self.energy_wh / wh
        yield self.env.timeout(seconds * share)
        self.spend(wh * share)
        if share < 1.0:
            self.strand(loc)

    # --- bookkeeping --------------------------------------------------------------------------

    def spend(self, wh: float) -> None:
        """Draw ``wh`` from the battery (never below empty) and count it in the day's energy."""
        self.energy_wh = max(0.0, self.energy_wh - wh)
        self.rec.energy_wh += wh
        self.note()

    def note(self) -> None:
        """Add a point to the SoC trace the report draws, and keep the day's lowest SoC."""
        soc = self.energy_wh / self.vt.battery_wh
        self.rec.trace_t_s.append(self.env.now)
        self.rec.trace_wh.append(self.energy_wh)
        self.rec.lowest_soc = min(self.rec.lowest_soc, soc)

    def strand(self, loc: str) -> None:
        """Record that the battery ran out and end the van's process (:meth:`run` catches it)."""
        self.rec.stranded_at_s = self.env.now
        # ``loc`` is where the van was going (or standing): it stops short of it.
        self.rec.events.append(Event(self.env.now, "stranded", loc))
        raise Stranded
