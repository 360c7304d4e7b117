"""THE table of rules: every rule of the catalogue, in the order findings are reported.

Each rule is one object (`rule.py`): identities are data (`identities.py`), checks carry their
function and columnar screen (`checks.py`). The validator, the package validator's screens and the
rules documentation all read this table.
"""

from __future__ import annotations

from ogi_report.rules.checks import CHECKS
from ogi_report.rules.identities import (
    CROSS_YEAR_IDENTITIES,
    IDENTITIES,
    IdentityInstance,
    cross_year_instances,
    identity_instances,
)
from ogi_report.rules.rule import ALL_LAYOUTS, Check, Identity, Rule

CATALOGUE_VERSION = "1.0.0"

CATALOGUE: tuple[Rule, ...] = (*IDENTITIES, *CHECKS, *CROSS_YEAR_IDENTITIES)
RULES: dict[str, Rule] = {rule.id: rule for rule in CATALOGUE}

__all__ = [
    "ALL_LAYOUTS",
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "CHECKS",
    "CROSS_YEAR_IDENTITIES",
    "IDENTITIES",
    "RULES",
    "Check",
    "Identity",
    "IdentityInstance",
    "Rule",
    "cross_year_instances",
    "identity_instances",
]
