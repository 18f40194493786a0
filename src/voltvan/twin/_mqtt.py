"""Send the twin's vans' telemetry to an MQTT broker like real vans, with the truth beside it.

Every van publishes one message per sample to its own topic (``voltvan/v1/vehicles/{id}/signals``)
in the format of ``docs/formats/telemetry.md``; timestamps are the simulated day's (the
scenario's date plus the day number). With ``speed`` > 0 the stream keeps pace with a clock
``speed`` times faster than real time (60: an hour of the day in a minute); with 0 it goes as
fast as the broker takes it. The truth (each van's trips as the twin drove them) is written to
``truth_trips.csv`` so that what the platform derives from the stream can be checked.
"""

from __future__ import annotations

import csv
import heapq
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from voltvan.telemetry import Publisher, parse_mqtt_url, topic_for
from voltvan.twin._record import TwinRun
from voltvan.twin._telemetry import day_start, iso, true_trips, van_samples

#: Most messages handed to the publisher in one go (unpaced, the twin sends as fast as the
#: broker acknowledges).
BATCH = 2_000
#: With a paced clock, batches go out at least this often (real seconds).
PACE_S = 0.25


def stream_run(
    run: TwinRun,
    service_date: str,
    url: str,
    out_dir: Path,
    *,
    speed: float = 0.0,
    period_s: float = 5.0,
) -> int:
    """Publish every van's samples of every day in time order; returns the messages sent."""
    address = parse_mqtt_url(url)
    parts = urlsplit(url)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    write_truth(run, service_date, out_dir)
    odometer: dict[str, int] = {}
    sent = 0
    with Publisher(address.host, address.port, f"voltvan-twin-{run.seed}", username=user,
                   password=password) as pub:  # fmt: skip
        for day in run.days:
            midnight = day_start(service_date, day.day)
            streams = []
            for vd in day.vans:
                samples = van_samples(vd, ambient_c=day.ambient_c, period_s=period_s,
                                      odometer_m=odometer.get(vd.van_id, 0))  # fmt: skip
                odometer[vd.van_id] = odometer.get(vd.van_id, 0) + round(vd.distance_m)
                streams.append([(t, vd.van_id, s) for t, s in samples])
            merged = heapq.merge(*streams, key=lambda x: (x[0], x[1]))
            started = time.monotonic()
            t_first: float | None = None
            batch: list[tuple[str, bytes]] = []
            t_sent = 0.0
            for t, van_id, signals in merged:
                t_first = t if t_first is None else t_first
                if batch and (len(batch) >= BATCH or (speed > 0 and t - t_sent >= PACE_S * speed)):
                    if speed > 0:
                        _wait_until(started + (t - t_first) / speed)
                    pub.publish_many(batch)
                    sent += len(batch)
                    batch = []
                if not batch:
                    t_sent = t
                body = {"ts": iso(midnight, t), "signals": signals}
                batch.append((topic_for(van_id), json.dumps(body, separators=(",", ":")).encode()))
            pub.publish_many(batch)
            sent += len(batch)
    return sent


def _wait_until(deadline: float) -> None:
    left = deadline - time.monotonic()
    if left > 0:
        time.sleep(left)


def truth_rows(run: TwinRun, service_date: str) -> Iterator[dict[str, object]]:
    for day in run.days:
        midnight = day_start(service_date, day.day)
        for vd in day.vans:
            for trip in true_trips(vd):
                yield {
                    "vehicle_id": trip.van_id,
                    "start_ts": iso(midnight, trip.start_s),
                    "end_ts": iso(midnight, trip.end_s),
                    "distance_m": round(trip.distance_m, 1),
                }


def write_truth(run: TwinRun, service_date: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "truth_trips.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["vehicle_id", "start_ts", "end_ts", "distance_m"])
        w.writeheader()
        w.writerows(truth_rows(run, service_date))
    return path
