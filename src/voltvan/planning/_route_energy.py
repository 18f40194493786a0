"""Energy along a visiting order: what to charge at each charge stop, what is left on arrival.

Each charge stop gets just enough to reach the next charge stop or the depot with the reserve
left, never above the battery: for a fixed order this minimises charging, hence time. Waiting
for a window draws the parked power (:func:`voltvan.energy.dwell_energy_wh`, the van is on and
the cab warm, as in the twin).
"""

from __future__ import annotations

from collections.abc import Sequence

from voltvan import energy
from voltvan.domain import VehicleType
from voltvan.plan import VisitKind

EPS_WH = 1e-6
EPS_S = 1e-6


def charges_needed(
    places: Sequence[tuple[VisitKind, str]],
    legs: Sequence[float],
    dwell: Sequence[float],
    start_wh: float,
    vt: VehicleType,
) -> tuple[list[float], list[float]]:
    """Energy charged at each place and energy on arrival, charging only what is needed."""
    n = len(places)
    # use[k]: energy spent from leaving place k-1 until leaving place k (leg, waiting, service).
    use = [legs[k] + dwell[k] for k in range(n)]
    charges = [0.0] * n
    arrive = [0.0] * n
    e = start_wh
    arrive[0] = e
    for k in range(1, n):
        e -= legs[k]
        arrive[k] = e
        e -= dwell[k]
        if places[k][0] == "charge":
            need = vt.reserve_wh
            for m in range(k + 1, n):
                need += use[m]
                if places[m][0] == "charge":
                    break
            amount = min(max(0.0, need - e), max(0.0, vt.battery_wh - e))
            charges[k] = amount
            e += amount
    return charges, arrive


def wait_energy_wh(
    vt: VehicleType, ambient_c: float, kind: VisitKind, time: tuple[float, float, float]
) -> float:
    """Parked energy while the van waits at a stop for its window (or for a charger).

    The van is on and the cab kept warm, as in the twin; at the depot (start, reload, end) it
    is off or plugged in and draws nothing.
    """
    wait_s = time[1] - time[0]
    if kind not in ("stop", "charge") or wait_s <= EPS_S:
        return 0.0
    return energy.dwell_energy_wh(vt.consumption, duration_s=wait_s, ambient_c=ambient_c)


def replay_energy(
    places: Sequence[tuple[VisitKind, str]],
    legs: Sequence[float],
    parked: Sequence[float],
    charges: Sequence[float],
    start_wh: float,
) -> list[float]:
    """Energy on arrival at each place for given charges."""
    arrive = [start_wh]
    e = start_wh
    for k in range(1, len(places)):
        e -= legs[k]
        arrive.append(e)
        e += charges[k] - parked[k]
    return arrive


def least_departure_wh(
    legs: Sequence[float], dwell: Sequence[float], charges: Sequence[float], reserve_wh: float
) -> float:
    """Least energy on leaving the depot that keeps the reserve everywhere, given the charges."""
    worst = 0.0
    net = 0.0
    for k in range(1, len(legs)):
        net += legs[k]
        worst = max(worst, net)
        net += dwell[k]
        worst = max(worst, net)
        net -= charges[k]
    return worst + reserve_wh
