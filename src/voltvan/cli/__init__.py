"""The ``voltvan`` command: one Typer app; each capability registers its commands in its own module.

Heavy imports (PyVRP, DuckDB, OCPP) happen inside the commands so that ``voltvan --help`` is fast.
"""

from __future__ import annotations

import sys

from rich.markup import escape

from voltvan.cli._app import app, console_err, state
from voltvan.errors import VoltvanError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app; turn any voltvan error into one plain line and an exit code.

    Typer handles usage errors, ``--help`` and Ctrl-C itself; everything voltvan raises on
    purpose derives from :class:`VoltvanError` and is shown without a traceback unless
    ``--debug`` was given.
    """
    try:
        app()
    except VoltvanError as exc:
        if state.debug:
            raise
        console_err.print(
            f"[bold red]{exc.kind}[/]: {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
