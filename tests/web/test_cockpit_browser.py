"""The driver cockpit in a real browser (Debian chromium, Playwright) against a real uvicorn server.

A driver signs in, sees only their route, delivers with a photo and a signature, fails a stop,
loses the connection, delivers on, reloads the page offline and comes back: the server holds each
event once, also when the device sends its whole queue again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.cockpit_browser import (
    PHONE,
    Server,
    applied,
    deliver,
    fail,
    next_stop,
    open_cockpit,
    screenshot,
    sign_in,
    wait_sync,
)
from tests.web.cockpit_day import V01_STOPS

pytestmark = pytest.mark.browser


def test_a_drivers_day_online_offline_and_back(
    chromium: Any, cockpit_server: Server, tmp_path: Path
) -> None:
    page = open_cockpit(chromium, cockpit_server, PHONE)
    sign_in(page, cockpit_server.secrets["V01"])
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
    assert len(applied(cockpit_server, "V01")) == 4

    page.context.set_offline(False)
    wait_sync(page, "Online · all sent")
    assert done == V01_STOPS[:3] + V01_STOPS[4:6] and failed == V01_STOPS[3]

    def check() -> None:
        events = applied(cockpit_server, "V01")
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
    assert applied(cockpit_server, "V02") == []
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()
