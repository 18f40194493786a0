"""Reader for the EVRPTW text format of Schneider, Stenger & Goeke (2014).

A node table (``StringID Type x y demand ReadyTime DueDate ServiceTime``; type ``d`` depot, ``f``
station, ``c`` customer) followed by parameter lines such as ``Q Vehicle fuel tank capacity
/79.69/``. Semantics are those of the best-known solutions: Euclidean distances unrounded, travel
time = distance / v, energy = r * distance, charging time = g * energy (partial charging), vehicles
leave the depot full, fewest vehicles first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voltvan.errors import InvalidInput
from voltvan.planning.ev import EvInstance, EvVehicleType

_PARAM = re.compile(r"^(\w)\s.*/(.*)/\s*$")
_REQUIRED = ("Q", "C", "r", "g", "v")
_HEADER = ("StringID", "Type", "x", "y", "demand", "ReadyTime", "DueDate", "ServiceTime")


@dataclass(frozen=True)
class SchneiderNode:
    id: str
    type: str
    x: float
    y: float
    demand: float
    ready: float
    due: float
    service: float


@dataclass(frozen=True)
class SchneiderInstance:
    name: str
    nodes: tuple[SchneiderNode, ...]
    battery: float  # Q
    capacity: float  # C
    consumption: float  # r, energy per distance unit
    recharge_time: float  # g, time per unit of energy
    speed: float  # v


def looks_like_schneider(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0].split()
    return first[:2] == ["StringID", "Type"]


def read_schneider(path: str | Path) -> SchneiderInstance:
    """Parse the file; any malformed line raises InvalidInput naming file, line and field."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the instance: {exc}", file=path) from exc
    return parse_schneider(text, file=path)


def parse_schneider(text: str, *, file: str | Path = "<text>") -> SchneiderInstance:
    lines = text.splitlines()
    if not lines or not looks_like_schneider(text):
        raise InvalidInput(
            "not a Schneider EVRPTW file: the first line must be the header " + " ".join(_HEADER),
            file=file,
            line=1,
        )
    nodes: list[SchneiderNode] = []
    params: dict[str, float] = {}
    seen: set[str] = set()
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        m = _PARAM.match(line)
        if m:
            try:
                params[m.group(1)] = float(m.group(2))
            except ValueError:
                raise InvalidInput(
                    f"parameter {m.group(1)} is not a number: {m.group(2)!r}",
                    file=file,
                    line=number,
                    field=m.group(1),
                ) from None
            continue
        parts = line.split()
        if len(parts) != len(_HEADER):
            raise InvalidInput(
                f"expected {len(_HEADER)} columns ({' '.join(_HEADER)}), found {len(parts)}",
                file=file,
                line=number,
            )
        if parts[1] not in ("d", "f", "c"):
            raise InvalidInput(
                f"node type must be d, f or c, not {parts[1]!r}",
                file=file,
                line=number,
                field="Type",
            )
        values: list[float] = []
        for col, value in zip(_HEADER[2:], parts[2:], strict=True):
            try:
                number_value = float(value)
            except ValueError:
                raise InvalidInput(
                    f"{value!r} is not a number", file=file, line=number, field=col
                ) from None
            if not math.isfinite(number_value):
                raise InvalidInput(f"{value!r} is not finite", file=file, line=number, field=col)
            values.append(number_value)
        if parts[0] in seen:
            raise InvalidInput(
                f"node {parts[0]!r} appears twice", file=file, line=number, field="StringID"
            )
        seen.add(parts[0])
        node = SchneiderNode(parts[0], parts[1], *values)
        if node.due < node.ready:
            raise InvalidInput(
                f"time window of {node.id} ends before it starts ({node.due} < {node.ready})",
                file=file,
                line=number,
                field="DueDate",
            )
        nodes.append(node)
    missing = [p for p in _REQUIRED if p not in params]
    if missing:
        raise InvalidInput(
            f"missing parameter line(s) {', '.join(missing)}", file=file, line=len(lines)
        )
    if sum(1 for n in nodes if n.type == "d") != 1:
        raise InvalidInput("exactly one depot (type d) is required", file=file, field="Type")
    for key in ("Q", "C", "v"):
        if params[key] <= 0:
            raise InvalidInput(f"parameter {key} must be positive", file=file, field=key)
    return SchneiderInstance(
        name=Path(str(file)).stem,
        nodes=tuple(nodes),
        battery=params["Q"],
        capacity=params["C"],
        consumption=params["r"],
        recharge_time=params["g"],
        speed=params["v"],
    )


def schneider_to_ev(inst: SchneiderInstance) -> EvInstance:
    """The benchmark semantics on the engine contract (reserve 0, station power 3600 / g)."""
    depots = [n for n in inst.nodes if n.type == "d"]
    clients = [n for n in inst.nodes if n.type == "c"]
    stations = [n for n in inst.nodes if n.type == "f"]
    nodes = depots + clients + stations
    xy = np.array([[n.x, n.y] for n in nodes], dtype=float)
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    g = inst.recharge_time
    power = 3600.0 / g if g > 0 else math.inf
    vehicle = EvVehicleType(
        num_available=max(len(clients), 1),
        capacity=(inst.capacity,),
        battery_wh=inst.battery,
        start_energy_wh=inst.battery,
        reserve_wh=0.0,
        depot=0,
        shift_start_s=depots[0].ready,
        shift_end_s=depots[0].due,
        name="ev",
    )
    return EvInstance(
        names=tuple(n.id for n in nodes),
        num_depots=1,
        num_clients=len(clients),
        num_stations=len(stations),
        distance=dist,
        duration_s=dist / inst.speed,
        energy_wh=(inst.consumption * dist)[None, :, :],
        tw_early_s=np.array([n.ready for n in nodes], dtype=float),
        tw_late_s=np.array([n.due for n in nodes], dtype=float),
        service_s=np.array([n.service for n in nodes], dtype=float),
        demand=np.array([[n.demand if n.type == "c" else 0.0] for n in nodes], dtype=float),
        station_power_w=np.full(len(stations), power, dtype=float),
        vehicle_types=(vehicle,),
        fleet_minimisation=True,
    )
