"""What every simulated van shares: the places, the roads, and each day's weather and chargers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import simpy

from voltvan.domain import Charger, Scenario, Stop
from voltvan.travel import TravelParams, build_matrices, duration_at, positions
from voltvan.twin._noise import DAY_STREAM, day_rng
from voltvan.twin._params import TwinParams

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class World:
    """The scenario's places and roads, built once for all days.

    Road distances come from the scenario's matrix or the travel model; times from the matrix
    when there is one, else from the hourly speed profile at the hour the leg is driven (the plan
    itself used one matrix for the morning peak).
    """

    scenario: Scenario
    params: TwinParams
    travel: TravelParams
    row: dict[str, int]
    distance_m: FloatArray
    road_duration_s: FloatArray | None
    stops: dict[str, Stop]
    chargers: dict[str, Charger]
    positions: dict[str, tuple[float, float]]  # latitude and longitude of each place by id

    @classmethod
    def of(cls, scenario: Scenario, params: TwinParams, travel: TravelParams) -> World:
        matrices = build_matrices(scenario, params=travel)
        return cls(
            scenario=scenario,
            params=params,
            travel=travel,
            row=matrices.index(),
            distance_m=matrices.distance_m,
            road_duration_s=matrices.duration_s if scenario.matrix is not None else None,
            stops={s.id: s for s in scenario.stops},
            chargers={c.id: c for c in scenario.fleet.chargers},
            positions=positions(scenario),
        )

    def base_duration_s(self, i: int, j: int, t_s: float) -> float:
        """The travel model's time for the leg ``i -> j`` leaving at ``t_s`` (before noise)."""
        if self.road_duration_s is not None:
            return float(self.road_duration_s[i, j])
        return float(duration_at(float(self.distance_m[i, j]), t_s, self.travel))

    def nearest_working(self, from_id: str, broken: frozenset[str]) -> Charger | None:
        """The public charger closest by road to ``from_id`` that works today."""
        i = self.row[from_id]
        best: Charger | None = None
        for ch in self.scenario.fleet.public_chargers:
            if ch.id in broken or ch.id == from_id:
                continue
            if (
                best is None
                or self.distance_m[i, self.row[ch.id]] < (self.distance_m[i, self.row[best.id]])
            ):
                best = ch
        return best


@dataclass(frozen=True, slots=True, eq=False)
class Day:
    """One simulated day: the SimPy clock, the chargers' connectors, weather, broken chargers."""

    number: int
    env: simpy.Environment
    connectors: dict[str, simpy.Resource]
    ambient_c: float
    broken: frozenset[str]


def new_day(world: World, seed: int, number: int) -> Day:
    """Draw the day's weather and broken chargers (from the day's own stream) and set the clock.

    A charger's connectors are a SimPy resource: a van that finds them all taken queues
    until one frees up, first come, first served.
    """
    p = world.params
    rng = day_rng(seed, number, DAY_STREAM)
    forecast = world.scenario.fleet.ambient_c
    ambient = forecast + p.ambient_offset_c + p.ambient_sigma_c * float(rng.standard_normal())
    ambient = min(60.0, max(-50.0, ambient))
    public = world.scenario.fleet.public_chargers
    draws = rng.random(len(public))
    broken = {c.id for c, u in zip(public, draws, strict=True) if u < p.charger_outage}
    broken |= set(p.out_of_order)
    env = simpy.Environment()
    connectors = {
        c.id: simpy.Resource(env, capacity=c.connectors) for c in world.scenario.fleet.chargers
    }
    return Day(number, env, connectors, ambient, frozenset(sorted(broken)))
