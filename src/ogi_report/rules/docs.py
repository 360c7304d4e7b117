"""docs/rules.md, generated from the catalogue, the layout registry and the rule cases.

Each rule's section shows its message templates and one passing and one failing example, drawn from
its case file in `rules/cases/` (the same files the tests run).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ogi_report.layout import LAYOUTS, Layout
from ogi_report.rules.catalogue import CATALOGUE, CATALOGUE_VERSION
from ogi_report.rules.identities import cross_year_instances, identity_instances
from ogi_report.rules.rule import (
    AlwaysEngine,
    CellScreen,
    Check,
    Identity,
    NeverInPackages,
    Rule,
    Screen,
    SqlScreen,
)

# One YAML file per rule id: cases patching an example report, with the findings expected.
CASES_DIR = Path(__file__).resolve().parent / "cases"

_HEADER = """# Rule catalogue

Generated from `src/ogi_report/rules/catalogue.py` and the rule cases in
`src/ogi_report/rules/cases/` by `ogi rules --markdown -o docs/rules.md`; do not edit by hand (a test
fails when this file is stale). Catalogue version {version}. Each finding links to its rule's section
here (`url`) and keeps the parameters its message was made from (`params`).

Cells are named `table.row.column` by their codes (docs/standard.md, Codes), for example
`applications.carried_out.natural_person`.

**Blank cells.** A blank (null) cell is an unknown non-negative count, never 0. An identity with
blanks is an `error` only when no non-negative values for the blanks could make it hold; otherwise it
is a `warning` naming the blanks, with the values they must take where that is determined (`fill`)
and, for a blank stated side, the value the present items give (`expected`). An identity whose cells
are all blank is not checked; `CELL-MISSING` reports the blanks themselves, once per table.
"""


def _identity_detail(rule: Identity, layout: Layout) -> str:
    bound_all = identity_instances(layout) if rule.scope == "report" else cross_year_instances(layout)
    instances = [i for i in bound_all if i.rule is rule]
    table = layout.table(rule.table)
    first = instances[0]

    def side(terms: tuple[tuple[str, str, int], ...], start: int) -> str:
        names = []
        for i, (r, c, w) in enumerate(terms, start):
            code = r if rule.per == "column" else c
            label = table.row(code).label if rule.per == "column" else table.column(code).label
            sign = "" if w == 1 else f"{w} × "
            year = " (N−1)" if first.year_of(i) else ""
            names.append(f"{sign}`{code}`{year} {label}")
        return " + ".join(names)

    bound = "column" if rule.per == "column" else "data row"
    over = ", ".join(f"`{i.bound}`" for i in instances)
    return (
        f"- layout `{layout.code}`, table `{table.code}`, once per {bound} ({len(instances)}: {over}):  \n"
        f"  {side(first.stated, 0)} = {side(first.items, len(first.stated))}"
    )


def _screen_line(screen: Screen) -> str:
    if isinstance(screen, SqlScreen):
        return "its own SQL over the relations `reports`, `sections` and the tables"
    if isinstance(screen, CellScreen):
        return f"the table screen ({screen.reason})"
    if isinstance(screen, AlwaysEngine):
        return f"none, every report is read ({screen.reason})"
    assert isinstance(screen, NeverInPackages)
    return f"none needed ({screen.reason})"


def _messages(rule: Rule) -> list[str]:
    lines = ["", "Messages (`{name}`: a parameter, kept in the finding's `params`):", ""]
    for key, (zh, en) in rule.messages.items():
        lines.append(f"- `{key}`: {zh}  \n  {en}")
    return lines


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


_SHOWN = ("severity", "cells", "cells_include", "stated", "expected")


def _example(title: str, case: dict[str, Any]) -> list[str]:
    lines = ["", f"{title} — *{case['name']}*: `examples/{case['base']}`"]
    if case.get("set"):
        lines[-1] += f" with `{_json(case['set'])}`"
    if case.get("mode"):
        lines[-1] += f", mode `{case['mode']}`"
    previous = case.get("previous")
    if previous:
        patch = f" with `{_json(previous['set'])}`" if previous.get("set") else ""
        lines[-1] += f"; the year before: `examples/{previous['base']}`{patch}"
    expect = case.get("expect") or []
    if not expect:
        lines[-1] += " — no finding."
        return lines
    lines[-1] += f" — {len(expect)} finding(s):"
    lines.append("")
    for want in expect[:3]:
        shown = {
            k: want[k] for k in ("severity", "cells", "cells_include", "stated", "expected") if k in want
        }
        lines.append(f"  - `{_json(shown)}`")
    if len(expect) > 3:
        lines.append(f"  - … and {len(expect) - 3} more")
    return lines


@cache
def _cases(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Rule id -> its cases, from the folder's case files."""
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        out[str(data["rule"])] = list(data.get("cases") or [])
    return out


def _examples(rule: Rule, cases: dict[str, list[dict[str, Any]]]) -> list[str]:
    mine = cases.get(rule.id, [])
    passing = next((c for c in mine if not c.get("expect")), None)
    failing = next((c for c in mine if c.get("expect")), None)
    lines: list[str] = []
    if passing is not None:
        lines += _example("Passes", passing)
    if failing is not None:
        lines += _example("Fails", failing)
    return lines


def _rule_section(rule: Rule, cases: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        f"## {rule.id}",
        "",
        f"- severity: `{rule.severity.value}`; scope: `{rule.scope}`; layouts: "
        + ", ".join(f"`{code}`" for code in rule.layouts),
        f"- 中文：{rule.statement_zh}",
        f"- English: {rule.statement_en}",
    ]
    if isinstance(rule, Identity):
        for code in rule.layouts:
            lines.append(_identity_detail(rule, LAYOUTS[code]))
        if rule.blanks == "skip":
            lines.append("- an instance with a blank cell (in either year) is not checked")
    if isinstance(rule, Check):
        lines += [f"- package screen: {_screen_line(screen)}" for screen in rule.screens]
    lines += _messages(rule) + _examples(rule, cases)
    return "\n".join(lines)


def rules_markdown(cases: Path = CASES_DIR, appendix: str = "") -> str:
    """The rules documentation; `appendix` is added at the end (the package's structure checks)."""
    index = ["| id | severity | scope | statement |", "|---|---|---|---|"]
    index += [
        f"| [{r.id}](#{r.anchor}) | {r.severity.value} | {r.scope} | {r.statement_en} |" for r in CATALOGUE
    ]
    body = "\n\n".join(_rule_section(r, _cases(cases)) for r in CATALOGUE)
    text = _HEADER.format(version=CATALOGUE_VERSION) + "\n" + "\n".join(index) + "\n\n" + body + "\n"
    return text + ("\n" + appendix if appendix else "")
