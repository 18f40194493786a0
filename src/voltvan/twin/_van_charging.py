"""A simulated van's charge stop: find a working charger, queue for a connector, charge.

Public chargers are shared SimPy resources, so vans of the same day queue for them; a charger
out of order sends the van on to the nearest working one. The van charges up to the energy its
plan has it leave with, at what both the charger and the van can take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voltvan import energy
from voltvan.domain import Charger
from voltvan.plan import Visit
from voltvan.twin._record import Event

if TYPE_CHECKING:
    from voltvan.twin._van import Process, VanRun


def charge_stop(run: VanRun, visit: Visit) -> Process:
    """Charge at the planned charger, or at the nearest working one if it is out of order."""
    w, day = run.world, run.day
    charger: Charger | None = w.chargers[visit.location_id]
    if visit.location_id in day.broken:
        charger = w.nearest_working(visit.location_id, day.broken)
        yield from run.drive_to(visit.location_id)
        if charger is None:
            run.rec.events.append(Event(run.env.now, "no_charger", visit.location_id))
            return
        run.rec.events.append(
            Event(run.env.now, "charger_out_of_order", visit.location_id, note=charger.id)
        )
    assert charger is not None
    yield from run.drive_to(charger.id)
    target_wh = min(run.vt.battery_wh, visit.energy_wh + visit.charge_wh)
    with day.connectors[charger.id].request() as turn:
        asked = run.env.now
        yield turn
        queued = run.env.now - asked
        if queued > 0.0:
            # The queue is parked time; the energy is drawn after (it is small and linear).
            run.rec.queue_s += queued
            run.rec.events.append(Event(asked, "queued", charger.id, queued))
            run.spend(
                energy.dwell_energy_wh(
                    run.vt.consumption, duration_s=queued, ambient_c=day.ambient_c
                )
            )
            if run.energy_wh <= 0.0:
                run.strand(charger.id)
        amount = max(0.0, target_wh - run.energy_wh)
        if amount > 0.0:
            power = min(charger.power_w, run.vt.max_power_w(charger.current))
            began = run.env.now
            yield run.env.timeout(amount * 3600.0 / power)
            run.rec.charging.append((began, run.env.now))
            run.energy_wh += amount
            run.rec.charged_wh += amount
            run.note()
