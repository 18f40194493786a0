"""``plan_day(engine="spark")``: one Spark task per part, the day's scheduler unchanged."""

from __future__ import annotations

import importlib
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.planning import SparkExecutor, SparkTaskFailed, plan_day
from voltvan.planning._spark_executor import RemoteTraceback, run_in_task
from voltvan.scenario import generate_metro_scenario

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class Unpicklable(Exception):
    """An exception that cannot travel back from a task (it holds a lock-like object)."""

    def __reduce__(self) -> Any:
        raise TypeError("not picklable")


def _raise_unpicklable() -> None:
    raise Unpicklable("the part's matrix is gone")


class FailsOnTheWorker:
    """Pickles on the driver, fails to unpickle in the worker: a task Spark cannot run."""

    def __init__(self, module: str) -> None:
        self.module = module

    def __reduce__(self) -> Any:
        return (importlib.import_module, (self.module,))


def test_an_exception_that_cannot_travel_comes_back_as_type_and_message() -> None:
    """In the task: the call's exception as text when pickling it fails, with its traceback."""
    kind, message, text = run_in_task((_raise_unpicklable, (), {}))
    assert (kind, message) == ("failed", "Unpicklable: the part's matrix is gone")
    assert "Traceback" in text and "_raise_unpicklable" in text
    assert run_in_task((divmod, (7, 2), {})) == ("ok", (3, 1))


def test_the_engine_is_checked() -> None:
    """An unknown engine is refused by name before anything is planned."""
    day = generate_metro_scenario(num_stops=10, num_vans=2, num_depots=2, seed=1)
    with pytest.raises(ValueError, match="unknown engine 'dask'"):
        plan_day(day, engine="dask")


@pytest.mark.slow
def test_an_exception_in_a_task_reaches_the_caller(spark: SparkSession) -> None:
    """The task's own exception, with the worker's traceback as its cause; Spark's failures
    (here: a module the worker cannot import) as SparkTaskFailed with one plain line."""
    with SparkExecutor(max_workers=2) as ex:
        assert ex.submit(divmod, 7, 2).result() == (3, 1)
        with pytest.raises(ValueError, match="invalid literal for int") as raised:
            ex.submit(int, "x").result()
        assert isinstance(raised.value.__cause__, RemoteTraceback)
        assert "Traceback" in str(raised.value.__cause__)
        with pytest.raises(SparkTaskFailed) as failed:
            ex.submit(id, FailsOnTheWorker("voltvan._not_there")).result()
    message = str(failed.value)
    assert "No module named 'voltvan._not_there'" in message
    assert "cannot import voltvan" in message
    assert "\tat org.apache" not in message and "SQLSTATE" not in message


@pytest.mark.slow
def test_the_executor_has_the_clusters_slots(spark: SparkSession) -> None:
    """Without ``max_workers`` as many calls run at once as the context has cores."""
    with SparkExecutor() as ex:
        assert ex.max_workers == spark.sparkContext.defaultParallelism == 2


@pytest.fixture(scope="module")
def metro() -> Scenario:
    """150 stops, 6 vans, 3 depots (seed 5)."""
    return generate_metro_scenario(num_stops=150, num_vans=6, num_depots=3, seed=5)


@pytest.mark.slow
def test_a_multi_depot_day_on_spark(spark: SparkSession, metro: Scenario) -> None:
    """Planned on local[2]: the checker accepts it, each stop is served once or listed with a
    reason, and the parts are the process engine's."""
    plan = plan_day(metro, time_limit_s=20, engine="spark", master="local[2]", max_iterations=200)
    result = check_plan(plan, metro)
    assert result.is_feasible, result.violations[:3]
    served = Counter(s for r in plan.routes for s in r.stop_ids)
    listed = Counter(u.stop_id for u in plan.unassigned)
    assert served + listed == Counter(s.id for s in metro.stops)
    assert all(u.reason for u in plan.unassigned)
    assert plan.stats["workers"] == 2
    local = plan_day(metro, time_limit_s=20, workers=1, max_iterations=200)
    parts = sorted((p["part"], p["depot"], p["stops"]) for p in plan.stats["parts"])
    assert parts == sorted((p["part"], p["depot"], p["stops"]) for p in local.stats["parts"])
    assert len(parts) == 3
