"""Two devices at once: the same stop delivered twice, the same queue synced twice, two publishers.

Each case runs the two requests on two threads that start together (a barrier), many times over,
so that the store's locking, not the luck of scheduling, decides.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from sqlalchemy import func, select

from tests.ops.days import DAY, PNG, event, one_day
from voltvan.errors import Conflict
from voltvan.ops import OpsStore
from voltvan.ops._schema import events

T = TypeVar("T")
ROUNDS = 8


def together(first: Callable[[], T], second: Callable[[], T]) -> list[T | Exception]:
    barrier = threading.Barrier(2)

    def run(fn: Callable[[], T]) -> T | Exception:
        barrier.wait()
        try:
            return fn()
        except Exception as exc:  # the outcome is what the test asserts
            return exc

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(run, [first, second]))


def test_two_devices_delivering_one_stop_get_one_success_and_one_conflict(
    day_store: OpsStore,
) -> None:
    driver = day_store.authenticate(day_store.add_user("d1", "driver", "V01"))
    assert driver is not None
    proof = day_store.put_proof(driver, PNG)["proof"]
    for i in range(ROUNDS):
        plan, details = one_day({"V01": [f"R{i}"]})
        day_store.publish(DAY, plan, details, base_version=i + 1, by="disp")
        phone, van_screen = event(f"R{i}", photo=proof), event(f"R{i}", signature=proof)
        answers = together(
            partial(day_store.record, driver, DAY, "V01", phone),
            partial(day_store.record, driver, DAY, "V01", van_screen),
        )
        codes = sorted(a.status_code for a in answers if not isinstance(a, Exception))
        assert codes == [200, 409], answers
    with day_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 2 * ROUNDS


def test_one_queue_synced_from_two_connections_at_once_is_stored_once(
    day_store: OpsStore,
) -> None:
    driver = day_store.authenticate(day_store.add_user("d1", "driver", "V01"))
    assert driver is not None
    for stop in ("S1", "S2", "S3"):
        ev = event(stop, "arrived")
        first, second = together(
            partial(day_store.record, driver, DAY, "V01", ev),
            partial(day_store.record, driver, DAY, "V01", ev),
        )
        assert first == second and not isinstance(first, Exception)
    with day_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 3


def test_two_dispatchers_publishing_on_one_version_one_wins(day_store: OpsStore) -> None:
    for base in range(1, ROUNDS + 1):
        plan, _ = one_day({"V01": ["S1"], "V02": ["S2"]})
        results = together(
            partial(day_store.publish, DAY, plan, base_version=base, by="a"),
            partial(day_store.publish, DAY, plan, base_version=base, by="b"),
        )
        assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"], results
        assert [r for r in results if not isinstance(r, Conflict)] == [base + 1]
