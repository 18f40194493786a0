"""The benchmark solution JSON and format detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import data_path
from tests.planning.ev._builders import plane_instance
from voltvan.benchmarks import read_instance, solution_to_json, write_solution
from voltvan.errors import InvalidInput
from voltvan.planning.ev import EvRoute, EvSolution


def test_station_visits_carry_the_charge(tmp_path: Path) -> None:
    """Clients are plain ids, stations are objects with the energy charged; the file round-trips."""
    inst = plane_instance((0, 0), [(10, 0), (10, 10)], [(10, 5)], battery_wh=30)
    sol = EvSolution((EvRoute(0, (1, 3, 2), (0.0, 4.25, 0.0)),), (), 34.1, 34.1, True, {})
    out = tmp_path / "s.json"
    write_solution(out, inst, sol)
    data = json.loads(out.read_text())
    assert data["routes"] == [["C1", {"node": "S1", "charge": 4.25}, "C2"]]
    assert data == solution_to_json(inst, sol)


def test_formats_are_detected_by_content(tmp_path: Path) -> None:
    """A Schneider file and a VRPLIB file are told apart without looking at the name."""
    evrptw = tmp_path / "a.dat"
    evrptw.write_text(data_path("bench", "evrptw", "small", "c101C5.txt").read_text())
    vrptw = tmp_path / "b.dat"
    vrptw.write_text(data_path("bench", "vrptw-gh1000", "C1_10_1.vrp").read_text())
    assert read_instance(evrptw).format == "evrptw"
    assert read_instance(vrptw).format == "vrptw"


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    """Anything else is one InvalidInput naming the file."""
    junk = tmp_path / "junk.txt"
    junk.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(InvalidInput, match="neither"):
        read_instance(junk)
    with pytest.raises(InvalidInput, match="no such file"):
        read_instance(tmp_path / "absent.txt")
