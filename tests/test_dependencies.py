"""What pyproject.toml declares is what the code imports, pinned in constraints.txt, typed.

Import names differ from distribution names (``prometheus_client`` comes from
``prometheus-client``, ``vroom`` from ``pyvroom``): importlib.metadata's
``packages_distributions()`` maps them, from the installed distributions' own file lists.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]

#: Declared and never imported, each for a reason the test checks in the code.
LOADED_BY_NAME = {
    # SQLAlchemy imports the driver itself for a postgresql+psycopg:// URL
    "psycopg": ("src", "postgresql+psycopg"),
}
#: Extras that are features of the package (imported lazily under src/ when the feature is used).
FEATURES = ("spark",)
#: Declared for the tests and used as programs, not imported.
TOOLS = {"schemathesis", "ruff", "mypy", "pytest-timeout"}


def requirements(group: str | None = None) -> dict[str, Requirement]:
    texts = PROJECT["dependencies"] if group is None else PROJECT["optional-dependencies"][group]
    reqs = [Requirement(t) for t in texts]
    return {canonicalize_name(r.name): r for r in reqs}


def imported_distributions(folder: str, *, own: set[str]) -> dict[str, str]:
    """Distribution -> one file importing it, for every third-party import under ``folder``."""
    by_import = md.packages_distributions()
    found: dict[str, str] = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in own:
                    continue
                dists = by_import.get(top)
                assert dists, f"{path.relative_to(REPO)}: {top!r} is installed by no distribution"
                for dist in dists:
                    found.setdefault(canonicalize_name(dist), str(path.relative_to(REPO)))
    return found


def test_every_runtime_dependency_is_imported_and_every_import_declared() -> None:
    """src/ imports exactly what [project].dependencies declares (drivers loaded by name aside)."""
    declared = requirements()
    features = {d for extra in FEATURES for d in requirements(extra)}
    imported = imported_distributions("src", own={"voltvan"})
    undeclared = {
        d: where for d, where in imported.items() if d not in declared and d not in features
    }
    assert not undeclared, f"imported under src/ but not declared: {undeclared}"
    unused = set(declared) - set(imported) - set(LOADED_BY_NAME)
    assert not unused, f"declared but never imported under src/: {sorted(unused)}"
    for dist, (folder, text) in LOADED_BY_NAME.items():
        assert dist in declared
        assert any(text in p.read_text(encoding="utf-8") for p in (REPO / folder).rglob("*.py"))


def test_tests_and_benchmarks_import_only_what_their_extras_declare() -> None:
    """Test-only packages live in the test extra, benchmark ones in the bench extra, and an
    extra declares nothing its folder never uses."""
    runtime = set(requirements())
    own = {
        "voltvan",
        "tests",
        "bench",
        "tools",
        "mutants",
        "mutation_report",
        "city",
        "queries_fleet_day",
        "queries_sql",
        "ingest_report",
        "ingest_stream",
        "ingest_procs",
        "ingest_c_publisher",
        "ingest_publishers",
        "ingest_subscribers",
        "ingest_worker",
        "ingest_http",
    }
    for folder, extra in (("tests", "test"), ("bench", "bench")):
        declared = requirements(extra)
        imported = imported_distributions(folder, own=own)
        missing = {d: w for d, w in imported.items() if d not in runtime and d not in declared}
        assert not missing, f"{folder}/ imports undeclared packages: {missing}"
        unused = set(declared) - set(imported) - {canonicalize_name(t) for t in TOOLS}
        assert not unused, f"the {extra} extra declares what {folder}/ never imports: {unused}"
    assert not set(requirements("test")) & runtime, "a runtime dependency repeated in the extra"


def test_constraints_pin_every_declared_package_within_its_range() -> None:
    """constraints.txt pins each declared distribution to a version its specifier allows."""
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    groups = [None, *PROJECT["optional-dependencies"]]
    for group in groups:
        for dist, req in requirements(group).items():
            assert dist in pins, f"{dist} ({group or 'runtime'}) is not pinned in constraints.txt"
            assert req.specifier.contains(pins[dist], prereleases=True), (
                f"constraints.txt pins {dist}=={pins[dist]}, outside {req.specifier}"
            )


def test_constraints_pin_exactly_what_the_declared_packages_need() -> None:
    """Every pin is a declared distribution or one they need (from the installed metadata, with
    the extras asked for), and everything they need is pinned: no stale pins, no loose ends."""
    pins = {
        canonicalize_name(m.group(1))
        for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if (m := re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip()))
    }
    groups = [None, *PROJECT["optional-dependencies"]]
    stack = [req for group in groups for req in requirements(group).values()]
    seen: set[tuple[str, str]] = set()
    while stack:
        req = stack.pop()
        for extra in req.extras or {""}:
            if (canonicalize_name(req.name), extra) in seen:
                continue
            seen.add((canonicalize_name(req.name), extra))
            for text in md.distribution(req.name).requires or []:
                sub = Requirement(text)
                if sub.marker is None or sub.marker.evaluate({"extra": extra}):
                    stack.append(sub)
    needed = {name for name, _ in seen}
    assert not pins - needed, f"pinned but needed by nothing declared: {sorted(pins - needed)}"
    assert not needed - pins, f"needed but not pinned: {sorted(needed - pins)}"


def test_the_package_ships_its_type_marker() -> None:
    """py.typed is in the package folder the wheel is built from (PEP 561)."""
    packages = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert packages == ["src/voltvan"]
    assert (REPO / "src" / "voltvan" / "py.typed").is_file()
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert not wheel.get("exclude"), "nothing left out of the wheel"
