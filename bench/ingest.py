"""Ingest benchmark: a generated fleet stream through Mosquitto, voltvan vs bare subscribers.

A fleet of ``--vans`` vans sends ``--signals`` VSS signals at 1 Hz for ``--seconds`` seconds of
vehicle time, compressed: every message is a batch of ``--samples`` one-second samples, as
telematics units send them. ``--publishers`` processes publish the pre-built stream with QoS 1
to a private Mosquitto (started here on a free port): by default a small C libmosquitto
publisher compiled here with gcc (so that the load generator is not the bottleneck), else
paho-mqtt processes (``--publisher``). The load generator is also timed alone. The same stream
is consumed, one run after the other, by

* ``mosquitto_sub`` (C, QoS 1, counts and discards: what the broker can deliver to one
  subscriber) and, for every ``--workers`` N above 1, N ``mosquitto_sub`` in one shared
  subscription (what the broker can deliver to N members: the ceiling N workers approach),
* a bare paho-mqtt subscriber (Python, QoS 1, counts only: the common Python client),
* voltvan's own MQTT client, bare (QoS 1, counts and acknowledges only: the limit of the
  client the worker uses),
* ``voltvan ingest`` (parse, validate, dedup, durable Parquet, PUBACK after the write),
  with one worker, and ``voltvan ingest --workers N`` for every N of ``--workers`` (e.g.
  ``--workers 1 2 4``): N processes in one MQTT v5 shared subscription.

After every ``voltvan ingest`` run the stored rows are counted twice (all rows, distinct
``(vehicle_id, ts, name)``): every acknowledged signal must be stored exactly once, or the
benchmark says so and exits with 1. The broker's CPU is read for every run; Mosquitto routes on
one thread, so a broker busy near one CPU is the broker's own limit on this machine. The stream
is a burst (published as fast as the broker takes it), so a per-message latency would measure
the backlog rather than the pipeline: the benchmark reports rates, not latencies.

Each rate is signals / (last signal delivered or durably stored - first publish); every consumer
runs ``--repeat`` times, interleaved, each against a fresh broker, and the median run is reported
with the load average at its start. The ratios compare voltvan with the fastest bare subscriber
and with one worker, all of the same invocation. Peak memory is the VmHWM of
the consuming process(es). Run: ``python bench/ingest.py`` (or ``make bench-ingest``);
``--quick`` for a short run. Prints a table and writes ``bench/results/ingest.csv``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest_report import ONE_WORKER, report, report_http

REPO = Path(__file__).resolve().parents[1]
TOPIC_FILTER = "voltvan/v1/vehicles/+/signals"
RECEIVE_MAXIMUM = 4000

SIGNALS = [
    "Vehicle.CurrentLocation.Latitude",
    "Vehicle.CurrentLocation.Longitude",
    "Vehicle.CurrentLocation.Altitude",
    "Vehicle.CurrentLocation.Heading",
    "Vehicle.Speed",
    "Vehicle.TraveledDistance",
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
    "Vehicle.Powertrain.TractionBattery.Temperature.Average",
    "Vehicle.Exterior.AirTemperature",
    "Vehicle.Powertrain.TractionBattery.Charging.IsCharging",
    "Vehicle.Powertrain.TractionBattery.CurrentPower",
    "Vehicle.CurrentOverallWeight",
]


@dataclass(frozen=True)
class Stream:
    vans: int
    seconds: int
    samples: int
    signals: int
    t0: datetime

    @property
    def windows(self) -> int:
        return math.ceil(self.seconds / self.samples)

    @property
    def messages(self) -> int:
        return self.vans * self.windows

    @property
    def total_signals(self) -> int:
        return self.vans * self.windows * self.samples * self.signals


def van_id(v: int, vans: int) -> str:
    """The id fleet.toml's ``count`` form gives van ``v`` (1-based, zero-padded)."""
    return f"van-{v + 1:0{max(2, len(str(vans)))}d}"


def message(stream: Stream, v: int, w: int) -> bytes:
    """Window ``w`` of van ``v``: ``samples`` seconds of plausible driving, deterministic."""
    samples = []
    for k in range(stream.samples):
        t = w * stream.samples + k
        speed = 30.0 + 20.0 * math.sin((t + v) / 37.0)
        values: list[object] = [
            52.40 + 0.1 * math.sin(v) + t * 1e-5,
            13.30 + 0.1 * math.cos(v) + t * 1e-5,
            40.0 + (v % 50),
            float((t * 3 + v) % 360),
            round(speed, 2),
            10_000 + v * 100 + t * 8,
            round(90.0 - t * 0.002, 3),
            25.0 + (v % 7),
            8.5,
            False,
            -15_000.0 + (t % 100),
            2600 + v % 500,
        ]
        ts = (stream.t0 + timedelta(seconds=t)).isoformat().replace("+00:00", "Z")
        samples.append(
            {"ts": ts, "signals": dict(zip(SIGNALS, values[: stream.signals], strict=False))}
        )
    return json.dumps({"samples": samples}, separators=(",", ":")).encode()


def publisher(port: int, stream: Stream, part: int, parts: int, start: mp.Event) -> None:  # type: ignore[valid-type]
    """Publish this part's vans (all windows, in time order) with QoS 1; exit when acked."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    payloads = [
        (f"voltvan/v1/vehicles/{van_id(v, stream.vans)}/signals", message(stream, v, w))
        for w in range(stream.windows)
        for v in range(part, stream.vans, parts)
    ]
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    start.wait()  # type: ignore[attr-defined]
    infos = [client.publish(topic, payload, qos=1) for topic, payload in payloads]
    for info in infos:
        info.wait_for_publish(timeout=600)
    client.disconnect()
    client.loop_stop()


def bare_subscriber(port: int, expected: int) -> None:
    """Count delivered messages (QoS 1, automatic PUBACK), print the time the last arrived."""
    import threading

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    count = [0]
    done = threading.Event()
    end = [0.0]
    cpu0 = [0.0]

    def on_message(_c: object, _u: object, _m: object) -> None:
        count[0] += 1
        if count[0] >= expected:
            end[0] = time.time()
            done.set()

    def on_connect(c: mqtt.Client, *_: object) -> None:
        c.subscribe(TOPIC_FILTER, qos=1)

    def on_subscribe(*_: object) -> None:
        cpu0[0] = _cpu_s(os.getpid())
        print("subscribed", flush=True)

    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id="bare", protocol=mqtt.MQTTv5
    )
    client.on_message = on_message
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    props.ReceiveMaximum = RECEIVE_MAXIMUM
    client.connect("127.0.0.1", port, properties=props)
    client.loop_start()
    done.wait(timeout=1800)
    _print_bare_result(end[0], count[0], cpu0[0])
    client.disconnect()
    client.loop_stop()


def lean_subscriber(port: int, expected: int) -> None:
    """The same count with voltvan's own MQTT client, acknowledging every read at once: the
    limit of the client the ingest worker uses, with no parsing or storing."""
    import threading

    from voltvan.telemetry.ingest._mqtt_client import Subscriber
    from voltvan.telemetry.ingest._mqtt_packets import Delivery, Options

    count = [0]
    done = threading.Event()
    end = [0.0]
    cpu0 = [0.0]

    def subscribed(_ok: bool, _why: str) -> None:
        cpu0[0] = _cpu_s(os.getpid())  # imports and start-up are not counting work
        print("subscribed", flush=True)

    def on_messages(generation: int, deliveries: list[Delivery]) -> None:
        sub.ack(generation, [d.mid for d in deliveries])
        count[0] += len(deliveries)
        if count[0] >= expected:
            end[0] = time.time()
            done.set()

    options = Options("127.0.0.1", port, "bare-lean", TOPIC_FILTER,
                      receive_maximum=RECEIVE_MAXIMUM, clean_start=True)  # fmt: skip
    sub = Subscriber(options, on_messages, on_subscribe=subscribed)
    sub.start()
    done.wait(timeout=1800)
    _print_bare_result(end[0], count[0], cpu0[0])
    sub.stop()


def _print_bare_result(end: float, count: int, cpu0_s: float) -> None:
    print(
        json.dumps(
            {
                "end": end,
                "count": count,
                "hwm_kb": _hwm_kb(os.getpid()),
                "cpu_s": _cpu_s(os.getpid()) - cpu0_s,
            }
        ),
        flush=True,
    )


def _hwm_kb(pid: int) -> int:
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


C_PUBLISHER = r"""
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile long acked = 0;
static volatile int connected = 0;

static void on_connect(struct mosquitto *m, void *u, int rc) {
    (void)m; (void)u; connected = rc == 0 ? 1 : -1;
}
static void on_publish(struct mosquitto *m, void *u, int mid) {
    (void)m; (void)u; (void)mid; acked++;
}

/* argv: port, file of "topic<TAB>payload" lines. Prints "ready" once connected, publishes
   everything with QoS 1 when a byte arrives on stdin, exits once every PUBACK is in. */
int main(int argc, char **argv) {
    if (argc != 3) return 2;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 3;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(size + 1);
    if (fread(buf, 1, size, f) != (size_t)size) return 4;
    fclose(f);
    long n = 0;
    for (long i = 0; i < size; i++) n += buf[i] == '\n';
    char **topic = malloc(n * sizeof *topic), **payload = malloc(n * sizeof *payload);
    int *len = malloc(n * sizeof *len);
    char *p = buf;
    for (long i = 0; i < n; i++) {
        char *tab = strchr(p, '\t'), *nl = strchr(tab, '\n');
        *tab = 0; *nl = 0;
        topic[i] = p; payload[i] = tab + 1; len[i] = (int)(nl - tab - 1);
        p = nl + 1;
    }
    mosquitto_lib_init();
    struct mosquitto *m = mosquitto_new(NULL, 1, NULL);
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_max_inflight_messages_set(m, 1000);
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_publish_callback_set(m, on_publish);
    if (mosquitto_connect(m, "127.0.0.1", atoi(argv[1]), 60) != MOSQ_ERR_SUCCESS) return 5;
    mosquitto_loop_start(m);
    while (!connected) usleep(1000);
    if (connected < 0) return 6;
    printf("ready\n");
    fflush(stdout);
    char go;
    if (read(0, &go, 1) != 1) return 7;
    for (long i = 0; i < n; i++) {
        int rc;
        while ((rc = mosquitto_publish(m, NULL, topic[i], len[i], payload[i], 1, 0))
               == MOSQ_ERR_NOMEM)
            usleep(100);
        if (rc != MOSQ_ERR_SUCCESS) return 8;
    }
    while (acked < n) usleep(500);
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, 0);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    return 0;
}
"""


def build_c_publisher(folder: Path) -> Path | None:
    """Compile the C publisher against libmosquitto; None (use Python) when that cannot work.

    Built here at run time so that no binary lives in the repository; needs gcc and
    Debian's libmosquitto-dev.
    """
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None
    src, exe = folder / "publisher.c", folder / "publisher"
    src.write_text(C_PUBLISHER)
    done = subprocess.run(
        [gcc, "-O2", "-o", str(exe), str(src), "-lmosquitto"], capture_output=True, text=True
    )
    if done.returncode != 0:
        print("C publisher not built, using Python publishers:", done.stderr.strip()[-300:])
        return None
    return exe


def write_payload_files(folder: Path, stream: Stream, parts: int) -> list[Path]:
    """The same messages, in the same order, that the Python publishers send: one file a part."""
    files = []
    for part in range(parts):
        path = folder / f"payloads-{part}.txt"
        with path.open("wb") as fh:
            for w in range(stream.windows):
                for v in range(part, stream.vans, parts):
                    topic = f"voltvan/v1/vehicles/{van_id(v, stream.vans)}/signals"
                    fh.write(topic.encode() + b"\t" + message(stream, v, w) + b"\n")
        files.append(path)
    return files


@dataclass
class CPublishers:
    """The compiled publisher and its pre-built payload files (one per publisher process)."""

    exe: Path
    files: list[Path]


class _CRun:
    """Running C publishers, joined like the multiprocessing ones; keeps their CPU time."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]) -> None:
        self.procs = procs
        self.cpu_s = 0.0

    def join(self) -> None:
        for p in self.procs:
            if p.returncode is None:
                _, status, usage = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_s += usage.ru_utime + usage.ru_stime
                if p.returncode != 0:
                    raise RuntimeError(f"C publisher exited with {p.returncode}")


LOAD_ONLY = "load generator alone"
PUBLISHER: CPublishers | None = None  # set by main(); None: the Python publishers


def publish_all(port: int, stream: Stream, parts: int) -> tuple[float, list[Any]]:
    if PUBLISHER is not None:
        procs = [
            subprocess.Popen(
                [str(PUBLISHER.exe), str(port), str(f)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            for f in PUBLISHER.files
        ]
        for p in procs:  # loaded and connected
            assert p.stdout is not None
            if p.stdout.readline().strip() != b"ready":
                raise RuntimeError("C publisher failed to start")
        t0 = time.time()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write(b"g")
            p.stdin.close()
        return t0, [_CRun(procs)]
    ctx = mp.get_context("fork")
    start = ctx.Event()
    procs_py = [
        ctx.Process(target=publisher, args=(port, stream, i, parts, start)) for i in range(parts)
    ]
    for pp in procs_py:
        pp.start()
    time.sleep(1.0 + stream.messages / 20_000)  # let them build their payloads and connect
    t0 = time.time()
    start.set()
    return t0, procs_py


def run_publishers_alone(port: int, stream: Stream, parts: int) -> dict[str, float]:
    """The load generator with no subscriber: its own rate (the broker drops the messages)."""
    t0, pubs = publish_all(port, stream, parts)
    end = _join(pubs)
    cpu = sum(p.cpu_s for p in pubs if isinstance(p, _CRun))
    return {"seconds": end - t0, "publish_s": end - t0, "hwm_kb": 0, "cpu_s": cpu}


def run_mosquitto_sub(port: int, stream: Stream, parts: int, sub_bin: str) -> dict[str, float]:
    cmd = [sub_bin, "-p", str(port), "-h", "127.0.0.1", "-V", "mqttv5", "-q", "1", "-t",
           TOPIC_FILTER, "-C", str(stream.messages), "-i", "bench-c"]  # fmt: skip
    sub = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    t0, pubs = publish_all(port, stream, parts)
    hwm, cpu_s = 0, 0.0
    while sub.poll() is None:
        hwm = max(hwm, _safe_hwm(sub.pid))
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError):
            cpu_s = _cpu_s(sub.pid)  # the last reading before it exits (a lower bound)
        time.sleep(0.02)
    end = time.time()
    pub_end = _join(pubs)
    return {"seconds": end - t0, "publish_s": pub_end - t0, "hwm_kb": hwm, "cpu_s": cpu_s,
            "pub_cpu_s": _pub_cpu_s(pubs)}  # fmt: skip


def run_mosquitto_sub_shared(
    port: int, stream: Stream, parts: int, sub_bin: str, members: int, folder: Path
) -> dict[str, float]:
    """``members`` mosquitto_sub in one shared subscription: the broker's rate to N members.

    Each prints one byte and a newline per message into its own file; the run ends when the
    files hold every message (which member got which is the broker's choice).
    """
    outs = [folder / f"share-{i}.out" for i in range(members)]
    subs = []
    for i, out in enumerate(outs):
        cmd = [sub_bin, "-p", str(port), "-h", "127.0.0.1", "-V", "mqttv5", "-q", "1", "-t",
               f"$share/bench/{TOPIC_FILTER}", "-F", "x", "-i", f"bench-c-{i}"]  # fmt: skip
        with out.open("wb") as fh:
            subs.append(subprocess.Popen(cmd, stdout=fh))
    try:
        time.sleep(0.5)
        t0, pubs = publish_all(port, stream, parts)
        hwm, cpu_s, progress_at, seen = 0, 0.0, time.time(), 0
        while (now := sum(o.stat().st_size for o in outs) // 2) < stream.messages:
            if any(p.poll() is not None for p in subs):
                raise RuntimeError("a shared mosquitto_sub exited early")
            if now > seen:
                seen, progress_at = now, time.time()
            elif time.time() - progress_at > 60:
                raise RuntimeError(f"shared mosquitto_sub: no progress for 60 s at {now}")
            hwm = max(hwm, sum(_safe_hwm(p.pid) for p in subs))
            cpu_s = sum(_cpu_s(p.pid) for p in subs)
            time.sleep(0.02)
        end = time.time()
        cpu_s = sum(_cpu_s(p.pid) for p in subs)
        pub_end = _join(pubs)
    finally:
        for p in subs:
            p.terminate()
            p.wait()
        for out in outs:
            out.unlink(missing_ok=True)
    return {"seconds": end - t0, "publish_s": pub_end - t0, "hwm_kb": hwm, "cpu_s": cpu_s,
            "pub_cpu_s": _pub_cpu_s(pubs)}  # fmt: skip


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a live process has used (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _safe_hwm(pid: int) -> int:
    try:
        return _hwm_kb(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0


def _join(pubs: list[Any]) -> float:
    for p in pubs:
        p.join()
    return time.time()


def _pub_cpu_s(pubs: list[Any]) -> float:
    """CPU seconds of the (joined) C publishers; NaN for the Python ones (not measured)."""
    runs = [p for p in pubs if isinstance(p, _CRun)]
    return sum(r.cpu_s for r in runs) if runs else math.nan


def run_bare(port: int, stream: Stream, parts: int, client: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, f"--_{client}", str(port), str(stream.messages)]
    sub = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert sub.stdout is not None
    assert sub.stdout.readline().strip() == "subscribed"
    t0, pubs = publish_all(port, stream, parts)
    result = json.loads(sub.stdout.readline())
    sub.wait()
    pub_end = _join(pubs)
    return {
        "seconds": result["end"] - t0,
        "publish_s": pub_end - t0,
        "hwm_kb": result["hwm_kb"],
        "cpu_s": result["cpu_s"],
        "pub_cpu_s": _pub_cpu_s(pubs),
    }


def write_fleet(folder: Path, vans: int) -> Path:
    path = folder / "fleet.toml"
    path.write_text(  # a full scenario fleet: the ingest worker reads it with the scenario parser
        'format_version = 1\n[[depots]]\nid = "D1"\nlat = 52.5\nlon = 13.4\n'
        '[[vehicle_types]]\nid = "van"\nbattery_kwh = 64\nmass_kg = 2690\npayload_kg = 1000\n'
        f'volume_m3 = 12.0\n[[vans]]\ntype = "van"\ncount = {vans}\n'
    )
    return path


def run_voltvan(
    port: int, stream: Stream, parts: int, workers: int, folder: Path
) -> dict[str, float]:
    data = folder / f"data-{workers}"
    fleet = write_fleet(folder, stream.vans)
    log = folder / f"worker-{workers}.log"
    # the command users run: `--workers N` starts N processes in one shared subscription
    extra = ["--workers", str(workers), "--client-id", "w"] if workers > 1 else []
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
        "--mqtt", f"mqtt://127.0.0.1:{port}", "--data", str(data), "--fleet", str(fleet),
        "--receive-maximum", str(RECEIVE_MAXIMUM), *extra,
    ]  # fmt: skip
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, cwd=REPO)
    while log.read_text().count("subscribed to") < workers:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.05)
    procs = [(proc, log)]
    pids = _workers(proc.pid, workers)
    cpu0 = sum(_cpu_s(pid) for pid in pids)  # imports and start-up are not ingest work
    t0, pubs = publish_all(port, stream, parts)
    counted: dict[Path, int] = {}
    total, last_mtime, hwm = 0, t0, 0
    import pyarrow.parquet as pq

    progress_at = time.time()
    while total < stream.total_signals:
        time.sleep(0.1)
        for f in (data / "signals").glob("date=*/*.parquet"):
            if f not in counted:
                counted[f] = pq.read_metadata(f).num_rows
                total += counted[f]
                last_mtime = max(last_mtime, f.stat().st_mtime)
                progress_at = time.time()
        if time.time() - progress_at > 60:
            raise RuntimeError(f"no progress for 60 s at {total} rows; see {procs[0][1]}")
        hwm = max(hwm, sum(_safe_hwm(pid) for pid in pids))
        if any(p.poll() is not None for p, _ in procs):
            raise RuntimeError("an ingest worker died: " + procs[0][1].read_text()[-2000:])
    pub_end = _join(pubs)
    cpu_s = sum(_cpu_s(pid) for pid in pids) - cpu0
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    text = log.read_text()
    for part in text.split("stopped:")[1:]:
        print("   worker stopped:", part.strip().replace("\n", " ")[:240], flush=True)
    rows, distinct = stored_counts(data)  # after the stop: whatever the workers wrote last
    return {
        "seconds": last_mtime - t0,
        "publish_s": pub_end - t0,
        "hwm_kb": hwm,
        "rows": rows,
        "distinct": distinct,
        "files": len(counted),
        "cpu_s": cpu_s,
        "pub_cpu_s": _pub_cpu_s(pubs),
    }


def stored_counts(data: Path) -> tuple[int, int]:
    """All stored signal rows (duplicates included) and the distinct (vehicle_id, ts, name)."""
    import duckdb

    glob = str(data / "signals" / "date=*" / "*.parquet")
    row = (
        duckdb.connect()
        .execute(
            "SELECT count(*), count(DISTINCT (vehicle_id, ts, name)) FROM read_parquet(?)", [glob]
        )
        .fetchone()
    )
    assert row is not None
    return int(row[0]), int(row[1])


def _workers(pid: int, n: int) -> list[int]:
    """The ingest processes: the one started, or its ``n`` children under ``--workers n``."""
    if n == 1:
        return [pid]
    import psutil

    kids = [c.pid for c in psutil.Process(pid).children()]
    if len(kids) != n:
        raise RuntimeError(f"expected {n} worker processes, found {len(kids)}")
    return kids


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
        cpu0 = _cpu_s(server.pid)
        out = subprocess.run(
            [sys.executable, __file__, "--_http", str(port), str(requests), str(clients)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "BENCH_VANS": str(stream.vans), "BENCH_T0": stream.t0.isoformat()},
        )  # fmt: skip
        cpu_s = _cpu_s(server.pid) - cpu0
        hwm = _safe_hwm(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    n = min(requests, stream.messages)
    return {"seconds": result["seconds"], "requests": n, "stored": result["stored"],
            "cpu_s": cpu_s, "hwm_kb": hwm}  # fmt: skip


def worker_count(text: str) -> int:
    """An argparse type: a whole number of workers, at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of workers") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} workers: need at least 1")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--vans", type=int, default=2000, help="vans in the fleet (default 2000)")
    ap.add_argument(
        "--seconds", type=int, default=300, help="vehicle seconds per van (default 300)"
    )
    ap.add_argument("--samples", type=int, default=10, help="1 Hz samples per message (default 10)")
    ap.add_argument(
        "--signals", type=int, default=10, help=f"signals per sample (max {len(SIGNALS)})"
    )
    ap.add_argument("--publishers", type=int, default=2, help="publisher processes (default 2)")
    ap.add_argument(
        "--publisher",
        choices=("auto", "c", "python"),
        default="auto",
        help="load generator: C (libmosquitto, compiled here with gcc), paho-mqtt processes,\n"
        "or auto = C when gcc and libmosquitto-dev are present (default)",
    )
    ap.add_argument(
        "--workers",
        type=worker_count,
        nargs="+",
        default=[1],
        metavar="N",
        help="worker counts to run, e.g. --workers 1 2 4 (default 1): N > 1 runs\n"
        "`voltvan ingest --workers N` and N mosquitto_sub in one shared subscription",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per consumer; median reported")
    ap.add_argument("--quick", action="store_true", help="500 vans x 30 s, one run each")
    ap.add_argument("--mosquitto", default=shutil.which("mosquitto") or "/usr/sbin/mosquitto")
    ap.add_argument(
        "--http", type=int, default=2000, help="HTTP requests per HTTP run (0: no HTTP run)"
    )
    ap.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients (32)")
    ap.add_argument("--_bare", nargs=2, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_lean", nargs=2, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_http", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._bare:
        bare_subscriber(*args._bare)
        return
    if args._lean:
        lean_subscriber(*args._lean)
        return
    if args.quick:
        args.vans, args.seconds, args.repeat, args.http = 500, 30, 1, 500
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    if args._http:  # the HTTP client process: the same stream as its parent's
        t0 = datetime.fromisoformat(os.environ["BENCH_T0"])
        args.vans = int(os.environ["BENCH_VANS"])
    stream = Stream(args.vans, args.seconds, args.samples, min(args.signals, len(SIGNALS)), t0)
    if args._http:
        port, requests, clients = args._http
        http_client(port, stream, requests, clients)
        return
    sub_bin = shutil.which("mosquitto_sub")
    global PUBLISHER
    tmp_ctx = tempfile.TemporaryDirectory(prefix="voltvan-bench-ingest-")
    folder = Path(tmp_ctx.name)
    if args.publisher != "python":
        exe = build_c_publisher(folder)
        if exe is None and args.publisher == "c":
            sys.exit("--publisher c: cannot build the C publisher (needs gcc, libmosquitto-dev)")
        if exe is not None:
            PUBLISHER = CPublishers(exe, write_payload_files(folder, stream, args.publishers))
    kind = "C (libmosquitto)" if PUBLISHER else "Python (paho-mqtt)"
    print(
        f"stream: {stream.vans} vans x {stream.signals} signals x {stream.seconds} s = "
        f"{stream.total_signals:,} signals in {stream.messages:,} messages of "
        f"{stream.samples} samples; {args.publishers} {kind} publisher processes; "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    results: list[tuple[str, dict[str, float]]] = []
    with tmp_ctx:
        runs: list[tuple[str, object]] = [
            (LOAD_ONLY, lambda p: run_publishers_alone(p, stream, args.publishers))
        ]
        if sub_bin:
            runs.append(
                (
                    "mosquitto_sub (C, count only)",
                    lambda p: run_mosquitto_sub(p, stream, args.publishers, sub_bin),
                )
            )
        runs.append(
            (
                "paho bare subscriber (count only)",
                lambda p: run_bare(p, stream, args.publishers, "bare"),
            )
        )
        runs.append(
            (
                "voltvan MQTT client bare (count only)",
                lambda p: run_bare(p, stream, args.publishers, "lean"),
            )
        )
        counts = sorted(set(args.workers) | {1})  # one worker is the reference of the ratios
        if sub_bin:
            for n in counts[1:]:
                runs.append(
                    (
                        f"mosquitto_sub x {n} ($share, count only)",
                        lambda p, n=n: run_mosquitto_sub_shared(
                            p, stream, args.publishers, sub_bin, n, folder
                        ),
                    )
                )
        for n in counts:
            runs.append(
                (
                    ONE_WORKER if n == 1 else f"voltvan ingest, {n} workers ($share)",
                    lambda p, n=n: run_voltvan(p, stream, args.publishers, n, folder),
                )
            )
        samples: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runs}
        for rep in range(args.repeat):  # interleaved, so that a load spike hits every consumer
            for name, fn in runs:
                broker, port = start_broker(folder, args.mosquitto)  # a fresh broker per run
                try:
                    load1 = os.getloadavg()[0]
                    print(f"... {name} (run {rep + 1}/{args.repeat}, load {load1:.1f})", flush=True)
                    result = fn(port)  # type: ignore[operator]
                    result["load1"] = load1
                    result["broker_cpu_s"] = _cpu_s(broker.pid)  # a fresh broker per run
                    samples[name].append(result)
                finally:
                    broker.terminate()
                    broker.wait()
                for data in folder.glob("data-*"):
                    shutil.rmtree(data, ignore_errors=True)
        for name, runs_of in samples.items():
            results.append((name, sorted(runs_of, key=lambda r: r["seconds"])[len(runs_of) // 2]))
        http_runs = []
        for rep in range(args.repeat if args.http else 0):
            print(f"... voltvan serve, HTTP (run {rep + 1}/{args.repeat})", flush=True)
            http_runs.append(run_http(stream, args.http, args.clients, folder))
    load = [r for n, r in results if n == LOAD_ONLY]
    ok = report(stream.vans, stream.messages, stream.total_signals,
                [(n, r) for n, r in results if n != LOAD_ONLY])  # fmt: skip
    if load:
        r = load[0]
        cpu = f", {r['cpu_s'] / stream.total_signals * 1e6:.2f} µs CPU/signal" if r["cpu_s"] else ""
        print(
            f"load generator alone ({kind}, {args.publishers} processes, no subscriber): "
            f"{r['seconds']:.2f} s = {stream.messages / r['seconds']:,.0f} messages/s, "
            f"{stream.total_signals / r['seconds']:,.0f} signals/s{cpu}"
        )
    if http_runs:
        median = sorted(http_runs, key=lambda r: r["seconds"])[len(http_runs) // 2]
        ok = report_http(median, args, stream.signals) and ok
    if not ok:
        sys.exit("a consumer did not store every acknowledged signal exactly once (see above)")


if __name__ == "__main__":
    main()
