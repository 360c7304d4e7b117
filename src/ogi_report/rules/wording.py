"""How tables, rows, columns and cells are named in messages, derived from the layout registry."""

from __future__ import annotations

from ogi_report.findings import Lang
from ogi_report.layout import Layout, Table


def table_name(table: Table, lang: Lang) -> str:
    """表三 / applications."""
    return "表" + table.label.split("、", 1)[0] if lang == "zh" else table.code


def cell_name(layout: Layout, path: str, lang: Lang, *, with_table: bool = True) -> str:
    """A cell as a reader finds it: 表三“（一）予以公开”行“自然人”列, or the path in English."""
    table_code, row, column = path.split(".")
    if lang == "en":
        return path
    table = layout.table(table_code)
    name = f"“{table.row(row).label}”“{table.column(column).label}”"
    return table_name(table, lang) + name if with_table else name


def line_name(table: Table, per: str, bound: str, lang: Lang) -> str:
    """The row or column an identity is bound to."""
    if per == "column":
        label, code = table.column(bound).label, bound
        return f"{table_name(table, 'zh')}“{label}”列" if lang == "zh" else f"{table.code}, column {code}"
    label = table.row(bound).label
    return f"{table_name(table, 'zh')}“{label}”行" if lang == "zh" else f"{table.code}, row {bound}"


def terms_name(table: Table, per: str, codes: tuple[str, ...], lang: Lang) -> str:
    """A side of an identity: the labels when short, else the first and last and a count."""
    if per == "column":
        names = [table.row(c).label if lang == "zh" else c for c in codes]
    else:
        names = [table.column(c).label if lang == "zh" else c for c in codes]
    if len(names) <= 2:
        return " + ".join(names)
    if lang == "zh":
        return f"{names[0]}至{names[-1]}共 {len(names)} 项之和"
    return f"the sum of the {len(names)} items {names[0]} … {names[-1]}"
