"""The HTTP API (FastAPI): telemetry ingest, state, dead letters, read-only SQL; the live day."""

from voltvan.web._app import WebSettings as WebSettings
from voltvan.web._app import create_app as create_app

__all__ = ["WebSettings", "create_app"]
