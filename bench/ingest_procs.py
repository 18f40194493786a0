"""Processes of the ingest benchmark: the private broker, and reading CPU and memory from /proc.

Every consumer runs in its own process (or several), and the broker is started fresh per run, so
the rates and the CPU split are read from the outside, the same way for C and Python consumers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INGEST_SCRIPT = Path(__file__).resolve().with_name("ingest.py")
"""The benchmark script, run again as a child process for its hidden client modes."""


def process_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_broker(folder: Path, binary: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    conf = folder / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_inflight_messages 0\nmax_queued_messages 0\nlog_type error\n"
    )
    proc = subprocess.Popen([binary, "-c", str(conf)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("mosquitto did not start")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds a live process has used (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def safe_hwm_kb(pid: int) -> int:
    try:
        return process_hwm_kb(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0
