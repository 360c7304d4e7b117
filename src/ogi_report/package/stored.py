"""The findings a received package keeps that its tables cannot reproduce.

A package holds a report's tables, metadata and text, but not what a reader recorded from the source:
the figures its narrative states (NARRATIVE-MISMATCH), the cells it could not place (CELL-UNPLACED),
the metadata the page did not state (METADATA-MISSING). The bulk validator recomputes every other rule
from the tables; these findings, made when the package was built, are read back from its `findings`
resource and reported as they were stored. Which rules they are is what the rules say of themselves:
a check whose screen is `NeverInPackages`.
"""

from __future__ import annotations

from typing import Any

import duckdb
from pydantic import ValidationError

from ogi_report.findings import Finding
from ogi_report.package.resources import fields_of
from ogi_report.package.structure import q
from ogi_report.rules.catalogue import CHECKS
from ogi_report.rules.rule import NeverInPackages

# Rules whose input is the source itself (not in the package): kept as the package states them.
SOURCE_ONLY_RULES = tuple(
    rule.id for rule in CHECKS if any(isinstance(screen, NeverInPackages) for screen in rule.screens)
)


def finding_from_row(row: dict[str, str]) -> Finding:
    """A finding from its (unescaped) row in `findings`, field by field as the resource declares
    them; ValidationError if the row breaks the model (reported by the structure checks)."""
    data: dict[str, Any] = {f.path[0]: f.read(row[f.name]) for f in fields_of("findings") if f.path}
    return Finding(**data, report=row["report_id"])


def stored_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """The source-only findings of the loaded package (table `raw_findings`, unescaped), in order."""
    names = [f.name for f in fields_of("findings")]
    columns = ", ".join(f"coalesce({q(n)}, '')" for n in names)
    rules = ", ".join(f"'{rule}'" for rule in SOURCE_ONLY_RULES)
    found = []
    query = f"SELECT {columns} FROM raw_findings WHERE rule IN ({rules}) ORDER BY rowid"  # noqa: S608
    for values in con.execute(query).fetchall():
        try:
            found.append(finding_from_row(dict(zip(names, values, strict=True))))
        except ValidationError:
            continue  # a broken row: the structure checks have reported it
    return found
