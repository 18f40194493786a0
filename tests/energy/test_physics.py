"""Physics sanity of the leg, dwell and trace energy functions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voltvan.domain import ConsumptionParams
from voltvan.energy import (
    dwell_energy_wh,
    leg_energy_matrix_wh,
    leg_energy_wh,
    trace_energy_wh,
)
from voltvan.errors import InvalidInput

PARAMS = ConsumptionParams()
MASS_KG = 3_200.0


def _leg(**overrides: float) -> float:
    kwargs: dict[str, float] = {
        "distance_m": 10_000.0,
        "duration_s": 10_000.0 / (25 / 3.6),
        "mass_kg": MASS_KG,
        "ambient_c": 20.0,
    }
    kwargs.update(overrides)
    return leg_energy_wh(PARAMS, **kwargs)


def test_matrix_equals_scalar_elementwise() -> None:
    """The vectorised matrix gives exactly the scalar result in every off-diagonal cell."""
    rng = np.random.default_rng(7)
    distance = rng.uniform(0.0, 30_000.0, (40, 40))
    duration = distance / rng.uniform(2.0, 30.0, (40, 40))
    matrix = leg_energy_matrix_wh(PARAMS, distance, duration, mass_kg=MASS_KG, ambient_c=-3.0)
    for i in range(40):
        for j in range(40):
            expected = (
                0.0
                if i == j
                else leg_energy_wh(
                    PARAMS,
                    distance_m=float(distance[i, j]),
                    duration_s=float(duration[i, j]),
                    mass_kg=MASS_KG,
                    ambient_c=-3.0,
                )
            )
            assert matrix[i, j] == expected


def test_matrix_diagonal_is_zero_and_energies_positive() -> None:
    """The diagonal is zero and no flat leg ever returns energy to the battery."""
    distance = np.full((3, 3), 5_000.0)
    duration = np.full((3, 3), 600.0)
    matrix = leg_energy_matrix_wh(PARAMS, distance, duration, mass_kg=MASS_KG, ambient_c=20.0)
    assert np.all(np.diag(matrix) == 0.0)
    off = matrix[~np.eye(3, dtype=bool)]
    assert np.all(off > 0.0)


def test_energy_rises_with_mass() -> None:
    """A heavier van needs more energy for the same leg (rolling and acceleration)."""
    assert _leg(mass_kg=3_500.0) > _leg(mass_kg=2_800.0)


def test_energy_rises_with_speed_at_constant_distance() -> None:
    """Driving the same 10 km faster costs more wheel energy because of drag (no HVAC)."""
    params = dataclasses.replace(PARAMS, auxiliary_w=0.0, hvac_w_per_k=0.0)

    def at(kmh: float) -> float:
        return leg_energy_wh(
            params, distance_m=10_000.0, duration_s=36_000.0 / kmh, mass_kg=MASS_KG, ambient_c=20.0
        )

    assert at(50.0) < at(80.0) < at(110.0)


def test_cold_and_heat_cost_more_than_comfort() -> None:
    """HVAC makes a cold and a hot day cost more than a day at the comfort temperature."""
    mild = _leg(ambient_c=20.0)
    assert _leg(ambient_c=-5.0) > 1.2 * mild
    assert _leg(ambient_c=35.0) > 1.05 * mild


def test_regen_makes_stop_and_go_cheaper() -> None:
    """With regeneration an urban leg costs less than with regen_efficiency 0."""
    no_regen = dataclasses.replace(PARAMS, regen_efficiency=0.0)
    kwargs = {"distance_m": 5_000.0, "duration_s": 900.0, "mass_kg": MASS_KG, "ambient_c": 20.0}
    assert leg_energy_wh(PARAMS, **kwargs) < 0.85 * leg_energy_wh(no_regen, **kwargs)


def test_descent_recovers_and_climb_costs() -> None:
    """Climbing 50 m costs about m g h / eta; the same descent returns energy through regen."""
    flat = _leg()
    climb = _leg(elevation_gain_m=50.0)
    descent = _leg(elevation_loss_m=50.0)
    mgh_wh = MASS_KG * 9.80665 * 50.0 / 3_600.0
    assert climb - flat == pytest.approx(mgh_wh / PARAMS.drivetrain_efficiency, rel=1e-9)
    assert descent < flat
    assert flat - descent <= mgh_wh / PARAMS.drivetrain_efficiency + 1e-9


def test_dwell_uses_aux_and_part_of_hvac() -> None:
    """Ten minutes parked drain the auxiliaries plus some HVAC, more on a cold day."""
    mild = dwell_energy_wh(PARAMS, duration_s=600.0, ambient_c=20.0)
    assert mild == pytest.approx(PARAMS.auxiliary_w * 600.0 / 3_600.0)
    assert dwell_energy_wh(PARAMS, duration_s=600.0, ambient_c=-5.0) > mild


def test_trace_constant_speed_matches_hand_calculation() -> None:
    """At constant speed on the flat a trace costs (rolling + drag) / eta + aux, by hand."""
    params = dataclasses.replace(PARAMS, auxiliary_w=100.0, hvac_w_per_k=0.0)
    time_s = np.arange(0.0, 101.0)
    speed = np.full_like(time_s, 10.0)
    cumulative = trace_energy_wh(
        params, mass_kg=2_000.0, time_s=time_s, speed_mps=speed, ambient_c=15.0
    )
    rho = 101_325.0 / (287.05 * 288.15)
    force = 2_000.0 * 9.80665 * params.rolling_resistance + 0.5 * rho * 0.36 * 4.5 * 100.0
    expected = (force * 1_000.0 / params.drivetrain_efficiency + 100.0 * 100.0) / 3_600.0
    assert cumulative[0] == 0.0
    assert cumulative[-1] == pytest.approx(expected, rel=1e-9)


def test_bad_leg_input_names_the_field() -> None:
    """A distance without a duration, or a negative distance, is refused naming the field."""
    with pytest.raises(InvalidInput, match="duration_s"):
        _leg(duration_s=0.0)
    with pytest.raises(InvalidInput, match="distance_m"):
        _leg(distance_m=-1.0)
    with pytest.raises(InvalidInput, match="shape"):
        leg_energy_matrix_wh(
            PARAMS, np.zeros((2, 2)), np.zeros((2, 3)), mass_kg=MASS_KG, ambient_c=20.0
        )


def test_impossible_ambient_temperature_is_refused() -> None:
    """An ambient temperature off the planet's range (or NaN) is refused naming ambient_c."""
    with pytest.raises(InvalidInput, match="ambient_c"):
        _leg(ambient_c=float("nan"))
    with pytest.raises(InvalidInput, match="ambient_c"):
        dwell_energy_wh(PARAMS, duration_s=60.0, ambient_c=90.0)


@settings(max_examples=60, deadline=None)
@given(
    distance_m=st.floats(1.0, 50_000.0),
    speed_mps=st.floats(0.5, 40.0),
    mass_kg=st.floats(500.0, 4_500.0),
    ambient_c=st.floats(-30.0, 45.0),
)
def test_flat_leg_is_positive_and_grows_with_mass(
    distance_m: float, speed_mps: float, mass_kg: float, ambient_c: float
) -> None:
    """On the flat any leg costs energy, and 100 kg more always costs more."""
    kwargs = {
        "distance_m": distance_m,
        "duration_s": distance_m / speed_mps,
        "ambient_c": ambient_c,
    }
    light = leg_energy_wh(PARAMS, mass_kg=mass_kg, **kwargs)
    assert light > 0.0
    assert leg_energy_wh(PARAMS, mass_kg=mass_kg + 100.0, **kwargs) > light


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 30.0), min_size=2, max_size=200))
def test_trace_energy_is_finite_and_starts_at_zero(speeds: list[float]) -> None:
    """Any non-negative speed trace gives a finite cumulative energy that starts at zero."""
    speed = np.array(speeds)
    out = trace_energy_wh(
        PARAMS,
        mass_kg=MASS_KG,
        time_s=np.arange(speed.size, dtype=float),
        speed_mps=speed,
        ambient_c=10.0,
    )
    assert out[0] == 0.0
    assert np.all(np.isfinite(out))
