"""The relations the rules' columnar screens read: a contract, not a storage format.

A screen is SQL over these names only, so the rules never depend on how a package stores reports;
whatever runs the screens (the package validator) provides them as views. Every value is the text as
written, NULL for a blank; a screen casts what it compares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    name: str
    columns: tuple[str, ...]


# One row per report.
REPORTS = Relation("reports", ("report_id", "format", "year", "published", "agency_code", "agency_kind"))
# One row per report and text section (section code of the layout), its text.
SECTIONS = Relation("sections", ("report_id", "section", "text"))
# One relation per statistical table and set of layouts sharing its columns: one row per report and
# table row, the row code in `row` and one column per cell, named by the column code.
TABLE_KEY = ("report_id", "row")

# Table 二 has different columns in the two layouts, so each layout has its own relation; the other
# tables keep their columns across layouts and have one relation each.
_SPLIT_BY_LAYOUT = {("proactive", "2019-trial"): "proactive_2019_trial"}


def table_relation(table: str, layout: str) -> str:
    """The name of the relation holding `table` of reports in `layout`."""
    return _SPLIT_BY_LAYOUT.get((table, layout), table)
