"""An :class:`~concurrent.futures.Executor` whose every call is one Spark task.

:func:`voltvan.planning.plan_day` hands its parts to an executor and waits for the first to
finish; this one runs each submitted call as a one-task Spark job, so the day's scheduler (its
fair shares of the time limit) is the same whether the parts run in local processes or on a
cluster's executors. Spark takes jobs from several driver threads at once, so each call waits for
its job in a thread of its own, as many threads as the cluster runs tasks at a time.

A call that raises in the task comes back as the future's exception: the exception itself when it
survives pickling (the task's traceback as its cause), else :class:`SparkTaskFailed` with its type
and message. A task Spark itself could not run (an executor without voltvan, a lost executor)
also ends in :class:`SparkTaskFailed`, with the last line of the worker's error, not the JVM's
stack.
"""

from __future__ import annotations

import pickle
import re
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from voltvan.errors import VoltvanError
from voltvan.spark import error_line, spark_session

if TYPE_CHECKING:
    from pyspark import SparkContext

NO_VOLTVAN = re.compile(r"No module named 'voltvan[.']")
NO_VOLTVAN_HINT = (
    "the Spark executors cannot import voltvan: install it on their image or ship a packed "
    "environment (docs/retailer.md, 'On a cluster')"
)


class SparkTaskFailed(VoltvanError):
    """A call run as a Spark task failed, or Spark could not run it."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a Spark task, as text (its ``__cause__``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def run_in_task(call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> Any:
    """In the Spark worker: the call's result, or what it raised, never a Spark failure.

    An exception goes back pickled if it can, else as its type and message; either way with the
    traceback text, so the driver never has to read it out of a JVM error.
    """
    fn, args, kwargs = call
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as exc:
        text = traceback.format_exc()
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            return ("failed", f"{type(exc).__name__}: {exc}", text)
        return ("raised", exc, text)


class SparkExecutor(Executor):
    """Runs each submitted call as one Spark task, as many at once as the cluster has slots.

    ``master`` as for :func:`voltvan.spark.spark_session` (an existing session is reused);
    ``max_workers`` defaults to the context's default parallelism (its cores in all).
    """

    def __init__(self, master: str | None = None, max_workers: int | None = None) -> None:
        self._sc: SparkContext = spark_session(master, app="voltvan-plan").sparkContext
        self.max_workers = max(1, max_workers or self._sc.defaultParallelism)
        self._threads = ThreadPoolExecutor(self.max_workers, thread_name_prefix="spark-task")
        self._lock = threading.Lock()
        self._jobs = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self._jobs += 1
            job = self._jobs
        return self._threads.submit(self._run, job, (fn, args, kwargs))

    def _run(
        self, job: int, call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]
    ) -> Any:
        self._sc.setJobGroup(f"voltvan-{id(self)}", f"voltvan call {job}")
        try:
            [answer] = self._sc.parallelize([call], 1).map(run_in_task).collect()
        except Exception as exc:  # Spark could not run the task: its message is a JVM page
            line = error_line(str(exc))
            hint = f" ({NO_VOLTVAN_HINT})" if NO_VOLTVAN.search(str(exc)) else ""
            raise SparkTaskFailed(f"the Spark task failed: {line}{hint}") from None
        if answer[0] == "ok":
            return answer[1]
        if answer[0] == "raised":
            raise answer[1] from RemoteTraceback(answer[2])
        raise SparkTaskFailed(f"in the Spark task: {answer[1]}") from RemoteTraceback(answer[2])

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking calls; with ``cancel_futures`` also cancel the running Spark jobs.

        The session stays up for the next executor (it ends with this Python).
        """
        if cancel_futures:
            self._sc.cancelJobGroup(f"voltvan-{id(self)}")
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)


__all__ = ["RemoteTraceback", "SparkExecutor", "SparkTaskFailed", "run_in_task"]
