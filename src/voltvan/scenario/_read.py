"""Read a scenario folder (``fleet.toml`` + ``stops.csv`` [+ ``matrix.csv``]) into the domain.

Every problem surfaces as one :class:`~voltvan.errors.InvalidInput` naming the file, the line and
the field, because a dispatcher fixing a file at 22:00 needs to know where to look, not a trace.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from voltvan.domain import Fleet, Scenario, Stop
from voltvan.errors import InvalidInput
from voltvan.scenario._fleet import parse_fleet
from voltvan.scenario._matrix import read_matrix
from voltvan.scenario._outliers import outlier_warning, stop_outliers
from voltvan.scenario._places import check_fleet_places, check_places
from voltvan.scenario._stops import read_stops
from voltvan.scenario._toml import TomlSource

FLEET_FILE = "fleet.toml"


def read_scenario(path: str | Path) -> Scenario:
    """The scenario in folder ``path`` (a path to its ``fleet.toml`` is accepted too).

    Stops far outside the others are valid but odd: each one is an
    :class:`~voltvan.errors.InputWarning` (``warnings.warn``) naming the file, line and stop.
    """
    folder = _folder(Path(path))
    fleet_src = TomlSource(folder / FLEET_FILE, label=str(folder / FLEET_FILE))
    ff = parse_fleet(fleet_src)
    check_fleet_places(ff.fleet, fleet_src)
    stops_path = _companion(folder, ff.stops_file, fleet_src, "stops_file")
    stops, lines = read_stops(stops_path, label=str(stops_path))
    _check_stops_fit(ff.fleet, stops, lines, str(stops_path))
    _check_id_clash(ff.fleet, stops, lines, str(stops_path))
    check_places(ff.fleet, fleet_src, stops, lines, str(stops_path))
    for outlier in stop_outliers(stops, ff.fleet.depots):
        stop, line = stops[outlier.index], lines[outlier.index]
        warnings.warn(outlier_warning(stop, outlier, file=str(stops_path), line=line), stacklevel=2)
    matrix = None
    matrix_label = str(folder)
    if ff.matrix_file is not None:
        matrix_path = _companion(folder, ff.matrix_file, fleet_src, "matrix_file")
        matrix_label = str(matrix_path)
        matrix = read_matrix(matrix_path, label=matrix_label)
    name = ff.name if "name" in fleet_src.data else folder.resolve().name
    try:
        return Scenario(fleet=ff.fleet, stops=stops, matrix=matrix, name=name)
    except InvalidInput as exc:
        raise exc.at(file=matrix_label) from None


def read_fleet(path: str | Path) -> Fleet:
    """Only the fleet of a scenario (its ``fleet.toml``, or the folder holding it).

    Telemetry and analytics need the vans and their types but not the day's stops; reading the
    fleet through the same parser keeps van ids (``count`` expansion included) identical.
    """
    file = Path(path)
    if file.is_dir():
        file = file / FLEET_FILE
    if not file.exists():
        raise InvalidInput("file not found", file=str(file))
    src = TomlSource(file, label=str(file))
    fleet = parse_fleet(src).fleet
    check_fleet_places(fleet, src)
    return fleet


def _folder(path: Path) -> Path:
    if not path.exists():
        raise InvalidInput("scenario folder not found", file=str(path))
    if path.is_dir():
        return path
    if path.name == FLEET_FILE:
        return path.parent
    kind = f"a {path.suffix} file" if path.suffix else "a file"
    raise InvalidInput(
        f"is {kind}, not a scenario folder (expected a folder with {FLEET_FILE} and stops.csv)",
        file=str(path),
    )


def _companion(folder: Path, name: str, src: TomlSource, key: str) -> Path:
    """A file that fleet.toml names; refuse ones that are not CSV by their name."""
    if Path(name).suffix.lower() != ".csv":
        raise InvalidInput(
            f"{name!r} is not a .csv file",
            file=src.label,
            line=src.line(None, None, key),
            field=key,
        )
    return folder / name


def _check_stops_fit(fleet: Fleet, stops: tuple[Stop, ...], lines: list[int], label: str) -> None:
    """A stop heavier or bulkier than every van type can never be delivered: say so up front."""
    max_kg = max(t.payload_kg for t in fleet.vehicle_types)
    max_m3 = max(t.volume_m3 for t in fleet.vehicle_types)
    for stop, line in zip(stops, lines, strict=True):
        if stop.weight_kg > max_kg:
            raise InvalidInput(
                f"stop {stop.id} weighs {stop.weight_kg:g} kg, more than the payload of every "
                f"vehicle type (largest {max_kg:g} kg)",
                file=label, line=line, field="weight_kg",
            )  # fmt: skip
        if stop.volume_m3 > max_m3:
            raise InvalidInput(
                f"stop {stop.id} needs {stop.volume_m3:g} m3, more than the cargo volume of every "
                f"vehicle type (largest {max_m3:g} m3)",
                file=label, line=line, field="volume_m3",
            )  # fmt: skip


def _check_id_clash(fleet: Fleet, stops: tuple[Stop, ...], lines: list[int], label: str) -> None:
    taken = {d.id for d in fleet.depots} | {c.id for c in fleet.chargers}
    for stop, line in zip(stops, lines, strict=True):
        if stop.id in taken:
            raise InvalidInput(
                f"stop id {stop.id!r} is already used by a depot or charger",
                file=label, line=line, field="id",
            )  # fmt: skip
