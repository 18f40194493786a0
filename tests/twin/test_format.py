"""``twin.json`` has exactly the fields, and the JSON types, that docs/formats/twin.md lists."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.twin.scenes import QUIET, TRAVEL, charger, plan, route, scenario, stop
from voltvan.twin import EVENT_KINDS, TWIN_FORMAT_VERSION, simulate, twin_document, write_outputs

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats" / "twin.md"
TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "number": (int, float),
    "string": (str,),
    "list": (list,),
    "object": (dict,),
    "number or null": (int, float, type(None)),
    "string or null": (str, type(None)),
    "object or null": (dict, type(None)),
}


def _documented() -> dict[str, dict[str, str]]:
    """Section heading -> {field: type} from the tables of the format document."""
    out: dict[str, dict[str, str]] = {}
    section = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().strip("`")
            out[section] = {}
        m = re.match(r"\| `([a-z_0-9]+)` \| ([a-z ]+) \|", line)
        if m and section:
            out[section][m.group(1)] = m.group(2).strip()
    return {k: v for k, v in out.items() if v}


def _check(obj: dict[str, Any], fields: dict[str, str], where: str) -> None:
    assert set(obj) == set(fields), f"{where}: written {sorted(obj)}, documented {sorted(fields)}"
    for key, kind in fields.items():
        value = obj[key]
        assert isinstance(value, TYPES[kind]) and not isinstance(value, bool), (where, key)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A day with a stranded van, a late stop, a queue, a failed delivery and a broken charger."""
    scn = scenario(
        [stop("S1", 2, window=(0.0, 8 * 3600.0 + 60.0)), stop("S2", 4), stop("S3", 40)],
        vans=2,
        start_soc=0.3,
        battery_wh=8_000.0,
        chargers=[charger("C1", 1), charger("C2", 3)],
    )
    pl = plan(
        scn,
        route(scn, "V1", [("charge", "C1"), ("stop", "S1"), ("stop", "S3")]),
        route(scn, "V2", [("charge", "C2"), ("stop", "S2")]),
    )
    params = replace(QUIET, fail_share=0.5, out_of_order=("C1",))
    run = simulate(scn, pl, days=3, seed=2, params=params, travel=TRAVEL)
    path, _ = write_outputs(twin_document(run, pl, scn), tmp_path_factory.mktemp("twin"))
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def test_every_level_matches_the_document(written: dict[str, Any]) -> None:
    check_document(written)


def check_document(written: dict[str, Any]) -> None:
    """Every level of a written twin.json has exactly the documented fields and types."""
    fields = _documented()
    _check(written, fields["Top level"], "top level")
    _check(written["params"], fields["params"], "params")
    _check(written["summary"], fields["summary"], "summary")
    _check(written["lateness_histogram"], fields["lateness_histogram"], "lateness_histogram")
    for van in written["vans"]:
        _check(van, fields["vans[]"], "vans[]")
    for day in written["by_day"]:
        _check(day, fields["by_day[]"], "by_day[]")
        if day["night"] is not None:
            _check(day["night"], fields["by_day[].night"], "by_day[].night")
            for n in day["night"]["vans"]:
                _check(n, fields["by_day[].night.vans[]"], "by_day[].night.vans[]")
        for vd in day["vans"]:
            _check(vd, fields["by_day[].vans[]"], "by_day[].vans[]")
            for ev in vd["events"]:
                _check(ev, fields["by_day[].vans[].events[]"], "events[]")
                assert ev["kind"] in EVENT_KINDS


def test_the_day_shows_what_it_was_built_to_show(written: dict[str, Any]) -> None:
    """The fixture is not vacuous: its events include every kind but ``no_charger``."""
    kinds = {ev["kind"] for day in written["by_day"] for vd in day["vans"] for ev in vd["events"]}
    assert kinds >= {"stranded", "late", "queued", "failed_delivery", "charger_out_of_order"}
    assert written["format"] == "voltvan-twin" and written["version"] == TWIN_FORMAT_VERSION
    assert written["summary"]["stranded_van_days"] >= 1


def test_bands_and_plan_lines_are_aligned(written: dict[str, Any]) -> None:
    for van in written["vans"]:
        band = van["soc_band"]
        assert len(band["t_s"]) == len(band["p5"]) == len(band["p50"]) == len(band["p95"]) > 0
        p5, p50, p95 = band["p5"], band["p50"], band["p95"]
        assert all(a <= b <= c for a, b, c in zip(p5, p50, p95, strict=True))
        assert len(van["plan_soc"]["t_s"]) == len(van["plan_soc"]["soc"])


def test_every_event_kind_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"`{k}`" in text for k in EVENT_KINDS)
