"""The ingest benchmark's HTTP run: ``voltvan serve`` with concurrent posters of the same stream.

The HTTP path is the other way signals arrive; it is timed with the same messages so that the
two can be compared. The posting client runs in a child process (``ingest.py --_http``), apart
from the server whose CPU is measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ingest_procs import INGEST_SCRIPT, REPO, free_port, process_cpu_s, safe_hwm_kb
from ingest_stream import Stream, message, van_id
from ingest_worker import write_fleet


def http_client(port: int, stream: Stream, requests: int, clients: int) -> None:
    """POST the first ``requests`` messages from ``clients`` concurrent connections; print JSON."""
    import asyncio

    import httpx

    bodies = iter(
        [
            (van_id(v, stream.vans), message(stream, v, w))
            for w in range(stream.windows)
            for v in range(stream.vans)
        ][:requests]
    )
    stored = [0]

    async def post_all() -> float:
        limits = httpx.Limits(max_connections=clients)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

            async def one_client() -> None:
                for vid, body in bodies:  # one shared iterator: each message is sent once
                    r = await client.post(
                        f"/v1/vehicles/{vid}/signals",
                        content=body,
                        headers={"content-type": "application/json"},
                    )
                    r.raise_for_status()
                    stored[0] += int(r.json()["stored"])

            t0 = time.time()
            await asyncio.gather(*(one_client() for _ in range(clients)))
            return time.time() - t0

    seconds = asyncio.run(post_all())
    print(json.dumps({"seconds": seconds, "stored": stored[0]}), flush=True)


def run_http(stream: Stream, requests: int, clients: int, folder: Path) -> dict[str, float]:
    """``voltvan serve`` with ``clients`` concurrent posters: requests/s and server CPU."""
    data = folder / "data-http"
    fleet = write_fleet(folder, stream.vans)
    port = free_port()
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "serve",
        "--data", str(data), "--fleet", str(fleet), "--port", str(port),
    ]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            time.sleep(0.05)
        cpu0 = process_cpu_s(server.pid)
        out = subprocess.run(
            [sys.executable, str(INGEST_SCRIPT), "--_http", str(port), str(requests), str(clients)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "BENCH_VANS": str(stream.vans), "BENCH_T0": stream.t0.isoformat()},
        )  # fmt: skip
        cpu_s = process_cpu_s(server.pid) - cpu0
        hwm = safe_hwm_kb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    n = min(requests, stream.messages)
    return {"seconds": result["seconds"], "requests": n, "stored": result["stored"],
            "cpu_s": cpu_s, "hwm_kb": hwm}  # fmt: skip
