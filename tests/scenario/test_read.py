"""Reading scenario folders: the valid case, and one clear error per kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenario.conftest import DATA, with_quirk
from voltvan.errors import InvalidInput
from voltvan.scenario import read_scenario

# quirk file, expected line (None: no line applies), expected field, words the message must hold
BAD_INPUTS: list[tuple[str, int | None, str | None, str]] = [
    ("stops_missing_column.csv", 1, "lat", "missing column lat"),
    ("stops_non_number.csv", 3, "weight_kg", "'heavy' is not a number"),
    ("stops_tw_reversed.csv", 4, "tw_end", "ends before it starts (12:00 > 10:00)"),
    ("stops_bad_time.csv", 2, "tw_start", "'9h30' is not a time of day"),
    ("stops_too_heavy.csv", 3, "weight_kg", "more than the payload of every vehicle type"),
    ("stops_too_bulky.csv", 2, "volume_m3", "more than the cargo volume of every vehicle type"),
    ("stops_duplicate_id.csv", 4, "id", "duplicate stop id 'S01' (first on line 2)"),
    ("stops_ragged_row.csv", 3, None, "has 6 fields but the header has 8"),
    ("stops_lat_out_of_range.csv", 2, "lat", "outside [-90, 90]"),
    ("stops_is_toml.csv", 1, "id", "missing column id"),
    ("stops_semicolon_decimal_comma.csv", 2, "lat", "'52,5010' is not a number"),
    ("fleet_unknown_type.toml", 58, "type", "unknown vehicle type 'xl' (known: large, small)"),
    ("fleet_not_toml.toml", 1, None, "not valid TOML"),
    ("fleet_missing_version.toml", None, "format_version", "format_version is missing"),
    ("fleet_non_number.toml", 44, "battery_kwh", "'lots' is not a number"),
    ("fleet_unknown_key.toml", 44, "batery_kwh", "unknown key 'batery_kwh'"),
    ("fleet_duplicate_van.toml", 57, "id", "duplicate van id 'L01'"),
    ("fleet_stops_xlsx.toml", 4, "stops_file", "'stops.xlsx' is not a .csv file"),
    (
        "fleet_negative_payload.toml",
        33,
        "payload_kg",
        "payload_kg -5 kg is not a van's payload: expected 10–30,000 kg",
    ),
    ("stops_null_island.csv", 4, "lat/lon", 'stop S03 is at (0, 0), "null island"'),
    (
        "stops_lat_lon_swapped.csv",
        3,
        "lat/lon",
        "stop S02 at (13.415, 52.503) is 5,552 km from depot D1; latitude and longitude look "
        "swapped (52.503, 13.415 is 0.5 km from depot D1)",
    ),
    (
        "stops_far_from_depot.csv",
        5,
        "lat/lon",
        "stop S04 at (48.1374, 11.5755) is 502 km from depot D1, the nearest depot, farther than "
        "the 200 km urban and regional delivery goes",
    ),
    (
        "stops_all_lon_first.csv",
        2,
        "lat/lon",
        "stop S01 at (13.42, 52.501) is 5,552 km from depot D1; latitude and longitude look "
        "swapped (52.501, 13.42 is 0.3 km from depot D1); the same holds for all 5 stops",
    ),
    ("fleet_depot_null_island.toml", 23, "lat/lon", 'depot D1 is at (0, 0), "null island"'),
    (
        "fleet_depot_lat_lon_swapped.toml",
        23,
        "lat/lon",
        "depot D1 at (13.418, 52.499) is 5,551 km from stop S03; latitude and longitude look "
        "swapped (52.499, 13.418 is 0.3 km from stop S01)",
    ),
    (
        "fleet_depot_far_from_stops.toml",
        23,
        "lat/lon",
        "depot D1 at (53.5511, 9.9937) is 256 km from stop S04, the nearest stop, farther than "
        "the 200 km a depot delivers: the depot or the stops are in the wrong place",
    ),
    ("fleet_charger_null_island.toml", 71, "lat/lon", 'charger PUB1 is at (0, 0), "null island"'),
    (
        "fleet_charger_lat_lon_swapped.toml",
        71,
        "lat/lon",
        "charger PUB1 at (13.43, 52.51) is 5,551 km from stop S03; latitude and longitude look "
        "swapped (52.51, 13.43 is 1.2 km from stop S01)",
    ),
    (
        "fleet_charger_far.toml",
        71,
        "lat/lon",
        "charger PUB1 at (48.1374, 11.5755) is 502 km from stop S05, the nearest depot or stop, "
        "farther than the 200 km",
    ),
    ("matrix_missing_pair.csv", None, "to", "no entry from S02 to S01"),
    ("matrix_lacks_stops.csv", None, "ids", "matrix lacks locations: S02, S03"),
]


def test_small_scenario_reads_in_si_units(small_dir: Path) -> None:
    """The hand-written scenario becomes SI domain objects with defaults filled in."""
    sc = read_scenario(small_dir)
    fleet = sc.fleet
    assert sc.name == "small" and fleet.date == "2026-04-15" and fleet.ambient_c == 12.5
    large = fleet.vehicle_type("large")
    assert large.battery_wh == 64_000 and large.max_dc_power_w == 115_000
    assert large.consumption.drag_coefficient == 0.37
    assert large.consumption.rolling_resistance == 0.009  # default kept
    assert [v.id for v in fleet.vans] == ["L01", "L02", "S1"]
    assert fleet.van("L01").shift.start_s == 7 * 3600
    assert fleet.van("S1").start_soc == 0.9
    depot_charger = fleet.chargers[0]
    assert (depot_charger.lat, depot_charger.lon) == (52.499, 13.418)
    assert depot_charger.current == "AC" and depot_charger.power_w == 22_000
    assert fleet.depots[0].site_power_limit_w == 44_000
    assert fleet.depots[0].opening.end_s == 22 * 3600
    assert fleet.tariff.price_at(3 * 3600) == 0.19
    s4 = sc.stop("S04")
    assert [(w.start_s, w.end_s) for w in s4.time_windows] == [
        (9 * 3600, 12 * 3600),
        (14 * 3600, 17 * 3600),
    ]
    assert sc.stop("S03").time_windows[0].duration_s == 86_400
    assert sc.matrix is None


def test_fleet_toml_path_is_accepted(small_dir: Path) -> None:
    """Pointing at fleet.toml instead of its folder reads the same scenario."""
    assert read_scenario(small_dir / "fleet.toml") == read_scenario(small_dir)


def test_service_minutes_and_own_columns(small_dir: Path) -> None:
    """service_min converts to seconds; x_ columns are allowed and ignored."""
    with_quirk(small_dir, "stops_service_min.csv")
    assert read_scenario(small_dir).stops[0].service_s == 150


@pytest.mark.parametrize(("quirk", "line", "field", "words"), BAD_INPUTS)
def test_bad_input_names_file_line_and_field(
    small_dir: Path, quirk: str, line: int | None, field: str | None, words: str
) -> None:
    """Each kind of bad input is one InvalidInput naming the file, the line and the field."""
    target = with_quirk(small_dir, quirk)
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    where = info.value.where
    assert where.file == str(target)
    assert where.line == line
    assert where.field == field
    assert words in info.value.message


def test_semicolon_separated_stops(small_dir: Path) -> None:
    """Spreadsheets that write semicolons instead of commas are read as well."""
    with_quirk(small_dir, "stops_semicolon.csv")
    assert read_scenario(small_dir).stops[0].weight_kg == 12.5


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=300)
    | st.text(alphabet=',;:.\n"0123456789-abcdeilnorstw_ ').map(str.encode)
)
def test_garbage_stops_never_crash(small_dir: Path, data: bytes) -> None:
    """Whatever bytes stops.csv holds, reading ends in a Scenario or one InvalidInput."""
    (small_dir / "stops.csv").write_bytes(b"id,lat,lon,tw_start,tw_end\n" + data)
    try:
        read_scenario(small_dir)
    except InvalidInput as exc:
        assert exc.where.file == str(small_dir / "stops.csv")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=2000), junk=st.text(max_size=20))
def test_mangled_fleet_never_crashes(small_dir: Path, cut: int, junk: str) -> None:
    """A fleet.toml cut short or with junk inserted is a Scenario or one InvalidInput."""
    text = (DATA / "scenario_small" / "fleet.toml").read_text()
    (small_dir / "fleet.toml").write_text(text[:cut] + junk + text[cut:], encoding="utf-8")
    try:
        read_scenario(small_dir)
    except InvalidInput as exc:
        assert exc.where.file is not None


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("ambient_c = 12.5", "ambient_c = true", "ambient_c"),
        ('open = "05:00"', "open = 5", "open"),
        ("connectors = 3", "connectors = 2.5", "connectors"),
        ("count = 2", "count = 1e30", "count"),
        ('name = "Kreuzberg hub"', "name = [1, 2]", "name"),
        ("lat = 52.4990", 'lat = "north"', "lat"),
        ('kind = "depot"', 'kind = "home"', "kind"),
    ],
)
def test_wrong_value_types_name_key_and_line(
    small_dir: Path, old: str, new: str, field: str
) -> None:
    """A value of the wrong type or range is refused at the line of its key."""
    fleet = small_dir / "fleet.toml"
    text = fleet.read_text()
    assert old in text
    fleet.write_text(text.replace(old, new, 1))
    line = text.splitlines().index(old) + 1
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert (info.value.where.line, info.value.where.field) == (line, field)


def test_missing_stops_file(small_dir: Path) -> None:
    """A missing stops.csv is named as not found."""
    (small_dir / "stops.csv").unlink()
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert info.value.where.file == str(small_dir / "stops.csv")
    assert "file not found" in str(info.value)


def test_missing_folder() -> None:
    """A folder that does not exist is bad input, not a FileNotFoundError."""
    with pytest.raises(InvalidInput, match="scenario folder not found"):
        read_scenario(DATA / "no_such_scenario")


def test_binary_stops_file(small_dir: Path) -> None:
    """A binary file posing as stops.csv is refused as not text."""
    (small_dir / "stops.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    with pytest.raises(InvalidInput, match="not a text file") as info:
        read_scenario(small_dir)
    assert info.value.where.file == str(small_dir / "stops.csv")


def test_latin1_fleet_file_names_line(small_dir: Path) -> None:
    """A file in a legacy encoding is refused naming the line of the first bad byte."""
    text = (small_dir / "fleet.toml").read_text().replace("Kreuzberg hub", "Köpenick hub")
    (small_dir / "fleet.toml").write_bytes(text.encode("latin-1"))
    with pytest.raises(InvalidInput, match="not a UTF-8 text file") as info:
        read_scenario(small_dir)
    assert info.value.where.line == 22


def test_a_file_instead_of_a_folder(small_dir: Path) -> None:
    """Passing a single file (wrong extension for a scenario) says what is expected."""
    with pytest.raises(InvalidInput, match=r"is a \.csv file, not a scenario folder"):
        read_scenario(small_dir / "stops.csv")


def test_stop_id_clashing_with_charger(small_dir: Path) -> None:
    """A stop may not reuse a depot or charger id: the stops line is named."""
    stops = small_dir / "stops.csv"
    stops.write_text(stops.read_text().replace("S03,", "PUB1,"))
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert (info.value.where.line, info.value.where.field) == (4, "id")


def test_matrix_file_is_read_when_named(small_dir: Path) -> None:
    """A complete matrix.csv named in fleet.toml ends up in the scenario."""
    ids = ["D1", "S01", "S02", "S03", "S04", "S05", "D1-AC", "PUB1"]
    rows = ["from,to,distance_m,duration_s"]
    rows += [
        f"{a},{b},{100 * i + j},{10 * i + j}" for i, a in enumerate(ids) for j, b in enumerate(ids)
    ]
    (small_dir / "matrix.csv").write_text("\n".join(rows) + "\n")
    fleet = small_dir / "fleet.toml"
    fleet.write_text(
        fleet.read_text().replace('name = "small"', 'name = "small"\nmatrix_file = "matrix.csv"')
    )
    sc = read_scenario(small_dir)
    assert sc.matrix is not None
    assert sc.matrix.ids == tuple(ids)
    assert sc.matrix.distance_m[1][2] == 102
