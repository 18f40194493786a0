"""Tiny hand-made EV instances on a plane: positions in metres, 1 Wh per metre, 1 m/s."""

from __future__ import annotations

import math

import numpy as np

from voltvan.planning.ev import EvInstance, EvVehicleType


def plane_instance(
    depot: tuple[float, float],
    clients: list[tuple[float, float]],
    stations: list[tuple[float, float]],
    *,
    battery_wh: float,
    reserve_wh: float = 0.0,
    demand: list[float] | None = None,
    capacity: float = 1e9,
    tw: list[tuple[float, float]] | None = None,
    service_s: float = 0.0,
    station_power_w: float = 3600.0,
    num_vehicles: int = 10,
    shift_end_s: float = math.inf,
    groups: tuple[tuple[int, ...], ...] = (),
    fleet_minimisation: bool = True,
) -> EvInstance:
    """Node 0 is the depot, then the clients, then the stations (as the engine expects)."""
    xy = np.array([depot, *clients, *stations], dtype=float)
    n = len(xy)
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    early = np.zeros(n)
    late = np.full(n, 1e6)
    if tw is not None:
        for i, (a, b) in enumerate(tw, start=1):
            early[i], late[i] = a, b
    service = np.zeros(n)
    service[1 : 1 + len(clients)] = service_s
    dem = np.zeros((n, 1))
    if demand is not None:
        dem[1 : 1 + len(clients), 0] = demand
    vt = EvVehicleType(
        num_available=num_vehicles,
        capacity=(capacity,),
        battery_wh=battery_wh,
        start_energy_wh=battery_wh,
        reserve_wh=reserve_wh,
        depot=0,
        shift_end_s=shift_end_s,
    )
    return EvInstance(
        names=(
            "D",
            *(f"C{i}" for i in range(1, len(clients) + 1)),
            *(f"S{i}" for i in range(1, len(stations) + 1)),
        ),
        num_depots=1,
        num_clients=len(clients),
        num_stations=len(stations),
        distance=dist,
        duration_s=dist.copy(),
        energy_wh=dist[None, :, :].copy(),
        tw_early_s=early,
        tw_late_s=late,
        service_s=service,
        demand=dem,
        station_power_w=np.full(len(stations), station_power_w),
        vehicle_types=(vt,),
        groups=groups,
        fleet_minimisation=fleet_minimisation,
    )
