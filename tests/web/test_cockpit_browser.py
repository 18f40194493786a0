"""The driver cockpit in a real browser (Debian chromium, Playwright) against a real uvicorn server.

A driver signs in, sees only their route, delivers with a photo and a signature, fails a stop,
loses the connection, delivers on, reloads the page offline and comes back: the server holds each
event once, also when the device sends its whole queue again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.report.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.telemetry.broker import free_port
from tests.web.cockpit_day import V01_STOPS, V02_STOPS, cockpit_day, png, replanned
from voltvan.ops import open_ops
from voltvan.web import WebSettings, create_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DASHBOARD = {"width": 1280, "height": 800}
SOC_SIGNAL = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"


@dataclass
class Server:
    url: str
    data: Path
    day: str
    #: another day with the same plan, for the undo test (opened with ?day=)
    undo_day: str
    secrets: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``voltvan serve``'s app on a free port of 127.0.0.1 (uvicorn in a thread), today's plan
    published and three accounts: the drivers of V01 and V02 and a dispatcher."""
    data = tmp_path_factory.mktemp("data")
    day = dt.date.today().isoformat()
    undo_day = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    store = open_ops(None, data)
    plan, stops = cockpit_day()
    for when in (day, undo_day):
        store.publish(when, plan, stops, base_version=None, by="dispatch")
    secrets = {
        "V01": store.add_user("driver-V01", "driver", "V01"),
        "V02": store.add_user("driver-V02", "driver", "V02"),
        "dispatch": store.add_user("dispatch", "dispatcher"),
    }
    store.close()
    app = create_app(WebSettings(data_dir=data))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the API server did not start"
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", data, day, undo_day, secrets)
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is needed (the Debian chromium package)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_cockpit(
    browser: Any, server: Server, viewport: dict[str, int], query: str = "", **kw: Any
) -> Any:
    """A fresh device (context): requests anywhere but the server fail the test."""
    context = browser.new_context(viewport=viewport, service_workers="allow", **kw)
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((server.url + "/", "blob:", "data:"))
            else page.problems.append(f"fetched {r.url}")
        ),
    )
    page.goto(server.url + "/cockpit/" + query)
    return page


def sign_in(page: Any, secret: str) -> None:
    page.get_by_label("Driver secret").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#next .eyebrow")


def next_stop(page: Any) -> str:
    return str(page.locator("#stops li.is-next").get_attribute("data-stop"))


def wait_sync(page: Any, text: str) -> None:
    page.wait_for_function(
        "t => document.getElementById('sync').textContent.includes(t)", arg=text, timeout=20_000
    )


def sign(page: Any) -> None:
    box = page.locator("#signature").bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + i * 22, y + (12 if i % 2 else -12))
    page.mouse.up()


def deliver(page: Any, *, photo: bool, signature: bool) -> str:
    stop = next_stop(page)
    page.get_by_role("button", name="Delivered", exact=True).click()
    dialog = page.locator("#deliver")
    assert dialog.get_by_role("button", name="Confirm delivery").is_disabled()
    if photo:
        page.set_input_files(
            "#photo", files=[{"name": "door.png", "mimeType": "image/png", "buffer": png()}]
        )
        page.wait_for_selector("#photo-preview:not([hidden])")
    if signature:
        sign(page)
    dialog.get_by_role("button", name="Confirm delivery").click()
    page.wait_for_function(
        "s => document.querySelector(`#stops li[data-stop='${s}']`).classList.contains"
        "('s-delivered')",
        arg=stop,
    )
    return stop


def fail(page: Any, reason_label: str) -> str:
    stop = next_stop(page)
    page.get_by_role("button", name="Not delivered", exact=True).click()
    page.locator("#fail").get_by_label(reason_label).check()
    page.locator("#fail").get_by_role("button", name="Confirm", exact=True).click()
    page.wait_for_selector(f"#stops li.s-failed[data-stop='{stop}']")
    return stop


def applied(server: Server, van: str, day: str | None = None) -> list[dict[str, Any]]:
    store = open_ops(None, server.data)
    try:
        return store.events(day or server.day, van)
    finally:
        store.close()


def screenshot(page: Any, name: str, tmp_path: Path) -> None:
    """Into ``VOLTVAN_SCREENSHOTS`` (the docs' folder, when making them), else a temp folder."""
    folder = Path(os.environ.get("VOLTVAN_SCREENSHOTS", tmp_path))
    path = folder / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_a_drivers_day_online_offline_and_back(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    page = open_cockpit(browser, server, PHONE)
    sign_in(page, server.secrets["V01"])
    shown = page.locator("#stops li[data-stop]").evaluate_all("els => els.map(e => e.dataset.stop)")
    assert shown == V01_STOPS  # only this van's stops, in order, none of V02's
    assert "Bäckerei Aydın" in page.locator("#next").inner_text()
    assert (
        page.locator("#navigate").get_attribute("href")
        == "geo:52.501,13.42?q=52.501,13.42(B%C3%A4ckerei%20Ayd%C4%B1n)"
    )
    page.wait_for_selector(".leaflet-marker-icon.pin-next")

    done = [
        deliver(page, photo=True, signature=False),
        deliver(page, photo=False, signature=True),
        deliver(page, photo=True, signature=True),
    ]
    failed = fail(page, "No access")
    wait_sync(page, "Online · all sent")
    screenshot(page, "cockpit-phone.png", tmp_path)
    # the service worker controls the page and holds the route for offline use
    page.wait_for_function(
        "navigator.serviceWorker.controller && caches.open('cockpit-data')"
        ".then(c => c.keys()).then(k => k.length >= 2)"
    )

    page.context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    done += [
        deliver(page, photo=False, signature=True),
        deliver(page, photo=True, signature=False),
    ]
    wait_sync(page, "Offline · 2 waiting")
    page.reload()
    page.wait_for_selector("#next .eyebrow")
    wait_sync(page, "2 waiting")
    assert next_stop(page) == V01_STOPS[6]  # the offline deliveries survived the reload
    assert len(applied(server, "V01")) == 4

    page.context.set_offline(False)
    wait_sync(page, "Online · all sent")
    assert done == V01_STOPS[:3] + V01_STOPS[4:6] and failed == V01_STOPS[3]

    def check() -> None:
        events = applied(server, "V01")
        assert len(events) == 6 and len({e["event_id"] for e in events}) == 6
        assert sorted(e["stop_id"] for e in events if e["kind"] == "delivered") == sorted(done)
        assert [(e["stop_id"], e["reason"]) for e in events if e["kind"] == "failed"] == [
            (failed, "no_access")
        ]
        assert {e["outcome"] for e in events} == {"applied"}
        proofs = {
            e["stop_id"]: (e["photo"] is not None, e["signature"] is not None) for e in events
        }
        assert [proofs[s] for s in done] == [
            (True, False),
            (False, True),
            (True, True),
            (False, True),
            (True, False),
        ]

    check()
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Send every event again").click()
    page.wait_for_selector("#message:has-text('Sent 6 event(s) again')")
    check()
    assert applied(server, "V02") == []
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_a_new_plan_and_a_low_battery_are_shown_on_the_van_screen(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    """V02's screen (dashboard size, night colours): the dispatcher publishes version 2 and
    telemetry reports 12 %; the cockpit names what changed and warns, naming the charger."""
    page = open_cockpit(browser, server, DASHBOARD, color_scheme="dark")
    sign_in(page, server.secrets["V02"])
    assert next_stop(page) == V02_STOPS[0]
    assert page.locator("#range-warning").is_hidden()
    # 80 % of 64 kWh less six legs of 1.4 kWh
    assert page.locator("#battery").inner_text().strip() == "back 67%"

    now = dt.datetime.now(dt.UTC).isoformat()
    sample = {"samples": [{"ts": now, "signals": {SOC_SIGNAL: 12.0}}]}
    assert post(server, "/v1/vehicles/V02/signals", sample).status == 200
    body = {"base_version": 1, "plan": replanned().to_dict()}
    auth = {"Authorization": f"Bearer {server.secrets['dispatch']}"}
    assert post(server, f"/v1/ops/days/{server.day}/plans", body, auth).status == 201
    page.evaluate("cockpit.refresh()")

    changes = page.locator("#changes")
    changes.wait_for(state="visible")
    text = changes.inner_text()
    assert "plan 1 → 2" in text and "New stops: S14" in text and "Removed: S13" in text
    assert "order of your stops changed" in text
    warning = page.locator("#range-warning")
    assert warning.is_visible() and "Not enough charge" in warning.inner_text()
    assert "CH-Moritzplatz" in warning.inner_text()
    assert "now 12%" in page.locator("#battery").inner_text()
    assert next_stop(page) == "S10"
    screenshot(page, "cockpit-dashboard.png", tmp_path)

    page.get_by_role("button", name="Got it").click()
    assert changes.is_hidden()
    page.reload()
    page.wait_for_selector("#next .eyebrow")
    assert changes.is_hidden()  # told once: the device now shows version 2
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_undo_within_a_minute_online_and_offline(browser: Any, server: Server) -> None:
    """Undone after it was sent: an undo event; undone while still queued: never sent at all.
    The keyboard does it (d, u), as on a van's screen without touch."""
    page = open_cockpit(browser, server, PHONE, query=f"?day={server.undo_day}")
    sign_in(page, server.secrets["V01"])
    first = deliver(page, photo=False, signature=True)
    wait_sync(page, "Online · all sent")
    assert "Delivered: Bäckerei Aydın" in page.locator("#toast").inner_text()
    page.locator("body").press("u")
    page.wait_for_function(
        "s => document.querySelector('#stops li.is-next').dataset.stop === s", arg=first
    )
    wait_sync(page, "Online · all sent")
    events = applied(server, "V01", server.undo_day)
    assert [e["kind"] for e in events] == ["delivered", "undo"]
    assert events[1]["undoes"] == events[0]["event_id"]

    page.context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    page.locator("body").press("d")
    sign(page)
    page.locator("#deliver").get_by_role("button", name="Confirm delivery").click()
    wait_sync(page, "Offline · 1 waiting")
    page.get_by_role("button", name="Undo").click()
    wait_sync(page, "Offline · all sent")
    assert next_stop(page) == first
    page.context.set_offline(False)
    wait_sync(page, "Online · all sent")
    assert len(applied(server, "V01", server.undo_day)) == 2  # nothing more reached the server
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def post(server: Server, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer
