"""Benchmark instances (Schneider EVRPTW, VRPLIB VRPTW) as engine instances, and solution files.

``read_instance`` tells the two formats apart by their content, so ``voltvan solve`` takes either.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voltvan.benchmarks._schneider import (
    SchneiderInstance as SchneiderInstance,
)
from voltvan.benchmarks._schneider import (
    parse_schneider as parse_schneider,
)
from voltvan.benchmarks._schneider import (
    read_schneider as read_schneider,
)
from voltvan.benchmarks._schneider import (
    schneider_to_ev as schneider_to_ev,
)
from voltvan.benchmarks._solution import (
    solution_to_json as solution_to_json,
)
from voltvan.benchmarks._solution import (
    write_solution as write_solution,
)
from voltvan.benchmarks._vrplib import (
    VrplibInstance as VrplibInstance,
)
from voltvan.benchmarks._vrplib import (
    parse_vrplib as parse_vrplib,
)
from voltvan.benchmarks._vrplib import (
    read_vrplib as read_vrplib,
)
from voltvan.benchmarks._vrplib import (
    vrplib_to_ev as vrplib_to_ev,
)
from voltvan.errors import InvalidInput
from voltvan.planning.ev import EvInstance


@dataclass(frozen=True)
class BenchmarkInstance:
    name: str
    format: str  # "evrptw" or "vrptw"
    instance: EvInstance


def read_instance(path: str | Path) -> BenchmarkInstance:
    """Either format, told apart by content (the extension only breaks a tie)."""
    from voltvan.benchmarks._schneider import looks_like_schneider, parse_schneider
    from voltvan.benchmarks._vrplib import looks_like_vrplib, parse_vrplib

    path = Path(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise InvalidInput("no such file", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the instance: {exc}", file=path) from exc
    if looks_like_schneider(text):
        s = parse_schneider(text, file=path)
        return BenchmarkInstance(path.stem, "evrptw", schneider_to_ev(s))
    if looks_like_vrplib(text) or path.suffix.lower() == ".vrp":
        v = parse_vrplib(text, file=path)
        return BenchmarkInstance(v.name, "vrptw", vrplib_to_ev(v))
    raise InvalidInput(
        "neither a Schneider EVRPTW file (header 'StringID Type x y ...') nor a VRPLIB file",
        file=path,
        line=1,
    )


__all__ = [
    "BenchmarkInstance",
    "SchneiderInstance",
    "VrplibInstance",
    "parse_schneider",
    "parse_vrplib",
    "read_instance",
    "read_schneider",
    "read_vrplib",
    "schneider_to_ev",
    "solution_to_json",
    "vrplib_to_ev",
    "write_solution",
]
