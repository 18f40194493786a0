"""The documentation site builds offline with --strict, with generated and executed pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(1500)  # it runs every lesson: up to 10 minutes on a loaded machine
def test_site_builds_strict_with_cli_api_and_lessons(tmp_path: Path) -> None:
    """mkdocs build --strict: guides, formats, CLI and API reference, lessons with output."""
    site = tmp_path / "site"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1400,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    for page in ("index.html", "twin/index.html", "formats/plan/index.html"):
        assert (site / page).is_file(), page
    cli = (site / "reference" / "cli" / "index.html").read_text("utf-8")
    assert re.search(r"voltvan plan\b", cli) and "--time-limit" in cli
    api = (site / "reference" / "api" / "charging" / "index.html").read_text("utf-8")
    assert 'id="voltvan.charging.Csms"' in api
    lesson = (site / "lessons" / "07_twin" / "index.html").read_text("utf-8")
    assert "stranded van-days:" in lesson  # what the lesson printed when the site was built
    pages = [p.read_text("utf-8") for p in site.rglob("*.html")]
    assert not any("fonts.googleapis.com" in p or "cdn.jsdelivr.net" in p for p in pages)
