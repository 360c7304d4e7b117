"""The hostile inputs: one builder per case, each writing its file(s) and naming what `ogi` must do.

A case ends either in findings (exit 1: the input was read and is wrong) or in a one-line error
naming the file (exit 2: the input cannot be read). Builders write into a fresh folder and return
the command-line arguments; `expect` holds the exit code and words the one line must contain.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import BROKEN, EXAMPLES, ROOT

from .running import write

GOOD_JSON = EXAMPLES / "illustrative-2021-county.json"
BAD_JSON = BROKEN / "2021-county.row-total-wrong.json"  # reads, and has findings
GOOD_YAML = EXAMPLES / "illustrative-2021-department.yaml"
TEXT_PAGE = ROOT / "tests" / "fixtures" / "pages" / "pipe-2021-department.txt"

FINDINGS, ERROR = 1, 2


@dataclass(frozen=True)
class Case:
    name: str
    reader: str
    build: Callable[[Path], list[str]]
    code: int  # FINDINGS or ERROR
    words: tuple[str, ...] = ()  # each must appear in the one-line error (or the output)


CASES: list[Case] = []


Builder = Callable[[Path], list[str]]


def case(reader: str, code: int, *words: str) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        CASES.append(Case(build.__name__, reader, build, code, words))
        return build

    return register


def validate(path: Path, *extra: str) -> list[str]:
    return ["validate", *extra, str(path)]


def bad_page() -> str:
    """A page (rendered as the library renders reports) whose table 三 breaks a row total."""
    from ogi_report.readers import load_report
    from ogi_report.writers.html_render import render_html

    return render_html(load_report(BAD_JSON))


def bad_text_page() -> str:
    """A flattened text page whose count of new requests no longer adds up."""
    return TEXT_PAGE.read_text("utf-8").replace("申请数量 | 129 | 112", "申请数量 | 129 | 113", 1)


def good_text() -> str:
    return GOOD_JSON.read_text("utf-8")


def with_cell(value: str) -> str:
    """The good report's JSON text with one count cell replaced by raw JSON text."""
    data = json.loads(good_text())
    data["applications"]["granted"]["natural_person"] = "@@CELL@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@CELL@@"', value)


# --- JSON ---------------------------------------------------------------------------------------


@case("json", ERROR, "empty")
def json_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", b""))


@case("json", ERROR, "invalid JSON", "line")
def json_truncated(tmp: Path) -> list[str]:
    text = good_text()
    return validate(write(tmp / "r.json", text[: len(text) // 2]))


@case("json", ERROR, "UTF-8")
def json_binary_garbage(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", random.Random(1).randbytes(50_000)))


@case("json", ERROR, "UTF-8", "GBK")
def json_gbk(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", good_text().encode("gbk")))


@case("json", ERROR, "UTF-8")
def json_gb18030(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", good_text().replace("县", "𠀀县").encode("gb18030")))


@case("json", FINDINGS)
def json_utf16_with_bom(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", BAD_JSON.read_text("utf-8").encode("utf-16")))


@case("json", FINDINGS)
def json_utf8_with_bom(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", b"\xef\xbb\xbf" + BAD_JSON.read_bytes()))


@case("json", ERROR, "UTF-16")
def json_utf16_without_bom(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", good_text().encode("utf-16-le")))


@case("json", ERROR, "nested too deeply")
def json_deeply_nested(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", "[" * 200_000 + "]" * 200_000))


@case("json", ERROR, "nested too deeply")
def json_deeply_nested_value(tmp: Path) -> list[str]:
    data = json.loads(good_text())
    data["sections"]["overview"] = "@@DEEP@@"
    text = json.dumps(data, ensure_ascii=False).replace('"@@DEEP@@"', "[" * 50_000 + "]" * 50_000)
    return validate(write(tmp / "r.json", text))


@case("json", ERROR, "duplicate key", "year")
def json_duplicate_key(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", good_text().replace('"year": ', '"year": 2019, "year": ', 1)))


@case("json", ERROR, "duplicate key", "granted")
def json_duplicate_key_in_a_table(tmp: Path) -> list[str]:
    text = good_text().replace('"granted": {', '"granted": {"total": 0}, "granted": {', 1)
    return validate(write(tmp / "r.json", text))


@case("json", FINDINGS, "CELL-TYPE")
def json_million_digit_integer(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", with_cell("9" * 1_000_000)))


@case("json", FINDINGS, "CELL-TYPE")
def json_million_digit_decimal(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", with_cell("0." + "1" * 1_000_000)))


@case("json", ERROR, "year")
def json_million_digit_year(tmp: Path) -> list[str]:
    text = good_text().replace('"year": ', '"year": ' + "1" * 1_000_000 + ', "_x": ', 1)
    return validate(write(tmp / "r.json", text))


def _odd_count(value: str) -> Builder:
    def build(tmp: Path) -> list[str]:
        return validate(write(tmp / "r.json", with_cell(value)), "--json")

    return build


# Counts written as what they must not be: each a finding naming the cell.
for _name, _value, _rule in [
    ("json_float_in_a_count", "2.5", "CELL-TYPE"),
    ("json_huge_exponent_in_a_count", "1e999999999", "CELL-TYPE"),
    ("json_nan_in_a_count", "NaN", "CELL-TYPE"),
    ("json_negative_count", "-3", "CELL-NEGATIVE"),
]:
    CASES.append(
        Case(_name, "json", _odd_count(_value), FINDINGS, (_rule, "applications.granted.natural_person"))
    )


@case("json", ERROR, "not a report")
def json_top_level_array(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", "[" + good_text() + "]"))


@case("json", ERROR, "too large", "limit")
def json_over_the_size_limit(tmp: Path) -> list[str]:
    data = json.loads(good_text())
    data["sections"]["overview"] = "政" * 2_000_000
    path = write(tmp / "r.json", json.dumps(data, ensure_ascii=False))
    return ["--limit", "file_bytes=1000000", *validate(path)]


@case("json", ERROR, "sections.overview")
def json_text_section_of_the_wrong_type(tmp: Path) -> list[str]:
    data = json.loads(good_text())
    data["sections"]["overview"] = {"$ref": "http://example.com/x"}
    return validate(write(tmp / "r.json", json.dumps(data)))


@case("json", ERROR, "lone UTF-16 surrogate", "line")
def json_lone_surrogate_in_a_cell(tmp: Path) -> list[str]:
    # Half a UTF-16 pair: once read as an unreadable cell, then no UTF-8 output could hold it.
    return validate(write(tmp / "r.json", with_cell('"8\\ud800"')), "--json")


@case("json", ERROR, "lone UTF-16 surrogate", "line")
def json_lone_surrogate_in_a_key(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.json", good_text().replace('"year"', '"\\udc00year"', 1)))


# --- YAML ---------------------------------------------------------------------------------------

_LAUGHS = "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" if i else 'l0: &l0 "lol"\n' for i in range(10)
)


@case("yaml", ERROR, "lone UTF-16 surrogate", "line")
def yaml_lone_surrogate_in_a_cell(tmp: Path) -> list[str]:
    text = GOOD_YAML.read_text("utf-8").replace("business: 6\n", 'business: "6\\ud800"\n', 1)
    assert "ud800" in text
    return validate(write(tmp / "r.yaml", text), "--json")


@case("yaml", ERROR, "alias")
def yaml_alias_bomb(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.yaml", _LAUGHS))


@case("yaml", ERROR, "alias")
def yaml_alias_bomb_in_a_cell(tmp: Path) -> list[str]:
    text = _LAUGHS.replace("l0:", "x0:") + GOOD_YAML.read_text("utf-8")
    return validate(write(tmp / "r.yaml", text))


@case("yaml", ERROR, "invalid YAML", "python/object")
def yaml_tag_that_constructs_an_object(tmp: Path) -> list[str]:
    marker = tmp / "pwned"
    text = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    return validate(write(tmp / "r.yaml", text))


@case("yaml", ERROR, "invalid YAML")
def yaml_tag_that_constructs_a_module(tmp: Path) -> list[str]:
    text = GOOD_YAML.read_text("utf-8") + "\n_x: !!python/module:os\n"
    return validate(write(tmp / "r.yaml", text))


@case("yaml", ERROR, "duplicate key", "year")
def yaml_duplicate_key(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.yaml", "year: 2019\n" + GOOD_YAML.read_text("utf-8")))


@case("yaml", FINDINGS, "CELL-TYPE")
def yaml_million_digit_integer(tmp: Path) -> list[str]:
    text = GOOD_YAML.read_text("utf-8")
    head, sep, tail = text.partition("natural_person: ")
    _, _, rest = tail.partition("\n")
    return validate(write(tmp / "r.yaml", head + sep + "9" * 1_000_000 + "\n" + rest), "--json")


@case("yaml", ERROR, "not a report")
def yaml_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.yaml", ""))


@case("yaml", ERROR, "nested too deeply")
def yaml_deeply_nested(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n"))


@case("yaml", ERROR, "invalid YAML", "line")
def yaml_truncated(tmp: Path) -> list[str]:
    text = GOOD_YAML.read_text("utf-8")
    return validate(write(tmp / "r.yaml", text[: len(text) // 2] + '"unclosed'))


# --- JSON Lines ---------------------------------------------------------------------------------


@case("jsonl", ERROR, "line 2")
def jsonl_one_truncated_line(tmp: Path) -> list[str]:
    line = json.dumps(json.loads(good_text()), ensure_ascii=False)
    return validate(write(tmp / "r.jsonl", line + "\n" + line[:100] + "\n" + line + "\n"))


@case("jsonl", ERROR, "no reports")
def jsonl_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.jsonl", "\n\n"))


@case("jsonl", ERROR, "line 1", "line_bytes")
def jsonl_line_over_the_limit(tmp: Path) -> list[str]:
    path = tmp / "r.jsonl"
    with path.open("wb") as handle:  # one 64 MiB line, no newline
        handle.write(b'{"x": "')
        for _ in range(64):
            handle.write(b"a" * 2**20)
    return validate(path)


@case("jsonl", ERROR, "UTF-8", "line 1")
def jsonl_binary_garbage(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.jsonl", random.Random(2).randbytes(20_000)))


# --- Excel --------------------------------------------------------------------------------------


def _template(tmp: Path) -> Path:
    from ogi_report.readers import load_report
    from ogi_report.writers import write_template

    path = tmp / "source.xlsx"
    write_template(path, report=load_report(GOOD_JSON))
    return path


def _rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return target


def _body(xml: bytes) -> bytes:
    """An XML part without its declaration (a DOCTYPE is put before it)."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


@case("excel", ERROR, "workbook")
def xlsx_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.xlsx", b""))


@case("excel", ERROR, "workbook")
def xlsx_truncated(tmp: Path) -> list[str]:
    data = _template(tmp).read_bytes()
    return validate(write(tmp / "r.xlsx", data[: len(data) // 2]))


@case("excel", ERROR, "workbook")
def xlsx_binary_garbage(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.xlsx", b"PK\x03\x04" + random.Random(3).randbytes(30_000)))


@case("excel", ERROR, "too large")
def xlsx_zip_bomb(tmp: Path) -> list[str]:
    path = tmp / "r.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row/>" * (2**20 // 6)
            for _ in range(1024):  # about 1 GiB of XML, a few MiB on disk
                sheet.write(block)
    return validate(path)


@case("excel", ERROR, "workbook")
def xlsx_zip_bomb_lying_about_its_size(tmp: Path) -> list[str]:
    """A real workbook whose first sheet is 512 MiB of XML that its zip entry says is 100 bytes."""
    path = _with_rows(_template(tmp), tmp / "r.xlsx", 512, framed=False)
    return validate(_declared_small(path, SHEET_XML))


def _declared_small(path: Path, member: str) -> Path:
    """The archive with `member`'s central directory entry declaring 100 bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == member.encode():
            struct.pack_into("<I", data, at + 24, 100)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def _drawn(tmp: Path) -> Path:
    """A workbook the template did not make (no sheet 元数据): read as a document (xlsx_page)."""
    import openpyxl

    path = tmp / "drawn.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["二、主动公开政府信息情况"])
    sheet.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    sheet.append(["规章", 0, 0, 0])
    book.save(path)
    return path


SHEET_XML = "xl/worksheets/sheet1.xml"


def _with_rows(source: Path, target: Path, mib: int, *, framed: bool) -> Path:
    """`source` with `mib` MiB of empty rows in its first sheet: after its own rows (`framed`, the
    sheet still well formed), or in place of the whole sheet."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != SHEET_XML:
                zout.writestr(info.filename, zin.read(info.filename))
        with zout.open(SHEET_XML, "w") as sheet:
            if framed:
                sheet.write(_body(zin.read(SHEET_XML)).split(b"</sheetData>")[0])
            for _ in range(mib):
                sheet.write(b"<row/>" * (2**20 // 6))
            if framed:
                sheet.write(b"</sheetData></worksheet>")
    return target


@case("excel", ERROR, "workbook")
def xlsx_document_zip_bomb_lying_about_its_size(tmp: Path) -> list[str]:
    """A workbook read as a document whose sheet is 512 MiB of XML behind a declared 100 bytes: never
    the whole sheet loaded (a bounded corner read-only; the merges scanned within workbook_bytes)."""
    return validate(_declared_small(_with_rows(_drawn(tmp), tmp / "r.xlsx", 512, framed=True), SHEET_XML))


@case("excel", 0, "通过")
def xlsx_document_with_a_huge_sheet(tmp: Path) -> list[str]:
    """A workbook read as a document whose sheet holds 90 MiB of rows (within workbook_bytes): read
    in read-only mode, a bounded corner (a full load took 19 s and 1.4 GiB)."""
    return validate(_with_rows(_drawn(tmp), tmp / "r.xlsx", 90, framed=True))


@case("excel", ERROR, "overlap")
def xlsx_document_with_overlapping_merged_cells(tmp: Path) -> list[str]:
    """9,000 merges each over the whole corner read: refused, not walked 9,000 times."""
    source = _drawn(tmp)
    xml = ("<mergeCells>" + '<mergeCell ref="A1:BH500"/>' * 9_000 + "</mergeCells>").encode()

    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b"</sheetData>" + xml, 1) if name == SHEET_XML else data

    return validate(_rezip(source, tmp / "r.xlsx", change))


@case("excel", ERROR, "merged cells")
def xlsx_document_with_countless_merged_cells(tmp: Path) -> list[str]:
    """A workbook read as a document that merges 20,000 ranges: refused, not walked cell by cell."""
    source = _drawn(tmp)
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(10, 20_010))
    xml = f'<mergeCells count="20000">{merges}</mergeCells>'.encode()

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"</sheetData>", b"</sheetData>" + xml, 1)

    return validate(_rezip(source, tmp / "r.xlsx", change))


def _workbook_with_entity(tmp: Path, doctype: str, entity: str) -> list[str]:
    """The template with a DOCTYPE declaring entities, one used inside xl/workbook.xml."""

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        used = f"<sheets>&{entity};".encode()
        return f'<?xml version="1.0"?>{doctype}'.encode() + _body(data).replace(b"<sheets>", used, 1)

    return validate(_rezip(_template(tmp), tmp / "r.xlsx", change))


@case("excel", ERROR, "workbook")
def xlsx_xml_entity_expansion(tmp: Path) -> list[str]:
    laughs = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    return _workbook_with_entity(tmp, f'<!DOCTYPE sst [<!ENTITY l0 "lol">{laughs}]>', "l9")


@case("excel", ERROR, "workbook")
def xlsx_external_entity(tmp: Path) -> list[str]:
    return _workbook_with_entity(tmp, '<!DOCTYPE w [<!ENTITY x SYSTEM "http://example.com/x">]>', "x")


@case("excel", FINDINGS, "CELL-TYPE")
def xlsx_formula_and_odd_values_in_counts(tmp: Path) -> list[str]:
    from openpyxl import load_workbook

    path = _template(tmp)
    book = load_workbook(path)
    sheet = book["表三"]
    odd = iter(["=1+1", "9" * 5000, "-2.5", "@SUM(A1)", "1e400"])
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell in row:
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                value = next(odd, None)
                if value is None:
                    break
                cell.value = value
    book.save(tmp / "r.xlsx")
    return validate(tmp / "r.xlsx", "--json")


@case("excel", ERROR, "workbook")
def xlsx_that_is_json(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.xlsx", good_text()))


@case("excel", ERROR, "workbook")
def xlsx_zip_without_a_workbook(tmp: Path) -> list[str]:
    path = tmp / "r.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    return validate(path)


# --- HTML and text pages ------------------------------------------------------------------------


@case("html", ERROR, "r.html")
def html_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.html", b""))


@case("html", ERROR, "r.html")
def html_binary_garbage(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.html", b"<" + random.Random(4).randbytes(40_000)))


@case("html", FINDINGS)
def html_truncated_inside_a_table(tmp: Path) -> list[str]:
    text = bad_page()
    return validate(write(tmp / "r.html", text[: text.index("行政诉讼") + 200]))


@case("html", FINDINGS)
def html_gb18030_declared(tmp: Path) -> list[str]:
    text = bad_page().replace("<head>", '<head><meta charset="gb18030">', 1)
    return validate(write(tmp / "r.html", text.encode("gb18030")))


@case("html", FINDINGS)
def html_utf16_with_bom(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.html", bad_page().encode("utf-16")))


@case("html", ERROR, "tables", "limit")
def html_100000_tables(tmp: Path) -> list[str]:
    table = "<table><tr><td>新收政府信息公开申请数量</td><td>1</td></tr></table>"
    return validate(write(tmp / "r.html", "<html><body>" + table * 100_000 + "</body></html>"))


@case("html", ERROR, "r.html")
def html_deeply_nested(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.html", "<div>" * 200_000 + "text" + "</div>" * 200_000))


@case("html", FINDINGS)
def html_external_entities_and_links(tmp: Path) -> list[str]:
    text = bad_page()
    doctype = '<!DOCTYPE html [<!ENTITY x SYSTEM "http://example.com/x">]>'
    text = doctype + text.replace(
        "<body>", '<body><img src="http://example.com/a.png"><iframe src="http://example.com"></iframe>&x;', 1
    )
    return validate(write(tmp / "r.html", text))


@case("html", ERROR, "too large")
def html_over_the_size_limit(tmp: Path) -> list[str]:
    text = bad_page()
    return ["--limit", "page_bytes=4000", *validate(write(tmp / "r.html", text))]


@case("text", ERROR, "r.txt")
def text_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.txt", b""))


@case("text", ERROR, "r.txt")
def text_binary_garbage(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.txt", random.Random(5).randbytes(40_000)))


@case("text", FINDINGS)
def text_utf16_with_bom(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.txt", bad_text_page().encode("utf-16")))


@case("text", FINDINGS)
def text_truncated(tmp: Path) -> list[str]:
    text = bad_text_page()  # cut inside table 四
    return validate(write(tmp / "r.txt", text[: text.index("行政复议") + 60]))


@case("text", FINDINGS)
def text_run_on_with_thousands_of_headings(tmp: Path) -> list[str]:
    # A page run into one line, its headings repeated 20,000 times: cut and read in linear time.
    once = (
        "一、总体情况全年推进。三、收到和处理政府信息公开申请情况（一）予以公开1000002"
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    )
    return validate(write(tmp / "r.txt", "示例县2023年政府信息公开工作年度报告 " + once * 20_000))


# --- Data packages ------------------------------------------------------------------------------


def _package(tmp: Path) -> Path:
    """A fresh copy of the bundled 2021-format package (built from the examples)."""
    source = next((ROOT / "datapackages").glob("*2024*"))
    target = tmp / "pkg"
    shutil.copytree(source, target)
    return target / "datapackage.json"


def _edit(descriptor: Path, change: Callable[[dict[str, object]], None]) -> Path:
    data = json.loads(descriptor.read_text("utf-8"))
    change(data)
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    return descriptor


def _set_path(name: str, path: str) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        for resource in data["resources"]:  # type: ignore[attr-defined]
            if resource["name"] == name:
                resource["path"] = path

    return change


@case("package", ERROR, "descriptor is not JSON")
def package_descriptor_not_json(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    descriptor.write_text("{ not json", encoding="utf-8")
    return validate(descriptor)


@case("package", ERROR, "descriptor")
def package_descriptor_empty(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    descriptor.write_bytes(b"")
    return validate(descriptor)


@case("package", ERROR, "absolute")
def package_absolute_path(tmp: Path) -> list[str]:
    return validate(_edit(_package(tmp), _set_path("reports", "/etc/passwd")))


@case("package", ERROR, "..")
def package_parent_path(tmp: Path) -> list[str]:
    return validate(_edit(_package(tmp), _set_path("reports", "../../data/reports.csv")))


@case("package", ERROR, "remote")
def package_url_path(tmp: Path) -> list[str]:
    return validate(_edit(_package(tmp), _set_path("reports", "https://example.com/reports.csv")))


@case("package", ERROR, "remote")
def package_url_path_even_when_unsafe_paths_are_allowed(tmp: Path) -> list[str]:
    path = _edit(_package(tmp), _set_path("applications", "s3://bucket/applications.csv"))
    return validate(path, "--allow-unsafe-paths")


@case("package", FINDINGS, "scheme-error")
def package_missing_resource_file(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    (descriptor.parent / "data" / "applications.csv").unlink()
    return validate(descriptor, "--json")


@case("package", FINDINGS, "extra-file")
def package_extra_resource_file(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    write(descriptor.parent / "data" / "payload.csv", "report_id\nx\n")
    shutil.copy(descriptor.parent / "data" / "reports.csv", descriptor.parent / "data" / "reports (1).csv")
    # an extra file changes nothing the descriptor states: a warning, and a broken resource to fail
    (descriptor.parent / "data" / "findings.csv").write_text("report_id\n", encoding="utf-8")
    return validate(descriptor, "--json")


@case("package", FINDINGS, "package-error")
def package_resource_missing_from_the_descriptor(tmp: Path) -> list[str]:
    def drop(data: dict[str, object]) -> None:
        data["resources"] = [r for r in data["resources"] if r["name"] != "sections"]  # type: ignore[attr-defined]

    return validate(_edit(_package(tmp), drop), "--json")


@case("package", FINDINGS, "encoding-error")
def package_gbk_csv(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    csv = descriptor.parent / "data" / "reports.csv"
    csv.write_bytes(csv.read_text("utf-8").encode("gbk"))
    return validate(descriptor, "--json")


def _edit_csv(tmp: Path, name: str, change: Callable[[list[str]], None]) -> list[str]:
    """Validate a copy of the bundled package whose resource file `name` had its lines changed."""
    descriptor = _package(tmp)
    csv = descriptor.parent / "data" / f"{name}.csv"
    lines = csv.read_text("utf-8").splitlines()
    change(lines)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return validate(descriptor, "--json")


@case("package", FINDINGS, "type-error")
def package_non_integer_and_huge_counts(tmp: Path) -> list[str]:
    def change(lines: list[str]) -> None:
        cells = lines[2].split(",")
        cells[2], cells[3], cells[4] = "12件", "9" * 100_000, "=cmd|' /C calc'!A0"
        lines[2] = ",".join(cells)

    return _edit_csv(tmp, "applications", change)


@case("package", FINDINGS, "incorrect-label")
def package_csv_with_the_wrong_columns(tmp: Path) -> list[str]:
    def change(lines: list[str]) -> None:
        lines[0] = lines[0].replace("report_id", "id", 1)

    return _edit_csv(tmp, "review_litigation", change)


@case("package", FINDINGS, "source-error")
def package_csv_binary_garbage_after_the_header(tmp: Path) -> list[str]:
    def change(lines: list[str]) -> None:
        lines[1:] = ['"unclosed,quote', "a,b", "a,b", "a,b"]

    return _edit_csv(tmp, "sections", change)


@case("package", ERROR, "nested too deeply")
def package_descriptor_deeply_nested(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    descriptor.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    return validate(descriptor)


@case("package", ERROR, "resources")
def package_descriptor_resources_not_a_list(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    return validate(_edit(descriptor, lambda data: data.update(resources="data/*.csv")))


# --- The other commands that read reports: the same answers, and nothing written ----------------


@case("jsonl", ERROR, "line 2", "duplicate key")
def package_command_on_json_lines_with_a_duplicate_key(tmp: Path) -> list[str]:
    line = json.dumps(json.loads(good_text()), ensure_ascii=False)
    bad = line.replace('"year": ', '"year": 2024, "year": ', 1)
    return ["package", "-o", str(tmp / "out"), str(write(tmp / "r.jsonl", line + "\n" + bad + "\n"))]


@case("yaml", ERROR, "yaml_nodes")
def render_command_on_a_yaml_alias_bomb(tmp: Path) -> list[str]:
    return ["render", "-o", str(tmp / "out"), str(write(tmp / "r.yaml", _LAUGHS))]


@case("html", ERROR, "binary")
def extract_command_on_binary_garbage(tmp: Path) -> list[str]:
    page = write(tmp / "r.html", b"<" + random.Random(6).randbytes(40_000))
    return ["extract", "-o", str(tmp / "out"), str(page)]


@case("excel", ERROR, "workbook_bytes")
def template_command_from_a_zip_bomb(tmp: Path) -> list[str]:
    xlsx_zip_bomb(tmp)
    return ["template", "-o", str(tmp / "out"), "--from", str(tmp / "r.xlsx")]


@case("text", ERROR, "page_tables")
def text_100000_pipe_tables(tmp: Path) -> list[str]:
    title = "示例县人民政府2024年政府信息公开工作年度报告\n"
    block = "一、本年新收政府信息公开申请数量 | 1 | 2 | 3\n\ntext\n"
    return validate(write(tmp / "r.txt", title + block * 100_000))


@case("package", ERROR, "package_memory_mib")
def package_over_the_memory_limit(tmp: Path) -> list[str]:
    return ["--limit", "package_memory_mib=4", *validate(_package(tmp))]


# --- Files that are not files: read forever if read at all ---------------------------------------


@case("json", ERROR, "not a regular file")
def json_named_pipe(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "r.json")  # nothing will ever write to it
    return validate(tmp / "r.json")


@case("yaml", ERROR, "not a regular file")
def yaml_link_to_an_endless_device(tmp: Path) -> list[str]:
    (tmp / "r.yaml").symlink_to("/dev/zero")
    return validate(tmp / "r.yaml")


@case("package", FINDINGS, "scheme-error", "not a regular file")
def package_resource_that_is_a_named_pipe(tmp: Path) -> list[str]:
    descriptor = _package(tmp)
    csv = descriptor.parent / "data" / "sections.csv"
    csv.unlink()
    os.mkfifo(csv)
    return validate(descriptor, "--json")


@case("html", ERROR, "page_cells")
def html_one_table_of_100000_rows(tmp: Path) -> list[str]:
    row = "<tr><td>新收政府信息公开申请数量</td><td>1</td><td>2</td><td>3</td><td>4</td></tr>"
    title = "<title>示例县人民政府2024年政府信息公开工作年度报告</title>"
    return validate(write(tmp / "r.html", f"<html><head>{title}</head><body><table>{row * 100_000}</table>"))


# --- Word -----------------------------------------------------------------------------------------


def bad_docx(tmp: Path) -> Path:
    """The broken report (a row total wrong) as the library writes it in Word."""
    from ogi_report.readers import load_report
    from ogi_report.writers.docx_render import render_docx

    return write(tmp / "src.docx", render_docx(load_report(BAD_JSON)))


def _rezip_with(source: Path, path: Path, changes: dict[str, bytes]) -> Path:
    """A copy of a zip archive with some entries replaced or added."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in changes:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, data in changes.items():
            zout.writestr(name, data)
    return path


@case("docx", FINDINGS)
def docx_bad_report(tmp: Path) -> list[str]:
    return validate(bad_docx(tmp))


@case("docx", ERROR, "Word")
def docx_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.docx", b""))


@case("docx", ERROR, "Word")
def docx_truncated(tmp: Path) -> list[str]:
    data = bad_docx(tmp).read_bytes()
    return validate(write(tmp / "r.docx", data[: len(data) // 2]))


@case("docx", ERROR, "encrypted")
def docx_encrypted(tmp: Path) -> list[str]:
    """An encrypted OOXML file is an OLE compound file holding an EncryptionInfo stream."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
    return validate(write(tmp / "r.docx", head + random.Random(7).randbytes(20_000)))


@case("docx", ERROR, "macro")
def docm_with_macros(tmp: Path) -> list[str]:
    path = _rezip_with(bad_docx(tmp), tmp / "r.docm", {"word/vbaProject.bin": b'Attribute VB_Name = "x"\n'})
    return validate(path)


@case("docx", FINDINGS, "not fetched")
def docx_external_relationships(tmp: Path) -> list[str]:
    """A linked template and a linked picture: named in a note, never fetched."""
    source = bad_docx(tmp)
    with zipfile.ZipFile(source) as zin:
        rels = zin.read("word/_rels/document.xml.rels")
    extra = (
        b'<Relationship Id="rIdX1" TargetMode="External" Target="http://127.0.0.1:9/t.dotm" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
        b'<Relationship Id="rIdX2" TargetMode="External" Target="file:///etc/passwd" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
    )
    rels = rels.replace(b"</Relationships>", extra + b"</Relationships>")
    # the note (LINK-NOT-FETCHED) is worded in --lang: English here, 外部链接未获取 by default
    return validate(
        _rezip_with(source, tmp / "r.docx", {"word/_rels/document.xml.rels": rels}), "--lang", "en"
    )


@case("docx", ERROR, "Word")
def docx_malformed_xml(tmp: Path) -> list[str]:
    path = _rezip_with(bad_docx(tmp), tmp / "r.docx", {"word/document.xml": b"<w:document><w:body><w:p>"})
    return validate(path)


@case("docx", ERROR)
def docx_entity_bomb(tmp: Path) -> list[str]:
    """Billion laughs in document.xml: entities are never expanded."""
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e0 "laugh">{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&e9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return validate(_rezip_with(bad_docx(tmp), tmp / "r.docx", {"word/document.xml": xml.encode()}))


@case("docx", ERROR, "docx_bytes")
def docx_zip_bomb(tmp: Path) -> list[str]:
    """A part of 1 GiB of XML, a few MiB on disk."""
    path = tmp / "r.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as part:
            block = b"<w:p/>" * (2**20 // 6)
            for _ in range(1024):
                part.write(block)
    return validate(path)


@case("docx", ERROR, "Word")
def docx_zip_bomb_lying_about_its_size(tmp: Path) -> list[str]:
    """A part of 512 MiB of XML whose zip entry says it holds 100 bytes (zipfile stops at the size
    stated and finds the checksum wrong)."""
    source, path = bad_docx(tmp), tmp / "r.docx"
    bomb = "word/document.xml"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != bomb:
                zout.writestr(info.filename, zin.read(info.filename))
        with zout.open(bomb, "w") as part:
            for _ in range(512):
                part.write(b"<w:p/>" * (2**20 // 6))
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # every central directory entry of the bomb: uncompressed size 100
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == bomb.encode():
            struct.pack_into("<I", data, at + 24, 100)
        at = data.find(b"PK\x01\x02", at + 4)
    return validate(write(path, bytes(data)))


# --- PDF ------------------------------------------------------------------------------------------


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        start,
    )
    return bytes(out)


def blank_pdf(content: bytes = b"") -> bytes:
    """A one-page PDF whose page draws `content` (by default nothing: a page with no text layer)."""
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


FIXTURE_PDF = ROOT / "tests" / "fixtures" / "pdf" / "official-2021-county.pdf"


@case("pdf", ERROR, "PDF")
def pdf_empty(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.pdf", b""))


@case("pdf", ERROR, "PDF")
def pdf_truncated(tmp: Path) -> list[str]:
    data = FIXTURE_PDF.read_bytes()
    return validate(write(tmp / "r.pdf", data[: len(data) // 3]))


@case("pdf", ERROR, "no text layer")
def pdf_scanned(tmp: Path) -> list[str]:
    return validate(write(tmp / "r.pdf", blank_pdf(b"q 100 0 0 100 0 0 cm 0 0 1 1 re f Q")))


@case("pdf", ERROR, "encrypted")
def pdf_encrypted(tmp: Path) -> list[str]:
    """A standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    trailer = b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] "
    return validate(write(tmp / "r.pdf", pdf_file(objects, trailer)))


@case("pdf", ERROR, "PDF")
def pdf_deeply_nested(tmp: Path) -> list[str]:
    nested = b"[" * 200_000 + b"]" * 200_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /X " + nested + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Y " + nested + b" >> >>",
    ]
    return validate(write(tmp / "r.pdf", pdf_file(objects)))


@case("pdf", ERROR, "pdf_bytes")
def pdf_stream_bomb(tmp: Path) -> list[str]:
    """A page whose content stream is 1 GiB of zeros, a megabyte compressed."""
    import zlib

    packer = zlib.compressobj(9)
    block = b"\0" * 2**20
    data = b"".join(packer.compress(block) for _ in range(1024)) + packer.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream,
    ]
    return validate(write(tmp / "r.pdf", pdf_file(objects)))


# --- Word and Excel files of the 97–2003 kind ------------------------------------------------------------

OLD_OFFICE = ROOT / "tests" / "fixtures" / "old-office"


@case("old-office", ERROR, "Office 97–2003")
def xls_cut_short(tmp: Path) -> list[str]:
    """An .xls whose container stops a third of the way in."""
    data = (OLD_OFFICE / "template-2021-county.xls").read_bytes()
    return validate(write(tmp / "r.xls", data[: len(data) // 3]))


@case("old-office", ERROR, "another kind")
def compound_file_of_another_kind(tmp: Path) -> list[str]:
    """A Compound File holding neither a Word document nor a workbook (its stream renamed), named
    .doc: refused by what it holds, LibreOffice never started."""
    data = (OLD_OFFICE / "word-2021-county.doc").read_bytes()
    renamed = data.replace("WordDocument".encode("utf-16-le"), "PowerPointDc".encode("utf-16-le"), 1)
    return validate(write(tmp / "r.doc", renamed))


@case("old-office", ERROR, "Office 97–2003")
def compound_file_header_then_garbage(tmp: Path) -> list[str]:
    """The eight bytes of a Compound File, then noise: not a container at all."""
    noise = random.Random(7).randbytes(70_000)
    return validate(write(tmp / "r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise))


@case("old-office", ERROR, "workbook_bytes")
def xls_over_the_workbook_limit(tmp: Path) -> list[str]:
    """An .xls larger than workbook_bytes: refused before it is parsed."""
    data = (OLD_OFFICE / "template-2021-county.xls").read_bytes()
    return ["--limit", "workbook_bytes=10000", *validate(write(tmp / "r.xls", data))]
