"""The engine's public surface is exactly the contract shared with the city planner."""

from __future__ import annotations

import voltvan.planning.ev as ev


def test_exported_names_are_the_contract() -> None:
    """Nothing missing, nothing extra: the city planner builds on exactly these names."""
    contract = {
        "Deadline",
        "EvInstance",
        "EvProgress",
        "EvRoute",
        "EvSolution",
        "EvVehicleType",
        "solve_ev",
    }
    assert set(ev.__all__) == contract
    assert all(hasattr(ev, name) for name in contract)
