"""Grades lesson 2 against voltvan's trace model on a seeded sample of steady drives.

A steady drive is a speed trace at one speed: ``trace_energy_wh`` then counts exactly rolling,
drag and the auxiliaries. When an answer is off, the grader tries the usual slips (no
efficiency, no heating, sea-level density at 15 °C, kWh) to say which term looks wrong.
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Callable

import numpy as np

from voltvan import ConsumptionParams
from voltvan.catalog import large_van, small_van, twizy
from voltvan.energy import air_density_kg_m3, auxiliary_power_w, trace_energy_wh

REL_TOL = 0.005
G = 9.80665

Drive = tuple[ConsumptionParams, float, float, float, float]


def _sample(n: int = 40, seed: int = 2) -> list[Drive]:
    rng = np.random.default_rng(seed)
    vans = [large_van(), small_van(), twizy()]
    drives: list[Drive] = []
    for k in range(n):
        van = vans[k % len(vans)]
        mass = van.mass_kg + 75.0 + float(rng.uniform(0.0, van.payload_kg))
        speed = float(rng.uniform(3.0, 30.0))
        distance = float(rng.uniform(200.0, 30_000.0))
        ambient = float(rng.choice([-15.0, -5.0, 2.0, 20.0, 33.0]))
        drives.append((van.consumption, mass, speed, distance, ambient))
    return drives


def _truth(p: ConsumptionParams, mass: float, speed: float, distance: float, t: float) -> float:
    time_s = np.linspace(0.0, distance / speed, 21)
    trace = trace_energy_wh(
        p, mass_kg=mass, time_s=time_s, speed_mps=np.full(21, speed), ambient_c=t
    )
    return float(trace[-1])


def _slip(p: ConsumptionParams, mass: float, v: float, d: float, t: float, kind: str) -> float:
    rho = 1.225 if kind == "density" else float(air_density_kg_m3(t))
    eta = 1.0 if kind == "efficiency" else p.drivetrain_efficiency
    aux = p.auxiliary_w if kind == "hvac" else auxiliary_power_w(p, t)
    if kind == "auxiliary":
        aux = 0.0
    wheel_j = (
        mass * G * p.rolling_resistance + 0.5 * rho * p.drag_coefficient * p.frontal_area_m2 * v * v
    ) * d
    wh = (wheel_j / eta + aux * d / v) / 3600.0
    return wh / 1000.0 if kind == "kwh" else wh


SLIPS = {
    "efficiency": "the drivetrain efficiency (divide the wheel energy by it)",
    "hvac": "heating and cooling (auxiliary_power_w includes them; auxiliary_w alone does not)",
    "auxiliary": "the auxiliary power over the drive's duration (distance / speed)",
    "density": "the air density of the day (air_density_kg_m3(ambient_c), not 1.225)",
    "kwh": "the unit: the answer is in Wh, not kWh",
}


def grade(module: types.ModuleType) -> list[str]:
    fn: Callable[..., float] = module.steady_drive_wh
    for p, mass, speed, distance, ambient in _sample():
        want = _truth(p, mass, speed, distance, ambient)
        got = fn(dataclasses.replace(p), mass, speed, distance, ambient)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return [f"steady_drive_wh should return a number of Wh, got {got!r}"]
        if math.isfinite(got) and math.isclose(got, want, rel_tol=REL_TOL):
            continue
        case = (
            f"{mass:.0f} kg at {speed * 3.6:.0f} km/h for {distance / 1000:.1f} km at "
            f"{ambient:+.0f} °C: voltvan says {want:.1f} Wh, you said {got:.1f} Wh"
        )
        for kind, words in SLIPS.items():
            if math.isclose(got, _slip(p, mass, speed, distance, ambient, kind), rel_tol=REL_TOL):
                return [f"{case}. It looks like you left out {words}."]
        return [f"{case} (more than {REL_TOL:.1%} apart)."]
    return []
