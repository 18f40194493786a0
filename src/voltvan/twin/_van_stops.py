"""What a simulated van does where it halts: serve a stop, reload at the depot, come home.

These draw the day's randomness that belongs to the stop (nobody at home, the service time) and
record the outcome a dispatcher cares about: on time or late, delivered or failed, back within
the shift or over it. The van's state and its moving and energy bookkeeping are :class:`VanRun`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voltvan.domain import Stop
from voltvan.plan import Visit
from voltvan.twin._noise import mean_one
from voltvan.twin._record import Event

if TYPE_CHECKING:
    from voltvan.twin._van import Process, VanRun


def serve(run: VanRun, stop: Stop) -> Process:
    """Wait for the window, then deliver or fail (nobody at home); lateness counts from arrival."""
    p = run.world.params
    arrival = run.env.now
    start = arrival
    in_window = False
    for tw in stop.time_windows:
        if arrival <= tw.end_s:
            start, in_window = max(arrival, tw.start_s), True
            break
    run.rec.deliveries.append((arrival, "arrived", stop.id))
    if run.current is not None:
        run.behind_s = arrival - run.current.arrival_s
        if run.on_late is not None and not run.late_replanned:
            run.on_late(run, run.behind_s)
    yield from run.park(start - arrival, stop.id)
    if in_window:
        run.rec.on_time += 1
    else:
        late_s = arrival - stop.latest_s
        run.rec.late += 1
        run.rec.late_s.append(late_s)
        run.rec.events.append(Event(arrival, "late", stop.id, late_s))
    if run.rng.random() < p.fail_share:
        run.rec.failed += 1
        run.rec.events.append(Event(start, "failed_delivery", stop.id))
        yield from run.park(p.failed_attempt_s, stop.id)
        run.rec.deliveries.append((run.env.now, "failed", stop.id))
    else:
        yield from run.park(stop.service_s * mean_one(run.rng, p.service_sigma), stop.id)
        run.load_kg = max(0.0, run.load_kg - run.weight_kg[stop.id])
        run.rec.deliveries.append((run.env.now, "delivered", stop.id))
    run.done.add(stop.id)


def reload(run: VanRun, visit: Visit) -> Process:
    """Back at the depot for a second trip: wait for the parcels, load them (van off)."""
    yield from run.drive_to(visit.location_id)
    yield run.env.timeout(max(0.0, visit.start_s - run.env.now))
    yield run.env.timeout(max(0.0, visit.departure_s - visit.start_s))
    trip = []
    for v in run.todo:
        if v.kind in ("reload", "end"):
            break
        if v.kind == "stop":
            trip.append(v.location_id)
    run.load_kg += sum(run.weight_kg[s] for s in trip)
    run.note()


def arrive_home(run: VanRun) -> None:
    """Close the van's day; coming back after its shift or the depot's closing is an event."""
    now = run.env.now
    run.rec.end_s = now
    depot = run.world.scenario.fleet.depot(run.van.depot_id)
    end_ok = min(run.van.shift.end_s, depot.opening.end_s)
    if now > end_ok:
        run.rec.over_shift_s = now - end_ok
        run.rec.events.append(Event(now, "over_shift", depot.id, now - end_ok))
