"""docs/rules.md, generated from the catalogue and the layout registry."""

from __future__ import annotations

from ogi_report.layout import LAYOUTS, Layout
from ogi_report.package.escape import ESCAPE_NOTE
from ogi_report.rules.catalogue import CATALOGUE, CATALOGUE_VERSION, Identity, Rule, identity_instances

_HEADER = """# Rule catalogue

Generated from `src/ogi_report/rules/catalogue.py` by `ogi rules --markdown -o docs/rules.md`;
do not edit by hand (a test fails when this file is stale). Catalogue version {version}.

Cells are named `table.row.column` by their codes (STANDARD §3–5), for example
`applications.carried_out.natural_person`.

**Blank cells.** A blank (null) cell is an unknown non-negative count, never 0. An identity with
blanks is an `error` only when no non-negative values for the blanks could make it hold; otherwise it
is a `warning` naming the blanks, with the values they must take where that is determined (`fill`)
and, for a blank stated side, the value the present items give (`expected`). An identity whose cells
are all blank is not checked; `CELL-MISSING` reports the blanks themselves, once per table.
"""


def _identity_detail(rule: Identity, layout: Layout) -> str:
    instances = [i for i in identity_instances(layout) if i.rule is rule]
    table = layout.table(rule.table)
    first = instances[0]

    def side(terms: tuple[tuple[str, str, int], ...]) -> str:
        names = []
        for r, c, w in terms:
            code = r if rule.per == "column" else c
            label = table.row(code).label if rule.per == "column" else table.column(code).label
            sign = "" if w == 1 else f"{w} × "
            names.append(f"{sign}`{code}` {label}")
        return " + ".join(names)

    bound = "column" if rule.per == "column" else "data row"
    over = ", ".join(f"`{i.bound}`" for i in instances)
    return (
        f"- layout `{layout.code}`, table `{table.code}`, once per {bound} ({len(instances)}: {over}):  \n"
        f"  {side(first.stated)} = {side(first.items)}"
    )


def _rule_section(rule: Rule) -> str:
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
    return "\n".join(lines)


def rules_markdown() -> str:
    index = ["| id | severity | scope | statement |", "|---|---|---|---|"]
    index += [
        f"| [{r.id}](#{r.id.lower()}) | {r.severity.value} | {r.scope} | {r.statement_en} |"
        for r in CATALOGUE
    ]
    body = "\n\n".join(_rule_section(r) for r in CATALOGUE)
    return (
        _HEADER.format(version=CATALOGUE_VERSION)
        + "\n"
        + "\n".join(index)
        + "\n\n"
        + body
        + "\n\n"
        + _structure_section()
    )


def _structure_section() -> str:
    from ogi_report.package.structure import STRUCTURAL_CODES

    rows = "\n".join(f"| `{code}` | {words} |" for code, words in STRUCTURAL_CODES.items())
    return (
        "# Package structure checks\n\n"
        "`ogi validate DIR/datapackage.json` first checks a received package's structure, reporting "
        "errors under the codes frictionless uses (all of severity `error`), then runs every rule "
        "above on each report. A type or constraint error in a cell is also seen by the rules "
        "(`CELL-TYPE`, `CELL-NEGATIVE`).\n\n"
        f"**Text fields** (every `string` field of the Table Schemas). {ESCAPE_NOTE} The structure "
        "is checked on the text as written; the rules read it unescaped.\n\n"
        "| code | meaning |\n|---|---|\n" + rows + "\n"
    )
