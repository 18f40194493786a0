"""``voltvan charger add``: a charger account for ``voltvan csms``, its password stored hashed."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._app import app, console_err
from voltvan.errors import InvalidInput

charger_app = typer.Typer(
    help="Charger accounts of the OCPP central system (chargers.toml keeps only password hashes).",
    no_args_is_help=True,
)
app.add_typer(charger_app, name="charger")


@charger_app.command("add")
def charger_add(
    data: Annotated[
        Path, typer.Option("--data", help="The csms data folder (its chargers.toml is added to).")
    ],
    charger_id: Annotated[str, typer.Option("--id", help="Charger id (its OCPP identity).")],
    connectors: Annotated[int, typer.Option("--connectors", min=1, help="Connectors.")] = 1,
) -> None:
    """Add a charger with a new random password; print the password once (stdout) for the
    charger's configuration, store only its scrypt hash."""
    from voltvan.charging import read_csms_config
    from voltvan.passwords import hash_password

    path = data / "chargers.toml"
    if not charger_id or not charger_id.isprintable() or any(c.isspace() for c in charger_id):
        raise InvalidInput(f"{charger_id!r} is not a charger id", field="--id")
    # only the ids matter here; a profile-3 file may hold chargers without a password
    if path.exists() and charger_id in read_csms_config(path, client_certificates=True).chargers:
        raise InvalidInput(
            f"charger {charger_id!r} is already there; edit or remove its entry first",
            file=path,
            field="id",
        )
    password = secrets.token_urlsafe(18)  # 24 characters: OCPP 1.6 allows 16 to 40
    entry = (
        f"\n[[charger]]\nid = {_toml_string(charger_id)}\n"
        f'password = "{hash_password(password)}"\nconnectors = {connectors}\n'
    )
    data.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:  # appending keeps the file's comments
        f.write(entry)
    console_err.print(f"added charger {charger_id} to {path}; its password (shown once):")
    print(password)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
