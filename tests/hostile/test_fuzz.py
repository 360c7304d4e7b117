"""Fuzzing every reader: any input either loads or raises the library's own error (`OgiError`),
and the validator never raises on any model it is given.

Inputs are arbitrary bytes and, more usefully, valid files of each kind with random edits (bytes
flipped, cut, repeated or inserted; for workbooks, edits inside the XML parts of a real workbook).
Run longer with `HYPOTHESIS_PROFILE=fuzz` (see tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ogi_report.errors import OgiError
from ogi_report.layout import LAYOUTS
from ogi_report.package.bulk import validate_package
from ogi_report.package.read import read_package
from ogi_report.readers import iter_reports, parse_report, read_report
from ogi_report.readers.excel import read_workbook
from ogi_report.readers.json_yaml import parse_json, parse_yaml
from ogi_report.readers.loading import LoadedReport
from ogi_report.readers.page import extract_page
from ogi_report.rules.cross_year import compare_years
from ogi_report.rules.engine import Mode
from ogi_report.validation import validate_loaded
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLES, ROOT, patched, raw

from .cases import BAD_JSON, GOOD_YAML, TEXT_PAGE, bad_page

pytestmark = pytest.mark.slow  # child processes or long properties: deselect with -m 'not slow'

FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

# One edit: where (a fraction of the length), what (flip, cut, repeat, insert) and which bytes.
EDITS = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["flip", "cut", "repeat", "insert", "truncate"]),
        st.binary(min_size=1, max_size=8)
        | st.sampled_from(
            [b"{", b"}", b"[", b'"', b"\\", b":", b"\n", b"<", b">", b"&", b"|", b"\xff", b"\x00"]
        ),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, edits: list[tuple[float, str, bytes]]) -> bytes:
    out = bytearray(data)
    for where, how, chunk in edits:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if how == "flip" and out:
            out[at] ^= chunk[0] or 1
        elif how == "cut":
            del out[at : at + len(chunk) * 8]
        elif how == "repeat":
            out[at:at] = out[at : at + 64] * (chunk[0] % 4 + 1)
        elif how == "insert":
            out[at:at] = chunk
        else:
            del out[at:]
    return bytes(out)


def loads_or_refuses(path: Path) -> LoadedReport | None:
    """The reader's outcome; anything but a report or an OgiError fails the test."""
    try:
        loaded = read_report(path)
    except OgiError as exc:
        message = str(exc)
        assert message
        return None
    assert isinstance(loaded, LoadedReport)
    validate_loaded(loaded)  # and the validator takes whatever was read
    return loaded


@cache
def template_bytes() -> bytes:
    from ogi_report.readers import load_report
    from ogi_report.writers.excel_template import template_bytes as make

    return make("2021", load_report(EXAMPLES / COMPLETE_2021))


BASES: dict[str, Callable[[], bytes]] = {
    ".json": lambda: BAD_JSON.read_bytes(),
    ".yaml": lambda: GOOD_YAML.read_bytes(),
    ".html": lambda: bad_page().encode("utf-8"),
    ".txt": lambda: TEXT_PAGE.read_bytes(),
    ".xlsx": template_bytes,
}


@FUZZ
@given(st.sampled_from(sorted(BASES)), EDITS)
@example(suffix=".xlsx", edits=[(0.0, "repeat", b"\x00"), (0.9765625, "flip", b"@")])  # zip version 8.4
def test_an_edited_file_of_any_kind_loads_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, edits: list[tuple[float, str, bytes]]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"report{suffix}"
    path.write_bytes(mutate(BASES[suffix](), edits))
    loads_or_refuses(path)


@FUZZ
@given(st.sampled_from(sorted(BASES)), st.binary(max_size=4096))
def test_arbitrary_bytes_under_any_name_load_or_are_refused(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"report{suffix}"
    path.write_bytes(data)
    assert loads_or_refuses(path) is None or suffix in (".html", ".txt")


@pytest.mark.filterwarnings(
    "ignore:File contains an invalid specification:UserWarning"
)  # openpyxl, on broken XML
@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "xl/workbook.xml",
                "xl/sharedStrings.xml",
                "xl/worksheets/sheet2.xml",
                "xl/worksheets/sheet3.xml",
                "[Content_Types].xml",
                "xl/styles.xml",
            ]
        ),
        min_size=1,
        max_size=3,
    ),
    EDITS,
)
def test_a_workbook_with_edited_xml_loads_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], edits: list[tuple[float, str, bytes]]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, mutate(data, edits) if info.filename in parts else data)
    path = tmp_path_factory.mktemp("fuzz") / "report.xlsx"
    path.write_bytes(buffer.getvalue())
    with contextlib.suppress(OgiError):
        read_workbook(path)


@FUZZ
@given(EDITS, st.integers(1, 3))
def test_json_lines_with_edited_lines_load_or_are_refused(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[float, str, bytes]], copies: int
) -> None:
    line = json.dumps(json.loads(BAD_JSON.read_text("utf-8")), ensure_ascii=False).encode()
    path = tmp_path_factory.mktemp("fuzz") / "reports.jsonl"
    path.write_bytes(mutate(b"\n".join([line] * copies) + b"\n", edits))
    try:
        for loaded in iter_reports([path]):
            validate_loaded(loaded)
    except OgiError:
        pass


@FUZZ
@given(st.text(max_size=2000))
def test_any_text_is_json_and_yaml_or_an_error(text: str) -> None:
    for parse in (parse_json, parse_yaml):
        try:
            data = parse(text)
        except OgiError:
            continue
        with contextlib.suppress(OgiError):
            parse_report(data)


MODES: tuple[Mode, ...] = ("submission", "published")

_LEAVES = (
    st.none()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.floats()
    | st.text(max_size=20)
    | st.booleans()
)


@st.composite
def any_report(draw: st.DrawFn) -> dict[str, Any]:
    """A real report with any cells, metadata and sections set to anything of any type."""
    name = draw(st.sampled_from([COMPLETE_2021, COMPLETE_TRIAL]))
    data = raw(name)
    layout = LAYOUTS[data["format"]]
    cells = sorted(layout.cell_paths())
    changes: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(cells), max_size=30)):
        changes[path] = draw(_LEAVES)
    for path in draw(
        st.lists(
            st.sampled_from(
                [
                    "year",
                    "published",
                    "agency.code",
                    "agency.name",
                    "agency.kind",
                    "scope",
                    "sections.other_matters",
                    "sections.overview",
                    "source_url",
                ]
            ),
            max_size=4,
        )
    ):
        changes[path] = draw(_LEAVES | st.dates().map(str))
    for table in draw(st.lists(st.sampled_from([t.code for t in layout.tables]), max_size=2)):
        changes[table] = None
    return patched(data, changes)


@FUZZ
@given(any_report(), any_report())
def test_the_validator_never_raises_on_any_model(first: dict[str, Any], second: dict[str, Any]) -> None:
    if isinstance(first["year"], int) and not isinstance(first["year"], bool):
        second = {**second, "year": first["year"] + 1}  # a pair of years for the cross-year rules
    loaded = []
    for data in (first, second):
        try:
            loaded.append(parse_report(data))
        except OgiError:
            continue
    for one in loaded:
        for mode in MODES:
            result = validate_loaded(one, mode=mode)
            assert all(f.message("zh") and f.message("en") for f in result.findings)
    if len(loaded) == 2 and loaded[1].report.year == loaded[0].report.year + 1:
        compare_years(loaded[0].report, loaded[1].report)


@pytest.fixture(scope="module")
def package_dir() -> Path:
    return next((ROOT / "datapackages").glob("*2024*"))


_CSV_FILES = ["reports", "sections", "proactive", "applications", "review_litigation", "findings"]


@settings(FUZZ, max_examples=60)
@given(st.sampled_from(_CSV_FILES), EDITS)
def test_a_package_with_an_edited_csv_file_is_validated_or_refused(
    tmp_path_factory: pytest.TempPathFactory,
    package_dir: Path,
    name: str,
    edits: list[tuple[float, str, bytes]],
) -> None:
    target = tmp_path_factory.mktemp("fuzz") / "pkg"
    shutil.copytree(package_dir, target)
    csv = target / "data" / f"{name}.csv"
    csv.write_bytes(mutate(csv.read_bytes(), edits))
    try:
        validate_package(target / "datapackage.json")
        list(read_package(target / "datapackage.json"))
    except OgiError:
        pass


@settings(FUZZ, max_examples=60)
@given(EDITS)
def test_an_edited_descriptor_is_validated_or_refused(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, edits: list[tuple[float, str, bytes]]
) -> None:
    target = tmp_path_factory.mktemp("fuzz") / "pkg"
    shutil.copytree(package_dir, target)
    descriptor = target / "datapackage.json"
    descriptor.write_bytes(mutate(descriptor.read_bytes(), edits))
    with contextlib.suppress(OgiError):
        validate_package(descriptor)


def test_pages_are_fuzzed_from_a_page_with_findings() -> None:
    """The page base really is a readable page with error findings (so edits start from one)."""
    extracted = extract_page(bad_page().encode("utf-8"))
    assert not validate_loaded(extracted.loaded).ok
