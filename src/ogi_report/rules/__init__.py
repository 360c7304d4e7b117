"""The rule catalogue and the engine that runs it.

The names below are loaded on first use, so that `rules.facts` (read by the report models) imports
without the catalogue, which itself reads the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi_report.rules.catalogue import (
        CATALOGUE,
        CATALOGUE_VERSION,
        RULES,
        Check,
        Identity,
        Rule,
        identity_instances,
    )

__all__ = [
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "RULES",
    "Check",
    "Identity",
    "Rule",
    "identity_instances",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ogi_report.rules import catalogue

        return getattr(catalogue, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
