"""Group commit for HTTP ingest: requests that arrive together share one durable write.

Each POST is answered only after its rows are on disk; writing every request on its own would
cost one file and several fsyncs per request and cap a server at a few dozen requests a
second. A committer thread takes whatever requests are waiting (plus those arriving within a
few milliseconds), writes them with one :meth:`voltvan.telemetry.Store.write_many`, and hands
each request its own result.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from voltvan.telemetry import Batch, Store, WriteResult

_Job = tuple[Batch, "Future[WriteResult]"]


class GroupCommitter:
    """Owns the store's writes for one app; :meth:`submit` returns a future per batch."""

    def __init__(
        self, open_store: Callable[[], Store], *, linger_s: float = 0.005, max_rows: int = 100_000
    ) -> None:
        self._open_store = open_store
        self._linger_s = linger_s
        self._max_rows = max_rows
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, batch: Batch) -> Future[WriteResult]:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voltvan-http-commit")
                self._thread.daemon = True
                self._thread.start()
        fut: Future[WriteResult] = Future()
        self._jobs.put((batch, fut))
        return fut

    def close(self) -> None:
        with self._lock:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread.join()
                self._thread = None

    def _run(self) -> None:
        store = None
        try:
            while (first := self._jobs.get()) is not None:
                group = [first]
                rows = first[0].num_rows
                end = time.monotonic() + self._linger_s
                done = False
                while rows < self._max_rows and (left := end - time.monotonic()) > 0:
                    try:
                        job = self._jobs.get(timeout=left)
                    except queue.Empty:
                        break
                    if job is None:
                        done = True
                        break
                    group.append(job)
                    rows += job[0].num_rows
                try:
                    store = store or self._open_store()
                    results = store.write_many([b for b, _ in group])
                except BaseException as exc:  # each waiting request gets the error
                    for _, fut in group:
                        fut.set_exception(exc)
                else:
                    for (_, fut), result in zip(group, results, strict=True):
                        fut.set_result(result)
                if done:
                    break
        finally:
            if store is not None:
                store.close()
