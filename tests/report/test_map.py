"""The map data: what is drawn, with which popup, and what is left off."""

from __future__ import annotations

from dataclasses import replace

from tests.report.plans import FAR_WEST, with_far_stop
from voltvan.domain import Scenario
from voltvan.plan import Plan, Unassigned
from voltvan.report._map import map_data
from voltvan.report._view import route_views


def test_route_lines_start_and_end_at_the_depot(small_day: tuple[Plan, Scenario]) -> None:
    """Each route's line runs through all its visits, depot to depot."""
    plan, scenario = small_day
    data = map_data(plan, scenario, route_views(plan, scenario))
    depot = scenario.fleet.depots[0]
    for r, line in zip(plan.routes, data["routes"], strict=True):
        assert len(line["coords"]) == len(r.visits)
        assert line["coords"][0] == line["coords"][-1] == [depot.lat, depot.lon]


def test_stop_popups_give_arrival_soc_and_window(small_day: tuple[Plan, Scenario]) -> None:
    """A stop's popup shows arrival HH:MM, SoC on arrival in % and its time window."""
    plan, scenario = small_day
    data = map_data(plan, scenario, route_views(plan, scenario))
    first = plan.routes[0].visits[1]
    popup = data["routes"][0]["points"][0]["popup"]
    minutes = round(first.arrival_s / 60)
    assert f"{minutes // 60:02d}:{minutes % 60:02d}" in popup
    assert f"{first.soc * 100:.0f}%" in popup
    tw = scenario.stop(first.location_id).time_windows[0]
    assert f"{tw.start_s / 3600:02.0f}:00–" in popup


def test_every_public_charger_is_drawn_and_used_ones_are_flagged(
    small_day: tuple[Plan, Scenario],
) -> None:
    """All public chargers appear; the ones a route charges at are marked used with the van."""
    plan, scenario = small_day
    data = map_data(plan, scenario, route_views(plan, scenario))
    assert {c["id"] for c in data["chargers"]} == {c.id for c in scenario.fleet.public_chargers}
    for c in data["chargers"]:
        users = [
            r.van_id for r in plan.routes if any(v.location_id == c["id"] for v in r.charge_visits)
        ]
        assert c["used"] == bool(users)
        assert all(u in c["popup"] for u in users)


def test_unassigned_stop_unknown_to_the_scenario_is_left_off_the_map(
    small_day: tuple[Plan, Scenario],
) -> None:
    """An unassigned id the scenario lacks has no coordinates, so no marker (the table lists it)."""
    plan, scenario = small_day
    plan = Plan(plan.scenario, plan.routes, (*plan.unassigned, Unassigned("GHOST", "unknown")))
    data = map_data(plan, scenario, route_views(plan, scenario))
    assert [u["id"] for u in data["unassigned"]] == [u.stop_id for u in plan.unassigned[:2]]


def test_markup_in_ids_is_escaped_in_every_popup_and_tooltip(
    small_day: tuple[Plan, Scenario],
) -> None:
    """Leaflet sets popups and tooltips as innerHTML, so an id with markup must arrive escaped."""
    plan, scenario = small_day
    evil = '<img src=x onerror="alert(1)">'
    old_visit = plan.routes[0].visits[1]
    old_un = plan.unassigned[0].stop_id
    renamed = {old_visit.location_id: evil + "1", old_un: evil + "2"}
    stops = tuple(replace(s, id=renamed.get(s.id, s.id)) for s in scenario.stops)
    scenario = replace(scenario, stops=stops)
    r0 = plan.routes[0]
    visits = (r0.visits[0], replace(old_visit, location_id=evil + "1"), *r0.visits[2:])
    plan = Plan(
        plan.scenario,
        (replace(r0, visits=visits), *plan.routes[1:]),
        (Unassigned(evil + "2", "because"), *plan.unassigned[1:]),
    )
    data = map_data(plan, scenario, route_views(plan, scenario))
    texts = [p[k] for r in data["routes"] for p in r["points"] for k in ("popup", "tip")]
    texts += [u[k] for u in data["unassigned"] for k in ("popup", "tip")]
    assert sum("&lt;img src=x" in t for t in texts) == 4
    assert not any("<img" in t for t in texts)


def test_depot_popup_gives_first_departure_and_last_return(
    small_day: tuple[Plan, Scenario],
) -> None:
    """The depot's popup tells how many vans leave, when the first leaves and the last is back."""
    plan, scenario = small_day
    data = map_data(plan, scenario, route_views(plan, scenario))
    popup = data["depots"][0]["popup"]
    assert f"<td>{len(plan.routes)}</td>" in popup
    assert "<td>07:00</td>" in popup
    last = max(r.end_s for r in plan.routes)
    assert f"{round(last / 60) // 60:02d}:{round(last / 60) % 60:02d}" in popup


def test_map_view_frames_the_depot_every_stop_and_the_charge_stops(
    small_day: tuple[Plan, Scenario],
) -> None:
    """With no stop far outside the others, the map opens on all stops, the depot and the
    chargers the routes use (moved north of everything here, so that it is the one that counts)."""
    plan, scenario = small_day
    route = next(r for r in plan.routes if r.charge_visits)
    visits = tuple(replace(v, lat=52.75) if v.kind == "charge" else v for v in route.visits)
    routes = tuple(replace(r, visits=visits) if r is route else r for r in plan.routes)
    plan = Plan(plan.scenario, routes, plan.unassigned)
    view = map_data(plan, scenario, route_views(plan, scenario))["view"]
    points = [(d.lat, d.lon) for d in scenario.fleet.depots]
    points += [(s.lat, s.lon) for s in scenario.stops]
    points += [(v.lat, v.lon) for r in plan.routes for v in r.charge_visits]
    assert view[1][0] == 52.75
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    assert view == [[min(lats), min(lons)], [max(lats), max(lons)]]


def test_one_far_stop_is_drawn_but_does_not_zoom_the_map_out(
    small_day: tuple[Plan, Scenario],
) -> None:
    """A stop 60 km west of the others keeps its marker but stays out of the opening view."""
    plan, scenario = small_day
    far_id = plan.unassigned[0].stop_id
    far = with_far_stop(scenario, far_id)
    view = map_data(plan, far, route_views(plan, far))["view"]
    (south, west), (north, east) = view
    others = [s for s in far.stops if s.id != far_id]
    assert west == min([s.lon for s in others] + [d.lon for d in far.fleet.depots])
    assert west > FAR_WEST[1] + 0.3
    assert all(south <= s.lat <= north and west <= s.lon <= east for s in others)
    drawn = map_data(plan, far, route_views(plan, far))["unassigned"]
    assert [u["lon"] for u in drawn if u["id"] == far_id] == [FAR_WEST[1]]
