"""Lesson 2, reference solution."""

from __future__ import annotations

from voltvan import ConsumptionParams
from voltvan.energy import air_density_kg_m3, auxiliary_power_w

G_MPS2 = 9.80665
J_PER_WH = 3600.0


def steady_drive_wh(
    params: ConsumptionParams,
    mass_kg: float,
    speed_mps: float,
    distance_m: float,
    ambient_c: float,
) -> float:
    """Rolling and drag work through the drivetrain, plus auxiliaries for the drive's time."""
    rolling_n = mass_kg * G_MPS2 * params.rolling_resistance
    rho = float(air_density_kg_m3(ambient_c))
    drag_n = 0.5 * rho * params.drag_coefficient * params.frontal_area_m2 * speed_mps**2
    wheels_j = (rolling_n + drag_n) * distance_m
    auxiliary_j = auxiliary_power_w(params, ambient_c) * distance_m / speed_mps
    return (wheels_j / params.drivetrain_efficiency + auxiliary_j) / J_PER_WH
