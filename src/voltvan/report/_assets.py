"""The vendored Leaflet and the report's own CSS/JS/template, read from the package for inlining.

Everything is inlined into one HTML file so a dispatcher can mail it or open it from ``file://``
with no tile server, CDN or sibling folder. The vendored files stay byte-identical in ``static/``
(with their licence); only what the report never uses is dropped here on the way in: the
source-map comment, the image URLs of the default marker and layer-switcher icons, and the
link in the attribution control (switched off; the footer credits Leaflet instead).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_IMAGE_URL = re.compile(r"url\(images/[^)]*\)")
# The prefix of the attribution control, which the report switches off.
_ATTRIBUTION_LINK = '<a href="https://leafletjs.com" title='


@cache
def asset(name: str) -> str:
    """A file of ``voltvan/report/static`` as text."""
    return resources.files("voltvan.report").joinpath("static", name).read_text(encoding="utf-8")


def leaflet_js() -> str:
    js = _SOURCE_MAP.sub("", asset("leaflet.js")).replace(_ATTRIBUTION_LINK, "<a title=")
    return js.replace("</script", "<\\/script")


def leaflet_css() -> str:
    return _IMAGE_URL.sub("none", asset("leaflet.css"))


def leaflet_version() -> str:
    found = re.search(r"Leaflet (\d+\.\d+\.\d+)", asset("leaflet.js"))
    return found.group(1) if found else "?"


def report_css() -> str:
    """The report's stylesheet, for other voltvan pages that want to look like the report."""
    return asset("report.css")
