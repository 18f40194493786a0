"""``voltvan ingest``: the MQTT ingest worker, its pool of worker processes, and ``--retire``.

Apart from the other telemetry commands because it has the most options by far (broker, TLS,
shared subscription, batching, workers, retiring) and runs a long-lived worker; the pool and
the retiring live in :mod:`voltvan.cli._ingest_pool` and :mod:`voltvan.cli._ingest_retire`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._app import app, console_err
from voltvan.cli._telemetry_options import DataDir, fleet_ids
from voltvan.errors import InvalidInput


@app.command()
def ingest(
    mqtt: Annotated[
        str,
        typer.Option("--mqtt", help="Broker address, mqtt://HOST:PORT or mqtts://HOST:PORT (TLS)."),
    ],
    data: DataDir,
    fleet: Annotated[
        Path,
        typer.Option(
            "--fleet", help="fleet.toml (or its scenario folder): the van ids that may send."
        ),
    ],
    username: str | None = typer.Option(None, "--username", help="Broker user name."),
    password: str | None = typer.Option(
        None,
        "--password",
        envvar="VOLTVAN_MQTT_PASSWORD",
        help="Broker password (or set VOLTVAN_MQTT_PASSWORD, which keeps it out of `ps`).",
    ),
    shared_group: str | None = typer.Option(
        None,
        "--shared-group",
        help="Join MQTT v5 shared subscription $share/NAME/...: workers in one group split "
        "the stream. Give each worker its own --client-id.",
    ),
    client_id: str = typer.Option(
        "voltvan-ingest",
        "--client-id",
        help="MQTT client id; it names the persistent session that holds unacknowledged "
        "messages while the worker is down, so keep it stable across restarts.",
    ),
    flush_interval_s: float = typer.Option(
        1.0,
        "--flush-interval",
        min=0.01,
        help="Longest wait before a batch is written, in seconds.",
    ),
    flush_rows: int = typer.Option(
        100_000, "--flush-rows", min=1, help="Write a batch once it holds this many rows."
    ),
    receive_maximum: int = typer.Option(
        4000,
        "--receive-maximum",
        min=1,
        max=65535,
        help="Unacknowledged QoS 1 messages the broker may have in flight to this worker.",
    ),
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca-file",
            help="With mqtts://: the CA certificate(s) the broker's certificate must chain to "
            "(default: the system's trusted certificates).",
        ),
    ] = None,
    cert_file: Annotated[
        Path | None,
        typer.Option(
            "--cert-file", help="With mqtts://: a client certificate, if the broker asks."
        ),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="The private key of --cert-file (if not in that file)."),
    ] = None,
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Worker processes, one per core, splitting the stream in the shared subscription "
        "--shared-group (default group 'voltvan'); each is --client-id-N. A worker that dies is "
        "restarted. After lowering N, --retire the client ids that are gone.",
    ),
    retire: Annotated[
        list[str] | None,
        typer.Option(
            "--retire",
            metavar="CLIENT_ID",
            help="Instead of ingesting: retire this client id (repeatable) from the shared "
            "subscription --shared-group (default 'voltvan'), e.g. members 3 and 4 after going "
            "from --workers 4 to 2. Stop that worker first. Unsubscribes it (the broker stops "
            "routing to it), stores every message its session holds (acknowledged after the "
            "write), then ends the session. Safe to repeat.",
        ),
    ] = None,
    drain_quiet_s: float = typer.Option(
        2.0,
        "--drain-quiet",
        min=0.1,
        help="With --retire: the drain is complete when no message came for this long, in "
        "seconds (MQTT has no 'queue empty' signal).",
    ),
    drain_timeout_s: float = typer.Option(
        600.0,
        "--drain-timeout",
        min=1.0,
        help="With --retire: give up after this many seconds per client id, keeping the "
        "session (exit 1); run it again to go on.",
    ),
    metrics_port: int | None = typer.Option(
        None,
        "--metrics-port",
        min=1,
        max=65535,
        help="Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (worker N of --workers "
        "on PORT+N-1).",
    ),
) -> None:
    """Ingest signals from an MQTT broker (QoS 1, acknowledged only after the write).

    With --retire: a stopped worker's client id leaves the group, its session drained."""
    import logging

    from voltvan.telemetry import (
        IngestStats,
        IngestWorker,
        MqttParams,
        open_store,
        parse_mqtt_url,
        tls_context,
    )

    host, port, tls = parse_mqtt_url(mqtt)
    ids = fleet_ids(fleet)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    params = MqttParams(
        host=host,
        port=port,
        username=username,
        password=password,
        client_id=client_id,
        shared_group=shared_group,
        receive_maximum=receive_maximum,
        flush_rows=flush_rows,
        flush_interval_s=flush_interval_s,
        tls=tls,
        ca_file=ca_file,
        cert_file=cert_file,
        key_file=key_file,
    )
    if retire:
        from voltvan.cli._ingest_retire import run_retire

        if workers > 1:
            raise InvalidInput(
                "--retire runs on its own: start the workers separately", field="--retire"
            )
        run_retire(
            retire,
            dataclasses.replace(params, shared_group=shared_group or "voltvan"),
            data,
            ids,
            quiet_s=drain_quiet_s,
            timeout_s=drain_timeout_s,
            writer_id=_writer_id,
        )
        return
    if workers > 1:
        from voltvan.cli._ingest_pool import run_pool

        tls_context(params)  # bad TLS files fail here, once, not in every worker
        group = shared_group or "voltvan"
        common = [
            "ingest", "--mqtt", mqtt, "--data", str(data), "--fleet", str(fleet),
            "--shared-group", group, "--flush-interval", str(flush_interval_s),
            "--flush-rows", str(flush_rows), "--receive-maximum", str(receive_maximum),
        ]  # fmt: skip
        for flag, value in (("--username", username), ("--ca-file", ca_file),
                            ("--cert-file", cert_file), ("--key-file", key_file)):  # fmt: skip
            if value is not None:
                common += [flag, str(value)]
        console_err.print(
            f"{workers} workers in $share/{group}/..., client ids {client_id}-1..{workers}",
            highlight=False,
        )
        members = [[*common, "--client-id", f"{client_id}-{i}"] for i in range(1, workers + 1)]
        if metrics_port is not None:
            for i, member in enumerate(members):
                member += ["--metrics-port", str(metrics_port + i)]
        raise typer.Exit(run_pool(members, password))
    writer_id = _writer_id(client_id)
    last = [0.0]

    def report(stats: IngestStats) -> None:
        if time.monotonic() - last[0] >= 5.0:
            last[0] = time.monotonic()
            console_err.print(
                f"messages {stats.messages:,}  stored {stats.stored:,}  "
                f"duplicates {stats.duplicates:,}  rejected {sum(stats.rejected.values()):,}",
                highlight=False,
            )

    with open_store(data, writer_id=writer_id) as store, contextlib.ExitStack() as stack:
        worker = IngestWorker(store, params, fleet=ids, on_flush=report)
        if metrics_port is not None:
            from voltvan.web import serve_ingest_metrics

            stack.callback(serve_ingest_metrics(lambda: worker.stats, metrics_port))
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: worker.stop())
        console_err.print(
            f"ingesting {params.subscription} from {host}:{port}{' over TLS' if tls else ''} "
            f"into {data} "
            f"({len(ids or ())} vans, writer {writer_id!r}); Ctrl-C stops",
            highlight=False,
        )
        stats = worker.run()
    console_err.print(
        f"stopped: {stats.messages:,} messages, {stats.stored:,} rows stored, "
        f"{stats.duplicates:,} duplicates, rejected {dict(stats.rejected)}; "
        f"{stats.flushes:,} batches, parse {stats.parse_s:.1f} s, write {stats.write_s:.1f} s",
        highlight=False,
    )


def _writer_id(client_id: str) -> str:
    """A worker's writer id (its files and store lock) follows from its client id."""
    return "main" if client_id == "voltvan-ingest" else _safe_id(client_id)


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)[:64]
