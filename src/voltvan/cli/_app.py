"""The Typer app and the state its global options set; command modules attach themselves here."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console

console = Console()
console_err = Console(stderr=True)


@dataclass
class _State:
    debug: bool = False


state = _State()

app = typer.Typer(
    name="voltvan",
    help="Plan, charge and run fleets of electric delivery vans.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _main(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback when something fails."
    ),
) -> None:
    state.debug = debug


def _register() -> None:
    """Import the command modules so that their decorators attach them to ``app``."""
    from voltvan.cli import _commands  # noqa: F401


_register()
