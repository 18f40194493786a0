"""/cockpit/ is served by the API's own app: the page, its service worker, and the report's
Leaflet (the same bytes, not a second copy)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi.testclient import TestClient

from voltvan.web import WebSettings, create_app


def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(WebSettings(data_dir=tmp_path)))


def test_the_page_and_its_files_are_served_without_a_token(tmp_path: Path) -> None:
    c = client(tmp_path)
    page = c.get("/cockpit/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="app.js" type="module"' in page.text and "vendor/leaflet.js" in page.text
    for name, kind in [("sw.js", "javascript"), ("app.js", "javascript"), ("cockpit.css", "css")]:
        r = c.get(f"/cockpit/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"], name
    assert c.get("/cockpit", follow_redirects=False).status_code in (301, 307)


def test_leaflet_is_the_reports_vendored_copy(tmp_path: Path) -> None:
    c = client(tmp_path)
    static = resources.files("voltvan.report").joinpath("static")
    for name in ("leaflet.js", "leaflet.css"):
        r = c.get(f"/cockpit/vendor/{name}")
        assert r.status_code == 200 and r.content == static.joinpath(name).read_bytes()
    missing = c.get("/cockpit/vendor/report.js")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


def test_the_service_worker_caches_every_file_of_the_app(tmp_path: Path) -> None:
    """A listed file that is missing would fail the worker's install; a file of the app that
    is not listed would be missing when the page reloads offline."""
    c = client(tmp_path)
    sw = c.get("/cockpit/sw.js").text
    files = sw.split("const FILES = [", 1)[1].split("];", 1)[0]
    names = [n.strip().strip('"') for n in files.split(",") if n.strip()]
    for name in names:
        assert c.get(f"/cockpit/{name}").status_code == 200, name
    folder = resources.files("voltvan.web").joinpath("static", "cockpit")
    app_files = {f.name for f in folder.iterdir() if f.name not in ("sw.js", "index.html")}
    assert app_files == set(names) - {"./", "vendor/leaflet.js", "vendor/leaflet.css"}
