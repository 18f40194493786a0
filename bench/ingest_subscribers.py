"""The ingest benchmark's bare consumers: what the broker and the MQTT clients can deliver.

``mosquitto_sub`` (alone and N in a shared subscription), a bare paho-mqtt subscriber and
voltvan's own MQTT client count and discard: the ceilings that ``voltvan ingest`` is compared
with. The Python subscribers run in a child process (``ingest.py --_bare`` / ``--_lean``) so that
their CPU and memory are theirs alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from ingest_procs import INGEST_SCRIPT, process_cpu_s, process_hwm_kb, safe_hwm_kb
from ingest_publishers import join_all, publish_all, publishers_cpu_s
from ingest_stream import RECEIVE_MAXIMUM, TOPIC_FILTER, Stream


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
        cpu0[0] = process_cpu_s(os.getpid())
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
        cpu0[0] = process_cpu_s(os.getpid())  # imports and start-up are not counting work
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
                "hwm_kb": process_hwm_kb(os.getpid()),
                "cpu_s": process_cpu_s(os.getpid()) - cpu0_s,
            }
        ),
        flush=True,
    )


def run_mosquitto_sub(port: int, stream: Stream, parts: int, sub_bin: str) -> dict[str, float]:
    cmd = [sub_bin, "-p", str(port), "-h", "127.0.0.1", "-V", "mqttv5", "-q", "1", "-t",
           TOPIC_FILTER, "-C", str(stream.messages), "-i", "bench-c"]  # fmt: skip
    sub = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    t0, pubs = publish_all(port, stream, parts)
    hwm, cpu_s = 0, 0.0
    while sub.poll() is None:
        hwm = max(hwm, safe_hwm_kb(sub.pid))
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError):
            cpu_s = process_cpu_s(sub.pid)  # the last reading before it exits (a lower bound)
        time.sleep(0.02)
    end = time.time()
    pub_end = join_all(pubs)
    return {"seconds": end - t0, "publish_s": pub_end - t0, "hwm_kb": hwm, "cpu_s": cpu_s,
            "pub_cpu_s": publishers_cpu_s(pubs)}  # fmt: skip


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
            hwm = max(hwm, sum(safe_hwm_kb(p.pid) for p in subs))
            cpu_s = sum(process_cpu_s(p.pid) for p in subs)
            time.sleep(0.02)
        end = time.time()
        cpu_s = sum(process_cpu_s(p.pid) for p in subs)
        pub_end = join_all(pubs)
    finally:
        for p in subs:
            p.terminate()
            p.wait()
        for out in outs:
            out.unlink(missing_ok=True)
    return {"seconds": end - t0, "publish_s": pub_end - t0, "hwm_kb": hwm, "cpu_s": cpu_s,
            "pub_cpu_s": publishers_cpu_s(pubs)}  # fmt: skip


def run_bare(port: int, stream: Stream, parts: int, client: str) -> dict[str, float]:
    cmd = [sys.executable, str(INGEST_SCRIPT), f"--_{client}", str(port), str(stream.messages)]
    sub = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert sub.stdout is not None
    assert sub.stdout.readline().strip() == "subscribed"
    t0, pubs = publish_all(port, stream, parts)
    result = json.loads(sub.stdout.readline())
    sub.wait()
    pub_end = join_all(pubs)
    return {
        "seconds": result["end"] - t0,
        "publish_s": pub_end - t0,
        "hwm_kb": result["hwm_kb"],
        "cpu_s": result["cpu_s"],
        "pub_cpu_s": publishers_cpu_s(pubs),
    }
