"""Every package states its public surface in ``__all__``, and every name there resolves."""

from __future__ import annotations

import importlib
import pkgutil

import voltvan


def _packages() -> list[str]:
    found = [voltvan.__name__]
    for info in pkgutil.walk_packages(voltvan.__path__, prefix="voltvan."):
        if info.ispkg:
            found.append(info.name)
    return found


def test_the_walk_sees_the_subpackages() -> None:
    """The walk reaches nested packages (so the next test covers them too)."""
    found = _packages()
    for name in ("voltvan.telemetry.ingest", "voltvan.charging.ocpp", "voltvan.planning.ev"):
        assert name in found


def test_every_package_lists_its_names_and_each_resolves() -> None:
    """Each package has ``__all__``: public, each listed once, each importable from it."""
    problems = []
    for name in _packages():
        module = importlib.import_module(name)
        names = getattr(module, "__all__", None)
        if names is None:
            problems.append(f"{name}: no __all__")
            continue
        if len(set(names)) != len(names):
            problems.append(f"{name}: __all__ lists a name twice")
        for attr in names:
            if attr.startswith("_"):
                problems.append(f"{name}.{attr}: private name in __all__")
            try:
                getattr(module, attr)
            except AttributeError:
                problems.append(f"{name}.{attr}: listed in __all__ but does not resolve")
    assert not problems, "\n".join(problems)


def test_a_parent_re_exports_its_subpackages() -> None:
    """``voltvan.telemetry`` and ``voltvan.charging`` offer every name of their subpackages."""
    for parent, children in {
        "voltvan.telemetry": ("ingest", "store", "analytics"),
        "voltvan.charging": ("ocpp",),
    }.items():
        outer = importlib.import_module(parent)
        for child in children:
            inner = importlib.import_module(f"{parent}.{child}")
            missing = set(inner.__all__) - set(outer.__all__)
            assert not missing, f"{parent} does not re-export {sorted(missing)} of {child}"
            for attr in inner.__all__:
                assert getattr(outer, attr) is getattr(inner, attr)
