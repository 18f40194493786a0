"""The ingest benchmark's load: publish the whole stream at once, with QoS 1, and time it.

Every consumer run starts from the same burst, by the C publisher when it was built (set
``PUBLISHER``) or else by paho-mqtt processes, so the rates of all consumers are comparable;
the load generator alone is also a run, to show its own ceiling.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import subprocess
import time
from typing import Any

from ingest_c_publisher import CPublishers, CRun
from ingest_stream import Stream, message, van_id


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


PUBLISHER: CPublishers | None = None  # set by ingest.py's main(); None: the Python publishers


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
        return t0, [CRun(procs)]
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
    end = join_all(pubs)
    cpu = sum(p.cpu_s for p in pubs if isinstance(p, CRun))
    return {"seconds": end - t0, "publish_s": end - t0, "hwm_kb": 0, "cpu_s": cpu}


def join_all(pubs: list[Any]) -> float:
    for p in pubs:
        p.join()
    return time.time()


def publishers_cpu_s(pubs: list[Any]) -> float:
    """CPU seconds of the (joined) C publishers; NaN for the Python ones (not measured)."""
    runs = [p for p in pubs if isinstance(p, CRun)]
    return sum(r.cpu_s for r in runs) if runs else math.nan
