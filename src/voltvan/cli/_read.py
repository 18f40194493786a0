"""Read a scenario for a command and print what is odd in it, before the command goes on.

``read_scenario`` reports valid but odd input (a stop far outside the others) as
:class:`~voltvan.errors.InputWarning` through :mod:`warnings`; Python would print those with a
source path and line of voltvan's code. Commands show them as plain lines naming the input file.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from voltvan.cli._app import console_err
from voltvan.errors import InputWarning

if TYPE_CHECKING:
    from voltvan.domain import Scenario


def read_scenario_noting(path: Path, noted: list[str] | None = None) -> Scenario:
    """The scenario in ``path``; each InputWarning is printed as ``Warning: ...`` on stderr
    (and appended to ``noted`` when given, for a command that sums them up)."""
    from voltvan.scenario import read_scenario

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        scenario = read_scenario(path)
    for w in caught:
        if issubclass(w.category, InputWarning):
            if noted is not None:
                noted.append(str(w.message))
            text = f"[bold yellow]Warning[/]: {escape(str(w.message))}"
            console_err.print(text, highlight=False, soft_wrap=True)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return scenario
