"""The driver cockpit: a browser app under /cockpit/ on the same server as the API it uses.

Plain HTML, CSS and JavaScript from ``static/cockpit`` (no build step, nothing from a CDN). The
map is drawn by the Leaflet the report vendors, served from the report package's own files so
there is one copy of it. The app's service worker lives at /cockpit/sw.js, so its scope is the
cockpit and it may cache the app, the map script and the van's route for offline use.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from voltvan.errors import NotFound

#: The vendored Leaflet files of the report, by the name the cockpit asks for.
_LEAFLET = {"leaflet.js": "text/javascript", "leaflet.css": "text/css"}


def _package_dir(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def mount_cockpit(app: FastAPI) -> None:
    """Serve the cockpit at /cockpit/ (its vendor files first, then the static folder)."""
    leaflet_dir = _package_dir("voltvan.report", "static")

    @app.get("/cockpit/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> FileResponse:
        if name not in _LEAFLET:
            raise NotFound(f"no vendor file {name!r}")
        return FileResponse(
            leaflet_dir / name, media_type=_LEAFLET[name], headers={"Cache-Control": "no-cache"}
        )

    app.mount(
        "/cockpit",
        StaticFiles(directory=_package_dir("voltvan.web", "static", "cockpit"), html=True),
        name="cockpit",
    )
