"""Map a city scenario onto the generic EV routing instance, and the solution back to ids.

The engine sees matrices only. This module decides what they hold:

* one client node per time window of a stop; the windows of one stop form a mutually exclusive
  group, so exactly one of them is visited;
* public chargers become stations. A station's power is the charger's power, and for AC chargers
  also the slowest AC limit of the fleet's van types (the engine knows one van limit per type, the
  DC one), which can only make charging look slower than it is;
* vans that share type, depot, shift and start state of charge become one vehicle type with
  ``num_available`` > 1. Start SoC is rounded *down* to buckets so that a fleet with scattered
  SoCs stays a handful of types (each type costs an n x n energy matrix);
* the energy of each arc is the leg at a *conservative* mass (empty van plus full payload) at the
  fleet's ambient temperature, plus the energy of idling through the service at the arc's head.
  Energy grows with mass, so a sequence feasible on these matrices is feasible at the real,
  falling load; the planner still replays every route with the full model and tightens
  ``energy_scale`` where that replay disagrees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from voltvan import energy
from voltvan.domain import MAX_TIME_S, Scenario, Van, VehicleType
from voltvan.planning.ev import EvInstance, EvVehicleType
from voltvan.travel import Matrices

SOC_BUCKETS = (0.05, 0.10, 0.20, 0.25, 0.50)
"""Widths tried, finest first, to round start SoCs down until the fleet has few van groups."""
MAX_GROUPS = 12


@dataclass(frozen=True)
class VanGroup:
    """Vans the engine may treat as one type; ``start_soc`` is the group's (lowest) bucket."""

    vehicle_type: VehicleType
    depot_id: str
    shift_start_s: float
    shift_end_s: float
    start_soc: float
    van_ids: tuple[str, ...]

    @property
    def start_energy_wh(self) -> float:
        return self.start_soc * self.vehicle_type.battery_wh


@dataclass(frozen=True)
class CityModel:
    """The engine instance plus what is needed to read its node numbers back as scenario ids."""

    instance: EvInstance
    node_row: tuple[int, ...]
    """Row of each node in the scenario's travel matrices."""
    client_stop: tuple[str, ...]
    """Stop id of each client node (index = node - num_depots)."""
    station_charger: tuple[str, ...]
    groups: tuple[VanGroup, ...]

    def stop_of(self, node: int) -> str:
        return self.client_stop[node - self.instance.num_depots]


def group_vans(scenario: Scenario) -> tuple[VanGroup, ...]:
    """Interchangeable vans, with start SoC rounded down to the finest bucket keeping groups few."""
    fleet = scenario.fleet
    groups: dict[tuple[str, str, float, float, float], list[Van]] = {}
    for width in SOC_BUCKETS:
        groups = {}
        for van in fleet.vans:
            depot = fleet.depot(van.depot_id)
            key = (
                van.type_id,
                van.depot_id,
                max(van.shift.start_s, depot.opening.start_s),
                min(van.shift.end_s, depot.opening.end_s),
                math.floor(van.start_soc / width + 1e-9) * width,
            )
            groups.setdefault(key, []).append(van)
        if len(groups) <= MAX_GROUPS:
            break
    out = []
    for key, vans in groups.items():
        _, depot_id, start, end, soc = key
        out.append(
            VanGroup(
                vehicle_type=fleet.type_of(vans[0]),
                depot_id=str(depot_id),
                shift_start_s=float(start),
                shift_end_s=float(end),
                start_soc=min(float(soc), min(v.start_soc for v in vans)),
                van_ids=tuple(v.id for v in vans),
            )
        )
    return tuple(out)


def conservative_energy_wh(
    vt: VehicleType,
    distance_m: np.ndarray,
    duration_s: np.ndarray,
    ambient_c: float,
) -> np.ndarray:
    """Leg energy at the heaviest the van can be (empty plus full payload)."""
    return np.asarray(
        energy.leg_energy_matrix_wh(
            vt.consumption,
            distance_m,
            duration_s,
            mass_kg=energy.vehicle_mass_kg(vt, vt.payload_kg),
            ambient_c=ambient_c,
        ),
        dtype=float,
    )


def build_city_model(
    scenario: Scenario,
    matrices: Matrices,
    stop_ids: Sequence[str],
    groups: Sequence[VanGroup],
    *,
    energy_scale: Mapping[str, float] | None = None,
) -> CityModel:
    """The engine instance for the given stops (already screened) and van groups."""
    fleet = scenario.fleet
    row = matrices.index()
    stops = {s.id: s for s in scenario.stops}
    depots = fleet.depots
    chargers = fleet.public_chargers
    client_stop: list[str] = []
    tw_early: list[float] = [d.opening.start_s for d in depots]
    tw_late: list[float] = [d.opening.end_s for d in depots]
    service: list[float] = [0.0] * len(depots)
    demand: list[tuple[float, float]] = [(0.0, 0.0)] * len(depots)
    exclusive: list[tuple[int, ...]] = []
    for sid in stop_ids:
        stop = stops[sid]
        first = len(depots) + len(client_stop)
        for tw in stop.time_windows:
            client_stop.append(sid)
            tw_early.append(tw.start_s)
            tw_late.append(tw.end_s)
            service.append(stop.service_s)
            demand.append((stop.weight_kg, stop.volume_m3))
        if len(stop.time_windows) > 1:
            exclusive.append(tuple(range(first, len(depots) + len(client_stop))))
    tw_early += [0.0] * len(chargers)
    tw_late += [float(MAX_TIME_S)] * len(chargers)
    service += [0.0] * len(chargers)
    demand += [(0.0, 0.0)] * len(chargers)
    node_row = (
        [row[d.id] for d in depots] + [row[s] for s in client_stop] + [row[c.id] for c in chargers]
    )
    idx = np.asarray(node_row, dtype=np.int64)
    dist = matrices.distance_m[np.ix_(idx, idx)]
    dur = matrices.duration_s[np.ix_(idx, idx)]
    dwell_by_type = _dwell_columns(scenario, client_stop, len(node_row), len(depots))
    per_type: dict[str, np.ndarray] = {}
    scale = energy_scale or {}
    for vt in {g.vehicle_type.id: g.vehicle_type for g in groups}.values():
        e = conservative_energy_wh(vt, dist, dur, fleet.ambient_c)
        e += dwell_by_type[vt.id][None, :]
        np.fill_diagonal(e, 0.0)
        per_type[vt.id] = e * scale.get(vt.id, 1.0)
    energy_wh = np.stack([per_type[g.vehicle_type.id] for g in groups])
    slowest_ac = min(t.max_ac_power_w for t in {g.vehicle_type for g in groups})
    station_power = [
        c.power_w if c.current == "DC" else min(c.power_w, slowest_ac) for c in chargers
    ]
    depot_node = {d.id: i for i, d in enumerate(depots)}
    ev_types = tuple(
        EvVehicleType(
            num_available=len(g.van_ids),
            capacity=(g.vehicle_type.payload_kg, g.vehicle_type.volume_m3),
            battery_wh=g.vehicle_type.battery_wh,
            start_energy_wh=g.start_energy_wh,
            reserve_wh=g.vehicle_type.reserve_wh,
            depot=depot_node[g.depot_id],
            shift_start_s=g.shift_start_s,
            shift_end_s=g.shift_end_s,
            max_charge_power_w=g.vehicle_type.max_dc_power_w,
            fixed_cost=g.vehicle_type.fixed_cost,
            name=f"{g.vehicle_type.id}@{g.depot_id}",
        )
        for g in groups
    )
    names = (
        tuple(d.id for d in depots)
        + tuple(f"{s}#{k}" for k, s in enumerate(client_stop))
        + tuple(c.id for c in chargers)
    )
    instance = EvInstance(
        names=names,
        num_depots=len(depots),
        num_clients=len(client_stop),
        num_stations=len(chargers),
        distance=dist,
        duration_s=dur,
        energy_wh=energy_wh,
        tw_early_s=np.asarray(tw_early, dtype=float),
        tw_late_s=np.asarray(tw_late, dtype=float),
        service_s=np.asarray(service, dtype=float),
        demand=np.asarray(demand, dtype=float).reshape(len(node_row), 2),
        station_power_w=np.asarray(station_power, dtype=float),
        vehicle_types=ev_types,
        groups=tuple(exclusive),
    )
    return CityModel(
        instance=instance,
        node_row=tuple(node_row),
        client_stop=tuple(client_stop),
        station_charger=tuple(c.id for c in chargers),
        groups=tuple(groups),
    )


def _dwell_columns(
    scenario: Scenario, client_stop: Sequence[str], n: int, num_depots: int
) -> dict[str, np.ndarray]:
    """Per van type, the idle energy of the service at each node (added to arcs into it)."""
    stops = {s.id: s for s in scenario.stops}
    out: dict[str, np.ndarray] = {}
    for vt in scenario.fleet.vehicle_types:
        col = np.zeros(n)
        cache: dict[float, float] = {}
        for k, sid in enumerate(client_stop):
            s = stops[sid].service_s
            if s not in cache:
                cache[s] = energy.dwell_energy_wh(
                    vt.consumption, duration_s=s, ambient_c=scenario.fleet.ambient_c
                )
            col[num_depots + k] = cache[s]
        out[vt.id] = col
    return out
