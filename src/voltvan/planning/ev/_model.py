"""The data contract of the EV routing engine: instance in, solution out.

The engine works on plain matrices so that the city planner (physics energy model, road travel
times) and the benchmark readers (Schneider EVRPTW, VRPLIB) can both feed it without the engine
knowing either. Units are SI (m, s, Wh, W) for the city; benchmarks use their own units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class EvVehicleType:
    """A group of identical electric vans starting and ending at one depot."""

    num_available: int
    capacity: tuple[float, ...]
    battery_wh: float
    start_energy_wh: float
    reserve_wh: float
    depot: int
    shift_start_s: float = 0.0
    shift_end_s: float = math.inf
    max_charge_power_w: float = math.inf
    fixed_cost: float = 0.0
    unit_distance_cost: float = 1.0
    unit_duration_cost: float = 0.0
    name: str = ""


@dataclass(frozen=True)
class EvInstance:
    """Nodes are ordered depots, clients, stations; every matrix is indexed by node."""

    names: tuple[str, ...]
    num_depots: int
    num_clients: int
    num_stations: int
    distance: np.ndarray
    duration_s: np.ndarray
    energy_wh: np.ndarray
    tw_early_s: np.ndarray
    tw_late_s: np.ndarray
    service_s: np.ndarray
    demand: np.ndarray
    station_power_w: np.ndarray
    vehicle_types: tuple[EvVehicleType, ...]
    groups: tuple[tuple[int, ...], ...] = ()
    fleet_minimisation: bool = False

    @property
    def num_nodes(self) -> int:
        return self.num_depots + self.num_clients + self.num_stations

    @property
    def clients(self) -> range:
        return range(self.num_depots, self.num_depots + self.num_clients)

    @property
    def stations(self) -> range:
        start = self.num_depots + self.num_clients
        return range(start, start + self.num_stations)

    def is_station(self, node: int) -> bool:
        return node >= self.num_depots + self.num_clients

    def validate(self) -> None:
        """Shape checks up front, so a wrong matrix fails here and not deep in the search."""
        n = self.num_nodes
        if len(self.names) != n:
            raise ValueError(f"names has {len(self.names)} entries, expected {n}")
        for name, arr in (("distance", self.distance), ("duration_s", self.duration_s)):
            if arr.shape != (n, n):
                raise ValueError(f"{name} has shape {arr.shape}, expected {(n, n)}")
        if self.energy_wh.shape != (len(self.vehicle_types), n, n):
            raise ValueError(f"energy_wh has shape {self.energy_wh.shape}")
        for name, arr in (
            ("tw_early_s", self.tw_early_s),
            ("tw_late_s", self.tw_late_s),
            ("service_s", self.service_s),
        ):
            if arr.shape != (n,):
                raise ValueError(f"{name} has shape {arr.shape}, expected {(n,)}")
        if self.demand.ndim != 2 or self.demand.shape[0] != n:
            raise ValueError(f"demand has shape {self.demand.shape}, expected ({n}, dims)")
        if self.station_power_w.shape != (self.num_stations,):
            raise ValueError(f"station_power_w has shape {self.station_power_w.shape}")
        if not self.vehicle_types:
            raise ValueError("at least one vehicle type is needed")
        for vt in self.vehicle_types:
            if len(vt.capacity) != self.demand.shape[1]:
                raise ValueError(f"vehicle type {vt.name!r}: capacity dimensions != demand")
            if not 0 <= vt.depot < self.num_depots:
                raise ValueError(f"vehicle type {vt.name!r}: depot {vt.depot} is not a depot")


@dataclass(frozen=True)
class EvRoute:
    """One van's day: visits between leaving and returning to its depot."""

    vehicle_type: int
    visits: tuple[int, ...]
    charge_wh: tuple[float, ...]


@dataclass(frozen=True)
class EvSolution:
    routes: tuple[EvRoute, ...]
    unassigned: tuple[int, ...]
    cost: float
    distance: float
    is_feasible: bool
    stats: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvProgress:
    """A snapshot for progress displays; sent whenever the best solution changes or time passes."""

    elapsed_s: float
    iterations: int
    best_cost: float
    best_is_feasible: bool
    num_vehicles: int
