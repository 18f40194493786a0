"""The vendored Leaflet stays as published, with its licence, and is trimmed only when inlined."""

from __future__ import annotations

import hashlib
from importlib import resources

from voltvan.report import _assets

# sha256 of dist/leaflet.js and dist/leaflet.css in the npm package leaflet@1.9.4.
LEAFLET_SHA256 = {
    "leaflet.js": "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    "leaflet.css": "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
}


def test_vendored_files_are_the_published_ones() -> None:
    """The copies in static/ are byte-identical to the npm release, with the licence beside."""
    static = resources.files("voltvan.report").joinpath("static")
    for name, digest in LEAFLET_SHA256.items():
        assert hashlib.sha256(static.joinpath(name).read_bytes()).hexdigest() == digest
    assert "BSD 2-Clause" in static.joinpath("LICENSE-leaflet.txt").read_text(encoding="utf-8")


def test_inlined_leaflet_drops_only_what_would_fetch() -> None:
    """Inlining drops the source map, icon image URLs and attribution link, nothing more."""
    js, css = _assets.leaflet_js(), _assets.leaflet_css()
    assert "sourceMappingURL" not in js
    assert 'href="https://leafletjs.com"' not in js
    assert "url(images/" not in css
    assert abs(len(js) - len(_assets.asset("leaflet.js"))) < 200
    assert _assets.leaflet_version() == "1.9.4"
