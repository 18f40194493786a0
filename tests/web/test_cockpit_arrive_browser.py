"""The cockpit in chromium: the driver says "arrived" before the parcel changes hands, so the
fleet console sees a van standing at a stop (and for how long) rather than only the outcome."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.cockpit_browser import (
    PHONE,
    Server,
    applied,
    deliver,
    next_stop,
    open_cockpit,
    sign_in,
    wait_sync,
)

pytestmark = pytest.mark.browser


def test_arrived_then_delivered_online_and_the_arrival_survives_a_reload(
    chromium: Any, cockpit_server: Server
) -> None:
    day = cockpit_server.undo_day
    page = open_cockpit(chromium, cockpit_server, PHONE, query=f"?day={day}")
    sign_in(page, cockpit_server.secrets["V02"])
    first = next_stop(page)
    page.get_by_role("button", name="Arrived").click()
    page.locator("#arrived-note").wait_for(state="visible")
    wait_sync(page, "Online · all sent")
    assert "Arrived: " in page.locator("#toast").inner_text()
    # still the next stop, now without the button and with the note instead
    assert next_stop(page) == first
    assert page.locator("#arrived").count() == 0
    assert "the dispatcher sees you are here" in page.locator("#arrived-note").inner_text()
    assert "arrived" in page.locator(f"#stops li[data-stop='{first}'] .state").inner_text()
    assert [(e["kind"], e["stop_id"]) for e in applied(cockpit_server, "V02", day)] == [
        ("arrived", first)
    ]

    page.reload()
    page.wait_for_selector("#next .eyebrow")
    assert next_stop(page) == first and page.locator("#arrived").count() == 0

    assert deliver(page, photo=False, signature=True) == first
    wait_sync(page, "Online · all sent")
    assert next_stop(page) != first
    assert page.locator("#arrived").is_visible()  # the next stop starts over
    page.locator("body").press("a")  # the keyboard does it too, as on a van's screen
    page.locator("#arrived-note").wait_for(state="visible")
    wait_sync(page, "Online · all sent")
    kinds = [e["kind"] for e in applied(cockpit_server, "V02", day)]
    assert kinds == ["arrived", "delivered", "arrived"]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()
