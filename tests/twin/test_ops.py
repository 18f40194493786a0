"""The twin's drivers on a real operations service (``voltvan serve``'s app, SQLite, a free
port): the events stored are the twin's truth, and a breakdown is re-planned and followed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.planning.replan_cases import NOON_S, busiest, planned_day
from tests.twin.scenes import QUIET
from tests.web.live import serving
from voltvan.domain import Scenario
from voltvan.ops import open_ops
from voltvan.plan import Plan
from voltvan.scenario import write_scenario
from voltvan.twin import OpsClient, OpsLink, OpsTokens, TwinRun, day_start, simulate
from voltvan.web import WebSettings, create_app


@dataclass
class Service:
    url: str
    tokens: OpsTokens
    scenario: Scenario
    plan: Plan


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    scenario, plan = planned_day()
    folder = write_scenario(scenario, tmp_path / "city")
    db = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    store = open_ops(db, tmp_path)
    dispatcher = store.add_user("dispatch", "dispatcher")
    drivers = {v.id: store.add_user(f"d-{v.id}", "driver", v.id) for v in scenario.fleet.vans}
    store.close()
    tokens_file = tmp_path / "ops-tokens.toml"
    lines = [f'dispatcher = "{dispatcher}"', "[drivers]"]
    lines += [f'{van} = "{secret}"' for van, secret in drivers.items()]
    tokens_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = WebSettings(data_dir=tmp_path, ops_db=db, scenario_dir=folder)
    with serving(create_app(settings)) as url:
        yield Service(url, OpsTokens.read(tokens_file), scenario, plan)


def _truth(run: TwinRun, midnight: datetime) -> list[tuple[str, str, str, str]]:
    out = []
    for rec in run.days[0].vans:
        for t_s, kind, stop_id in rec.deliveries:
            at = (midnight + timedelta(seconds=round(t_s, 3))).isoformat()
            out.append((rec.van_id, stop_id, kind, at))
    return sorted(out)


def _stored(client: OpsClient, name: str) -> list[dict[str, Any]]:
    r = client.http.get(
        f"{client.url}/v1/ops/days/{name}/events",
        headers={"Authorization": f"Bearer {client.tokens.dispatcher}"},
    )
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["events"]
    return events


def test_the_events_stored_are_the_twins_truth(service: Service) -> None:
    """Arrived, delivered and failed (nobody at home) for every stop, as the twin drove them."""
    client = OpsClient(service.url, service.tokens)
    params = replace(QUIET, fail_share=0.2)
    run = simulate(service.scenario, service.plan, days=1, params=params, ops=OpsLink(client))
    midnight = day_start(service.scenario.fleet.date, 0)
    stored = _stored(client, midnight.date().isoformat())
    client.close()
    assert all(e["status_code"] == 200 for e in stored)
    got = sorted((e["van_id"], e["stop_id"], e["kind"], _norm(e["at"])) for e in stored)
    truth = [(v, s, k, _norm(a)) for v, s, k, a in _truth(run, midnight)]
    assert got == truth
    kinds = {k for _, _, k, _ in got}
    assert kinds == {"arrived", "delivered", "failed"}
    assert all(e["reason"] == "not_at_home" for e in stored if e["kind"] == "failed")


def _norm(iso: str) -> str:
    """Both sides to milliseconds in UTC (the service stores microseconds)."""

    t = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC)
    return t.isoformat(timespec="milliseconds")


def test_a_breakdown_is_replanned_and_other_vans_take_the_stops(service: Service) -> None:
    """The busiest van breaks down at noon: the service publishes version 2, the other vans
    follow it and serve the broken van's remaining stops (those it lists unassigned excepted)."""
    broken = busiest(service.plan, NOON_S)
    client = OpsClient(service.url, service.tokens)
    params = replace(QUIET, breakdowns=((broken.van_id, NOON_S),))
    run = simulate(
        service.scenario, service.plan, days=1, params=params, ops=OpsLink(client, replan=True)
    )
    midnight = day_start(service.scenario.fleet.date, 0)
    name = midnight.date().isoformat()
    r = client.http.get(
        f"{client.url}/v1/ops/days/{name}/plan",
        headers={"Authorization": f"Bearer {client.tokens.dispatcher}"},
    )
    answer = r.json()
    assert answer["plan_version"] == 2
    new = Plan.from_dict(answer["plan"], source="answer")
    recs = {rec.van_id: rec for rec in run.days[0].vans}
    gone = recs[broken.van_id]
    assert gone.broken_at_s == NOON_S and gone.end_s is None
    done_by_broken = {s for _, k, s in gone.deliveries if k == "arrived"}
    orphans = [s for s in broken.stop_ids if s not in done_by_broken]
    assert orphans
    unassigned = {u.stop_id for u in new.unassigned}
    served_by_others = {
        s
        for rec in recs.values()
        if rec.van_id != broken.van_id
        for _, k, s in rec.deliveries
        if k == "arrived"
    }
    taken = [s for s in orphans if s in served_by_others]
    assert taken, "other vans must take some of the broken van's stops"
    assert set(orphans) <= served_by_others | unassigned
    stored = _stored(client, name)
    client.close()
    assert all(e["status_code"] == 200 for e in stored)
    got = sorted((e["van_id"], e["stop_id"], e["kind"], _norm(e["at"])) for e in stored)
    assert got == [(v, s, k, _norm(a)) for v, s, k, a in _truth(run, midnight)]


def test_a_van_far_behind_asks_for_a_replan(service: Service) -> None:
    """Slow legs and a one-minute threshold: the dispatcher re-plans (delays told to the
    re-planner) at each late van, and the day's version moves on; the drivers' events still match
    the truth."""
    client = OpsClient(service.url, service.tokens)
    params = replace(QUIET, leg_sigma_free=0.6, leg_sigma_peak=0.6)
    link = OpsLink(client, replan=True, late_s=60.0)
    run = simulate(service.scenario, service.plan, days=1, params=params, ops=link)
    midnight = day_start(service.scenario.fleet.date, 0)
    name = midnight.date().isoformat()
    r = client.http.get(
        f"{client.url}/v1/ops/days/{name}/plan",
        headers={"Authorization": f"Bearer {client.tokens.dispatcher}"},
    )
    # each late van's ask re-plans the version in force, itself a re-plan from the second on
    assert r.json()["plan_version"] >= 3
    refused = [e for rec in run.days[0].vans for e in rec.events if e.kind == "replan_refused"]
    assert refused == []
    stored = _stored(client, name)
    client.close()
    assert all(e["status_code"] == 200 for e in stored)
    got = sorted((e["van_id"], e["stop_id"], e["kind"], _norm(e["at"])) for e in stored)
    assert got == [(v, s, k, _norm(a)) for v, s, k, a in _truth(run, midnight)]
