"""The catalogue's identities compiled to one straight-line Python function per layout.

Validation of a report that balances must take microseconds, so the common case (every cell present,
every identity holds) runs as generated arithmetic with no per-term interpretation. It returns the
positions of identities that fail or involve a blank; the engine words only those. The same
instances are the source of the bulk validator's SQL, so both read one catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from ogi_report.layout import Layout
from ogi_report.rules.identities import identity_instances

Screen = Callable[[dict[str, Any]], list[int]]


def _source(layout: Layout) -> str:
    lines = ["def screen(tables):", "    out = []"]
    by_table: dict[str, list[tuple[int, list[tuple[str, str, int]]]]] = {}
    for i, inst in enumerate(identity_instances(layout)):
        terms = [(r, c, w) for r, c, w in inst.items] + [(r, c, -w) for r, c, w in inst.stated]
        by_table.setdefault(inst.table, []).append((i, terms))
    for table, identities in by_table.items():
        # Each row the table's identities read is looked up once, into a local.
        rows = list(dict.fromkeys(r for _, terms in identities for r, _, _ in terms))
        local = {row: f"r{n}" for n, row in enumerate(rows)}
        lines.append(f"    t = tables[{table!r}]")
        lines.append("    if t is not None:")
        lines += [f"        {local[row]} = t[{row!r}]" for row in rows]
        for i, terms in identities:
            expr = " ".join(
                f"{'+' if w > 0 else '-'} {abs(w) if abs(w) != 1 else ''}"
                f"{'*' if abs(w) != 1 else ''}{local[r]}[{c!r}]"
                for r, c, w in terms
            )
            lines += [
                "        try:",
                f"            if {expr.lstrip('+ ')}:",
                f"                out.append({i})",
                "        except TypeError:",  # a blank (None) is involved
                f"            out.append({i})",
            ]
    lines.append("    return out")
    return "\n".join(lines) + "\n"


@cache
def screen_for(layout: Layout) -> Screen:
    """The compiled screen of a layout: tables (row -> column -> value) -> instance positions."""
    namespace: dict[str, Any] = {}
    exec(compile(_source(layout), f"<identities {layout.code}>", "exec"), namespace)  # noqa: S102 - generated from the catalogue
    screen: Screen = namespace["screen"]
    return screen
