"""Reading VRPLIB VRPTW files with the DIMACS distance convention, and bad-file errors."""

from __future__ import annotations

import pytest

from tests.conftest import data_path
from voltvan.benchmarks import parse_vrplib, read_vrplib, vrplib_to_ev
from voltvan.errors import InvalidInput

TINY = """NAME : tiny
TYPE : VRPTW
DIMENSION : 3
VEHICLES : 2
CAPACITY : 10
SERVICE_TIME : 5
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 3 4
3 1 1
DEMAND_SECTION
1 0
2 4
3 5
TIME_WINDOW_SECTION
1 0 100
2 0 50
3 10 60
DEPOT_SECTION
1
-1
EOF
"""


def test_reads_a_gehring_homberger_instance() -> None:
    """C1_10_1 has 1001 nodes, capacity 200 and 90 s service at the clients."""
    inst = read_vrplib(data_path("bench", "vrptw-gh1000", "C1_10_1.vrp"))
    assert len(inst.ids) == 1001 and inst.ids[0] == "1"
    assert inst.capacity == 200
    assert inst.service[0] == 0 and inst.service[1] == 90


def test_distances_are_truncated_to_one_decimal() -> None:
    """sqrt(2) = 1.414... becomes 1.4; 5.0 stays 5.0; service and windows carry over."""
    ev = vrplib_to_ev(parse_vrplib(TINY))
    assert ev.distance[0, 2] == pytest.approx(1.4)
    assert ev.distance[0, 1] == pytest.approx(5.0)
    assert ev.num_clients == 2 and ev.num_stations == 0
    assert list(ev.service_s) == [0, 5, 5]
    assert ev.tw_early_s[2] == 10 and ev.tw_late_s[1] == 50
    assert ev.vehicle_types[0].num_available == 2


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (TINY.replace("2 3 4", "2 3 x"), 10, "NODE_COORD_SECTION"),
        (TINY.replace("3 10 60", "3 60 10"), 19, "TIME_WINDOW_SECTION"),
        (TINY.replace("2 4\n", "2 4 4\n"), 14, "DEMAND_SECTION"),
        (TINY.replace("CAPACITY : 10\n", ""), None, "CAPACITY"),
    ],
    ids=["non-number", "window-reversed", "extra-column", "no-capacity"],
)
def test_bad_files_name_line_and_field(text: str, line: int | None, field: str) -> None:
    """Malformed VRPLIB input raises InvalidInput at the right place."""
    with pytest.raises(InvalidInput) as info:
        parse_vrplib(text, file="bad.vrp")
    assert info.value.where.line == line
    assert info.value.where.field == field
