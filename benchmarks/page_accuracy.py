"""Cell accuracy of the page reader over the fixtures of each format: published pages
(tests/fixtures/pages), Word documents (tests/fixtures/docx) and PDFs (tests/fixtures/pdf).

    python benchmarks/page_accuracy.py [--format pages|docx|pdf]...

Without --format, every format, pages first. For each fixture: the cells read exactly as the
expected report has them (value and null alike) out of every cell of the expected report's tables,
whether the metadata and sections match too, and overall. A fixture whose expected tables are null
counts no cells (its tables must come out null).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogi_report.errors import ReportError
from ogi_report.readers.documents import extract_document

ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FIXTURES = ROOT / "pages"
FORMATS = {"pages": (".html", ".htm", ".txt"), "docx": (".docx",), "pdf": (".pdf",)}
TABLES = ("proactive", "applications", "review_litigation")


@dataclass(frozen=True)
class Score:
    name: str
    exact: int
    total: int
    rest_equal: bool  # metadata, sections and null tables
    error: str | None = None


def pages(folder: Path = FIXTURES, suffixes: tuple[str, ...] = FORMATS["pages"]) -> list[Path]:
    """Every fixture of a folder: a file with an `.expected.json` beside it."""
    return sorted(
        p for p in folder.iterdir() if p.suffix in suffixes and (folder / f"{p.stem}.expected.json").is_file()
    )


def expected_of(page: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((page.parent / f"{page.stem}.expected.json").read_text("utf-8"))
    return data


def _cells(report: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{table}.{row}.{column}": value
        for table in TABLES
        if report.get(table) is not None
        for row, columns in report[table].items()
        for column, value in columns.items()
    }


def score_page(page: Path) -> Score:
    want = expected_of(page)
    try:
        got = extract_document(page).report.to_dict()
    except ReportError as exc:
        return Score(page.name, 0, len(_cells(want)), False, exc.one_line())
    wanted, read = _cells(want), _cells(got)
    exact = sum(1 for path, value in wanted.items() if path in read and read[path] == value)
    rest = {k: v for k, v in want.items() if k not in TABLES}
    rest_got = {k: v for k, v in got.items() if k not in TABLES}
    nulls = all((want.get(t) is None) == (got.get(t) is None) for t in TABLES)
    return Score(page.name, exact, len(wanted), rest == rest_got and nulls)


def report(scores: list[Score], what: str) -> bool:
    """Print one format's scores; True when every cell and everything else is exact."""
    width = max(len(s.name) for s in scores)
    for s in scores:
        share = f"{s.exact / s.total:7.2%}" if s.total else "    n/a"
        rest = "ok" if s.rest_equal else "DIFFERS"
        print(f"{s.name:<{width}}  {s.exact:4d}/{s.total:<4d} {share}  metadata+sections {rest}")
        if s.error:
            print(f"    error: {s.error}")
    exact, total = sum(s.exact for s in scores), sum(s.total for s in scores)
    print(
        f"overall: {exact}/{total} cells exact ({exact / total:.2%}) over {len(scores)} {what}; "
        f"metadata and sections equal in {sum(s.rest_equal for s in scores)}/{len(scores)}"
    )
    return exact == total and all(s.rest_equal for s in scores)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    chosen = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--format"] or list(FORMATS)
    ok = True
    for index, name in enumerate(chosen):
        if name not in FORMATS:
            print(f"unknown format {name!r}: one of {', '.join(FORMATS)}", file=sys.stderr)
            return 2
        if index:
            print()
        if name != "pages":
            print(f"[{name}]")
        scores = [score_page(page) for page in pages(ROOT / name, FORMATS[name])]
        ok = report(scores, "pages" if name == "pages" else f"{name} files") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
