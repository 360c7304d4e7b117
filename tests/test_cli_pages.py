"""End to end: `ogi extract`, `ogi render`, and `ogi validate` on published pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogi_report.cli import cli
from tests.helpers import EXAMPLES, ROOT
from tests.test_cli import assert_one_error_line, ogi_executable, plain, run, run_process

PAGES = ROOT / "tests" / "fixtures" / "pages"
SEED = EXAMPLES / "sources" / "shanwei-chengqu-2024-report.txt"
GOOD = EXAMPLES / "illustrative-2021-county.json"
SEED_CELLS = (
    "proactive.licensing.decisions = 31461",
    "proactive.penalty.decisions = 842",
    "proactive.coercion.decisions = 4",
    "proactive.fees.amount = 2181.669177",
    "proactive.normative_documents.issued = 16",
    "proactive.normative_documents.repealed = 8",
    "proactive.normative_documents.in_force = 63",
    "applications.new_received.total = 67",
)


def test_extract_the_seed_reports_eight_figures_and_three_missing_tables() -> None:
    result = run("extract", "--lang", "en", SEED)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["agency"]["name"] == "汕尾市城区人民政府"
    assert (report["proactive"], report["applications"], report["review_litigation"]) == (None, None, None)
    err = plain(result.stderr)
    assert "narrative figures (8):" in err
    for cell in SEED_CELLS:
        assert cell in err
    for code in ("proactive", "applications", "review_litigation"):
        assert f"table {code} not found" in err


def test_extract_writes_the_report_and_is_quiet_when_asked(tmp_path: Path) -> None:
    page = PAGES / "lines-2019-trial-local-row.txt"
    out = tmp_path / "report.json"
    result = run("extract", page, "-o", out, "--quiet")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.strip() == str(out)
    expected = json.loads((PAGES / "lines-2019-trial-local-row.expected.json").read_text("utf-8"))
    assert json.loads(out.read_text("utf-8")) == expected
    loud = run("extract", "--lang", "en", page)
    assert "其他主动公开文件" in loud.stderr  # the extra row, with its warning
    assert "'减4' read as -4" in loud.stderr  # a reading
    assert "“减4”读作 -4" in run("extract", page).stderr  # in Chinese by default


def test_extract_a_page_that_does_not_state_its_agency(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("一、总体情况\n本年度全面推进政务公开。\n", "utf-8")
    read = run("extract", page)
    assert read.exit_code == 0  # not refused: stand-ins, with METADATA-MISSING warnings
    assert "METADATA-MISSING" in read.stderr
    report = json.loads(read.stdout)
    assert report["agency"]["name"] == "（未注明）"
    assert "METADATA-MISSING" in report["_note"]
    given = run("extract", page, "--agency", "示例镇人民政府", "--year", "2022", "--quiet")
    assert given.exit_code == 0
    assert json.loads(given.stdout)["agency"]["name"] == "示例镇人民政府"
    assert "_note" not in json.loads(given.stdout)


def test_validate_a_page_without_its_title_gives_warnings_not_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("一、总体情况\n现将2022年度本单位工作报告如下。\n", "utf-8")
    result = run("validate", page)
    assert result.exit_code != 2
    assert "METADATA-MISSING" in result.stdout


@pytest.mark.parametrize("content", [b"%PDF-1.4 binary", bytes(range(256)) * 4, b"", b"\xff\xfe\x00\xd8"])
def test_extract_bad_input_is_one_line_never_a_traceback(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    result = run("extract", page)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, page)


def test_render_then_extract_gives_the_report_back(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    result = run("render", GOOD, "-o", html)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(html)
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    back = run("extract", html, "--quiet")
    assert json.loads(back.stdout) == json.loads(GOOD.read_text("utf-8"))
    printed = run("render", GOOD)
    assert printed.stdout == html.read_text("utf-8")


def test_render_an_unreadable_report_fails_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    result = run("render", bad)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, bad)


def test_validate_a_page_in_published_mode_with_its_narrative() -> None:
    page = PAGES / "pipe-2021-department.txt"
    result = run("validate", "--lang", "en", page)  # no --published: a page is published anyway
    out = plain(result.stdout)
    assert "NARRATIVE-MISMATCH warning × 1" in out
    assert "CELL-MISSING warning" in out
    assert "CELL-MISSING error" not in out
    assert result.exit_code in (0, 1)


def test_validate_the_seed_and_a_gbk_page() -> None:
    result = run("validate", "--lang", "en", "--json", SEED, PAGES / "gbk-tableless-2024.txt")
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    rules = [[f["rule"] for f in r["findings"]] for r in document["reports"]]
    assert rules[0] == ["SECTION-MISSING"] * 4
    assert rules[1] == ["SECTION-MISSING"] * 3


def test_validate_a_folder_takes_its_html_pages(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes((PAGES / "word-2021-county.html").read_bytes())
    (tmp_path / "notes.md").write_text("not a report", "utf-8")
    result = run("validate", "--json", tmp_path)
    assert [r["source"] for r in json.loads(result.stdout)["reports"]] == [str(tmp_path / "a.html")]


def test_the_installed_command_extracts(tmp_path: Path) -> None:
    done = run_process(ogi_executable(), "extract", str(SEED), "-o", str(tmp_path / "seed.json"))
    assert done.returncode == 0, done.stderr
    assert "正文中的数字（8 个）" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_page_commands_are_registered_and_documented() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in ("extract", "render"):
        assert name in cli.commands
        assert f"ogi {name} " in readme


def test_extract_a_folder_into_json_lines_that_package_takes(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes((PAGES / "word-2021-county.html").read_bytes())
    (folder / "b.txt").write_text(
        "二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 1 | 0 | 2 |\n",
        "utf-8",
    )
    (folder / "c.txt").write_bytes(b"%PDF-1.4 not a page")
    out = tmp_path / "reports.jsonl"
    result = run("extract", folder, "-o", out, "--quiet")
    assert result.exit_code == 0
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["format"] == "2021" for line in lines)
    assert "共 3 个文件；已读取 2 个" in result.stderr  # the summary in --lang (zh by default)
    assert "未能读取：c.txt" in result.stderr
    assert "有警告：b.txt" in result.stderr
    english = run("extract", folder, "-o", out, "--quiet", "--lang", "en")
    assert "3 files; 2 read" in english.stderr
    assert "not read: c.txt" in english.stderr
    assert "with warnings: b.txt" in english.stderr
    packaged = run("package", out, "-o", tmp_path / "packages", "--published", "--quiet")
    assert packaged.exit_code == 0, packaged.stderr
    assert (tmp_path / "packages").is_dir()


def test_extract_a_folder_needs_an_output(tmp_path: Path) -> None:
    result = run("extract", tmp_path)
    assert result.exit_code == 2
    assert "needs -o" in result.stderr


# --- Word and Excel files of the 97–2003 kind -----------------------------------------------------------

OLD_OFFICE = ROOT / "tests" / "fixtures" / "old-office"


def test_validate_an_xls_names_the_sheet_and_cell_as_the_command_runs() -> None:
    """The installed command, as a publisher runs it on the workbook they saved as .xls."""
    path = OLD_OFFICE / "template-2021-county-unbalanced.xls"
    done = run_process(ogi_executable(), "validate", "--json", str(path))
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)["reports"][0]
    assert report["source"] == str(path)
    balance = next(f for f in report["findings"] if f["rule"] == "T3-BALANCE")
    assert balance["source_cells"]["applications.total_handled.natural_person"] == "表三!D28"


def test_a_damaged_xls_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "report.xls"
    broken.write_bytes((OLD_OFFICE / "template-2021-county.xls").read_bytes()[:5000])
    result = run("validate", broken)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, broken)


def test_extract_a_folder_reads_doc_and_xls(tmp_path: Path) -> None:
    from tests.helpers import need_libreoffice

    need_libreoffice()
    folder = tmp_path / "attachments"
    folder.mkdir()
    for name in ("template-2021-county.xls", "word-2021-county.doc"):
        (folder / name).write_bytes((OLD_OFFICE / name).read_bytes())
    out = tmp_path / "reports.jsonl"
    result = run("extract", folder, "-o", out, "--quiet", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [line["format"] for line in lines] == ["2021", "2021"]
    assert "2 files; 2 read" in result.stderr


def test_validate_a_folder_of_docs_converts_them_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ogi validate DIR` with several .doc files: one LibreOffice run for all of them, each result
    under its own name, in name order with the other files."""
    from tests.helpers import count_libreoffice_runs, need_libreoffice

    need_libreoffice()
    runs = count_libreoffice_runs(monkeypatch)
    for name in ("a.doc", "c.doc"):
        (tmp_path / name).write_bytes((OLD_OFFICE / "word-2021-county.doc").read_bytes())
    (tmp_path / "b.xls").write_bytes((OLD_OFFICE / "template-2021-county-unbalanced.xls").read_bytes())
    result = run("validate", "--json", tmp_path)
    assert result.exit_code == 1, result.stderr  # b.xls has error findings
    assert runs == [2]
    sources = [r["source"] for r in json.loads(result.stdout)["reports"]]
    assert sources == [str(tmp_path / n) for n in ("a.doc", "b.xls", "c.doc")]
