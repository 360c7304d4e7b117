"""End-to-end tests of the `ogi` command: in process through click's CliRunner, and as real processes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

import ogi_report
from ogi_report import CATALOGUE, CATALOGUE_VERSION, SCHEMA_VERSION, validate_file
from ogi_report.cli import cli
from ogi_report.findings import Lang
from ogi_report.package.docs import rules_documentation
from ogi_report.schema import schema_texts
from tests.helpers import BROKEN, BROKEN_EXPECTED, EXAMPLE_FILES, EXAMPLES, ROOT, SCHEMAS

EXPECTED: dict[str, dict[str, Any]] = json.loads(BROKEN_EXPECTED.read_text("utf-8"))
READABLE_BROKEN = sorted(n for n, e in EXPECTED.items() if e["exit"] != 2)
UNREADABLE_BROKEN = sorted(n for n, e in EXPECTED.items() if e["exit"] == 2)
GOOD = EXAMPLES / "illustrative-2021-county.json"
SHANGHAI = EXAMPLES / "shanghai-2019-trial.json"
MALFORMED = BROKEN / "2021-county.malformed.json"
RESULT_SCHEMA = json.loads((SCHEMAS / "validation-result.schema.json").read_text("utf-8"))
FINDING_KEYS = {"rule", "severity", "cells", "stated", "expected", "message"}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str | Path) -> Result:
    """`ogi ARGS` in process; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def plain(text: str) -> str:
    """Output without colour codes (rich adds them only where it thinks it writes to a terminal)."""
    return ANSI.sub("", text)


def flat(text: str) -> str:
    """Output with every run of white space made one space: content, whatever the line breaks."""
    return re.sub(r"\s+", " ", plain(text))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_one_error_line(stderr: str, path: str | Path) -> None:
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ogi: error: "), stderr
    assert str(path) in lines[0]
    assert "Traceback" not in stderr


def json_document(result: Result) -> dict[str, Any]:
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    Draft202012Validator(RESULT_SCHEMA).validate(document)
    return document


def ogi_executable() -> str:
    found = shutil.which("ogi", path=str(Path(sys.executable).parent)) or shutil.which("ogi")
    assert found, "the `ogi` console script is not installed (pip install -e '.[test]')"
    return found


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
    )


# --- ogi validate: exit codes ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_validate_example_exit_code(path: Path) -> None:
    published = run("validate", "--published", path)
    assert published.exit_code == 0, published.stdout
    submitted = run("validate", path)
    assert submitted.exit_code == (1 if path == SHANGHAI else 0), submitted.stdout
    assert submitted.stderr == ""


@pytest.mark.parametrize("name", READABLE_BROKEN)
def test_validate_broken_exit_code_and_rules(name: str) -> None:
    entry = EXPECTED[name]
    result = run("validate", "--lang", "en", BROKEN / name)
    assert result.exit_code == entry["exit"], result.stdout
    assert result.stderr == ""
    out = plain(result.stdout)
    for rule in entry["rules"]:
        assert re.search(rf"^  {re.escape(rule)} (error|warning) × \d+$", out, re.MULTILINE), out
    for other in {r.id for r in CATALOGUE} - set(entry["rules"]):
        assert f"  {other} " not in out
    if "published" in entry:
        published = run("validate", "--published", BROKEN / name)
        assert published.exit_code == entry["published"]["exit"]


@pytest.mark.parametrize("name", UNREADABLE_BROKEN)
def test_validate_unreadable_exits_2_with_one_line(name: str) -> None:
    path = BROKEN / name
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, path)
    assert EXPECTED[name]["message"] in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("missing.json", None),
        ("empty.yaml", ""),
        ("list.json", "[1, 2]"),
        ("scalar.yml", "just text\n"),
        ("bad.yaml", "format: '2021'\nyear: [\n"),
    ],
)
def test_validate_other_unreadable_inputs(tmp_path: Path, name: str, content: str | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, "utf-8")
    result = run("validate", path)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, path)


def test_validate_with_json_on_unreadable_input_still_prints_a_document() -> None:
    result = run("validate", "--json", MALFORMED)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, MALFORMED)
    document = json_document(result)
    assert document["reports"] == []
    assert document["summary"]["reports"] == 0


def test_validate_requires_an_input() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "INPUTS" in result.stderr


def test_validate_empty_directory_is_an_input_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, tmp_path)


# --- ogi validate: directories and mixed inputs ------------------------------------------------


def test_validate_directory_means_the_report_files_directly_in_it() -> None:
    result = run("validate", "--published", "--lang", "en", EXAMPLES)
    assert result.exit_code == 0, result.stdout
    out = flat(result.stdout)
    for path in EXAMPLE_FILES:
        assert f"{path}: passed" in out
    assert str(BROKEN) not in out  # not recursive
    assert "README" not in out


def test_validate_directory_in_a_submission_fails_on_shanghai() -> None:
    result = run("validate", "--json", EXAMPLES)
    assert result.exit_code == 1
    document = json_document(result)
    sources = [report["source"] for report in document["reports"]]
    assert sources == [str(p) for p in EXAMPLE_FILES]
    failed = [report["source"] for report in document["reports"] if not report["ok"]]
    assert failed == [str(SHANGHAI)]


def test_validate_mixed_good_and_unreadable_reports_the_good_ones(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    result = run("validate", "--lang", "en", GOOD, MALFORMED, SHANGHAI, missing)
    assert result.exit_code == 2
    out = flat(result.stdout)
    assert f"{GOOD}: passed (0 errors, 0 warnings)" in out
    assert f"{SHANGHAI}: FAILED" in out
    lines = error_lines(result.stderr)
    assert len(lines) == 2
    assert all(line.startswith("ogi: error: ") for line in lines)
    assert str(MALFORMED) in lines[0]
    assert str(missing) in lines[1]
    assert "Traceback" not in result.stderr


def test_validate_mixed_inputs_with_json() -> None:
    result = run("validate", "--json", GOOD, MALFORMED, BROKEN / "2021-county.review-total-wrong.json")
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, MALFORMED)
    document = json_document(result)
    assert [r["source"] for r in document["reports"]] == [
        str(GOOD),
        str(BROKEN / "2021-county.review-total-wrong.json"),
    ]
    assert document["summary"] == {"reports": 2, "ok": 1, "errors": 1, "warnings": 0, "explained": 0}


def test_validate_broken_directory() -> None:
    """examples/broken/ holds readable and unreadable reports."""
    result = run("validate", "--lang", "en", BROKEN)
    assert result.exit_code == 2
    out = flat(result.stdout)
    for name in READABLE_BROKEN:
        status = "passed" if EXPECTED[name]["exit"] == 0 else "FAILED"
        assert f"{BROKEN / name}: {status}" in out
    lines = error_lines(result.stderr)
    assert len(lines) == len(UNREADABLE_BROKEN)
    assert all(line.startswith("ogi: error: ") for line in lines)
    for name in UNREADABLE_BROKEN:
        assert sum(str(BROKEN / name) in line for line in lines) == 1, name


# --- ogi validate: language and text output ----------------------------------------------------


def test_validate_speaks_chinese_by_default() -> None:
    path = BROKEN / "2021-county.carried-out-unbalanced.json"
    result = run("validate", path)
    assert result.exit_code == 1
    out = plain(result.stdout)
    assert f"{path}：未通过（2 个错误，0 个警告）" in flat(out)
    for finding in validate_file(path).findings:
        assert finding.message("zh") in out
        assert finding.message("en") not in out


def test_validate_speaks_english_with_lang_en() -> None:
    path = BROKEN / "2021-county.carried-out-unbalanced.json"
    result = run("validate", "--lang", "en", path)
    assert result.exit_code == 1
    out = plain(result.stdout)
    assert f"{path}: FAILED (2 errors, 0 warnings)" in flat(out)
    assert "  T3-BALANCE error × 2" in out
    for finding in validate_file(path).findings:
        assert finding.message("en") in out
        assert not CJK.search(finding.message("en"))
    assert "未通过" not in out


def test_validate_passing_report_in_both_languages() -> None:
    zh = flat(run("validate", GOOD).stdout)
    en = flat(run("validate", "--lang", "en", GOOD).stdout)
    assert zh == f"{GOOD}：通过（0 个错误，0 个警告） "
    assert en == f"{GOOD}: passed (0 errors, 0 warnings) "


def test_validate_rejects_an_unknown_language() -> None:
    result = run("validate", "--lang", "fr", GOOD)
    assert result.exit_code == 2
    assert "fr" in result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_status_line_is_never_wrapped(lang: str) -> None:
    """One status line per report, however long the path (output is often piped or grepped)."""
    names = ["2019-trial.wrong-format-for-year.json", "2021-department.fee-not-reported.yaml"]
    result = run("validate", "--lang", lang, *(BROKEN / n for n in names))
    assert result.exit_code == 0
    lines = plain(result.stdout).splitlines()
    for name in names:
        (line,) = [line for line in lines if str(BROKEN / name) in line]
        status = "（0 个错误，1 个警告）" if lang == "zh" else "(0 errors, 1 warnings)"
        assert line.endswith(status), lines


# --- ogi validate --json -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_json_document(lang: Lang) -> None:
    inputs = [*EXAMPLE_FILES, *(BROKEN / n for n in READABLE_BROKEN)]
    result = run("validate", "--json", "--lang", lang, *inputs)
    assert result.exit_code == 1
    assert result.stderr == ""
    document = json_document(result)
    assert document["version"] == ogi_report.__version__
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["catalogue_version"] == CATALOGUE_VERSION
    assert document["lang"] == lang
    reports = document["reports"]
    assert isinstance(reports, list)
    assert [r["source"] for r in reports] == [str(p) for p in inputs]
    for report, path in zip(reports, inputs, strict=True):
        expected = validate_file(path)
        assert report["ok"] is expected.ok
        assert [f["rule"] for f in report["findings"]] == [f.rule for f in expected.findings]
        for record, finding in zip(report["findings"], expected.findings, strict=True):
            assert set(record) >= FINDING_KEYS
            assert record["severity"] == finding.severity.value
            assert record["cells"] == list(finding.cells)
            assert record["message"] == finding.message(lang)
    summary = document["summary"]
    assert summary["reports"] == len(inputs)
    assert summary["errors"] == sum(r["errors"] for r in reports)
    assert summary["warnings"] == sum(r["warnings"] for r in reports)


def test_validate_json_states_the_broken_figures() -> None:
    path = BROKEN / "2021-county.review-total-wrong.json"
    result = run("validate", "--json", path)
    assert result.exit_code == 1
    (report,) = json_document(result)["reports"]
    assert report["source"] == str(path)
    (finding,) = report["findings"]
    assert finding["rule"] == "T4-TOTAL"
    assert finding["severity"] == "error"
    assert finding["cells"][0] == "review_litigation.reconsideration.total"
    assert (finding["stated"], finding["expected"]) == (6, 5)
    assert finding["message"] == finding["message_zh"]


def test_validate_json_exit_code_follows_the_findings() -> None:
    assert run("validate", "--json", GOOD).exit_code == 0
    assert run("validate", "--json", SHANGHAI).exit_code == 1
    published = run("validate", "--json", "--published", SHANGHAI)
    assert published.exit_code == 0
    (report,) = json_document(published)["reports"]
    assert report["ok"] is True
    assert report["errors"] == 0
    assert {f["severity"] for f in report["findings"]} == {"warning"}


def test_validation_result_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(RESULT_SCHEMA)
    assert RESULT_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --- ogi schema --------------------------------------------------------------------------------


def test_schema_writes_the_repository_schemas(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("schema", "-o", out)
    assert result.exit_code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(schema_texts())
    for name in written:
        assert (out / name).read_bytes() == (SCHEMAS / name).read_bytes()
        assert str(out / name) in result.stdout.splitlines()


def test_schema_check_passes_on_the_repository_schemas() -> None:
    result = run("schema", "--check", "-o", SCHEMAS)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_schema_check_fails_on_a_stale_copy(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    assert run("schema", "--check", "-o", copy).exit_code == 0
    stale = copy / "validation-result.schema.json"
    old = json.loads(stale.read_text("utf-8"))
    old["$comment"] = "an older version"
    stale.write_text(json.dumps(old, ensure_ascii=False, indent=2) + "\n", "utf-8")
    result = run("schema", "--check", "-o", copy)
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [f"stale: {stale}"]
    assert "an older version" in stale.read_text("utf-8")  # --check writes nothing


def test_schema_check_fails_on_a_missing_file(tmp_path: Path) -> None:
    result = run("schema", "--check", "-o", tmp_path)
    assert result.exit_code == 1
    assert sorted(error_lines(result.stderr)) == sorted(f"stale: {tmp_path / n}" for n in schema_texts())


def test_schema_then_check_round_trips(tmp_path: Path) -> None:
    assert run("schema", "-o", tmp_path).exit_code == 0
    assert run("schema", "--check", "-o", tmp_path).exit_code == 0


# --- ogi rules ---------------------------------------------------------------------------------


def test_rules_lists_every_rule_with_both_statements() -> None:
    result = run("rules")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == f"rule catalogue {CATALOGUE_VERSION}"
    for rule in CATALOGUE:
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.severity.value}\s", out, re.MULTILINE), rule.id
        zh, en = f"    {rule.statement_zh}\n", f"    {rule.statement_en}\n"
        assert zh in out
        assert en in out
        assert out.index(zh) < out.index(en)  # Chinese first by default


def test_rules_in_english_puts_english_first() -> None:
    result = run("rules", "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    for rule in CATALOGUE:
        zh, en = f"    {rule.statement_zh}\n", f"    {rule.statement_en}\n"
        assert out.index(en) < out.index(zh)


def test_rules_markdown_is_docs_rules_md() -> None:
    result = run("rules", "--markdown")
    assert result.exit_code == 0
    assert result.stdout == rules_documentation()
    assert result.stdout == (ROOT / "docs" / "rules.md").read_text("utf-8")


def test_rules_markdown_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.md"
    result = run("rules", "--markdown", "-o", out)
    assert result.exit_code == 0
    assert result.stdout.strip() == str(out)
    assert out.read_text("utf-8") == (ROOT / "docs" / "rules.md").read_text("utf-8")


def test_rules_listing_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.txt"
    assert run("rules", "--lang", "en", "-o", out).exit_code == 0
    assert out.read_text("utf-8") == run("rules", "--lang", "en").stdout


# --- version, help, documentation --------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ogi, version {ogi_report.__version__}\n"


COMMANDS = ("validate", "schema", "rules")


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert isinstance(cli, click.Group)
    assert set(COMMANDS) <= set(cli.commands)
    for name in cli.commands:
        assert re.search(rf"^  {name}\s+\S", result.stdout, re.MULTILINE), name
    assert run("-h").stdout == result.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("validate", ["--lang", "--json", "--published"]),
        ("schema", ["--output", "--check"]),
        ("rules", ["--lang", "--markdown", "--output"]),
    ],
)
def test_each_command_has_help(command: str, options: list[str]) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f" {command} [OPTIONS]" in result.stdout
    for option in options:
        assert option in result.stdout


def test_readme_documents_every_command() -> None:
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text("utf-8")
    assert isinstance(cli, click.Group)
    for name in sorted({*COMMANDS, *cli.commands}):
        assert f"ogi {name}" in text, f"README.md does not mention `ogi {name}`"


# --- real processes ----------------------------------------------------------------------------


@pytest.mark.slow
def test_process_ogi_validate_exit_codes() -> None:
    ogi = ogi_executable()
    good = run_process(ogi, "validate", "--lang", "en", "examples/illustrative-2021-county.json")
    assert good.returncode == 0, good.stderr
    assert good.stdout == "examples/illustrative-2021-county.json: passed (0 errors, 0 warnings)\n"
    assert good.stderr == ""

    bad = run_process(ogi, "validate", "examples/broken/2021-county.review-total-wrong.json")
    assert bad.returncode == 1
    assert "T4-TOTAL 错误 × 1" in plain(bad.stdout)  # the framing follows --lang (zh)
    assert "未通过" in bad.stdout

    unreadable = run_process(ogi, "validate", "examples/broken/2021-county.malformed.json")
    assert unreadable.returncode == 2
    assert unreadable.stdout == ""
    assert_one_error_line(unreadable.stderr, "examples/broken/2021-county.malformed.json")


@pytest.mark.slow
def test_process_ogi_validate_mixed_inputs() -> None:
    result = run_process(
        ogi_executable(),
        "validate",
        "--lang",
        "en",
        "examples/illustrative-2021-department.yaml",
        "examples/broken/2021-county.unknown-key.json",
    )
    assert result.returncode == 2
    assert "examples/illustrative-2021-department.yaml: passed" in result.stdout
    assert_one_error_line(result.stderr, "examples/broken/2021-county.unknown-key.json")


@pytest.mark.slow
def test_process_ogi_output_error_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "rules.md"
    result = run_process(ogi_executable(), "rules", "--markdown", "-o", str(target))
    assert result.returncode == 2
    assert_one_error_line(result.stderr, target)


@pytest.mark.slow
def test_process_ogi_rules_schema_version() -> None:
    ogi = ogi_executable()
    rules = run_process(ogi, "rules", "--markdown")
    assert rules.returncode == 0
    assert rules.stdout == rules_documentation()
    check = run_process(ogi, "schema", "--check", "-o", "schemas")
    assert check.returncode == 0
    assert check.stderr == ""
    version = run_process(ogi, "--version")
    assert version.returncode == 0
    assert version.stdout == f"ogi, version {ogi_report.__version__}\n"


@pytest.mark.slow
def test_process_python_m_validate_json() -> None:
    result = run_process(sys.executable, "-m", "ogi_report", "validate", "--json", "--published", "examples/")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    Draft202012Validator(RESULT_SCHEMA).validate(document)
    assert [r["source"] for r in document["reports"]] == [str(p.relative_to(ROOT)) for p in EXAMPLE_FILES]


@pytest.mark.slow
def test_process_python_m_exit_codes() -> None:
    good = run_process(
        sys.executable, "-m", "ogi_report", "validate", "examples/illustrative-2019-trial.json"
    )
    assert good.returncode == 0
    assert good.stdout == "examples/illustrative-2019-trial.json：通过（0 个错误，0 个警告）\n"
    bad = run_process(
        sys.executable, "-m", "ogi_report", "validate", "examples/broken/2021-county.negative-count.json"
    )
    assert bad.returncode == 1
    assert "CELL-NEGATIVE 错误 × 1" in plain(bad.stdout)
    unreadable = run_process(
        sys.executable, "-m", "ogi_report", "validate", "examples/broken/2021-department.string-year.yaml"
    )
    assert unreadable.returncode == 2
    assert_one_error_line(unreadable.stderr, "examples/broken/2021-department.string-year.yaml")


@pytest.mark.slow
def test_process_python_m_schema_and_rules(tmp_path: Path) -> None:
    written = run_process(sys.executable, "-m", "ogi_report", "schema", "-o", str(tmp_path))
    assert written.returncode == 0
    for name, text in schema_texts().items():
        assert (tmp_path / name).read_text("utf-8") == text
    (tmp_path / "report.schema.json").write_text("{}\n", "utf-8")
    stale = run_process(sys.executable, "-m", "ogi_report", "schema", "--check", "-o", str(tmp_path))
    assert stale.returncode == 1
    assert stale.stderr == f"stale: {tmp_path / 'report.schema.json'}\n"
    rules = run_process(sys.executable, "-m", "ogi_report", "rules", "--lang", "en")
    assert rules.returncode == 0
    assert all(rule.id in rules.stdout for rule in CATALOGUE)
    help_text = run_process(sys.executable, "-m", "ogi_report", "--help")
    assert help_text.returncode == 0
    assert all(name in help_text.stdout for name in ("validate", "schema", "rules"))


@pytest.mark.slow
def test_process_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ogi_report", "validate", "--lang", "en", str(GOOD)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(f"{GOOD}: passed")


# --- ogi package and package validation --------------------------------------------------------


def test_package_builds_one_package_per_year_and_validates_clean(tmp_path: Path) -> None:
    out = tmp_path / "packages"
    result = run("package", EXAMPLES, "-o", out, "--published", "--quiet")
    assert result.exit_code == 0, result.output
    descriptors = sorted(out.glob("*/datapackage.json"))
    assert [d.parent.name for d in descriptors] == [f"ogi-reports-{y}" for y in (2019, 2020, 2023, 2024)]
    assert result.stdout.split() == [str(d) for d in descriptors]
    checked = run("validate", "--published", "--json", *descriptors)
    assert checked.exit_code == 0, checked.output
    document = json.loads(checked.stdout)
    assert document["reports"][0]["findings"] == []  # the packages' structure
    sources = {r["source"] for r in document["reports"][1:]}
    assert all(s.startswith(("2019-", "2024-")) for s in sources)  # Shanghai warnings, seed warnings


def test_package_validation_exits_1_on_error_findings(tmp_path: Path) -> None:
    out = tmp_path / "packages"
    assert run("package", BROKEN / "2021-county.row-total-wrong.json", "-o", out, "--quiet").exit_code == 0
    checked = run("validate", "--lang", "en", out / "ogi-reports-2024")
    assert checked.exit_code == 1
    assert "T3-ROW-TOTAL error × 2" in flat(checked.stdout)


def test_package_refuses_unreadable_input_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "packages"
    result = run("package", EXAMPLES, BROKEN / "2021-county.malformed.json", "-o", out)
    assert result.exit_code == 2
    assert "nothing written" in result.stderr
    assert not list(out.glob("ogi-reports-*"))
    assert not list(out.glob(".ogi-staging-*"))


def test_validate_refuses_a_descriptor_with_an_unsafe_path(tmp_path: Path) -> None:
    out = tmp_path / "packages"
    run("package", EXAMPLES / "illustrative-2021-county.json", "-o", out, "--quiet")
    descriptor = out / "ogi-reports-2024" / "datapackage.json"
    data = json.loads(descriptor.read_text("utf-8"))
    data["resources"][0]["path"] = "../../etc/passwd"
    descriptor.write_text(json.dumps(data), "utf-8")
    result = run("validate", descriptor)
    assert result.exit_code == 2
    assert "unsafe path" in result.stderr
    assert "--allow-unsafe-paths" in result.stderr


def test_validate_reads_json_lines(tmp_path: Path) -> None:
    lines = tmp_path / "reports.jsonl"
    assert run("synth", "--count", "5", "--seed", "3", "-o", lines, "--quiet").exit_code == 0
    result = run("validate", "--json", lines)
    document = json.loads(result.stdout)
    assert [r["source"] for r in document["reports"]] == [f"{lines}:{n}" for n in range(1, 6)]
