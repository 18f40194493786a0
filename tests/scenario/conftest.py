"""Fixtures for the scenario tests: a copy of the tiny hand-written scenario to break at will."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/scenario_small (5 stops, 3 vans, 2 chargers)."""
    dest = tmp_path / "small"
    shutil.copytree(DATA / "scenario_small", dest)
    return dest


def with_quirk(folder: Path, quirk: str) -> Path:
    """Replace the scenario file that ``quirk`` (a tests/data file) stands in for."""
    target = "fleet.toml" if quirk.startswith("fleet_") else quirk.split("_")[0] + ".csv"
    shutil.copy(DATA / quirk, folder / target)
    if target == "matrix.csv":
        fleet = folder / "fleet.toml"
        fleet.write_text(
            fleet.read_text().replace(
                'name = "small"', 'name = "small"\nmatrix_file = "matrix.csv"'
            )
        )
    return folder / target
