"""The mapping from a scenario to the engine's instance and back."""

from __future__ import annotations

import dataclasses

import numpy as np

from voltvan import energy
from voltvan.domain import Scenario
from voltvan.planning._city import build_city_model, group_vans
from voltvan.planning._planner import MATRIX_DEPART_S
from voltvan.travel import build_matrices

from .cases import cold_far_cluster, one_van_too_much_cargo


def test_vans_alike_form_one_group_with_soc_rounded_down(two_vans_five_stops: Scenario) -> None:
    """Two vans of one type share a group; 0.91 and 0.94 start SoC become one 0.90 bucket."""
    fleet = two_vans_five_stops.fleet
    vans = (
        dataclasses.replace(fleet.vans[0], start_soc=0.91),
        dataclasses.replace(fleet.vans[1], start_soc=0.94),
    )
    scenario = dataclasses.replace(two_vans_five_stops, fleet=dataclasses.replace(fleet, vans=vans))
    (group,) = group_vans(scenario)
    assert group.van_ids == ("V1", "V2")
    assert abs(group.start_soc - 0.90) < 1e-9


def test_windows_become_exclusive_clients_and_chargers_stations() -> None:
    """A two-window stop is two clients in one group; the public charger is the one station."""
    scenario = one_van_too_much_cargo()
    matrices = build_matrices(scenario, depart_s=MATRIX_DEPART_S)
    model = build_city_model(
        scenario, matrices, [s.id for s in scenario.stops], group_vans(scenario)
    )
    inst = model.instance
    inst.validate()
    assert inst.num_clients == 6
    assert inst.groups == ((2, 3),)
    assert model.stop_of(2) == model.stop_of(3) == "S2"
    assert inst.demand.shape == (inst.num_nodes, 2)


def test_arc_energy_is_conservative_against_the_real_load() -> None:
    """Every arc of the matrix costs at least the leg at the lightest real load plus the service."""
    scenario = cold_far_cluster()
    matrices = build_matrices(scenario, depart_s=MATRIX_DEPART_S)
    groups = group_vans(scenario)
    model = build_city_model(scenario, matrices, [s.id for s in scenario.stops], groups)
    vt = scenario.fleet.vehicle_types[0]
    rows = np.asarray(model.node_row)
    light = energy.leg_energy_matrix_wh(
        vt.consumption,
        matrices.distance_m[np.ix_(rows, rows)],
        matrices.duration_s[np.ix_(rows, rows)],
        mass_kg=energy.vehicle_mass_kg(vt, 0.0),
        ambient_c=scenario.fleet.ambient_c,
    )
    assert model.instance.num_stations == 1
    assert np.all(model.instance.energy_wh[0] >= light - 1e-9)
    assert np.any(model.instance.energy_wh[0] > light + 1.0)
