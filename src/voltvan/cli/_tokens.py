"""``voltvan tokens add``: issue the bearer tokens ``voltvan serve --tokens`` checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._app import app, console_err
from voltvan.errors import InvalidInput

tokens_app = typer.Typer(
    help="Issue HTTP bearer tokens for vans and readers (the file keeps only their hashes).",
    no_args_is_help=True,
)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("add")
def tokens_add(
    tokens: Annotated[
        Path, typer.Option("--tokens", help="Tokens file to add to (created if absent).")
    ],
    vehicle: Annotated[
        str | None,
        typer.Option("--vehicle", help="Van id: the token may post and read this van only."),
    ] = None,
    reader: Annotated[
        str | None,
        typer.Option("--reader", help="Reader name (a console, an analyst): may read everything."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Issue a new token for a name that has one (voids it)."),
    ] = False,
) -> None:
    """Add a new random token; print it once (stdout), store only its SHA-256."""
    from voltvan.telemetry import add_token

    if vehicle is not None and reader is None:
        who, name = "vehicle", vehicle
        token = add_token(tokens, "vehicles", vehicle, replace=replace)
    elif reader is not None and vehicle is None:
        who, name = "reader", reader
        token = add_token(tokens, "readers", reader, replace=replace)
    else:
        raise InvalidInput("give exactly one of --vehicle ID or --reader NAME", field="tokens")
    print(token)
    console_err.print(
        f"token for {who} {name!r} added to {tokens} (only its SHA-256 is stored: "
        "keep the token now, it cannot be shown again)",
        highlight=False,
    )
