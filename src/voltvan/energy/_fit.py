"""Fitting consumption parameters to energy that vans were seen to use.

Telemetry gives, per trip, a speed trace and the energy the battery lost (SoC drop times usable
capacity, or integrated current times voltage). :func:`fit_consumption` adjusts chosen fields of
:class:`~voltvan.domain.ConsumptionParams` by bounded least squares so that
:func:`~voltvan.energy.trace_energy_wh` reproduces those energies. Residuals are relative to the
observed energy so that long and short trips weigh alike.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from voltvan.domain import ConsumptionParams
from voltvan.energy._physics import FloatArray, trace_energy_wh
from voltvan.errors import InvalidInput

#: Physically sensible ranges; the fit never leaves them.
FIT_BOUNDS: Mapping[str, tuple[float, float]] = {
    "drag_coefficient": (0.15, 1.2),
    "frontal_area_m2": (0.8, 8.0),
    "rolling_resistance": (0.004, 0.03),
    "drivetrain_efficiency": (0.5, 1.0),
    "regen_efficiency": (0.0, 1.0),
    "auxiliary_w": (0.0, 5_000.0),
    "hvac_w_per_k": (0.0, 500.0),
    "rotating_mass_factor": (1.0, 1.3),
}


@dataclass(frozen=True, slots=True)
class ObservedTrip:
    """One trip as telemetry saw it: a 1 Hz (or any rate) trace and the battery energy it took."""

    time_s: FloatArray
    speed_mps: FloatArray
    altitude_m: FloatArray | None
    ambient_c: float
    mass_kg: float
    observed_energy_wh: float
    name: str = ""

    @property
    def distance_m(self) -> float:
        dt = np.diff(self.time_s)
        return float(np.sum(0.5 * (self.speed_mps[1:] + self.speed_mps[:-1]) * dt))


@dataclass(frozen=True, slots=True)
class FitResult:
    """The fitted parameters and how well they explain the trips they were fitted on."""

    params: ConsumptionParams
    rmse_wh: float
    mean_abs_pct_error: float
    num_trips: int
    residuals_wh: tuple[float, ...]
    trip_names: tuple[str, ...]
    fitted: tuple[str, ...]


def predict_trip_wh(params: ConsumptionParams, trip: ObservedTrip) -> float:
    """Battery energy the model gives for a whole observed trip, Wh."""
    cumulative = trace_energy_wh(
        params,
        mass_kg=trip.mass_kg,
        time_s=trip.time_s,
        speed_mps=trip.speed_mps,
        ambient_c=trip.ambient_c,
        altitude_m=trip.altitude_m,
    )
    return float(cumulative[-1])


def fit_consumption(
    trips: Sequence[ObservedTrip],
    base: ConsumptionParams,
    *,
    fit: Sequence[str] = ("drivetrain_efficiency", "auxiliary_w"),
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> FitResult:
    """Least-squares fit of the named parameters; the others stay as in ``base``.

    Fit no more parameters than there are trips, and prefer parameters the trips can tell apart
    (drag and rolling resistance are hard to separate on urban trips alone).
    """
    from scipy.optimize import least_squares

    names = tuple(fit)
    limits = {**FIT_BOUNDS, **(bounds or {})}
    if not trips:
        raise InvalidInput("need at least one observed trip to fit", field="trips")
    if not names:
        raise InvalidInput("name at least one parameter to fit", field="fit")
    for name in names:
        if name not in limits:
            raise InvalidInput(
                f"cannot fit {name!r}; fittable: {', '.join(sorted(limits))}", field="fit"
            )
    for trip in trips:
        if not (math.isfinite(trip.observed_energy_wh) and trip.observed_energy_wh > 0):
            raise InvalidInput(
                f"trip {trip.name!r}: observed_energy_wh must be positive",
                field="observed_energy_wh",
            )
    lower = np.array([limits[n][0] for n in names])
    upper = np.array([limits[n][1] for n in names])
    start = np.clip([float(getattr(base, n)) for n in names], lower, upper)
    observed = np.array([t.observed_energy_wh for t in trips])

    def with_values(x: FloatArray) -> ConsumptionParams:
        return dataclasses.replace(base, **dict(zip(names, (float(v) for v in x), strict=True)))

    def residuals(x: FloatArray) -> FloatArray:
        params = with_values(x)
        predicted = np.array([predict_trip_wh(params, t) for t in trips])
        return np.asarray((predicted - observed) / observed, dtype=np.float64)

    solution = least_squares(
        residuals, start, bounds=(lower, upper), x_scale=np.maximum(np.abs(start), 1e-3)
    )
    params = with_values(solution.x)
    predicted = np.array([predict_trip_wh(params, t) for t in trips])
    errors = predicted - observed
    return FitResult(
        params=params,
        rmse_wh=float(np.sqrt(np.mean(errors**2))),
        mean_abs_pct_error=float(np.mean(np.abs(errors) / observed) * 100.0),
        num_trips=len(trips),
        residuals_wh=tuple(float(e) for e in errors),
        trip_names=tuple(t.name for t in trips),
        fitted=names,
    )
