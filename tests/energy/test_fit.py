"""Least-squares fitting recovers parameters that generated the observations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from voltvan.domain import ConsumptionParams
from voltvan.energy import ObservedTrip, clean_altitude_m, fit_consumption, predict_trip_wh
from voltvan.errors import InvalidInput

TRUTH = ConsumptionParams(drivetrain_efficiency=0.82, auxiliary_w=900.0)


def _trip(seed: int, ambient_c: float) -> ObservedTrip:
    """A synthetic urban trace: random micro-trips, each a ramp up, a cruise and a ramp down."""
    rng = np.random.default_rng(seed)
    speeds: list[float] = []
    for _ in range(25):
        top = rng.uniform(8.0, 18.0)
        speeds += list(np.linspace(0.0, top, 10)) + [top] * int(rng.integers(20, 90))
        speeds += list(np.linspace(top, 0.0, 8)) + [0.0] * int(rng.integers(5, 60))
    speed = np.array(speeds)
    time_s = np.arange(speed.size, dtype=float)
    trip = ObservedTrip(
        time_s=time_s,
        speed_mps=speed,
        altitude_m=None,
        ambient_c=ambient_c,
        mass_kg=3_000.0,
        observed_energy_wh=1.0,
        name=f"synthetic-{seed}",
    )
    return dataclasses.replace(trip, observed_energy_wh=predict_trip_wh(TRUTH, trip))


def test_fit_recovers_efficiency_and_auxiliary_power() -> None:
    """From default parameters, the fit finds the efficiency and aux power that made the data."""
    trips = [_trip(seed, ambient_c=20.0) for seed in range(5)]
    result = fit_consumption(
        trips, ConsumptionParams(), fit=("drivetrain_efficiency", "auxiliary_w")
    )
    assert result.params.drivetrain_efficiency == pytest.approx(0.82, rel=1e-3)
    assert result.params.auxiliary_w == pytest.approx(900.0, rel=1e-2)
    assert result.rmse_wh < 1.0
    assert result.num_trips == 5
    assert len(result.residuals_wh) == 5


def test_fit_separates_hvac_from_auxiliaries_across_temperatures() -> None:
    """Trips on days of different temperature let the fit tell HVAC slope from base load."""
    truth = dataclasses.replace(TRUTH, hvac_w_per_k=140.0)
    trips = []
    for seed, ambient in enumerate((-5.0, 3.0, 12.0, 20.0, 28.0)):
        trip = _trip(seed, ambient_c=ambient)
        trips.append(dataclasses.replace(trip, observed_energy_wh=predict_trip_wh(truth, trip)))
    result = fit_consumption(
        trips, ConsumptionParams(drivetrain_efficiency=0.82), fit=("auxiliary_w", "hvac_w_per_k")
    )
    assert result.params.hvac_w_per_k == pytest.approx(140.0, rel=1e-2)
    assert result.params.auxiliary_w == pytest.approx(900.0, rel=1e-2)


def test_fit_stays_in_bounds() -> None:
    """Observations no physical van could produce push the fit to a bound, never beyond it."""
    trips = [dataclasses.replace(_trip(1, 20.0), observed_energy_wh=1e6)]
    result = fit_consumption(trips, ConsumptionParams(), fit=("drivetrain_efficiency",))
    assert result.params.drivetrain_efficiency == pytest.approx(0.5, abs=1e-6)
    assert result.mean_abs_pct_error > 50.0


def test_fit_refuses_unknown_parameter_and_empty_input() -> None:
    """Fitting an unknown field, or nothing at all, is a clear InvalidInput."""
    trips = [_trip(0, 20.0)]
    with pytest.raises(InvalidInput, match="comfort_c"):
        fit_consumption(trips, ConsumptionParams(), fit=("comfort_c",))
    with pytest.raises(InvalidInput, match="at least one"):
        fit_consumption([], ConsumptionParams())


def test_altitude_cleaning_drops_gps_faults() -> None:
    """Fixes at latitude 0 and a -111 m altitude burst are removed before they cost energy."""
    n = 1_200
    time_s = np.arange(n, dtype=float)
    altitude = 100.0 + 20.0 * np.sin(time_s / 200.0)
    lat = np.full(n, 33.99)
    lon = np.full(n, -6.75)
    altitude[300:360] = -111.0
    lat[700:760] = 0.0
    lon[700:760] = 1555.6
    altitude[700:760] = 0.0
    cleaned = clean_altitude_m(time_s, lat, lon, altitude)
    assert cleaned is not None
    assert cleaned.min() > 75.0
    assert np.max(np.abs(cleaned - (100.0 + 20.0 * np.sin(time_s / 200.0)))) < 3.0
