"""The fleet console in a real browser (Debian chromium, Playwright), end to end: a telemetry
message published to a real Mosquitto and stored by a real ``voltvan ingest`` worker moves the
van on the console page within 2 s, the issue's requirement."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.report.plans import city_day
from tests.telemetry.broker import publish, running_broker, start_worker
from tests.telemetry.ingest_data import LAT, LON, SOC, SPEED, iso, write_fleet
from tests.web.live import serving
from voltvan.ops import details_of, open_ops
from voltvan.telemetry import topic_for
from voltvan.web import WebSettings, create_app

pytestmark = [pytest.mark.browser, pytest.mark.mqtt]

#: The issue's requirement: on screen within 2 s of the message reaching the broker.
ON_SCREEN_S = 2.0


@contextmanager
def console_server(data: Path, scenario_dir: Path | None = None) -> Iterator[str]:
    """The API (telemetry, operations, console) on a free port of 127.0.0.1, in a thread."""
    with serving(create_app(WebSettings(data_dir=data, scenario_dir=scenario_dir))) as url:
        yield url


def message(lat: float, lon: float, soc: float) -> bytes:
    sample = {"ts": iso(datetime.now(UTC)), "signals": {LAT: lat, LON: lon, SOC: soc, SPEED: 31.0}}
    return json.dumps({"samples": [sample]}).encode()


def marker_at(page: Any, van: str, lat: float) -> None:
    page.wait_for_function(
        "([van, lat]) => { const m = document.querySelector(`.vc-van[data-van='${van}']`);"
        " return m !== null && Number(m.dataset.lat) === lat; }",
        arg=[van, lat],
        timeout=30_000,
        polling=20,
    )


def test_a_published_message_moves_the_van_on_the_console_within_2_s(
    chromium: Any, tmp_path: Path
) -> None:
    plan, scenario = city_day(3, 24)
    today = datetime.now(UTC).date().isoformat()
    data = tmp_path / "data"
    store = open_ops(None, data)
    store.publish(today, plan, [details_of(s) for s in scenario.stops], base_version=None, by="t")
    secret = store.add_user("dispatch", "dispatcher")
    store.close()
    fleet = write_fleet(tmp_path, [r.van_id for r in plan.routes])
    stop = plan.routes[0].visits[1]
    with running_broker(tmp_path / "broker") as broker, console_server(data) as server:
        start_worker(broker, data, fleet)
        page = chromium.new_page(viewport={"width": 1440, "height": 900})
        problems: list[str] = []
        blocked: list[str] = []

        def only_the_server(route: Any) -> None:
            if route.request.url.startswith(server + "/"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_the_server)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{server}/console/?day={today}&tz=UTC")
        page.fill("#vc-secret", secret)
        page.click("#vc-login-form button")
        page.wait_for_selector(".vc-vans tr[data-van='V03']")
        page.wait_for_selector("#vc-status[data-state='live']")
        assert page.locator("path.vc-route").count() == len(plan.routes)

        assert publish(broker, [(topic_for("V01"), message(stop.lat, stop.lon, 80.0))]) == [0]
        marker_at(page, "V01", stop.lat)  # the first position: the marker appears

        latencies = []
        for i in range(3):
            lat, lon = stop.lat + 0.002 * (i + 1), stop.lon + 0.003 * (i + 1)
            sent = time.monotonic()  # before publishing: the measure includes reaching the broker
            assert publish(broker, [(topic_for("V01"), message(lat, lon, 79.0 - i))]) == [0]
            marker_at(page, "V01", lat)
            latencies.append(time.monotonic() - sent)
        shown = ", ".join(f"{s:.2f} s" for s in latencies)
        assert max(latencies) <= ON_SCREEN_S, (
            f"the van moved on the console {shown} after the messages were published; "
            f"the issue requires at most {ON_SCREEN_S:g} s"
        )
        pin = page.locator(".vc-van[data-van='V01']")
        assert pin.get_attribute("data-soc") == "77"
        assert "77%" in pin.inner_text()
        assert "77% →" in page.locator(".vc-vans tr[data-van='V01'] .vc-soc").inner_text()
        assert problems == [] and blocked == []
        page.close()
    print(f"console latency from publish to screen: {shown}")


def test_a_drivers_secret_is_refused_with_the_reason(chromium: Any, tmp_path: Path) -> None:
    """The page asks again for a secret, saying why, and shows no van."""
    plan, scenario = city_day(2, 8)
    today = datetime.now(UTC).date().isoformat()
    store = open_ops(None, tmp_path)
    store.publish(today, plan, [details_of(s) for s in scenario.stops], base_version=None, by="t")
    driver = store.add_user("d1", "driver", "V01")
    store.close()
    with console_server(tmp_path) as server:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{server}/console/?day={today}&tz=UTC")
        page.fill("#vc-secret", driver)
        page.click("#vc-login-form button")
        error = page.locator("#vc-login-error")
        error.filter(has_text="only a dispatcher").wait_for()
        assert page.locator("#vc-login").is_visible()
        assert page.locator("#vc-vans tr").count() == 0
        page.close()


def test_the_dispatcher_replans_a_breakdown_from_the_console(chromium: Any, tmp_path: Path) -> None:
    """Van out of service at 12:00, from the re-plan dialog: version 2 is published and arrives."""
    from tests.planning.replan_cases import busiest, planned_day
    from voltvan.scenario import write_scenario

    scenario, plan = planned_day()
    broken = busiest(plan).van_id
    today = datetime.now(UTC).date().isoformat()
    data = tmp_path / "data"
    store = open_ops(None, data)
    store.publish(today, plan, [details_of(s) for s in scenario.stops], base_version=None, by="t")
    secret = store.add_user("dispatch", "dispatcher")
    store.close()
    folder = write_scenario(scenario, tmp_path / "city")
    with console_server(data, scenario_dir=folder) as server:
        page = chromium.new_page(viewport={"width": 1440, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.goto(f"{server}/console/?day={today}&tz=UTC&van={broken}")
        page.fill("#vc-secret", secret)
        page.click("#vc-login-form button")
        page.wait_for_selector("#vc-status[data-state='live']")
        page.click("#vc-replan")
        assert page.locator("#vc-replan-van").inner_text() == broken
        page.fill("#vc-replan-at", "12:00")
        page.check("#vc-replan-oos")
        page.click("#vc-replan-go")
        page.wait_for_function(
            "() => document.querySelector('#vc-replan-result').textContent.startsWith("
            "'Published version 2')",
            timeout=60_000,
        )
        assert "stops moved to another van" in page.locator("#vc-replan-result").inner_text()
        page.click("#vc-replan-cancel")
        page.wait_for_function(
            "() => document.querySelector('#vc-day').textContent.includes('plan version 2')",
            timeout=30_000,
        )
        assert problems == []
        page.close()
    after = open_ops(None, data)
    try:
        version, new = after.plan(today)
    finally:
        after.close()
    assert version == 2 and new.route_of(broken).out_of_service_s == 12 * 3600
