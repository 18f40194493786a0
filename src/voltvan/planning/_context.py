"""What every route of one scenario shares: the scenario, its matrices and its places by id."""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain import Charger, Scenario, Stop
from voltvan.travel import Matrices, positions


@dataclass(frozen=True, slots=True)
class Context:
    """What every route of one scenario shares."""

    scenario: Scenario
    matrices: Matrices
    row: dict[str, int]
    stops: dict[str, Stop]
    chargers: dict[str, Charger]
    positions: dict[str, tuple[float, float]]  # latitude and longitude of each place by id

    @classmethod
    def of(cls, scenario: Scenario, matrices: Matrices) -> Context:
        return cls(
            scenario=scenario,
            matrices=matrices,
            row=matrices.index(),
            stops={s.id: s for s in scenario.stops},
            chargers={c.id: c for c in scenario.fleet.chargers},
            positions=positions(scenario),
        )
