"""Reading notes and the command's framing speak the language asked for: with `--lang zh` (the
default) `ogi validate` and `ogi extract` print no English sentence, with `--lang en` no Chinese but
the official labels and what the source wrote (quoted) and the places named by sheet or table
(表三!D12, 表三 row 5 column 3). Workbooks, made pages, Word documents, PDFs, real pages without their
title and `ogi extract DIR`'s summary alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from ogi_report.cli import cli
from ogi_report.notes import NOTE_MESSAGES, READING_STEPS, ReadingNote
from ogi_report.readers import load_report
from ogi_report.readers.excel import read_workbook
from ogi_report.writers import write_template
from tests.helpers import COMPLETE_2021, EXAMPLES

ROOT = Path(__file__).resolve().parent / "fixtures"
PAGES = ROOT / "pages"
FIXTURES = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
PDF = ROOT / "pdf" / "agency-2019-trial-shanghai.pdf"  # two pages; a row repeated over the break
# Real pages whose title was cut off: the agency found in the text, or a stand-in (METADATA-MISSING).
TITLELESS = {
    ROOT / "real" / "2021" / "2022-jingshan-health-bureau.txt": {"YEAR-FROM-TEXT", "AGENCY-FROM-TEXT"},
    ROOT / "real" / "mixed" / "2023-qiaozhong-subdistrict.txt": {
        "YEAR-FROM-TEXT",
        "AGENCY-MISSING",
    },
}
# No title, no year, and a row with fewer figures than columns in one cell a line: stand-ins for
# both, and cells left blank (CELL-UNPLACED).
UNPLACED_PAGE = (
    "一、总体情况\n本单位认真做好政务公开工作。\n二、主动公开政府信息情况\n"
    "信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n规章 |\n5 |\n"
    "行政规范性文件 |\n1 |\n2 |\n3 |\n"
)

QUOTED = re.compile(r"“[^”]*”|'[^']*'|\"[^\"]*\"")
# Words that are codes rather than language: paths, places, file names, rule ids, numbers, versions.
CODE_TOKEN = re.compile(r"\S*[./_!\d-]\S*")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u3400-\u9fff]")


def english_left(text: str) -> list[str]:
    """Lines of `text` holding an English word outside quotes and codes."""
    return [
        line for line in text.splitlines() if ENGLISH_WORD.search(CODE_TOKEN.sub("", QUOTED.sub("", line)))
    ]


# A table's name in a place: a workbook's sheet (表三!D12), a table of a Word document or a PDF
# (表三, 表三（续）: `第2页 表三 第5行 第3列` is `page 2 表三 row 5 column 3` in English).
TABLE_PLACE = re.compile(r"\S+!\S+|表[一二三四五六七八九十]+(?:（续\d*）)?")


def chinese_left(text: str) -> list[str]:
    """Lines of `text` holding a Han character outside quotes and the names of tables and sheets."""
    return [line for line in text.splitlines() if HAN.search(TABLE_PLACE.sub("", QUOTED.sub("", line)))]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def without_findings(text: str) -> str:
    """The output less the findings' own messages (worded by the rule catalogue, tested there)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("    - "))


@pytest.fixture(scope="module")
def edited_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook whose labels were retyped, whose sheet was renamed, with a local row and 暂无."""
    report = load_report(EXAMPLES / COMPLETE_2021)
    path = write_template(tmp_path_factory.mktemp("wb") / "edited.xlsx", report.format, report)
    places = read_workbook(path).places
    workbook = openpyxl.load_workbook(path)
    edits = {
        "（一）予以公开": "(一)予以公开",
        "本年收费金额（单位：万元）": "本年收费金额(万元)",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开",
        "1.属于国家秘密": "1.属于国家秘密（自设）",
    }
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in edits:
                    cell.value = edits[cell.value]
    sheet, coordinate = places["proactive.regulations.issued"].split("!")
    workbook[sheet][coordinate].value = "暂无"
    workbook["表四"].title = "表 四"
    workbook.save(path)
    codes = {note.code for note in read_workbook(path).notes}
    assert {"LABEL-EDITED", "SHEET-RENAMED"} <= codes
    return path


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_validate_a_workbook_in_chinese_has_no_english_sentence(edited_workbook: Path, as_json: bool) -> None:
    result = run("validate", *(["--json"] if as_json else []), edited_workbook)
    if as_json:
        notes = json.loads(result.stdout)["reports"][0]["notes"]
        assert notes
        out = "\n".join(note["message"] for note in notes)
    else:
        out = result.stdout
        assert "读取说明" in out
    assert english_left(out) == []


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_validate_a_workbook_in_english_has_no_chinese_sentence(edited_workbook: Path, as_json: bool) -> None:
    result = run("validate", "--lang", "en", *(["--json"] if as_json else []), edited_workbook)
    if as_json:
        out = "\n".join(note["message"] for note in json.loads(result.stdout)["reports"][0]["notes"])
    else:
        out = without_findings(result.stdout)
        assert "reading: " in out
    assert chinese_left(out) == []


@pytest.mark.parametrize("page", FIXTURES, ids=[p.name for p in FIXTURES])
def test_validate_and_extract_a_page_in_chinese(page: Path) -> None:
    validated = run("validate", page)
    extracted = run("extract", page)
    assert extracted.exit_code == 0
    assert english_left(validated.stdout + extracted.stderr) == []


@pytest.mark.parametrize("page", FIXTURES, ids=[p.name for p in FIXTURES])
def test_validate_and_extract_a_page_in_english(page: Path) -> None:
    validated = run("validate", "--lang", "en", page)
    extracted = run("extract", "--lang", "en", page)
    assert extracted.exit_code == 0
    assert chinese_left(without_findings(validated.stdout) + extracted.stderr) == []


def test_every_note_code_is_worded_in_both_languages() -> None:
    for code, (zh, en) in NOTE_MESSAGES.items():
        assert not HAN.search(en), code  # Chinese comes into an English message only through its fields
        assert not ENGLISH_WORD.search(re.sub(r"{\w+}", "", CODE_TOKEN.sub("", zh))), code
    for step, (zh, en) in READING_STEPS.items():
        assert not HAN.search(re.sub(r"{\d}", "", en)), step
        assert not ENGLISH_WORD.search(re.sub(r"{\d}", "", zh)), step


def test_a_note_serialises_with_both_messages() -> None:
    note = ReadingNote(code="LABEL-EDITED", cell="表三!B5", written="(一)予以公开", became="（一）予以公开")
    assert note.to_dict("en") == {
        "code": "LABEL-EDITED",
        "cell": "表三!B5",
        "written": "(一)予以公开",
        "became": "（一）予以公开",
        "params": {},
        "message": "表三!B5: read '(一)予以公开' as '（一）予以公开'",
        "message_zh": "表三!B5：“(一)予以公开”读作“（一）予以公开”",
        "message_en": "表三!B5: read '(一)予以公开' as '（一）予以公开'",
    }


@pytest.fixture(scope="module")
def word_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word report as `ogi template --format docx --from` writes it."""
    path = tmp_path_factory.mktemp("docx") / "x.docx"
    made = run("template", "--format", "docx", "--from", EXAMPLES / COMPLETE_2021, "-o", path)
    assert made.exit_code == 0, made.stderr
    return path


@pytest.fixture(scope="module")
def unplaced_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unplaced") / "unplaced.txt"
    path.write_text(UNPLACED_PAGE, "utf-8")
    return path


def documents(word: Path, unplaced: Path) -> dict[str, Path]:
    """The documents of these tests by name: Word, PDF, real pages without their title, unplaced cells."""
    titleless = dict(zip(("titleless-found", "titleless-missing"), TITLELESS, strict=True))
    return {"docx": word, "pdf": PDF, **titleless, "unplaced": unplaced}


@pytest.mark.parametrize("which", ["docx", "pdf", "titleless-found", "titleless-missing", "unplaced"])
def test_validate_and_extract_word_pdf_and_titleless_pages(
    word_document: Path, unplaced_page: Path, which: str
) -> None:
    path = documents(word_document, unplaced_page)[which]
    zh_validated, zh_extracted = run("validate", path), run("extract", path)
    assert zh_extracted.exit_code == 0, zh_extracted.stderr
    assert english_left(zh_validated.stdout + zh_extracted.stderr) == []
    en_validated, en_extracted = run("validate", "--lang", "en", path), run("extract", "--lang", "en", path)
    assert en_extracted.exit_code == 0, en_extracted.stderr
    assert chinese_left(without_findings(en_validated.stdout) + en_extracted.stderr) == []
    assert "读取记录" in zh_extracted.stderr
    assert "readings (" in en_extracted.stderr


@pytest.mark.parametrize("page", list(TITLELESS), ids=[p.name for p in TITLELESS])
def test_a_titleless_page_says_where_its_metadata_came_from(page: Path) -> None:
    as_json = json.loads(run("validate", "--json", page).stdout)
    codes = {note["code"] for note in as_json["reports"][0]["notes"]}
    assert TITLELESS[page] <= codes
    for note in as_json["reports"][0]["notes"]:
        assert english_left(note["message_zh"]) == [], note
        assert chinese_left(note["message_en"]) == [], note


def test_unplaced_cells_and_stand_ins_are_worded_in_both_languages(unplaced_page: Path) -> None:
    document = json.loads(run("validate", "--json", unplaced_page).stdout)
    codes = {note["code"] for note in document["reports"][0]["notes"]}
    assert {"CELLS-UNPLACED", "YEAR-MISSING", "AGENCY-MISSING"} <= codes
    unplaced = [f for f in document["reports"][0]["findings"] if f["rule"] == "CELL-UNPLACED"]
    assert len(unplaced) == 3
    for finding in unplaced:  # why the cells were not placed, in each language
        assert "页面未显示哪些列为空" in finding["message_zh"]
        assert english_left(finding["message_zh"]) == []
        assert "does not show which columns are empty" in finding["message_en"]
    zh = run("extract", unplaced_page).stderr
    assert "METADATA-MISSING" in zh
    assert "不作猜测" in zh


def test_extract_a_folder_summarises_in_the_language_asked_for(
    tmp_path: Path, word_document: Path, unplaced_page: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in documents(word_document, unplaced_page).values():
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "reports.jsonl"
    zh = run("extract", folder, "-o", out, "--quiet")
    assert zh.exit_code == 0, zh.stderr
    assert len(out.read_text("utf-8").splitlines()) == 5
    assert "共 5 个文件；已读取 5 个" in zh.stderr
    assert "有警告：" in zh.stderr
    assert english_left(zh.stderr) == []
    en = run("extract", folder, "-o", out, "--quiet", "--lang", "en")
    assert "5 files; 5 read" in en.stderr
    assert chinese_left(en.stderr) == []
