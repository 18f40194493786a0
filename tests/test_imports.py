"""How voltvan's packages may import each other: public names only, and never upwards.

The layers are those of the architecture (README, "Layout"): ground, models, data, capabilities,
faces. Lower layers never import higher ones, and no module imports another package's private
module (``voltvan.a._b`` from outside ``voltvan.a``): it imports what ``voltvan.a`` exports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import voltvan

SRC = Path(__file__).resolve().parents[1] / "src"

#: Top-level module or package -> layer (1 ground ... 5 faces). A new one must be placed here.
LAYERS = {
    "domain": 1, "errors": 1, "files": 1, "ranges": 1, "passwords": 1, "spark": 1,
    "energy": 2, "travel": 2, "scenario": 2, "catalog": 2,
    "plan": 3, "telemetry": 3,
    "planning": 4, "check": 4, "charging": 4, "ops": 4, "twin": 4, "report": 4, "benchmarks": 4,
    "console": 5, "web": 5, "cli": 5, "academy": 5,
}  # fmt: skip

#: Names the package root re-exports from the ground layer (``from voltvan import Tariff``).
ROOT_NAMES = {*voltvan.__all__, "__version__"}

#: Imports that break a rule on purpose, with the reason: (importing file, imported package).
ALLOWED = {
    # chart_html/chart_svg moved to the report; voltvan.charging resolves them for old code.
    ("voltvan/charging/__init__.py", "voltvan.report"),
}


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every absolute import in ``path``, function-level ones included."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from voltvan.a import _b`` imports module voltvan.a._b
                yield node.lineno, f"{node.module}.{alias.name}"


def _package_of(path: Path) -> list[str]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return parts[:-1]  # a package's __init__ belongs to that package, a module to its folder


def _sources() -> list[Path]:
    return sorted((SRC / "voltvan").rglob("*.py"))


def private_imports(paths: list[Path]) -> list[str]:
    """``file:line: name`` for each import of a private module from outside its package."""
    found = []
    for path in paths:
        package = _package_of(path)
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "voltvan":
                continue
            for i, part in enumerate(parts[1:], start=1):
                if part.startswith("_") and not part.startswith("__"):
                    owner = parts[:i]
                    if package[: len(owner)] != owner:
                        rel = path.relative_to(SRC)
                        message = (
                            f"{rel}:{line}: imports {'.'.join(parts[: i + 1])}, private to "
                            f"{'.'.join(owner)} (import a name {'.'.join(owner)} exports)"
                        )
                        if message not in found:
                            found.append(message)
                    break
    return found


def upward_imports(paths: list[Path]) -> list[str]:
    """``file:line: ...`` for each import of a higher layer, or of an unplaced package."""
    found = []
    for path in paths:
        rel = path.relative_to(SRC)
        if len(rel.parts) < 3 and rel.name == "__init__.py":
            continue  # voltvan/__init__.py: the package root re-exports the ground layer
        own = rel.parts[1].removesuffix(".py")
        if own not in LAYERS:
            found.append(f"{rel}: {own} has no layer in tests/test_imports.py LAYERS")
            continue
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "voltvan" or len(parts) < 2 or parts[1] == own:
                continue
            if parts[1] in ROOT_NAMES and parts[1] not in LAYERS:
                continue  # the root's re-exports of the ground layer
            if (rel.as_posix(), f"voltvan.{parts[1]}") in ALLOWED:
                continue
            other = LAYERS.get(parts[1])
            if other is None:
                found.append(f"{rel}:{line}: imports voltvan.{parts[1]}, which has no layer")
            elif other > LAYERS[own]:
                found.append(
                    f"{rel}:{line}: {own} (layer {LAYERS[own]}) imports voltvan.{parts[1]} "
                    f"(layer {other})"
                )
    return found


def test_no_module_imports_another_packages_private_module() -> None:
    """Across src/voltvan, private modules are imported only from inside their own package."""
    found = private_imports(_sources())
    assert not found, "\n".join(found)


def test_lower_layers_never_import_higher_ones() -> None:
    """Every import in src/voltvan goes to the same or a lower layer."""
    found = upward_imports(_sources())
    assert not found, "\n".join(found)


def package_cycles(paths: list[Path]) -> list[str]:
    """Pairs of top-level packages that import each other (the same layer, both ways)."""
    edges: dict[str, set[str]] = {}
    for path in paths:
        rel = path.relative_to(SRC)
        if len(rel.parts) < 3 and rel.name == "__init__.py":
            continue  # the package root
        own = rel.parts[1].removesuffix(".py")
        for _, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "voltvan" or len(parts) < 2 or parts[1] not in LAYERS:
                continue
            if parts[1] != own and (rel.as_posix(), f"voltvan.{parts[1]}") not in ALLOWED:
                edges.setdefault(own, set()).add(parts[1])
    pairs = {tuple(sorted((a, b))) for a, bs in edges.items() for b in bs if a in edges.get(b, ())}
    return [f"{a} <-> {b}" for a, b in sorted(pairs)]


def test_no_two_packages_import_each_other() -> None:
    """Within a layer the dependencies still point one way (the report draws charging's
    schedule; charging knows nothing of the report)."""
    found = package_cycles(_sources())
    assert not found, "\n".join(found)


def test_the_telemetry_subpackages_import_downwards_only() -> None:
    """Inside telemetry: ingest imports neither store nor analytics; store never analytics."""
    below = {"ingest": set(), "store": {"ingest"}, "analytics": {"ingest", "store"}}
    found = []
    for sub, allowed in below.items():
        for path in sorted((SRC / "voltvan" / "telemetry" / sub).rglob("*.py")):
            for line, name in _imports(path):
                parts = name.split(".")
                if parts[:2] == ["voltvan", "telemetry"] and len(parts) > 2:
                    other = parts[2]
                    if other in below and other != sub and other not in allowed:
                        found.append(f"{path.relative_to(SRC)}:{line}: {sub} imports {other}")
    assert not found, "\n".join(found)


@pytest.fixture
def offender(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake voltvan tree with one module that breaks both rules."""
    monkeypatch.setattr("tests.test_imports.SRC", tmp_path)
    bad = tmp_path / "voltvan" / "domain.py"
    bad.parent.mkdir()
    bad.write_text(
        "from voltvan.ops import Store\n\n\ndef f() -> None:\n"
        "    from voltvan.charging._lp import solve_lp\n"
    )
    return bad


def test_the_checks_name_file_and_line(offender: Path) -> None:
    """A private import and an upward import are each reported with their file and line."""
    private = private_imports([offender])
    assert private == [
        "voltvan/domain.py:5: imports voltvan.charging._lp, private to voltvan.charging "
        "(import a name voltvan.charging exports)"
    ]
    upward = upward_imports([offender])
    assert "voltvan/domain.py:1: domain (layer 1) imports voltvan.ops (layer 4)" in upward
    assert "voltvan/domain.py:5: domain (layer 1) imports voltvan.charging (layer 4)" in upward
