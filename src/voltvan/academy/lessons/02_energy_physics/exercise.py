"""Lesson 2 exercise: the battery energy of a steady drive, from the power balance."""

from __future__ import annotations

from voltvan import ConsumptionParams


def steady_drive_wh(
    params: ConsumptionParams,
    mass_kg: float,
    speed_mps: float,
    distance_m: float,
    ambient_c: float,
) -> float:
    """Battery energy (Wh) to drive ``distance_m`` at constant ``speed_mps`` on a flat road.

    ``mass_kg`` is the whole van as it drives (empty van, driver, cargo). Count rolling
    resistance and air drag (through the drivetrain efficiency) and the auxiliary and HVAC
    power for the time the drive takes.
    """
    raise NotImplementedError("rolling + drag over the drivetrain efficiency, plus auxiliaries")
