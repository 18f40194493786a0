"""What every route of one scenario shares: the scenario, its matrices and its places by id."""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain import Charger, Scenario, Stop
from voltvan.travel import Matrices


@dataclass(frozen=True, slots=True)
class Context:
    """What every route of one scenario shares."""

    scenario: Scenario
    matrices: Matrices
    row: dict[str, int]
    stops: dict[str, Stop]
    chargers: dict[str, Charger]

    @classmethod
    def of(cls, scenario: Scenario, matrices: Matrices) -> Context:
        return cls(
            scenario=scenario,
            matrices=matrices,
            row=matrices.index(),
            stops={s.id: s for s in scenario.stops},
            chargers={c.id: c for c in scenario.fleet.chargers},
        )


def lat_lon(ctx: Context, loc: str) -> tuple[float, float]:
    """Where a stop, charger or depot of the scenario is."""
    if loc in ctx.stops:
        return ctx.stops[loc].lat, ctx.stops[loc].lon
    if loc in ctx.chargers:
        return ctx.chargers[loc].lat, ctx.chargers[loc].lon
    d = ctx.scenario.fleet.depot(loc)
    return d.lat, d.lon
