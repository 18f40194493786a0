"""The figures `voltvan scenario check` shows, computed from a scenario we know by heart."""

from __future__ import annotations

from pathlib import Path

import pytest

import voltvan.scenario
from voltvan.scenario import read_scenario, summarize, window_kind


def test_summary_of_small_scenario(small_dir: Path) -> None:
    """Five stops, three vans, demand against capacity, window mix and chargers add up."""
    s = summarize(read_scenario(small_dir))
    assert s.num_stops == 5
    assert s.vans_by_type == {"large": 2, "small": 1}
    assert s.total_weight_kg == pytest.approx(12.5 + 3.2 + 1.0 + 40 + 0.8)
    assert s.capacity_kg == 2 * 1000 + 650
    assert s.capacity_m3 == pytest.approx(2 * 12.0 + 3.9)
    assert s.weight_share == pytest.approx(57.5 / 2650)
    assert s.windows == {"any": 1, "slot": 2, "all-day": 1, "two windows": 1, "other": 0}
    assert s.total_service_s == 180 + 120 + 90 + 240 + 60
    assert (s.num_public_chargers, s.public_connectors, s.public_max_kw) == (1, 2, 150)
    assert (s.num_depot_chargers, s.depot_connectors, s.site_limit_kw) == (1, 3, 44)
    assert not s.has_matrix


def test_window_kind_of_each_stop(small_dir: Path) -> None:
    """Stops are classed by their windows: all-day, slot, any time, two windows."""
    sc = read_scenario(small_dir)
    kinds = [window_kind(s) for s in sc.stops]
    assert kinds == ["all-day", "slot", "any", "two windows", "slot"]


def test_public_names_are_exported() -> None:
    """Everything in voltvan.scenario.__all__ exists and nothing private leaks into it."""
    for name in voltvan.scenario.__all__:
        assert hasattr(voltvan.scenario, name)
        assert not name.startswith("_")
    assert {"read_scenario", "write_scenario", "generate_scenario"} <= set(voltvan.scenario.__all__)
