"""Observed trips feed the energy model's fit: known parameters are recovered, real trips fit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import data_path
from tests.telemetry.analytics_data import T0, Row, rows_from_series, write_signals
from voltvan.domain import ConsumptionParams
from voltvan.energy import trace_energy_wh
from voltvan.telemetry import SOC, SPEED, import_rsk_twizy
from voltvan.telemetry.analytics._calibrate import calibrate
from voltvan.telemetry.analytics._derived import connect, derive

CAPACITY_WH = 60_000.0
MASS_KG = 2_800.0
TRUE = ConsumptionParams(drivetrain_efficiency=0.80, auxiliary_w=900.0)


def _day(day: int, cruise_mps: float, seed: int) -> list[Row]:
    """Parked 5 min, 40 min of stop-and-go around ``cruise_mps``, parked 5 min; SoC from TRUE."""
    rng = np.random.default_rng(seed)
    drive = np.where((np.arange(2400) % 180) < 150, cruise_mps, 0.0)
    drive = np.clip(drive + rng.normal(0, 0.5, drive.size) * (drive > 0), 0, None)
    v = np.concatenate([np.zeros(300), drive, np.zeros(300)])
    t = np.arange(v.size, dtype=float)
    used = trace_energy_wh(TRUE, mass_kg=MASS_KG, time_s=t, speed_mps=v, ambient_c=15.0)
    used = used - used[300]  # the parked spells are outside the trip
    used[:300] = 0.0
    used[2700:] = used[2699]
    soc = 90.0 - 100.0 * used / CAPACITY_WH
    start = T0 + timedelta(days=day)
    return rows_from_series("V1", SPEED, list(v * 3.6), start=start) + rows_from_series(
        "V1", SOC, list(soc), start=start
    )


def test_fit_recovers_known_parameters(tmp_path: Path) -> None:
    """Trips simulated with efficiency 0.80 and 900 W auxiliaries are fitted back within 5 %."""
    rows = _day(0, 8.0, 1) + _day(1, 14.0, 2) + _day(2, 20.0, 3)
    write_signals(tmp_path, rows)
    derive(tmp_path, battery_wh={"V1": CAPACITY_WH})
    base = ConsumptionParams(drivetrain_efficiency=0.92, auxiliary_w=300.0)
    result = calibrate(connect(tmp_path), base, mass_kg=MASS_KG)
    assert result.num_trips == 3
    assert result.params.drivetrain_efficiency == pytest.approx(0.80, rel=0.05)
    assert result.params.auxiliary_w == pytest.approx(900.0, rel=0.05)
    assert result.mean_abs_pct_error < 2.0


@pytest.mark.slow
def test_real_twizy_trips_calibrate(tmp_path: Path) -> None:
    """The 7 real Twizy trips fit the catalog Twizy model to within 10 % mean error."""
    from voltvan.catalog import twizy
    from voltvan.energy import vehicle_mass_kg

    van = twizy()
    import_rsk_twizy(data_path("real", "rsk-twizy-ev", "Analyzed"), tmp_path, vehicle_id="tw")
    derive(tmp_path, battery_wh={"tw": van.battery_wh})
    result = calibrate(connect(tmp_path), van.consumption, mass_kg=vehicle_mass_kg(van, 0.0))
    assert result.num_trips == 7
    assert result.mean_abs_pct_error < 10.0
