"""Battery state of health from charging sessions: energy into the battery per SoC gained.

A session that adds ΔSoC of the usable capacity while the battery takes in E Wh (measured at the
battery, ``energy_source = 'power'`` or ``'energy_signal'``) implies a capacity of E / ΔSoC; its
ratio to the nominal capacity is the state of health. Small SoC gains are dominated by SoC
quantisation, so sessions below ``min_soc_gain`` are ignored and the others are weighted by
their gain. The confidence grows with the total SoC observed and shrinks with the scatter of the
estimates (see ``docs/analytics.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MEASURED_SOURCES = frozenset({"power", "energy_signal"})


@dataclass(frozen=True, slots=True)
class HealthEstimate:
    """One van's SoH: estimated usable capacity against nominal, with how sure we are."""

    vehicle_id: str
    nominal_wh: float
    capacity_wh: float
    soh: float
    num_sessions: int
    soc_observed: float
    confidence: float


def estimate_health(
    sessions: Sequence[Mapping[str, Any]],
    nominal_wh: Mapping[str, float],
    *,
    min_soc_gain: float = 0.10,
    full_confidence_soc: float = 2.0,
) -> list[HealthEstimate]:
    """SoH per van from its sessions (dicts with vehicle_id, start/end_soc, energy_wh/_source).

    ``full_confidence_soc`` is the total SoC gain (2.0 = two full charges' worth) at which the
    data term of the confidence reaches 1.
    """
    by_van: dict[str, list[tuple[float, float]]] = {}
    for s in sessions:
        if s.get("energy_source") not in MEASURED_SOURCES:
            continue
        start, end, energy = s.get("start_soc"), s.get("end_soc"), s.get("energy_wh")
        if start is None or end is None or energy is None:
            continue
        gain = float(end) - float(start)
        if gain < min_soc_gain or energy <= 0:
            continue
        by_van.setdefault(str(s["vehicle_id"]), []).append((gain, float(energy) / gain))
    out = []
    for van, est in sorted(by_van.items()):
        nominal = nominal_wh.get(van)
        if nominal is None or nominal <= 0:
            continue
        weights = [g for g, _ in est]
        total = sum(weights)
        mean = sum(g * c for g, c in est) / total
        var = sum(g * (c - mean) ** 2 for g, c in est) / total
        cv = math.sqrt(var) / mean if mean > 0 else 1.0
        data_term = min(1.0, total / full_confidence_soc)
        scatter_term = max(0.0, 1.0 - 5.0 * cv)  # 20 % scatter -> no confidence left
        single_penalty = 0.5 if len(est) == 1 else 1.0
        out.append(
            HealthEstimate(
                vehicle_id=van,
                nominal_wh=nominal,
                capacity_wh=mean,
                soh=mean / nominal,
                num_sessions=len(est),
                soc_observed=total,
                confidence=round(data_term * scatter_term * single_penalty, 3),
            )
        )
    return out
