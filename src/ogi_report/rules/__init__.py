"""The rule catalogue and the engine that runs it."""

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
