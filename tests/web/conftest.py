"""Fixtures of the cockpit's browser tests: a real uvicorn server with a published day and
driver accounts, and Debian's chromium (one of each per test module)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.report.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.web.cockpit_browser import Server
from tests.web.cockpit_day import cockpit_day
from tests.web.live import serving
from voltvan.ops import open_ops
from voltvan.web import WebSettings, create_app


@pytest.fixture(scope="module")
def cockpit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
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
    with serving(create_app(WebSettings(data_dir=data))) as url:
        yield Server(url, data, day, undo_day, secrets)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is needed (the Debian chromium package)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
