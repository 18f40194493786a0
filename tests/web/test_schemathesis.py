"""Schemathesis against the running API, every check on: the document describes every answer.

Two servers: one with tokens (a reader's token sent; schemathesis also tries none and a wrong
one, expecting 401), and an open one (no tokens, so its telemetry routes declare none), where
ingest is reached with generated bodies. The operations routes need an account of the ops
store, which neither run has: they are checked for their refusals (401) only. Each run is
bounded by examples and by 20 s of generation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.ops.days import DAY, one_day
from tests.web.test_limits import live_server
from voltvan.ops import open_ops
from voltvan.telemetry import Tokens

CONFIG = Path(__file__).with_name("schemathesis.toml")
OPS_CONFIG = Path(__file__).with_name("schemathesis_ops.toml")
READER_TOKEN = "console-reader-token"


def _schemathesis(
    port: int, cwd: Path, *extra: str, config: Path = CONFIG
) -> subprocess.CompletedProcess[str]:
    """The schemathesis command line; ``cwd`` takes its cache folder."""
    return subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
         "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all",
         "--max-examples", "40", "--max-time", "20", "--seed", "1", *extra],
        capture_output=True, text=True, timeout=240, check=False, cwd=cwd,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("with_tokens", [True, False], ids=["tokens", "open"])
def test_schemathesis_finds_nothing(tmp_path: Path, with_tokens: bool) -> None:
    """Every operation, every check: no undocumented status, header, schema or auth gap."""
    settings = {}
    extra: tuple[str, ...] = ()
    if with_tokens:
        tokens = Tokens(vehicles={"V1": "van-one-secret-token"}, readers={"c": READER_TOKEN})
        settings = {"tokens": tokens}
        extra = ("--header", f"Authorization: Bearer {READER_TOKEN}")
    (tmp_path / "data").mkdir()
    with live_server(tmp_path / "data", **settings) as port:
        doc = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        run = _schemathesis(port, tmp_path, *extra)
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    operations = sum(len(ops) for ops in doc["paths"].values())
    assert f"Tested: {operations}" in run.stdout, report  # every operation was reached


@pytest.mark.slow
@pytest.mark.parametrize("role", ["dispatcher", "driver"])
def test_schemathesis_finds_nothing_on_the_operations_routes(tmp_path: Path, role: str) -> None:
    """The /v1/ops routes with an account of each role on a published day: every answer,
    403s and 409s included, is one the document declares, in the declared shape."""
    data = tmp_path / "data"
    store = open_ops(None, data)
    plan, stops = one_day({"V01": ["S1", "S2", "S3"], "V02": ["S4", "S5"]})
    store.publish(DAY, plan, stops, base_version=None, by="disp")
    secret = (
        store.add_user("disp", "dispatcher")
        if role == "dispatcher"
        else store.add_user("d1", "driver", "V01")
    )
    store.close()
    with live_server(data) as port:
        doc = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        run = _schemathesis(
            port, tmp_path, "--header", f"Authorization: Bearer {secret}",
            "--include-path-regex", "^/v1/ops/", config=OPS_CONFIG,
        )  # fmt: skip
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    operations = sum(
        1 for path, ops in doc["paths"].items() if path.startswith("/v1/ops/") for _ in ops
    )
    assert f"Tested: {operations}" in run.stdout, report
