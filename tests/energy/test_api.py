"""The public surface other layers code against stays as agreed."""

from __future__ import annotations

import inspect

import voltvan.energy as energy


def test_contract_signatures_are_stable() -> None:
    """Planner, checker, twin and telemetry call these with exactly these keyword names."""
    expected = {
        "leg_energy_wh": [
            "params",
            "distance_m",
            "duration_s",
            "mass_kg",
            "ambient_c",
            "elevation_gain_m",
            "elevation_loss_m",
        ],
        "leg_energy_matrix_wh": ["params", "distance_m", "duration_s", "mass_kg", "ambient_c"],
        "dwell_energy_wh": ["params", "duration_s", "ambient_c"],
        "trace_energy_wh": ["params", "mass_kg", "time_s", "speed_mps", "ambient_c", "altitude_m"],
        "fit_consumption": ["trips", "base", "fit", "bounds"],
    }
    for name, params in expected.items():
        assert list(inspect.signature(getattr(energy, name)).parameters) == params, name


def test_every_public_name_has_a_docstring() -> None:
    """Each re-exported function and class explains itself (why, not what)."""
    public = [n for n in dir(energy) if not n.startswith("_")]
    callables = [getattr(energy, n) for n in public if callable(getattr(energy, n))]
    assert len(callables) >= 15
    for obj in callables:
        assert inspect.getdoc(obj), obj
