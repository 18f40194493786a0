"""Leave-one-trip-out validation of the fitted model against a constant Wh/km baseline.

A fitted model is only worth its parameters if it predicts trips it has not seen better than the
simplest thing a fleet manager would do: divide the energy of past trips by their distance and
multiply. Each fold fits on all trips but one and predicts the one held out, as a whole and, when
the trip comes cut into pieces, piece by piece (pieces show whether the physics follows
hills, traffic and speed *within* a trip, which whole loop-shaped trips average away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voltvan.domain import ConsumptionParams
from voltvan.energy._fit import ObservedTrip, fit_consumption, predict_trip_wh


@dataclass(frozen=True, slots=True)
class HeldOut:
    """One held-out trip (or piece): what was observed and what each predictor said, Wh."""

    name: str
    distance_m: float
    observed_wh: float
    model_wh: float
    baseline_wh: float
    is_piece: bool = False


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """All folds; the summary properties are what docs and tests quote."""

    held_out: tuple[HeldOut, ...]
    fitted_params: tuple[ConsumptionParams, ...]

    def _rows(self, pieces: bool) -> list[HeldOut]:
        return [h for h in self.held_out if h.is_piece == pieces]

    def mean_abs_pct(self, *, model: bool, pieces: bool = False) -> float:
        """Mean absolute error in % of the observed energy (SoC drop)."""
        rows = self._rows(pieces)
        err = [
            abs((h.model_wh if model else h.baseline_wh) - h.observed_wh) / h.observed_wh
            for h in rows
        ]
        return float(np.mean(err) * 100.0)

    def mean_abs_wh(self, *, model: bool, pieces: bool = False) -> float:
        """Mean absolute error, Wh."""
        rows = self._rows(pieces)
        return float(
            np.mean([abs((h.model_wh if model else h.baseline_wh) - h.observed_wh) for h in rows])
        )

    def pooled_abs_pct(self, *, model: bool, pieces: bool = False) -> float:
        """Sum of absolute errors over the sum of observed energy, %: safe for tiny pieces."""
        rows = self._rows(pieces)
        err = sum(abs((h.model_wh if model else h.baseline_wh) - h.observed_wh) for h in rows)
        return float(err / sum(h.observed_wh for h in rows) * 100.0)


def cross_validate(
    trips: Sequence[ObservedTrip],
    base: ConsumptionParams,
    *,
    fit: Sequence[str],
    pieces: Sequence[Sequence[ObservedTrip]] | None = None,
) -> CrossValidation:
    """Leave each trip out in turn; ``pieces[i]`` (optional) are trip ``i`` cut into parts."""
    held: list[HeldOut] = []
    fitted: list[ConsumptionParams] = []
    for i, test in enumerate(trips):
        train = [t for j, t in enumerate(trips) if j != i]
        params = fit_consumption(train, base, fit=fit).params
        fitted.append(params)
        wh_per_m = sum(t.observed_energy_wh for t in train) / sum(t.distance_m for t in train)
        for trip, is_piece in [(test, False)] + [(p, True) for p in (pieces[i] if pieces else [])]:
            held.append(
                HeldOut(
                    name=trip.name,
                    distance_m=trip.distance_m,
                    observed_wh=trip.observed_energy_wh,
                    model_wh=predict_trip_wh(params, trip),
                    baseline_wh=wh_per_m * trip.distance_m,
                    is_piece=is_piece,
                )
            )
    return CrossValidation(held_out=tuple(held), fitted_params=tuple(fitted))
