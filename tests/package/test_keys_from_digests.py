"""The key checks of a table resource read from its digest (package/screen.py) say exactly what the
same checks say over its rows: a differential property over packages whose key cells are broken in
every way a received file can break them (a row repeated or moved, a blank or unknown row code, a
blank or unknown report id, an escaped code or id)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ogi_report.findings import Finding
from ogi_report.package import bulk
from ogi_report.package.bulk import validate_package
from ogi_report.package.resources import TABLE_RESOURCES
from tests.package import NO_SHRINK, build, copy_package, descriptor_of, example_reports, rehash

Rows = list[list[str]]
Edit = Callable[[Rows, int, int], None]  # rows (header first), a row index, another row index


def _repeat(rows: Rows, n: int, _: int) -> None:
    rows.append(list(rows[n]))


def _move(rows: Rows, n: int, m: int) -> None:  # a row repeated in place of another
    rows[m] = list(rows[n])


def _cell(column: int, value: Callable[[str], str]) -> Edit:
    def edit(rows: Rows, n: int, _: int) -> None:
        rows[n][column] = value(rows[n][column])

    return edit


EDITS: list[Edit] = [
    _repeat,
    _move,
    _cell(0, lambda _: ""),
    _cell(1, lambda _: ""),
    _cell(0, lambda _: "2024-NOT-A-REPORT"),
    _cell(1, lambda _: "not_a_row"),
    _cell(0, lambda text: "'" + text),
    _cell(1, lambda text: "'" + text),
]


def _exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_TABLE_KEYS", {})  # every key check over the rows, as written


def _found(findings: list[Finding]) -> list[tuple[str, tuple[str, ...], str]]:
    return [(f.rule, f.cells, f.message_en) for f in findings]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("keys")
    [folder] = build([r for r in example_reports() if r.report.year == 2024], out)
    return folder


@pytest.mark.slow
@example("applications", [(3, 5, 0), (0, 5, 0)])  # a blank row code, repeated: the digest cannot tell
@example("review_litigation", [(1, 1, 2)])  # a row repeated in place of another
@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
@given(
    st.sampled_from([r.name for r in TABLE_RESOURCES if r.name != "proactive_2019_trial"]),
    st.lists(
        st.tuples(st.sampled_from(range(len(EDITS))), st.integers(1, 40), st.integers(1, 40)), max_size=4
    ),
)
def test_key_checks_from_digests_are_the_row_checks(
    base: Path, resource: str, edits: list[tuple[int, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = copy_package(base, Path(tmp) / base.name)
        path = package / "data" / f"{resource}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for edit, n, m in edits:
            EDITS[edit](rows, 1 + n % (len(rows) - 1), 1 + m % (len(rows) - 1))
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        path.write_text(text.getvalue(), encoding="utf-8")
        rehash(package, resource)
        digests = validate_package(descriptor_of(package))
        with pytest.MonkeyPatch.context() as patch:
            _exact(patch)
            rows_only = validate_package(descriptor_of(package))
    assert _found(digests.structure) == _found(rows_only.structure)
    assert {k: _found(v) for k, v in digests.results.items()} == {
        k: _found(v) for k, v in rows_only.results.items()
    }
