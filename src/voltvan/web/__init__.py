"""The HTTP API (FastAPI): telemetry ingest, state, dead letters, read-only SQL; the live day."""

from voltvan.web._app import WebSettings as WebSettings
from voltvan.web._app import create_app as create_app
from voltvan.web._csms_metrics import serve_csms_metrics as serve_csms_metrics
from voltvan.web._logs import JsonFormatter as JsonFormatter
from voltvan.web._logs import log_json as log_json
from voltvan.web._metrics import serve_ingest_metrics as serve_ingest_metrics

__all__ = [
    "JsonFormatter",
    "WebSettings",
    "create_app",
    "log_json",
    "serve_csms_metrics",
    "serve_ingest_metrics",
]
