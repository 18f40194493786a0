"""The stop columns for people (name, address, note, parcels): read, written back, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltvan.errors import InvalidInput
from voltvan.scenario import generate_scenario, read_scenario, write_scenario

HEADER = "id,lat,lon,tw_start,tw_end,service_s,weight_kg,volume_m3"


def _stops(folder: Path, header: str, *rows: str) -> Path:
    path = folder / "stops.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_name_address_note_and_parcels_reach_the_stop(small_dir: Path) -> None:
    """The optional columns are carried into the domain Stop; blank cells stay empty / None."""
    _stops(
        small_dir,
        HEADER + ",parcels,name,address,note",
        'S01,52.501,13.42,09:00,17:00,180,12.5,0.05,3,"Bäckerei Kunz, Inh. M. Kunz",'
        "Oranienstr. 12,ring twice",
        "S02,52.503,13.415,,,120,3.2,0.012,,,,",
    )
    first, second = read_scenario(small_dir).stops
    assert first.parcels == 3
    assert first.name == "Bäckerei Kunz, Inh. M. Kunz"
    assert first.address == "Oranienstr. 12"
    assert first.note == "ring twice"
    assert (second.parcels, second.name, second.address, second.note) == (None, "", "", "")


def test_the_details_survive_a_write_and_read(small_dir: Path, tmp_path: Path) -> None:
    """write_scenario writes the columns back, and only when some stop has a value in them."""
    _stops(
        small_dir,
        HEADER + ",parcels,name,note",
        'S01,52.501,13.42,09:00,17:00,180,12.5,0.05,2,"Kunz, ""the baker""",',
        "S02,52.503,13.415,,,120,3.2,0.012,,,back door",
    )
    scenario = read_scenario(small_dir)
    out = write_scenario(scenario, tmp_path / "out")
    header = (out / "stops.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",parcels,name,note")
    assert read_scenario(out) == scenario


def test_a_scenario_without_details_writes_no_extra_columns(
    small_dir: Path, tmp_path: Path
) -> None:
    """Files without the columns are written as before: no empty parcels/name columns."""
    out = write_scenario(read_scenario(small_dir), tmp_path / "out")
    header = (out / "stops.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,lat,lon,tw_start,tw_end,tw2_start,tw2_end,service_s,weight_kg,volume_m3"


@pytest.mark.parametrize(
    ("value", "words"),
    [("2.5", "'2.5' is not a whole number"), ("-1", "parcels must not be negative")],
)
def test_bad_parcels_name_line_and_field(small_dir: Path, value: str, words: str) -> None:
    """A fractional or negative parcel count is refused naming the file, line and column."""
    path = _stops(
        small_dir,
        HEADER + ",parcels",
        "S01,52.501,13.42,09:00,17:00,180,12.5,0.05,1",
        f"S02,52.503,13.415,,,120,3.2,0.012,{value}",
    )
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert info.value.where.file == str(path)
    assert info.value.where.line == 3
    assert info.value.where.field == "parcels"
    assert words in info.value.message


def test_generated_stops_have_parcels_and_a_marked_synthetic_address() -> None:
    """The generator fills what it knows (parcel counts) and marks its made-up places as such."""
    scenario = generate_scenario(num_stops=60, num_vans=2, seed=3)
    assert all(s.parcels is not None and s.parcels >= 1 for s in scenario.stops)
    assert all(s.address.endswith("(synthetic)") for s in scenario.stops)
    assert any("Mitte" in s.address for s in scenario.stops)
    assert all(s.name == "" for s in scenario.stops)
