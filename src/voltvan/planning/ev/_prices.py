"""What the search loop works out once per instance before its rounds.

The relaxation prices charging time at the fastest station; an instance where no van can run low
skips charging altogether (one round, PyVRP alone); and the fleet-first objective needs a price
per vehicle that outweighs any distance saving. Each depends on the instance only.
"""

from __future__ import annotations

import numpy as np

from voltvan.planning.ev._model import EvInstance


def charge_time_per_wh(instance: EvInstance) -> float:
    """Seconds per Wh at the fastest station for the first van type: the optimistic price."""
    if instance.num_stations == 0:
        return 0.0
    vt = instance.vehicle_types[0]
    power = float(min(np.max(instance.station_power_w), vt.max_charge_power_w))
    return 3600.0 / power if power > 0 else 0.0


def may_need_charging(instance: EvInstance) -> bool:
    """False when no van can run low even on the longest conceivable tour of all clients."""
    for v, vt in enumerate(instance.vehicle_types):
        e = instance.energy_wh[v]
        k = instance.num_depots + instance.num_clients
        worst = float(np.sum(np.max(np.clip(e[:k, :k], 0, None), axis=1)))
        if worst > vt.start_energy_wh - vt.reserve_wh:
            return True
    return False


def fleet_weight_for(instance: EvInstance) -> float:
    """A price per vehicle above any distance saving, for the fleet-first objective."""
    if not instance.fleet_minimisation:
        return 0.0
    return 10.0 * float(np.max(instance.distance)) * max(instance.num_clients, 1)
