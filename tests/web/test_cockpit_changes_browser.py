"""The cockpit in chromium: a new plan version and a low battery on the van's screen; undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.web.cockpit_browser import (
    DASHBOARD,
    PHONE,
    SOC_SIGNAL,
    Server,
    applied,
    deliver,
    next_stop,
    open_cockpit,
    post,
    screenshot,
    sign,
    sign_in,
    wait_sync,
)
from tests.web.cockpit_day import V02_STOPS, replanned

pytestmark = pytest.mark.browser


def test_a_new_plan_and_a_low_battery_are_shown_on_the_van_screen(
    chromium: Any, cockpit_server: Server, tmp_path: Path
) -> None:
    """V02's screen (dashboard size, night colours): the dispatcher publishes version 2 and
    telemetry reports 12 %; the cockpit names what changed and warns, naming the charger."""
    page = open_cockpit(chromium, cockpit_server, DASHBOARD, color_scheme="dark")
    sign_in(page, cockpit_server.secrets["V02"])
    assert next_stop(page) == V02_STOPS[0]
    assert page.locator("#range-warning").is_hidden()
    # 80 % of 64 kWh less six legs of 1.4 kWh
    assert page.locator("#battery").inner_text().strip() == "back 67%"

    now = dt.datetime.now(dt.UTC).isoformat()
    sample = {"samples": [{"ts": now, "signals": {SOC_SIGNAL: 12.0}}]}
    assert post(cockpit_server, "/v1/vehicles/V02/signals", sample).status == 200
    body = {"base_version": 1, "plan": replanned().to_dict()}
    auth = {"Authorization": f"Bearer {cockpit_server.secrets['dispatch']}"}
    assert (
        post(cockpit_server, f"/v1/ops/days/{cockpit_server.day}/plans", body, auth).status == 201
    )
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


def test_undo_within_a_minute_online_and_offline(chromium: Any, cockpit_server: Server) -> None:
    """Undone after it was sent: an undo event; undone while still queued: never sent at all.
    The keyboard does it (d, u), as on a van's screen without touch."""
    page = open_cockpit(chromium, cockpit_server, PHONE, query=f"?day={cockpit_server.undo_day}")
    sign_in(page, cockpit_server.secrets["V01"])
    first = deliver(page, photo=False, signature=True)
    wait_sync(page, "Online · all sent")
    assert "Delivered: Bäckerei Aydın" in page.locator("#toast").inner_text()
    page.locator("body").press("u")
    page.wait_for_function(
        "s => document.querySelector('#stops li.is-next').dataset.stop === s", arg=first
    )
    wait_sync(page, "Online · all sent")
    events = applied(cockpit_server, "V01", cockpit_server.undo_day)
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
    assert (
        len(applied(cockpit_server, "V01", cockpit_server.undo_day)) == 2
    )  # nothing more reached the server
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()
