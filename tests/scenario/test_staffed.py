"""The depot's optional staffed hours in fleet.toml: read, written back, refused when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltvan.domain import TimeWindow
from voltvan.errors import InvalidInput
from voltvan.scenario import read_scenario, write_scenario

H = 3600.0


def _with_staffed(folder: Path, value: str) -> Path:
    fleet = folder / "fleet.toml"
    text = fleet.read_text().replace(
        "site_power_limit_kw = 44\n", f"site_power_limit_kw = 44\nstaffed = {value}\n"
    )
    fleet.write_text(text)
    return fleet


def test_staffed_hours_read_and_round_trip(small_dir: Path, tmp_path: Path) -> None:
    """A span that ends before it starts runs past midnight; the writer keeps it."""
    _with_staffed(small_dir, '["22:00-02:00", "05:00 - 07:30"]')
    sc = read_scenario(small_dir)
    assert sc.fleet.depots[0].staffed == (TimeWindow(22 * H, 26 * H), TimeWindow(5 * H, 7.5 * H))
    again = read_scenario(write_scenario(sc, tmp_path / "copy"))
    assert again.fleet.depots[0].staffed == sc.fleet.depots[0].staffed


def test_whole_day_staffed(small_dir: Path) -> None:
    _with_staffed(small_dir, '["00:00-24:00"]')
    assert read_scenario(small_dir).fleet.depots[0].staffed == (TimeWindow(0.0, 24 * H),)


def test_staffed_default_is_empty(small_dir: Path) -> None:
    assert read_scenario(small_dir).fleet.depots[0].staffed == ()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('["22:00"]', "is not a span of hours like"),
        ('"22:00-02:00"', "is not a list of hours like"),
        ('["22:00-2am"]', "'2am' is not a time of day"),
        ('["25:00-26:00"]', "must start before 24:00"),
    ],
)
def test_bad_staffed_hours_name_file_line_and_field(
    small_dir: Path, value: str, words: str
) -> None:
    fleet = _with_staffed(small_dir, value)
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    where = info.value.where
    assert where.file == str(fleet)
    assert where.line == 28
    assert where.field == "staffed"
    assert words in info.value.message
