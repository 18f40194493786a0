"""Reading the Schneider EVRPTW text format, and its bad-file errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import data_path
from voltvan.benchmarks import parse_schneider, read_schneider, schneider_to_ev
from voltvan.errors import InvalidInput

HEADER = (
    "StringID   Type       x          y          demand     ReadyTime  DueDate    ServiceTime\n"
)
PARAMS = (
    "\nQ Vehicle fuel tank capacity /79.69/\nC Vehicle load capacity /200.0/\n"
    "r fuel consumption rate /1.0/\ng inverse refueling rate /3.39/\nv average Velocity /1.0/\n"
)
NODES = "D0 d 40.0 50.0 0.0 0.0 1236.0 0.0\nS0 f 40.0 50.0 0.0 0.0 1236.0 0.0\n"
NODES += "C1 c 45.0 68.0 10.0 78.0 140.0 90.0\n"


def test_reads_a_published_instance() -> None:
    """c101_21 has one depot, 100 customers, 21 stations and its parameter lines."""
    inst = read_schneider(data_path("bench", "evrptw", "100", "c101_21.txt"))
    kinds = [n.type for n in inst.nodes]
    assert kinds.count("d") == 1 and kinds.count("c") == 100 and kinds.count("f") == 21
    assert inst.battery == pytest.approx(79.69)
    assert inst.recharge_time == pytest.approx(3.39)


def test_conversion_applies_the_benchmark_semantics() -> None:
    """Depot first, then clients, then stations; energy = r * distance; power = 3600 / g."""
    ev = schneider_to_ev(parse_schneider(HEADER + NODES + PARAMS))
    assert ev.names == ("D0", "C1", "S0")
    d = np.hypot(5.0, 18.0)
    assert ev.distance[0, 1] == pytest.approx(d)
    assert ev.energy_wh[0, 0, 1] == pytest.approx(d)
    assert ev.station_power_w[0] == pytest.approx(3600 / 3.39)
    vt = ev.vehicle_types[0]
    assert vt.start_energy_wh == vt.battery_wh == pytest.approx(79.69)
    assert vt.reserve_wh == 0.0 and ev.fleet_minimisation


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (HEADER + NODES.replace("45.0 68.0", "45.0 abc") + PARAMS, 4, "y"),
        (HEADER + NODES.replace("C1 c", "C1 x") + PARAMS, 4, "Type"),
        (HEADER + NODES.replace("78.0 140.0", "140.0 78.0") + PARAMS, 4, "DueDate"),
        (HEADER + NODES + "C2 c 1 2 3\n" + PARAMS, 5, None),
        (HEADER + NODES + PARAMS.replace("/200.0/", "/lots/"), 7, "C"),
        (HEADER + NODES + "C1 c 1 1 1 0 10 0\n" + PARAMS, 5, "StringID"),
    ],
    ids=["non-number", "bad-type", "window-reversed", "short-line", "bad-param", "duplicate-id"],
)
def test_bad_lines_name_file_line_and_field(text: str, line: int, field: str | None) -> None:
    """Each malformed line raises InvalidInput pointing at its line (and field)."""
    with pytest.raises(InvalidInput) as info:
        parse_schneider(text, file="bad.txt")
    assert info.value.where.file == "bad.txt"
    assert info.value.where.line == line
    assert info.value.where.field == field


def test_missing_parameters_are_named() -> None:
    """A file without the g and v lines says which parameters are missing."""
    text = HEADER + NODES + PARAMS.split("g inverse")[0]
    with pytest.raises(InvalidInput, match="g, v"):
        parse_schneider(text, file="bad.txt")


def test_not_this_format(tmp_path: Path) -> None:
    """A file without the header is rejected at line 1."""
    path = tmp_path / "x.txt"
    path.write_text("hello\n")
    with pytest.raises(InvalidInput) as info:
        read_schneider(path)
    assert info.value.where.line == 1
