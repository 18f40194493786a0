"""MQTT ingest against a real Mosquitto: storage, SIGKILL and broker restarts, auth and ACL."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.telemetry.broker import (
    REPO,
    publish,
    publish_refused,
    running_broker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.telemetry.ingest_data import batch_message, stored_rows, write_fleet
from voltvan.telemetry import open_query, topic_for

pytestmark = pytest.mark.mqtt
VANS = ["V1", "V2", "V3"]
SAMPLES = 5  # per message; 4 signals per sample


def stream(num_messages: int) -> list[tuple[str, bytes]]:
    """Messages round-robin over the vans, each a batch of 5 consecutive seconds."""
    out = []
    for m in range(num_messages):
        van = VANS[m % len(VANS)]
        first = (m // len(VANS)) * SAMPLES
        out.append((topic_for(van), batch_message(first, SAMPLES)))
    return out


def rows_of(num_messages: int) -> int:
    return num_messages * SAMPLES * 4


def distinct_keys(data: Path) -> int:
    con = open_query(data)
    row = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT vehicle_id, ts, name FROM signals_all)"
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_worker_stores_each_message_once(tmp_path: Path) -> None:
    """A QoS 1 stream through a real broker lands in the store, every row exactly once."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        messages = stream(60)
        messages.append((topic_for("V9"), batch_message(0, 1)))  # not in the fleet
        assert set(publish(broker, messages)) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(60), what="all rows stored")
        stop_worker(worker)
    assert worker.returncode == 0
    assert stored_rows(data) == rows_of(60) == distinct_keys(data)
    con = open_query(data)
    assert con.execute("SELECT reason, n FROM rejected_counts").fetchall() == [
        ("unknown_vehicle", 1)
    ]


def test_messages_sent_while_the_worker_is_down_wait_in_the_session(tmp_path: Path) -> None:
    """The persistent session keeps QoS 1 messages for a stopped worker until it returns."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        publish(broker, stream(3))
        wait_for(lambda: stored_rows(data) >= rows_of(3), what="first rows")
        stop_worker(worker)
        publish(broker, stream(30)[3:])
        worker = start_worker(broker, data, fleet)
        wait_for(lambda: stored_rows(data) >= rows_of(30), what="queued rows")
        stop_worker(worker)
    assert stored_rows(data) == rows_of(30) == distinct_keys(data)


@pytest.mark.slow
def test_sigkill_mid_stream_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    """SIGKILL the worker while a stream flows, restart it: every row stored exactly once."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    total = 3000
    messages = stream(total)
    # The kill lands while the first 2,000 messages flow; the last 1,000 are published while the
    # worker is dead, so the session holds work for the restarted worker whatever the timing (a
    # fast worker could otherwise store everything before the kill).
    flowing, queued = messages[:2000], messages[2000:]
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        codes: list[int] = []
        pub = threading.Thread(target=lambda: codes.extend(publish(broker, flowing)))
        pub.start()
        wait_for(lambda: stored_rows(data) > rows_of(total) // 10, what="some rows stored")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = stored_rows(data)
        pub.join(timeout=120)
        codes.extend(publish(broker, queued))
        worker = start_worker(broker, data, fleet)
        assert set(codes) == {0} and len(codes) == total
        wait_for(lambda: stored_rows(data) >= rows_of(total), timeout_s=120, what="all rows")
        stop_worker(worker)
    assert 0 < killed_at < rows_of(total)
    assert stored_rows(data) == rows_of(total) == distinct_keys(data)


@pytest.mark.slow
def test_broker_restart_mid_stream_worker_resumes_by_itself(tmp_path: Path) -> None:
    """After the broker restarts, the same worker process reconnects and stores the rest."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    messages = stream(600)
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        assert set(publish(broker, messages[:300])) == {0}
        wait_for(lambda: stored_rows(data) > 0, what="first rows")
        broker.restart()
        assert set(publish(broker, messages[300:])) == {0}  # the session survived the restart
        wait_for(lambda: stored_rows(data) >= rows_of(600), timeout_s=90, what="all rows")
        assert worker.poll() is None  # the same process, never restarted
        stop_worker(worker)
    assert stored_rows(data) == rows_of(600) == distinct_keys(data)


def test_acl_lets_a_van_publish_only_its_own_topic(tmp_path: Path) -> None:
    """With passwords and a %u ACL, V1 cannot inject signals into V2's topic."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    users = {"ingest": "ingest-pass", "V1": "v1-pass", "V2": "v2-pass"}
    with running_broker(tmp_path / "broker", users) as broker:
        worker = start_worker(
            broker, data, fleet, "--username", "ingest", "--password", "ingest-pass"
        )
        forged = publish_refused(
            broker, topic_for("V2"), batch_message(0, 2), username="V1", password="v1-pass"
        )
        assert forged == "closed" or int(forged.split()[1]) >= 0x80, forged
        own = [(topic_for("V1"), batch_message(0, 2))]
        assert publish(broker, own, username="V1", password="v1-pass") == [0]
        wait_for(lambda: stored_rows(data) >= 8, what="V1's rows")
        stop_worker(worker)
    con = open_query(data)
    assert con.execute("SELECT DISTINCT vehicle_id FROM signals").fetchall() == [("V1",)]


@pytest.mark.slow
def test_shared_subscription_splits_the_stream(tmp_path: Path) -> None:
    """Two workers in one shared group store the stream together, each row once."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        workers = [
            start_worker(broker, data, fleet, "--shared-group", "g", "--client-id", f"w{i}")
            for i in (1, 2)
        ]
        publish(broker, stream(300))
        wait_for(lambda: stored_rows(data) >= rows_of(300), what="all rows")
        for w in workers:
            stop_worker(w)
    writers = {p.name.split("-")[1] for p in (data / "signals").glob("date=*/*.parquet")}
    assert writers == {"w1", "w2"}
    assert stored_rows(data) == rows_of(300) == distinct_keys(data)


@pytest.mark.slow
def test_worker_started_before_the_broker_connects_when_it_comes_up(tmp_path: Path) -> None:
    """A worker whose broker is not up yet keeps retrying and then ingests normally."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        broker.stop()
        cmd = [
            sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
            "--mqtt", broker.url, "--data", str(data), "--fleet", str(fleet),
        ]  # fmt: skip
        log = tmp_path / "late.log"
        with log.open("wb") as fh:
            worker = subprocess.Popen(cmd, stdout=fh, stderr=fh, cwd=REPO)
        broker.workers.append(worker)
        time.sleep(2.0)  # the worker is up and failing to connect
        broker.start()
        wait_for(lambda: "subscribed to" in log.read_text(), timeout_s=30, what="subscription")
        assert set(publish(broker, stream(30))) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(30), what="rows")
        stop_worker(worker)
    assert stored_rows(data) == rows_of(30)


def test_worker_over_tls_stores_and_refuses_an_unknown_certificate(tmp_path: Path) -> None:
    """mqtts:// with --ca-file ingests through the broker's TLS listener; a worker that does
    not trust the broker's certificate never connects (and keeps retrying, storing nothing)."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker", tls=True) as broker:
        ca = tmp_path / "broker" / "certs" / "ca.pem"
        worker = start_worker(broker, data, fleet, "--ca-file", str(ca), url=broker.tls_url)
        assert set(publish(broker, stream(30))) == {0}  # vans publish on the plain listener
        wait_for(lambda: stored_rows(data) >= rows_of(30), what="rows over TLS")
        stop_worker(worker)
        log = (tmp_path / "worker-data.log").read_text()
        assert "over TLS" in log

        other = tmp_path / "other" / "data"
        cmd = [
            sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
            "--mqtt", broker.tls_url, "--data", str(other), "--fleet", str(fleet),
            "--client-id", "untrusting",
        ]  # fmt: skip
        other.parent.mkdir()
        bad_log = tmp_path / "other" / "worker.log"
        with bad_log.open("wb") as fh:
            bad = subprocess.Popen(cmd, stdout=fh, stderr=fh, cwd=REPO)
        broker.workers.append(bad)
        wait_for(lambda: "CERTIFICATE_VERIFY_FAILED" in bad_log.read_text(), timeout_s=30,
                 what="the certificate check to fail")  # fmt: skip
        assert bad.poll() is None  # retrying, not crashed
        stop_worker(bad)
    assert stored_rows(data) == rows_of(30) == distinct_keys(data)
    assert not (other / "signals").exists()


@pytest.mark.slow
def test_workers_option_splits_the_stream_and_restarts_a_killed_worker(tmp_path: Path) -> None:
    """`--workers 2`: two processes in one shared subscription store the stream together; one
    SIGKILLed is restarted by the pool and, through its session, loses nothing."""
    import psutil

    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    log = tmp_path / "worker-data.log"
    messages = stream(600)
    with running_broker(tmp_path / "broker") as broker:
        pool = start_worker(broker, data, fleet, "--workers", "2", "--client-id", "w")
        wait_for(lambda: log.read_text().count("subscribed to") >= 2, what="both workers")
        assert set(publish(broker, messages[:300])) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(300), what="the first half")
        children = psutil.Process(pool.pid).children()
        assert len(children) == 2
        children[0].kill()
        assert set(publish(broker, messages[300:])) == {0}
        wait_for(lambda: "restarted" in log.read_text(), what="the pool to restart it")
        wait_for(lambda: stored_rows(data) >= rows_of(600), timeout_s=90, what="all rows")
        stop_worker(pool)
    assert pool.returncode == 0
    assert all(not c.is_running() or c.status() == psutil.STATUS_ZOMBIE for c in children)
    writers = {
        p.name.split("-", 1)[1].rsplit("-", 1)[0]
        for p in (data / "signals").glob("date=*/*.parquet")
    }
    assert writers == {"w-1", "w-2"}
    assert stored_rows(data) == rows_of(600) == distinct_keys(data)


def pool_writers(data: Path) -> set[str]:
    """The writer ids in the signal file names (``<us>-<writer>-<seq>.parquet``)."""
    return {
        p.name.split("-", 1)[1].rsplit("-", 1)[0]
        for p in (data / "signals").glob("date=*/*.parquet")
    }


@pytest.mark.slow
def test_four_workers_two_sigkilled_mid_stream_lose_nothing_and_double_nothing(
    tmp_path: Path,
) -> None:
    """`--workers 4`: two members SIGKILLed while the stream flows are restarted by the pool;
    their sessions hand them what they had not acknowledged, and no row is stored twice."""
    import psutil

    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    log = tmp_path / "worker-data.log"
    total = 3000
    # As in the one-worker test: the last 1,000 are published after the kills, so the sessions
    # of the killed members hold work for their restarts whatever the timing.
    messages = stream(total)
    flowing, queued = messages[:2000], messages[2000:]
    with running_broker(tmp_path / "broker") as broker:
        pool = start_worker(broker, data, fleet, "--workers", "4", "--client-id", "w")
        wait_for(lambda: log.read_text().count("subscribed to") >= 4, what="four workers")
        children = psutil.Process(pool.pid).children()
        assert len(children) == 4
        codes: list[int] = []
        pub = threading.Thread(target=lambda: codes.extend(publish(broker, flowing)))
        pub.start()
        wait_for(lambda: stored_rows(data) > rows_of(total) // 10, what="some rows stored")
        for child in children[:2]:
            child.kill()
        killed_at = stored_rows(data)
        pub.join(timeout=120)
        codes.extend(publish(broker, queued))
        assert set(codes) == {0} and len(codes) == total  # every message acknowledged
        wait_for(lambda: log.read_text().count("restarted") >= 2, what="both restarts")
        wait_for(lambda: stored_rows(data) >= rows_of(total), timeout_s=120, what="all rows")
        stop_worker(pool)
    assert pool.returncode == 0
    assert 0 < killed_at < rows_of(total)
    assert pool_writers(data) == {"w-1", "w-2", "w-3", "w-4"}
    assert stored_rows(data) == rows_of(total) == distinct_keys(data)


@pytest.mark.slow
def test_four_workers_survive_a_broker_restart_mid_stream(tmp_path: Path) -> None:
    """`--workers 4` across a broker restart with acknowledged messages not yet stored: every
    member reconnects by itself (no process is restarted) and all is stored exactly once."""
    import psutil

    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    log = tmp_path / "worker-data.log"
    messages = stream(1200)
    first, second, third = messages[:400], messages[400:800], messages[800:]
    with running_broker(tmp_path / "broker") as broker:
        pool = start_worker(broker, data, fleet, "--workers", "4", "--client-id", "w")
        wait_for(lambda: log.read_text().count("subscribed to") >= 4, what="four workers")
        children = psutil.Process(pool.pid).children()
        assert set(publish(broker, first)) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(400), what="the first third")
        # Frozen workers cannot store the second third: the broker has acknowledged it to the
        # vans but holds it, in flight or queued, in the members' sessions when it restarts.
        for child in children:
            child.suspend()
        try:
            assert set(publish(broker, second)) == {0}
            broker.restart()
            assert stored_rows(data) == rows_of(400)
        finally:
            for child in children:
                child.resume()
        wait_for(lambda: log.read_text().count("subscribed to") >= 8, what="four resubscribed")
        assert set(publish(broker, third)) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(1200), timeout_s=90, what="all rows")
        assert psutil.Process(pool.pid).children() == children  # reconnected, not restarted
        stop_worker(pool)
    assert pool.returncode == 0
    assert "restarted" not in log.read_text()
    assert pool_writers(data) == {"w-1", "w-2", "w-3", "w-4"}
    assert stored_rows(data) == rows_of(1200) == distinct_keys(data)
