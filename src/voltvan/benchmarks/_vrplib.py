"""Reader for VRPLIB VRPTW files (Solomon / Gehring-Homberger style, as in PyVRP's instances).

Only the fields VRPTW needs are read: DIMENSION, VEHICLES, CAPACITY, SERVICE_TIME (a scalar) or
SERVICE_TIME_SECTION, EDGE_WEIGHT_TYPE EUC_2D, and the NODE_COORD, DEMAND, TIME_WINDOW and DEPOT
sections. Distances and durations follow the DIMACS convention of the best-known solutions:
Euclidean, truncated to one decimal. The objective is distance only, as in those solutions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voltvan.errors import InvalidInput
from voltvan.planning.ev import EvInstance, EvVehicleType

_SECTIONS = {
    "NODE_COORD_SECTION": 2,
    "DEMAND_SECTION": 1,
    "TIME_WINDOW_SECTION": 2,
    "SERVICE_TIME_SECTION": 1,
}


@dataclass(frozen=True)
class VrplibInstance:
    name: str
    ids: tuple[str, ...]  # node ids as written in the file, depot first
    xy: np.ndarray
    demand: np.ndarray
    tw: np.ndarray
    service: np.ndarray
    capacity: float
    num_vehicles: int


def looks_like_vrplib(text: str) -> bool:
    head = text[:4000].upper()
    return "NODE_COORD_SECTION" in head or ("DIMENSION" in head and ":" in head)


def read_vrplib(path: str | Path) -> VrplibInstance:
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the instance: {exc}", file=path) from exc
    return parse_vrplib(text, file=path)


def _number(value: str, file: str | Path, line: int, field: str) -> float:
    try:
        out = float(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a number", file=file, line=line, field=field
        ) from None
    if not math.isfinite(out):
        raise InvalidInput(f"{value!r} is not finite", file=file, line=line, field=field)
    return out


def parse_vrplib(text: str, *, file: str | Path = "<text>") -> VrplibInstance:
    """Parse the text; a malformed line raises InvalidInput naming file, line and field."""
    specs: dict[str, str] = {}
    rows: dict[str, dict[str, tuple[int, list[float]]]] = {k: {} for k in _SECTIONS}
    depots: list[str] = []
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        upper = line.upper()
        if upper == "EOF":
            break
        if upper.endswith("_SECTION"):
            section = upper
            continue
        if section is None or ":" in line:
            if ":" not in line:
                raise InvalidInput(
                    f"expected 'KEY : value' before the first section, found {line[:40]!r}",
                    file=file,
                    line=number,
                )
            key, value = line.split(":", 1)
            specs[key.strip().upper()] = value.strip()
            section = None
            continue
        parts = line.split()
        if section == "DEPOT_SECTION":
            if parts[0] != "-1":
                depots.append(parts[0])
            continue
        if section not in _SECTIONS:
            continue  # a section VRPTW does not use
        width = _SECTIONS[section]
        if len(parts) != width + 1:
            raise InvalidInput(
                f"expected a node id and {width} value(s), found {len(parts)} fields",
                file=file,
                line=number,
                field=section,
            )
        values = [_number(v, file, number, section) for v in parts[1:]]
        rows[section][parts[0]] = (number, values)
    for key in ("DIMENSION", "CAPACITY"):
        if key not in specs:
            raise InvalidInput(f"missing {key}", file=file, field=key)
    if specs.get("EDGE_WEIGHT_TYPE", "EUC_2D").upper() != "EUC_2D":
        raise InvalidInput(
            "only EDGE_WEIGHT_TYPE EUC_2D is supported", file=file, field="EDGE_WEIGHT_TYPE"
        )
    for section in ("NODE_COORD_SECTION", "DEMAND_SECTION", "TIME_WINDOW_SECTION"):
        if not rows[section]:
            raise InvalidInput(f"missing {section}", file=file, field=section)
    try:
        dimension = int(specs["DIMENSION"])
    except ValueError:
        raise InvalidInput("DIMENSION is not an integer", file=file, field="DIMENSION") from None
    ids = list(rows["NODE_COORD_SECTION"])
    if len(ids) != dimension:
        raise InvalidInput(
            f"DIMENSION is {dimension} but {len(ids)} coordinates are given",
            file=file,
            field="NODE_COORD_SECTION",
        )
    depot = depots[0] if depots else ids[0]
    if depot not in rows["NODE_COORD_SECTION"]:
        raise InvalidInput(f"depot {depot} has no coordinates", file=file, field="DEPOT_SECTION")
    ids.remove(depot)
    ids.insert(0, depot)
    for section in ("DEMAND_SECTION", "TIME_WINDOW_SECTION"):
        lacking = [i for i in ids if i not in rows[section]]
        if lacking:
            raise InvalidInput(f"node {lacking[0]} is missing", file=file, field=section)
    for i in ids:
        line_no, (early, late) = rows["TIME_WINDOW_SECTION"][i]
        if late < early:
            raise InvalidInput(
                f"time window of node {i} ends before it starts ({late} < {early})",
                file=file,
                line=line_no,
                field="TIME_WINDOW_SECTION",
            )
    service_scalar = _number(specs.get("SERVICE_TIME", "0"), file, 0, "SERVICE_TIME")
    service = np.array(
        [
            rows["SERVICE_TIME_SECTION"][i][1][0]
            if i in rows["SERVICE_TIME_SECTION"]
            else (0.0 if i == depot else service_scalar)
            for i in ids
        ]
    )
    return VrplibInstance(
        name=specs.get("NAME", Path(str(file)).stem),
        ids=tuple(ids),
        xy=np.array([rows["NODE_COORD_SECTION"][i][1] for i in ids], dtype=float),
        demand=np.array([rows["DEMAND_SECTION"][i][1][0] for i in ids], dtype=float),
        tw=np.array([rows["TIME_WINDOW_SECTION"][i][1] for i in ids], dtype=float),
        service=service,
        capacity=_number(specs["CAPACITY"], file, 0, "CAPACITY"),
        num_vehicles=int(specs.get("VEHICLES", str(dimension))),
    )


def dimacs_distance(xy: np.ndarray) -> np.ndarray:
    """Euclidean distance truncated to one decimal (DIMACS 2021 VRPTW convention)."""
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    out: np.ndarray = np.floor(d * 10.0 + 1e-9) / 10.0
    return out


def vrplib_to_ev(inst: VrplibInstance) -> EvInstance:
    """VRPTW as an EV instance without stations and with an unlimited battery."""
    n = len(inst.ids)
    dist = dimacs_distance(inst.xy)
    demand = inst.demand.copy()
    demand[0] = 0.0
    vehicle = EvVehicleType(
        num_available=inst.num_vehicles,
        capacity=(inst.capacity,),
        battery_wh=math.inf,
        start_energy_wh=math.inf,
        reserve_wh=0.0,
        depot=0,
        shift_start_s=float(inst.tw[0, 0]),
        shift_end_s=float(inst.tw[0, 1]),
        name="vehicle",
    )
    return EvInstance(
        names=inst.ids,
        num_depots=1,
        num_clients=n - 1,
        num_stations=0,
        distance=dist,
        duration_s=dist.copy(),
        energy_wh=np.zeros((1, n, n)),
        tw_early_s=inst.tw[:, 0].copy(),
        tw_late_s=inst.tw[:, 1].copy(),
        service_s=inst.service.astype(float),
        demand=demand[:, None],
        station_power_w=np.zeros(0),
        vehicle_types=(vehicle,),
    )
