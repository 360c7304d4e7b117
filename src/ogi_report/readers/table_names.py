"""What to call a table of a Word document or a PDF in a cell's place: 表二, 表三 or 表四 when its labels
are those of a table of the report (by the same score the page reader identifies tables with), 表三（续）
for a later part of a table already seen, else the table's order in the document (表格4)."""

from __future__ import annotations

from collections.abc import Sequence

from ogi_report.layout import LAYOUTS
from ogi_report.readers.page_tables import Token, score

_CODES = tuple(dict.fromkeys(t.code for layout in LAYOUTS.values() for t in layout.tables))
_NUMBERS = {
    t.code: t.label.split("、", 1)[0] for layout in LAYOUTS.values() for t in layout.tables
}  # proactive -> 二


def table_code(texts: Sequence[str]) -> str | None:
    """The report table (code) whose labels these cell texts hold, if any."""
    tokens = [Token(text, "") for text in texts]
    scores = {code: max(score(layout.table(code), tokens) for layout in LAYOUTS.values()) for code in _CODES}
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= 2 else None


class TableNamer:
    """Names tables in document order, a later part of a table as its continuation."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def name(self, texts: Sequence[str], fallback: str) -> str:
        code = table_code(texts)
        if code is None:
            return fallback
        parts = self.seen[code] = self.seen.get(code, 0) + 1
        base = f"表{_NUMBERS[code]}"
        return base if parts == 1 else f"{base}（续{parts - 1 if parts > 2 else ''}）"
