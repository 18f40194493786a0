"""What the cockpit's browser tests share: the server they run against (its fixture is in
``conftest.py``), screen sizes, and the driver's gestures (sign in, deliver, fail, sign)."""

from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.web.cockpit_day import png
from voltvan.ops import open_ops

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


def open_cockpit(
    browser: Any, server: Server, viewport: dict[str, int], query: str = "", **kw: Any
) -> Any:
    """A fresh device (context): a request anywhere but the server, an error answer or a
    script error is recorded in ``page.problems`` (each test asserts it empty)."""
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
    page.on(
        "response",
        lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(server.url + "/cockpit/" + query)
    return page


def sign_in(page: Any, secret: str) -> None:
    try:
        page.wait_for_selector("#login:not([hidden])", timeout=20_000)
    except Exception as exc:
        raise AssertionError(f"no sign-in form: {page.problems}") from exc  # type: ignore[attr-defined]
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


def post(server: Server, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer
