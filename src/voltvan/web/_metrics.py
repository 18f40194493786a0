"""Prometheus metrics of the API on ``/metrics``, and one log record per request.

Counted at the ASGI edge, so every answer is seen, errors of the framework included: requests
by route template (``/v1/vehicles/{vehicle_id}/signals``, never the raw path, which would make
a series per van) and status, their latency, and what ingest did with the rows it was sent.
Each app has its own registry: two apps in one process (tests) never share counts.

An ingest worker has no HTTP server: ``voltvan ingest --metrics-port`` starts prometheus_client's
small one beside it (:func:`serve_ingest_metrics`), bound to 127.0.0.1, reading the worker's
running totals at each scrape, so the ingest path pays nothing for it. ``voltvan csms
--metrics-port`` does the same with the central system's totals (``_csms_metrics``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    start_http_server,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from voltvan.web._app import BEARER
from voltvan.web._openapi import errors

access_log = logging.getLogger("voltvan.web.access")

#: Seconds: from a cached read (a few ms) to a query at its default 30 s limit.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The API's counters and histogram, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "voltvan_http_requests",
            "HTTP requests answered, by route template, method and status",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "voltvan_http_request_duration_seconds",
            "Time from the request's arrival to the end of its answer",
            ("route", "method"),
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rows = Counter(
            "voltvan_ingest_rows",
            "Signal rows ingested over HTTP: stored, or already stored before (duplicate)",
            ("outcome",),
            registry=self.registry,
        )
        self.rejects = Counter(
            "voltvan_ingest_rejects",
            "Dead letters of HTTP ingest, by reason code",
            ("reason",),
            registry=self.registry,
        )

    def ingested(self, stored: int, duplicates: int, rejects: Mapping[str, int]) -> None:
        self.rows.labels("stored").inc(stored)
        self.rows.labels("duplicate").inc(duplicates)
        for reason, n in rejects.items():
            self.rejects.labels(reason).inc(n)


def metrics_of(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


class _Measure:
    """ASGI middleware: count, time and log every HTTP request once its answer has started."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_seen(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_seen)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route, method).observe(elapsed)
            access_log.info(
                "%s %s %d %.1f ms",
                method,
                route,
                status,
                elapsed * 1000,
                extra={
                    "method": method,
                    "route": route,
                    "path": scope.get("path", ""),
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                },
            )


def install_metrics(app: FastAPI, *, guard: Any) -> None:
    """Count every request of ``app`` and serve the counts on ``/metrics``.

    ``guard(request)`` decides who may read them (a reader's token, or anyone on an open
    server), as for every other read of the API.
    """
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(_Measure, metrics=metrics)

    @app.get(
        "/metrics",
        summary="Prometheus metrics: requests, latency, ingest rows and dead letters",
        tags=["metrics"],
        response_class=Response,
        responses={
            200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
            **errors(403),
        },
        dependencies=[BEARER],
    )
    def metrics_page(request: Request) -> Response:
        guard(request)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


class IngestTotals(Protocol):
    """What the worker keeps (``voltvan.telemetry``'s ingest statistics)."""

    @property
    def messages(self) -> int: ...
    @property
    def stored(self) -> int: ...
    @property
    def duplicates(self) -> int: ...
    @property
    def flushes(self) -> int: ...
    @property
    def connects(self) -> int: ...
    @property
    def parse_s(self) -> float: ...
    @property
    def write_s(self) -> float: ...
    @property
    def rejected(self) -> Mapping[str, int]: ...


class _IngestCollector(Collector):
    def __init__(self, totals: Callable[[], IngestTotals]) -> None:
        self.totals = totals

    def collect(self) -> Iterator[Any]:
        t = self.totals()
        for name, doc, value in (
            ("voltvan_ingest_messages", "MQTT messages written and acknowledged", t.messages),
            ("voltvan_ingest_batches", "Batches written (each one durable write)", t.flushes),
            ("voltvan_ingest_connects", "Connections made to the broker", t.connects),
            ("voltvan_ingest_parse_seconds", "Time spent parsing messages", t.parse_s),
            ("voltvan_ingest_write_seconds", "Time spent writing batches", t.write_s),
        ):
            yield CounterMetricFamily(name, doc, value=value)
        rows = CounterMetricFamily(
            "voltvan_ingest_rows", "Signal rows: stored, or stored before", labels=["outcome"]
        )
        rows.add_metric(["stored"], t.stored)
        rows.add_metric(["duplicate"], t.duplicates)
        yield rows
        rejects = CounterMetricFamily(
            "voltvan_ingest_rejects", "Dead letters by reason code", labels=["reason"]
        )
        for reason, n in sorted(t.rejected.items()):
            rejects.add_metric([reason], n)
        yield rejects
        yield GaugeMetricFamily("voltvan_ingest_up", "1 while the worker runs", value=1)


def serve_ingest_metrics(totals: Callable[[], IngestTotals], port: int) -> Callable[[], None]:
    """Serve the worker's totals on http://127.0.0.1:``port``/metrics; returns the stop."""
    return serve_collector(_IngestCollector(totals), port)


def serve_collector(collector: Collector, port: int) -> Callable[[], None]:
    """Serve what ``collector`` reads at each scrape on http://127.0.0.1:``port``/metrics, for
    a process without an HTTP server of its own; returns the stop."""
    registry = CollectorRegistry()
    registry.register(collector)
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return stop
