"""The ``voltvan`` command: one Typer app; each capability registers its commands in its own module.

Heavy imports (PyVRP, DuckDB, OCPP) happen inside the commands so that ``voltvan --help`` is fast.
"""

from __future__ import annotations

import sys

from voltvan.cli._app import app, console_err, state
from voltvan.errors import VoltvanError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app; turn any voltvan error into one plain line and an exit code."""
    try:
        app(standalone_mode=False)
    except VoltvanError as exc:
        if state.debug:
            raise
        console_err.print(f"[bold red]{exc.kind}[/]: {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except _click_exceptions() as exc:  # usage errors, --help, Ctrl-C
        _handle_click(exc)


def _click_exceptions() -> tuple[type[BaseException], ...]:
    import click

    return (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


def _handle_click(exc: BaseException) -> None:
    import click

    if isinstance(exc, click.exceptions.Exit):
        sys.exit(exc.exit_code)
    if isinstance(exc, click.exceptions.Abort):
        console_err.print("Aborted.")
        sys.exit(130)
    assert isinstance(exc, click.exceptions.ClickException)
    exc.show()
    sys.exit(exc.exit_code)
