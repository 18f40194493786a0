"""Battery energy of a leg, a dwell and a speed trace, from longitudinal vehicle dynamics.

Every function here is one reading of the same power balance (``docs/energy.md`` derives it)::

    P_wheel = m_eff a v + m g c_rr v + 0.5 rho(T) Cd A v^3 + m g v sin(theta)
    P_batt  = P_wheel / eta_drive      when the wheels need power
            = P_wheel * eta_regen      when they brake (P_wheel < 0)
            + P_aux + P_hvac(T)        all the time the van is on

The leg functions cannot see the speed trace, so they take the shape of urban traffic from the
WLTC cycle (:mod:`voltvan.energy._drive`). The scalar and the matrix forms share one array
kernel, so they agree to the last bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from voltvan.domain import ConsumptionParams, VehicleType
from voltvan.energy._drive import cruise_speed_mps, pke_mps2
from voltvan.errors import InvalidInput

FloatArray = NDArray[np.float64]

GRAVITY_MPS2 = 9.80665
AIR_PRESSURE_PA = 101_325.0
AIR_GAS_CONSTANT_J_PER_KG_K = 287.05
J_PER_WH = 3_600.0
#: A driver and their kit, added by :func:`vehicle_mass_kg` (EU type approval counts 75 kg).
DRIVER_KG = 75.0
#: Share of the driving HVAC power drawn while parked at a stop with the van on (the cabin is
#: held at temperature but the driver is mostly outside and the door opens and shuts).
DWELL_HVAC_FRACTION = 0.5
#: Typical deceleration when a driver slows down in traffic: between the mean (0.47 m/s^2) and the
#: kinetic-energy-weighted mean (0.72 m/s^2) deceleration of the WLTC class 3b cycle.
BRAKING_DECEL_MPS2 = 0.6


def air_density_kg_m3(ambient_c: ArrayLike) -> FloatArray:
    """Dry air at sea-level pressure: cold air is denser and drags harder (ideal gas law)."""
    return np.asarray(
        AIR_PRESSURE_PA / (AIR_GAS_CONSTANT_J_PER_KG_K * (np.asarray(ambient_c) + 273.15)),
        dtype=np.float64,
    )


def hvac_power_w(params: ConsumptionParams, ambient_c: float) -> float:
    """Heating or cooling power: linear in the gap to the comfort temperature, capped."""
    gap_k = abs(ambient_c - params.comfort_c)
    return min(params.hvac_max_w, params.hvac_w_per_k * gap_k)


def auxiliary_power_w(params: ConsumptionParams, ambient_c: float) -> float:
    """Everything the battery feeds besides the wheels while driving: 12 V loads and HVAC."""
    return params.auxiliary_w + hvac_power_w(params, ambient_c)


def vehicle_mass_kg(
    vehicle: VehicleType, payload_kg: float, *, driver_kg: float = DRIVER_KG
) -> float:
    """The mass to pass to the energy functions: empty van, driver and the cargo still on board."""
    return vehicle.mass_kg + driver_kg + payload_kg


def _leg_kernel(
    params: ConsumptionParams,
    distance_m: FloatArray,
    duration_s: FloatArray,
    mass_kg: float,
    ambient_c: float,
    gain_m: FloatArray | float,
    loss_m: FloatArray | float,
) -> FloatArray:
    moving = duration_s > 0.0
    avg_speed = np.divide(distance_m, duration_s, out=np.zeros_like(distance_m), where=moving)
    v_c = cruise_speed_mps(avg_speed)
    rho = float(air_density_kg_m3(ambient_c))
    roll_n = mass_kg * GRAVITY_MPS2 * params.rolling_resistance
    aero_n = (0.5 * rho * params.drag_coefficient * params.frontal_area_m2) * v_c * v_c
    resist_j = (roll_n + aero_n) * distance_m
    inertia_kg = mass_kg * params.rotating_mass_factor
    kinetic_j = (0.5 * inertia_kg) * pke_mps2(avg_speed) * distance_m
    # While slowing down, rolling and drag take part of the kinetic energy before the brakes do:
    # the share is their deceleration at cruise speed over a typical braking deceleration.
    coast_share = np.minimum((roll_n + aero_n) / (inertia_kg * BRAKING_DECEL_MPS2), 1.0)
    coasted_j = coast_share * kinetic_j
    gravity_j = (mass_kg * GRAVITY_MPS2) * (np.asarray(gain_m) - np.asarray(loss_m))
    descent_j = np.maximum(-gravity_j, 0.0)
    # Going downhill, gravity first pays for rolling and drag; only the surplus reaches the brakes.
    covered_j = np.minimum(descent_j, resist_j - coasted_j)
    traction_j = resist_j - coasted_j - covered_j + kinetic_j + np.maximum(gravity_j, 0.0)
    braking_j = kinetic_j - coasted_j + descent_j - covered_j
    battery_j = (
        traction_j / params.drivetrain_efficiency
        - params.regen_efficiency * braking_j
        + auxiliary_power_w(params, ambient_c) * duration_s
    )
    return np.asarray(battery_j / J_PER_WH, dtype=np.float64)


def _check_ambient(ambient_c: float) -> None:
    if not (np.isfinite(ambient_c) and -50.0 <= ambient_c <= 60.0):
        raise InvalidInput(f"ambient_c {ambient_c} is outside [-50, 60] °C", field="ambient_c")


def _check_leg(
    distance_m: FloatArray, duration_s: FloatArray, mass_kg: float, ambient_c: float
) -> None:
    _check_ambient(ambient_c)
    if not (np.isfinite(mass_kg) and mass_kg > 0):
        raise InvalidInput(f"mass_kg must be a positive number, got {mass_kg}", field="mass_kg")
    for name, arr in (("distance_m", distance_m), ("duration_s", duration_s)):
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise InvalidInput(f"{name} must be finite and not negative", field=name)
    if np.any((duration_s <= 0.0) & (distance_m > 0.0)):
        raise InvalidInput("a leg with a distance needs a positive duration", field="duration_s")


def leg_energy_wh(
    params: ConsumptionParams,
    *,
    distance_m: float,
    duration_s: float,
    mass_kg: float,
    ambient_c: float,
    elevation_gain_m: float = 0.0,
    elevation_loss_m: float = 0.0,
) -> float:
    """Battery energy for one leg driven in urban traffic at its average speed, Wh.

    ``mass_kg`` is the whole van as it drives (see :func:`vehicle_mass_kg`). A leg that loses
    more height than rolling and drag can use returns the surplus through regeneration, so a
    steep descent can give a negative result (the battery gains); on the flat it never does.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    t = np.asarray(duration_s, dtype=np.float64)
    _check_leg(d, t, mass_kg, ambient_c)
    if elevation_gain_m < 0 or elevation_loss_m < 0:
        raise InvalidInput("elevation gain and loss are heights, not signed", field="elevation_m")
    return float(_leg_kernel(params, d, t, mass_kg, ambient_c, elevation_gain_m, elevation_loss_m))


def leg_energy_matrix_wh(
    params: ConsumptionParams,
    distance_m: NDArray[np.floating] | FloatArray,
    duration_s: NDArray[np.floating] | FloatArray,
    *,
    mass_kg: float,
    ambient_c: float,
) -> FloatArray:
    """:func:`leg_energy_wh` for every pair of a distance/duration matrix (flat roads), Wh.

    Elementwise the same numbers as the scalar form; the diagonal is zero (staying put costs
    nothing here — parked time is :func:`dwell_energy_wh`).
    """
    d = np.asarray(distance_m, dtype=np.float64)
    t = np.asarray(duration_s, dtype=np.float64)
    if d.shape != t.shape:
        raise InvalidInput(
            f"distance {d.shape} and duration {t.shape} matrices differ in shape", field="shape"
        )
    _check_leg(d, t, mass_kg, ambient_c)
    energy = _leg_kernel(params, d, t, mass_kg, ambient_c, 0.0, 0.0)
    if energy.ndim == 2 and energy.shape[0] == energy.shape[1]:
        np.fill_diagonal(energy, 0.0)
    return energy


def dwell_energy_wh(params: ConsumptionParams, *, duration_s: float, ambient_c: float) -> float:
    """Battery drain while parked at a stop with the van on: 12 V loads and part of the HVAC."""
    _check_ambient(ambient_c)
    if not (np.isfinite(duration_s) and duration_s >= 0):
        raise InvalidInput(f"duration_s must not be negative, got {duration_s}", field="duration_s")
    power_w = params.auxiliary_w + DWELL_HVAC_FRACTION * hvac_power_w(params, ambient_c)
    return power_w * duration_s / J_PER_WH


def trace_energy_wh(
    params: ConsumptionParams,
    *,
    mass_kg: float,
    time_s: NDArray[np.floating] | FloatArray,
    speed_mps: NDArray[np.floating] | FloatArray,
    ambient_c: float,
    altitude_m: NDArray[np.floating] | FloatArray | None = None,
) -> FloatArray:
    """Cumulative battery energy along a sampled speed trace (same length as ``time_s``), Wh.

    Each interval uses its mean speed for rolling and drag, the exact change of kinetic energy
    and the change of altitude; the altitude must already be clean (GPS altitude is noisy: smooth
    it first, or pass ``None`` for flat).
    """
    t = np.asarray(time_s, dtype=np.float64)
    v = np.asarray(speed_mps, dtype=np.float64)
    if t.ndim != 1 or v.shape != t.shape or t.size < 1:
        raise InvalidInput("time_s and speed_mps must be 1-D arrays of one length", field="speed")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(v))) or np.any(v < 0):
        raise InvalidInput("speed_mps must be finite and not negative", field="speed_mps")
    dt = np.diff(t)
    if np.any(dt <= 0):
        raise InvalidInput("time_s must increase strictly", field="time_s")
    if not (np.isfinite(mass_kg) and mass_kg > 0):
        raise InvalidInput(f"mass_kg must be a positive number, got {mass_kg}", field="mass_kg")
    _check_ambient(ambient_c)
    v_mean = 0.5 * (v[1:] + v[:-1])
    dist = v_mean * dt
    rho = float(air_density_kg_m3(ambient_c))
    wheel_j = (
        0.5 * mass_kg * params.rotating_mass_factor * (v[1:] ** 2 - v[:-1] ** 2)
        + mass_kg * GRAVITY_MPS2 * params.rolling_resistance * dist
        + 0.5 * rho * params.drag_coefficient * params.frontal_area_m2 * v_mean**2 * dist
    )
    if altitude_m is not None:
        h = np.asarray(altitude_m, dtype=np.float64)
        if h.shape != t.shape or not np.all(np.isfinite(h)):
            raise InvalidInput(
                "altitude_m must be finite and as long as time_s", field="altitude_m"
            )
        wheel_j = wheel_j + mass_kg * GRAVITY_MPS2 * np.diff(h)
    battery_j = np.where(
        wheel_j > 0.0,
        wheel_j / params.drivetrain_efficiency,
        wheel_j * params.regen_efficiency,
    )
    battery_j = battery_j + auxiliary_power_w(params, ambient_c) * dt
    out = np.zeros_like(t)
    np.cumsum(battery_j / J_PER_WH, out=out[1:])
    return out
