"""One connector of a simulated charger: its meter, its session, its profile and its faults.

Kept apart from the WebSocket side so that the energy a plug draws under a TxProfile (exact at
the profile's period edges) can be reasoned about, and tested, without a connection.
"""

from __future__ import annotations

import dataclasses
import itertools


@dataclasses.dataclass
class Plug:
    """One connector's state: meter register, session, profile and fault flag."""

    meter_wh: float = 0.0
    power_w: float = 0.0
    tx_id: int | None = None
    id_tag: str | None = None
    max_energy_wh: float | None = None
    session_wh: float = 0.0
    profile_start: float | None = None
    periods: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    faulted: bool = False

    def energy_wh(self, t0: float, t1: float, max_power_w: float) -> float:
        """Energy drawn at the profile's limits over ``[t0, t1]``, exact at period edges."""
        cuts = [t0]
        if self.profile_start is not None:
            cuts += [self.profile_start + off for off, _ in self.periods]
            cuts.append(self.profile_start)
        edges = sorted({t for t in cuts if t0 <= t < t1} | {t1})
        total = 0.0
        for a, b in itertools.pairwise(edges):
            total += self.limit_w(a, max_power_w) * (b - a) / 3600.0
        return total

    def limit_w(self, now: float, max_power_w: float) -> float:
        if self.profile_start is None or not self.periods:
            return max_power_w
        if now < self.profile_start:
            return 0.0
        limit = self.periods[0][1]
        for off, lim in self.periods:
            if now - self.profile_start >= off:
                limit = lim
        return min(limit, max_power_w)
