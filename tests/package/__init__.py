"""Shared helpers of the data-package tests: generated reports with injected errors, building
packages, reading their bytes, and comparing findings field by field."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import Phase
from hypothesis import strategies as st

import ogi_report
from ogi_report import Finding, LoadedReport, get_layout
from ogi_report.facts import credit_code_check_char, deadline
from ogi_report.package import DESCRIPTOR, PackageOptions, build_packages
from ogi_report.readers import iter_reports
from ogi_report.rules.engine import Mode
from tests.helpers import BROKEN, EXAMPLES, patched, raw
from tests.rules.strategies import CODE_CHARS, TEXTS, YEARS, consistent_reports, table_cell_paths

EXAMPLE_YEARS = (2019, 2020, 2023, 2024)
UNIT_TEXT = "12件"  # a count written with its unit: unreadable as a number
NO_FEE_TEXT = TEXTS[0]  # a section 六 that says nothing about fees
# What a "missing" section may hold: absent, empty, or only whitespace (ASCII and full-width).
EMPTY_SECTIONS: tuple[str | None, ...] = (None, "", "  ", "\u3000", "\n\t")
# Text that CSV must quote: quotes, commas and line breaks of every style.
AWKWARD_TEXT = '含"引号",逗号\n换行\r\n回车\r结束'

CELL_KINDS = ("blank", "negative", "unit", "shift", "total")
META_KINDS = ("agency_code", "late", "format_year", "section", "table", "fee", "awkward_text")
KINDS = CELL_KINDS + META_KINDS

# --- reading examples ---------------------------------------------------------------------------


def example_reports() -> list[LoadedReport]:
    """Every good example, as `iter_reports` reads the examples folder."""
    return list(iter_reports([EXAMPLES]))


def readable_broken_reports() -> list[LoadedReport]:
    """The broken examples that can be read at all (the others stop at the reader)."""
    found: list[LoadedReport] = []
    for path in sorted(BROKEN.iterdir()):
        try:
            found.extend(iter_reports([path]))
        except ogi_report.ReportError:
            continue
    return found


def build(
    reports: Iterable[LoadedReport], out: Path, *, mode: Mode = "submission", created: str | None = None
) -> list[Path]:
    return build_packages(reports, out, PackageOptions(mode=mode, created=created))


def descriptor_of(folder: Path) -> Path:
    return folder / DESCRIPTOR


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root (hidden ones too) by relative POSIX path -> its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def copy_package(folder: Path, dest: Path) -> Path:
    shutil.copytree(folder, dest)
    return dest


def rehash(folder: Path, resource: str) -> None:
    """Make the descriptor's bytes and hash of a resource match its (edited) file again."""
    path = descriptor_of(folder)
    descriptor = json.loads(path.read_text("utf-8"))
    for entry in descriptor["resources"]:
        if entry["name"] == resource:
            data = (folder / entry["path"]).read_bytes()
            entry["bytes"] = len(data)
            entry["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), "utf-8")


def edit_descriptor(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = descriptor_of(folder)
    descriptor = json.loads(path.read_text("utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), "utf-8")


# --- comparing findings -------------------------------------------------------------------------

FindingKey = tuple[Any, ...]


def finding_key(finding: Finding) -> FindingKey:
    """What two paths must agree on: every field but the report id and source places."""
    return (
        finding.rule,
        finding.severity.value,
        finding.cells,
        _plain(finding.stated),
        _plain(finding.expected),
        finding.blanks,
        tuple((k, _plain(v)) for k, v in finding.fill.items()),
        finding.message_zh,
        finding.message_en,
    )


def _plain(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def keys(findings: Iterable[Finding]) -> list[FindingKey]:
    return [finding_key(f) for f in findings]


def engine_keys(
    loaded: LoadedReport, *, mode: Mode = "submission", source: str | None = None
) -> list[FindingKey]:
    result = ogi_report.validate(loaded.report, mode=mode, source=source, unreadable=loaded.unreadable)
    return keys(result.findings)


def shown(findings: Iterable[FindingKey]) -> str:
    return "\n".join(f"  {k[0]} {k[1]} {k[2][:3]} {k[8]}" for k in findings) or "  (none)"


# --- injecting errors into raw report data ------------------------------------------------------


def _cells(data: dict[str, Any]) -> list[str]:
    """`table.row.column` of every cell of the tables present in the data."""
    layout = get_layout(data["format"])
    present = [t.code for t in layout.tables if data.get(t.code) is not None]
    return table_cell_paths(layout, *present) if present else []


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    table, row, column = path.split(".")
    data[table][row][column] = value


def _get(data: dict[str, Any], path: str) -> Any:
    table, row, column = path.split(".")
    return data[table][row][column]


def _kind(data: dict[str, Any], path: str) -> str:
    table, _, column = path.split(".")
    return str(get_layout(data["format"]).table(table).column(column).kind)


def _number(value: Any) -> int:
    try:
        return int(Decimal(str(value)))
    except ArithmeticError:
        return 0


def corrupt_cell(data: dict[str, Any], path: str, kind: str, rnd: random.Random) -> str:
    """Break one cell: blank it, make it negative, write a unit into it, or change its value."""
    value, money = _get(data, path), _kind(data, path) == "money"
    if kind == "blank":
        new: Any = None
    elif kind == "negative":
        magnitude = abs(_number(value)) + rnd.randint(1, 40)
        new = rnd.choice([f"-{magnitude}.5", f"-{magnitude}"]) if money else -magnitude
    elif kind == "unit":
        new = f"{_number(value)}件" if rnd.random() < 0.5 else UNIT_TEXT
    else:  # shift: the cell (a total when asked) no longer matches the others
        shifted = _number(value) + rnd.randint(1, 50)
        new = str(shifted) if money else shifted
    _set(data, path, new)
    return f"{path}={new!r}"


def _total_cells(cells: list[str]) -> list[str]:
    return [p for p in cells if p.endswith(".total") or ".total_handled." in p or ".carried_out." in p]


def corrupt(data: dict[str, Any], kind: str, rnd: random.Random) -> str | None:
    """Inject one error of the given kind; say what was done (None when the report has no place
    for it)."""
    cells = _cells(data)
    if kind in CELL_KINDS:
        pool = _total_cells(cells) if kind == "total" else cells
        money = [p for p in pool if _kind(data, p) == "money"]
        if money and rnd.random() < 0.15:  # one or two cells among ~200: make them come up
            pool = money
        return corrupt_cell(data, rnd.choice(pool), kind, rnd) if pool else None
    if kind == "agency_code":
        code = data["agency"]["code"] or valid_code(rnd)
        wrong = rnd.choice([c for c in CODE_CHARS if c != credit_code_check_char(code)])
        data["agency"]["code"] = code[:17] + wrong
        return f"agency.code={data['agency']['code']}"
    if kind == "late":
        year, agency_kind = data["year"], data["agency"]["kind"]
        due = deadline(year, agency_kind)
        data["published"] = (due + timedelta(days=rnd.randint(1, 400))).isoformat()
        return f"published={data['published']}"
    if kind == "format_year":
        other = "2021" if data["format"] == "2019-trial" else "2019-trial"
        data["year"] = rnd.randint(*YEARS[other])
        return f"year={data['year']}"
    if kind == "section":
        section = rnd.choice(["overview", "problems", "other_matters"])
        data["sections"][section] = rnd.choice(EMPTY_SECTIONS)
        return f"sections.{section}={data['sections'][section]!r}"
    if kind == "table":
        table = rnd.choice(["proactive", "applications", "review_litigation"])
        data[table] = None
        return f"{table}=None"
    if kind == "fee":
        if data["format"] != "2021" or data["applications"] is None:
            return None
        extra = rnd.randint(1, 9)
        row = data["applications"]["other_no_fee"]
        row["natural_person"] = _number(row["natural_person"]) + extra
        if rnd.random() < 0.7:
            row["total"] = _number(row["total"]) + extra
        data["sections"]["other_matters"] = rnd.choice([NO_FEE_TEXT, None, ""])
        return f"other_no_fee +{extra}, no fee text"
    assert kind == "awkward_text"
    data["sections"][rnd.choice(["overview", "problems", "other_matters"])] = AWKWARD_TEXT
    data["agency"]["name"] = data["agency"]["name"] + ', "办公室"'
    return "awkward text"


def valid_code(rnd: random.Random) -> str:
    body = "".join(rnd.choice(CODE_CHARS) for _ in range(2))
    body += "".join(rnd.choice("0123456789") for _ in range(6))
    body += "".join(rnd.choice(CODE_CHARS) for _ in range(9))
    return body + credit_code_check_char(body)


class Batch:
    """Raw data of generated reports with what was injected into each. Its repr is short, so that a
    failing example stays readable (each report's injected errors go into the failure message)."""

    def __init__(self, datas: list[dict[str, Any]], injected: list[list[str]]) -> None:
        self.datas = datas
        self.injected = injected

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints with this
        printer.text(repr(self))

    def __repr__(self) -> str:
        kinds = Counter(i.split(":")[0] for inj in self.injected for i in inj)
        return f"Batch({len(self.datas)} reports; injected {dict(sorted(kinds.items()))})"

    def loaded(self) -> list[LoadedReport]:
        return load_all(self.datas)

    def describe(self, index: int) -> str:
        data = self.datas[index]
        return (
            f"report {index} ({data['format']}, {data['year']}): injected {self.injected[index] or 'nothing'}"
        )


@st.composite
def broken_batches(draw: st.DrawFn, min_size: int = 20, max_size: int = 50, bases: int = 4) -> Batch:
    """min_size..max_size reports: a few generated consistent reports of both layouts, each copied
    with 0-3 injected errors of random kinds (hypothesis chooses the reports and the seed)."""
    originals = draw(st.lists(consistent_reports(), min_size=1, max_size=bases))
    rnd = draw(st.randoms(use_true_random=False))
    size = draw(st.integers(min_size, max_size))
    datas, injected = [], []
    for _ in range(size):
        data = copy.deepcopy(rnd.choice(originals))
        done = [(kind, corrupt(data, kind, rnd)) for kind in rnd.choices(KINDS, k=rnd.randint(0, 3))]
        datas.append(data)
        injected.append([f"{kind}: {what}" for kind, what in done if what])
    return Batch(datas, injected)


# Batches are large: shrinking them takes minutes and gains little (each report's injected
# errors are named in the failure message instead).
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


@st.composite
def single_cell_corruptions(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A consistent report with at most one cell set to None, a negative value or a text such as
    "12件"; and what was done."""
    data = draw(consistent_reports())
    cells = _cells(data)
    kind = draw(st.sampled_from((None, "blank", "negative", "unit")))
    if kind is None:
        return data, []
    amounts = [p for p in cells if _kind(data, p) == "money"]  # 1 or 2 among ~200: favour them
    favour = bool(amounts) and draw(st.integers(0, 3)) == 0
    path = draw(st.sampled_from(amounts if favour else cells))
    new: Any = None
    if kind == "negative":
        magnitude = draw(st.integers(1, 10**6))
        amount = draw(st.sampled_from([f"-{magnitude}", f"-{magnitude}.25"]))
        new = amount if _kind(data, path) == "money" else -magnitude
    elif kind == "unit":
        new = draw(st.sampled_from([UNIT_TEXT, f"{_number(_get(data, path))}件", "/", "约10"]))
    _set(data, path, new)
    return data, [f"{kind}: {path}={new!r}"]


@st.composite
def single_cell_batches(draw: st.DrawFn, min_size: int = 1, max_size: int = 3) -> Batch:
    drawn = draw(st.lists(single_cell_corruptions(), min_size=min_size, max_size=max_size))
    return Batch([data for data, _ in drawn], [injected for _, injected in drawn])


def explicit_batch(*changes: tuple[str, dict[str, Any]]) -> Batch:
    """A batch of examples (file name, changes by dotted path), for hypothesis's @example."""
    datas = [patched(raw(name), change) for name, change in changes]
    return Batch(datas, [[f"{path}: {value!r}" for path, value in change.items()] for _, change in changes])


def load_all(datas: Iterable[dict[str, Any]]) -> list[LoadedReport]:
    return [ogi_report.parse_report(d, source=f"generated-{i}") for i, d in enumerate(datas)]
