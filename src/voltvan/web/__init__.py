"""The HTTP API (FastAPI): telemetry ingest, last state, dead letters and read-only SQL."""

from voltvan.web._app import WebSettings as WebSettings
from voltvan.web._app import create_app as create_app

__all__ = ["WebSettings", "create_app"]
