"""The Typer app and the state its global options set; command modules attach themselves here."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console
from typer.core import TyperOption

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


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"voltvan {version('voltvan')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback when something fails."
    ),
    _version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Show the installed voltvan version and exit.",
    ),
) -> None:
    state.debug = debug


def _flags_take_no_value() -> None:
    """Show switches as switches in the help: ``--csv``, not ``--csv <bool>``.

    Typer's plain help leaves the type out for flags, but its Rich help prints ``<bool>`` after
    every flag (even ``--help``), which reads as if the switch wanted a value. The help panels
    ask ``display_type_rich`` for that text, so flags answer with none.
    """
    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    setattr(TyperOption, "display_type_rich", display_type_rich)  # noqa: B010 (mypy: no method assign)


_flags_take_no_value()


def _register() -> None:
    """Import the command modules so that their decorators attach them to ``app``."""
    from voltvan.cli import _commands  # noqa: F401


_register()
