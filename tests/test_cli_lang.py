"""Reading notes and the command's framing speak the language asked for: with `--lang zh` (the
default) `ogi validate` and `ogi extract` print no English sentence, with `--lang en` no Chinese but
the official labels and what the source wrote (quoted) and the places named by sheet (表三!D12)."""

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

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
FIXTURES = sorted(p for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))

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


def chinese_left(text: str) -> list[str]:
    """Lines of `text` holding a Han character outside quotes and sheet places (表三!D12)."""
    return [line for line in text.splitlines() if HAN.search(re.sub(r"\S+!\S+", "", QUOTED.sub("", line)))]


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
