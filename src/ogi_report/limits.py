"""The bounds every reader holds hostile input to, in one place, and how to change them.

Each limit is enforced where the input is read; going over it is a `ReportError` naming the file, the
place and the limit (or, for a number too long to be a cell value, a CELL-TYPE finding). Change them
for a block of code with `use_limits(file_bytes=…)`, on the command line with `ogi --limit
file_bytes=200000000 …`, or through the environment variable `OGI_LIMITS="file_bytes=…,page_tables=…"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

from ogi_report.errors import OgiError

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """What one input may hold. The defaults are far above any real report."""

    file_bytes: int = 64 * MIB
    """Size of a JSON or YAML report file (read whole)."""
    line_bytes: int = 16 * MIB
    """Size of one line of a JSON Lines file (a report per line)."""
    number_digits: int = 100
    """Digits of one number in JSON or YAML; a longer one is kept as written (CELL-TYPE in a cell).
    (JSON integers up to Python's 4,300-digit conversion limit are read as numbers: out of every
    field's range, they give the same findings.)"""
    yaml_nodes: int = 200_000
    """Values of a YAML document counted with every alias expanded (a report has about 2,000)."""
    workbook_bytes: int = 100 * MIB
    """Bytes of XML an Excel workbook may expand to (a zip bomb is refused)."""
    workbook_rows: int = 500
    """Rows read from each sheet of a workbook (the tables need about 40)."""
    page_bytes: int = 20 * MIB
    """Size of a published page, HTML or text."""
    page_tables: int = 2_000
    """Tables in one page: HTML tables, or grids of a text page (a report has three to six)."""
    page_cells: int = 20_000
    """Cells in all the tables of one page (a report's tables have about 600)."""
    docx_bytes: int = 64 * MIB
    """Size of a Word document (.docx), and the bytes its parts may expand to (a zip bomb is refused)."""
    pdf_bytes: int = 64 * MIB
    """Size of a PDF, and the bytes its compressed streams may expand to (a stream bomb is refused)."""
    pdf_pages: int = 200
    """Pages of a PDF read (a report has about ten)."""
    pdf_chars: int = 2_000_000
    """Characters on all the pages of a PDF (a report has about 20,000)."""
    descriptor_bytes: int = 16 * MIB
    """Size of a data package descriptor (datapackage.json)."""
    package_memory_mib: int = 1536
    """Working memory (MiB) DuckDB may use validating packages (200,000 reports need about 1,100)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def changed(self, settings: str) -> Limits:
        """These limits with `name=value[,name=value…]` applied (the `--limit` / OGI_LIMITS syntax)."""
        changes: dict[str, int] = {}
        for item in (s.strip() for s in settings.split(",")):
            if not item:
                continue
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or name not in self.names():
                raise LimitError(
                    f"unknown limit {item!r}: use NAME=VALUE with NAME one of {', '.join(self.names())}"
                )
            try:
                number = int(value.strip().replace("_", ""))
            except ValueError:
                raise LimitError(f"limit {name} must be a whole number, not {value.strip()!r}") from None
            if number < 1:
                raise LimitError(f"limit {name} must be at least 1")
            changes[name] = number
        return replace(self, **changes)


class LimitError(OgiError):
    """A limit setting that is not understood."""


_CURRENT: ContextVar[Limits] = ContextVar("ogi_limits", default=Limits())  # noqa: B039 - frozen


def limits() -> Limits:
    """The limits in force."""
    return _CURRENT.get()


@contextmanager
def use_limits(value: Limits | None = None, **changes: int) -> Iterator[Limits]:
    """Run a block under other limits: `with use_limits(page_tables=10): …`."""
    chosen = replace(value or limits(), **changes)
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def over(what: str, name: str, size: int | None = None, unit: str = "bytes") -> str:
    """The words of a limit error: what went over which limit (and by how much, when known)."""
    most = getattr(limits(), name)
    if size is None:
        return f"{what} over the limit {name} ({most:,} {unit})"
    return f"{what} too large ({size:,} {unit}; the limit {name} is {most:,})"
