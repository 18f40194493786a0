"""Prometheus metrics of the OCPP central system (``voltvan csms --metrics-port``).

Read from the server's running totals at each scrape, on prometheus_client's small HTTP server
as for an ingest worker: connected chargers, transactions started and stopped, meter values,
profile pushes, frames answered with a CALLERROR by OCPP error code, and refused connections by
reason (``unknown_charger``, ``password``, ``certificate``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from voltvan.charging import Csms
from voltvan.web._metrics import serve_collector


class _CsmsCollector(Collector):
    def __init__(self, csms: Csms) -> None:
        self.csms = csms

    def collect(self) -> Iterator[Any]:
        s = self.csms.stats
        yield GaugeMetricFamily(
            "voltvan_csms_connected_chargers",
            "Chargers connected now",
            value=len(self.csms.connected),
        )
        for name, doc, value in (
            (
                "voltvan_csms_transactions_started",
                "Transactions chargers reported started (StartTransaction, TransactionEvent)",
                s.transactions_started,
            ),
            (
                "voltvan_csms_transactions_stopped",
                "Transactions chargers reported stopped (StopTransaction, TransactionEvent)",
                s.transactions_stopped,
            ),
            ("voltvan_csms_meter_values", "Meter value samples received", s.meter_values),
            (
                "voltvan_csms_profile_pushes",
                "Charging profiles sent to chargers (SetChargingProfile)",
                s.profile_pushes,
            ),
        ):
            yield CounterMetricFamily(name, doc, value=value)
        for name, doc, counts in (
            (
                "voltvan_csms_rejected_frames",
                "Frames answered with a CALLERROR, by OCPP error code",
                s.rejected_frames,
            ),
            (
                "voltvan_csms_refused_connections",
                "WebSocket handshakes refused, by reason",
                s.refused_connections,
            ),
        ):
            family = CounterMetricFamily(name, doc, labels=["reason"])
            for reason, n in sorted(dict(counts).items()):
                family.add_metric([reason], n)
            yield family


def serve_csms_metrics(csms: Csms, port: int) -> Callable[[], None]:
    """Serve the central system's totals on http://127.0.0.1:``port``/metrics; returns the stop."""
    return serve_collector(_CsmsCollector(csms), port)
