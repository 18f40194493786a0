"""``voltvan serve``, ``voltvan query`` and ``voltvan store compact|retain``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._app import app, console, console_err
from voltvan.cli._output import Col, CsvOpt, JsonOpt, Output, emit, exact, output
from voltvan.cli._telemetry_options import DataDir, fleet_ids
from voltvan.errors import InvalidInput

store_app = typer.Typer(
    help="Maintain a telemetry data directory (stop writers first).", no_args_is_help=True
)
app.add_typer(store_app, name="store")


@app.command()
def serve(
    data: DataDir,
    fleet: Annotated[
        Path | None,
        typer.Option("--fleet", help="fleet.toml: only these van ids may post (default: any)."),
    ] = None,
    tokens: Annotated[
        Path | None,
        typer.Option(
            "--tokens",
            help="Tokens file (TOML: [vehicles] id = token, [readers] name = token). "
            "Without it the server is open to anyone: development only.",
        ),
    ] = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Operations database (/v1/ops): a SQLite file or postgresql://USER@HOST:PORT/DB "
        "(default: ops.sqlite in --data).",
    ),
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="The day's scenario folder: re-planning through the API (/v1/ops/.../replan) "
            "needs its fleet and stops.",
        ),
    ] = None,
    log_json_lines: bool = typer.Option(
        False,
        "--log-json",
        help="Log one JSON object per line on stderr: each request (route, status, duration) "
        "and the server's messages.",
    ),
) -> None:
    """Serve the HTTP API: telemetry (ingest, last state, dead letters, SQL) and the live day.

    Prometheus metrics are on /metrics (a reader's token when there are tokens)."""
    import uvicorn

    from voltvan.ops import open_ops
    from voltvan.telemetry import Tokens, load_tokens
    from voltvan.web import WebSettings, create_app, log_json

    data.mkdir(parents=True, exist_ok=True)
    open_ops(db, data).close()  # a wrong --db fails now, not at the first request
    if scenario is not None:
        from voltvan.scenario import read_scenario

        read_scenario(scenario)  # a bad scenario fails now, not at the first re-plan
    settings = WebSettings(
        data_dir=data,
        fleet=fleet_ids(fleet),
        tokens=load_tokens(tokens) if tokens is not None else Tokens(),
        ops_db=db,
        scenario_dir=scenario,
    )
    if log_json_lines:
        log_json()  # the access records of voltvan.web replace uvicorn's text access log
        if settings.tokens.is_open:
            logging.getLogger("voltvan.web").warning("no --tokens: anyone can post and read")
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
        return
    if settings.tokens.is_open:
        console_err.print("[yellow]no --tokens: anyone can post and read[/]")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SELECT over signals, last_state, rejected, ...")],
    data: DataDir,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    limit: int = typer.Option(1000, "--limit", min=1, help="Print at most this many rows."),
) -> None:
    """Run one read-only SQL query over the telemetry views and print the result."""
    from voltvan.telemetry import open_query, read_only_sql

    fmt = output(as_csv, as_json)
    con = open_query(data)
    read_only_sql(con, sql, data)
    try:
        cursor = con.execute(sql)
    except Exception as exc:  # DuckDB's error classes: one line for the user
        raise InvalidInput(f"query failed: {str(exc).splitlines()[0]}", field="sql") from None
    # Columns leave a narrow table from the right; the first is always shown.
    columns = [Col(d[0], drop=i, left=True) for i, d in enumerate(cursor.description or [])]
    rows = cursor.fetchmany(limit)
    emit("", columns, rows, fmt, cells=exact)
    if fmt is Output.table:
        console.print(f"{len(rows)} row(s)", style="dim")


@store_app.command("compact")
def store_compact(
    data: DataDir,
    day: str | None = typer.Option(None, "--day", help="Only this UTC day, YYYY-MM-DD."),
) -> None:
    """Merge each day's batch files into one sorted, deduplicated Parquet file."""
    from rich.table import Table

    from voltvan.telemetry import compact

    results = compact(data, day=day)
    table = Table("table", "day", "files before", "rows before", "rows after")
    for r in results:
        table.add_row(r.kind, r.day, str(r.files_before), f"{r.rows_before:,}", f"{r.rows_after:,}")
    console.print(table if results else "nothing to compact")


@store_app.command("retain")
def store_retain(
    data: DataDir,
    days: Annotated[
        int, typer.Option("--days", help="Keep this many days (UTC) of raw signals and rejects.")
    ],
    derived_days: Annotated[
        int | None,
        typer.Option(
            "--derived-days",
            help="Also delete days of the derived tables (trips, stops, charging sessions, "
            "daily energy) older than this; without it they are all kept.",
        ),
    ] = None,
) -> None:
    """Delete raw signal and dead-letter days older than --days; derived days only if asked."""
    from voltvan.telemetry import retain

    removed = retain(data, days=days, derived_days=derived_days)
    for part in removed:
        console.print(f"removed {part}")
    console.print(f"{len(removed)} partition(s) removed")
