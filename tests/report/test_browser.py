"""The report in a real browser (Debian chromium, Playwright): draws, fetches nothing, no errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.plans import with_far_stop
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.report import write_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module; skipped where Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (CI installs the Debian chromium package)")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed (the test extra: pip install -e '.[test]')",
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def opened(
    browser: Any, small_day: tuple[Plan, Scenario], tmp_path: Path
) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The small day's report opened from file://, with console problems and non-file fetches."""
    path = write_report(*small_day, tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    fetched: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("path.vv-route")
    yield page, problems, [u for u in fetched if not u.startswith("file:")]
    page.close()


def test_map_draws_one_polyline_per_route(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """Leaflet draws exactly one route line per van, plus a marker per unassigned stop."""
    page, problems, fetched = opened
    plan, _ = small_day
    assert page.locator("path.vv-route").count() == len(plan.routes)
    assert page.locator(".leaflet-marker-icon.vv-unassigned").count() == len(plan.unassigned)
    assert page.locator(".leaflet-control-scale-line").count() == 1
    assert problems == []
    assert fetched == []


def test_soc_chart_has_a_line_per_van(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """The SoC chart is visible with a line per van and a reserve line; the timeline a row."""
    page, _, _ = opened
    plan, _ = small_day
    chart = page.locator("#vv-soc-chart")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert page.locator("#vv-soc-chart g.vv-soc polyline").count() == len(plan.routes)
    assert page.locator("#vv-soc-chart .vv-reserve").count() >= 1
    assert page.locator("#vv-timeline g.vv-tl").count() == len(plan.routes)


def test_toggling_a_van_hides_its_route_and_curve(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """Unticking a van in the legend removes its map line and hides its SoC curve."""
    page, problems, _ = opened
    plan, _ = small_day
    van = plan.routes[0].van_id
    page.locator(f'input.vv-toggle[data-van="{van}"]').uncheck()
    assert page.locator("path.vv-route").count() == len(plan.routes) - 1
    assert not page.locator(f'#vv-soc-chart g.vv-soc[data-van="{van}"]').is_visible()
    page.locator("#vv-all").click()
    assert page.locator("path.vv-route").count() == len(plan.routes)
    assert problems == []


def test_clicking_a_stop_opens_its_popup(opened: tuple[Any, list[str], list[str]]) -> None:
    """A stop's popup names arrival time, SoC on arrival and its time window."""
    page, problems, _ = opened
    page.locator("path.vv-stop").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "arrival" in text and "SoC on arrival" in text and "window" in text
    assert problems == []


def test_clicking_a_route_row_shows_that_van_alone(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """A click on a row of the route table leaves only that van's line on the map."""
    page, problems, _ = opened
    plan, _ = small_day
    van = plan.routes[-1].van_id
    page.locator(f'#vv-routes tr[data-van="{van}"]').click()
    assert page.locator("path.vv-route").count() == 1
    assert page.locator(f'input.vv-toggle[data-van="{van}"]').is_checked()
    assert not page.locator(f'input.vv-toggle[data-van="{plan.routes[0].van_id}"]').is_checked()
    assert problems == []


def test_stop_numbers_show_on_the_map_for_one_van(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """Showing one van alone puts its run-sheet numbers 1..n on its stop markers."""
    page, problems, _ = opened
    plan, _ = small_day
    route = plan.routes[-1]
    page.locator(f'#vv-routes tr[data-van="{route.van_id}"]').click()
    page.wait_for_selector("#vv-map.vv-show-seq")
    labels = page.locator(".leaflet-marker-icon.vv-seq")
    assert labels.count() == len(route.stop_ids)
    assert sorted(int(t) for t in labels.all_inner_texts()) == list(
        range(1, len(route.stop_ids) + 1)
    )
    assert labels.first.is_visible()
    assert problems == []


def test_printing_one_van_prints_its_run_sheet_alone(
    opened: tuple[Any, list[str], list[str]], small_day: tuple[Plan, Scenario]
) -> None:
    """A van's Print button leaves its unfolded sheet alone on the page, no map, no buttons."""
    page, problems, _ = opened
    plan, _ = small_day
    van, other = plan.routes[1].van_id, plan.routes[0].van_id
    page.evaluate("window.print = () => window.dispatchEvent(new Event('beforeprint'))")
    page.locator(f'button.vv-print-one[data-van="{van}"]').click()
    page.emulate_media(media="print")
    sheet = page.locator(f'details.vv-runsheet[data-van="{van}"]')
    assert sheet.get_attribute("open") is not None
    assert sheet.locator("table").is_visible()
    assert sheet.locator(".vv-rs-title").is_visible()
    assert not sheet.locator("summary").is_visible()
    assert not page.locator(f'details.vv-runsheet[data-van="{other}"]').is_visible()
    assert not page.locator("#vv-map").is_visible()
    assert not page.locator("#vv-routes").is_visible()
    assert sheet.evaluate("d => getComputedStyle(d).breakBefore") == "page"
    assert problems == []


def test_printing_the_whole_report_fits_the_map_without_controls(
    opened: tuple[Any, list[str], list[str]],
) -> None:
    """Printed as a whole, the map shows every route in its printed frame, with no zoom buttons
    or van toggles."""
    page, _, _ = opened
    page.emulate_media(media="print")
    assert page.locator("#vv-map").is_visible()
    frame = page.locator("#vv-map").bounding_box()
    page.wait_for_function(
        """f => [...document.querySelectorAll('path.vv-route')].every(p => {
             const b = p.getBoundingClientRect();
             return b.left >= f.x - 1 && b.right <= f.x + f.width + 1
                 && b.top >= f.y - 1 && b.bottom <= f.y + f.height + 1; })""",
        arg={**frame, "y": frame["y"] - page.evaluate("scrollY")},
        timeout=3000,
    )
    assert not page.locator(".leaflet-control-zoom").is_visible()
    assert not page.locator("#vv-all").is_visible()
    assert (
        page.locator("details.vv-runsheet").first.evaluate("d => getComputedStyle(d).breakBefore")
        == "page"
    )


def test_map_opens_on_the_stops_not_on_a_far_one(
    browser: Any, small_day: tuple[Plan, Scenario], tmp_path: Path
) -> None:
    """A stop 60 km out is drawn off-screen; the depot and the routes fill the map."""
    plan, scenario = small_day
    far_id = plan.unassigned[0].stop_id
    path = write_report(plan, with_far_stop(scenario, far_id), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_selector("path.vv-route")
    box = page.locator("#vv-map").bounding_box()

    def inside(b: dict[str, float]) -> bool:
        cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        in_x = box["x"] <= cx <= box["x"] + box["width"]
        return in_x and box["y"] <= cy <= box["y"] + box["height"]

    marks = page.locator(".leaflet-marker-icon.vv-unassigned")
    assert marks.count() == 2
    assert sorted(inside(marks.nth(i).bounding_box()) for i in range(2)) == [False, True]
    assert inside(page.locator(".leaflet-marker-icon.vv-depot").bounding_box())
    routes = page.locator("path.vv-route")
    spans = [routes.nth(i).bounding_box() for i in range(routes.count())]
    assert all(s["width"] > box["width"] / 20 for s in spans)  # not shrunk to a dot
    page.close()
