"""Roles and what each may do: one small registry the engine, auth and recipes share."""

from __future__ import annotations

from typing import Final

# A courier is a user only to sign "received" when a shipment is handed over (custody).
# A planner plans orders on the server (the planner page); nothing at a station.
ROLES: Final = frozenset(
    {"operator", "supervisor", "qa", "technician", "admin", "courier", "planner"}
)

# Signature meanings (21 CFR 11.50): what a signer declares by signing.
MEANINGS: Final = frozenset(
    {
        "performed",
        "verified",
        "witnessed",
        "reviewed",
        "approved",
        "released",
        "acknowledged",
        "received",
        "submitted",
    }
)

# Action -> roles allowed to perform it (11.10(d),(g)). Step-level `roles` in a recipe
# narrow "perform a step" further; they never widen it.
PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "batch.start": frozenset({"operator", "supervisor"}),
    "step.perform": frozenset({"operator", "supervisor"}),
    "step.witness": frozenset({"operator", "supervisor", "qa"}),
    "step.sign": frozenset({"supervisor", "qa"}),
    "step.correct": frozenset({"operator", "supervisor"}),
    "exception.acknowledge": frozenset({"supervisor"}),
    "override.approve": frozenset({"supervisor"}),
    "batch.hold": frozenset({"operator", "supervisor", "qa"}),
    "batch.resume": frozenset({"supervisor"}),
    "batch.abort": frozenset({"supervisor"}),
    "exception.disposition": frozenset({"qa"}),
    "deviation.open": frozenset({"supervisor", "qa"}),
    "batch.release": frozenset({"qa"}),
    "batch.handover": frozenset({"operator", "supervisor"}),
    "batch.receive": frozenset({"operator", "supervisor"}),
    "custody.receive": frozenset({"operator", "supervisor", "qa", "technician", "courier"}),
    "user.manage": frozenset({"admin"}),
    "station.exit": frozenset({"admin"}),
    "device.manage": frozenset({"technician", "admin"}),
    "material.manage": frozenset({"qa", "admin"}),
    "recipe.activate": frozenset({"admin"}),
    # The recipe lifecycle at the central server (central/recipes.py).
    "recipe.author": frozenset({"supervisor", "qa", "admin"}),
    "recipe.review": frozenset({"supervisor", "qa"}),
    "recipe.approve": frozenset({"qa"}),
}


def allowed(action: str, roles: frozenset[str] | set[str]) -> bool:
    """True when any of `roles` may perform `action`."""
    return bool(PERMISSIONS[action] & roles)
