"""The urban drive-pattern tables against the WLTC traces they were read from."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import data_path
from voltvan.catalog import large_van, small_van
from voltvan.energy import accelerations_per_km, leg_energy_wh, trace_energy_wh
from voltvan.energy._drive import PHASE_CRUISE_RATIO, PHASE_PKE_MPS2, PHASE_SPEED_KMH

PHASES = ("WLTC_3b_low", "WLTC_3b_middle", "WLTC_3b_high", "WLTC_3b_extrahigh")


def _cycles() -> dict[str, np.ndarray]:
    path = data_path("real", "emobpy-cycles-evspecs", "driving_cycles.csv")
    table = np.genfromtxt(path, delimiter=",", names=True)
    out = {}
    for name in (*PHASES, "EPA_city"):
        speed = table[name] / 3.6
        out[name] = speed[~np.isnan(speed)]
    return out


def test_tables_match_the_wltc_phases() -> None:
    """Average speed, cruise ratio and PKE of each WLTC phase are those the model tabulates."""
    cycles = _cycles()
    for k, name in enumerate(PHASES):
        v = cycles[name]
        distance_m = float(v.sum())
        avg_kmh = distance_m / v.size * 3.6
        ratio = np.sqrt(np.sum(v**3) / np.sum(v)) / (distance_m / v.size)
        pke = np.sum(np.clip(np.diff(v**2), 0.0, None)) / distance_m
        assert avg_kmh == pytest.approx(PHASE_SPEED_KMH[k], abs=0.1)
        assert ratio == pytest.approx(PHASE_CRUISE_RATIO[k], abs=0.01)
        assert pke == pytest.approx(PHASE_PKE_MPS2[k], abs=0.002)


def test_stop_and_go_reads_as_a_few_accelerations_per_km() -> None:
    """At 25 km/h the model's traffic means about three accelerations per km, fewer when faster."""
    assert 2.0 < accelerations_per_km(25.0) < 4.0
    assert accelerations_per_km(60.0) < accelerations_per_km(25.0)


@pytest.mark.parametrize("make", [large_van, small_van])
def test_leg_model_agrees_with_trace_model_on_urban_cycles(make: object) -> None:
    """Knowing only distance and duration, a leg is within 4 % of the full 1 Hz trace energy."""
    van = make()  # type: ignore[operator]
    mass_kg = van.mass_kg + 75.0
    for name, v in _cycles().items():
        t = np.arange(v.size, dtype=float)
        distance_m = float(np.sum(0.5 * (v[1:] + v[:-1])))
        trace = trace_energy_wh(
            van.consumption, mass_kg=mass_kg, time_s=t, speed_mps=v, ambient_c=20.0
        )[-1]
        leg = leg_energy_wh(
            van.consumption,
            distance_m=distance_m,
            duration_s=float(t[-1]),
            mass_kg=mass_kg,
            ambient_c=20.0,
        )
        assert leg == pytest.approx(trace, rel=0.04), name
