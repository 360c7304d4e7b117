"""Synthetic reports (`ogi_report.synth`, `ogi synth`): deterministic, consistent, realistic, and every
injected error triggers exactly the rules recorded for it."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import ogi_report
from ogi_report import LAYOUTS, Severity, ValidationResult, get_layout
from ogi_report.cli import cli
from ogi_report.facts import credit_code_check_char, credit_code_well_shaped, deadline, expected_format
from ogi_report.layout import CellKind
from ogi_report.rules.engine import Mode
from ogi_report.synth import (
    BLOCK,
    KINDS,
    SynthReport,
    injected_path,
    synth_report,
    synth_reports,
    to_line,
    write_synth,
)
from tests.helpers import EXAMPLES, ROOT

SPAN = (2019, 2020, 2021, 2024)
LATE = "FORMAT-YEAR"  # the only finding an error-free report may carry (2019-trial after 2020)
EXAMPLE_KEYS = list(json.loads((EXAMPLES / "illustrative-2021-county.json").read_text("utf-8")))


@cache
def clean(count: int = 2000, seed: int = 11) -> tuple[SynthReport, ...]:
    return tuple(synth_reports(count, seed=seed, years=SPAN))


@cache
def broken(count: int = 3000, seed: int = 12) -> tuple[SynthReport, ...]:
    return tuple(synth_reports(count, seed=seed, error_rate=1.0, years=(2020, 2024)))


def validated(data: dict[str, Any], mode: Mode = "submission") -> ValidationResult:
    loaded = ogi_report.parse_report(data)
    return ogi_report.validate(loaded.report, mode=mode, unreadable=loaded.unreadable)


def value_at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node[part]
    return node


def set_at(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[part]
    node[last] = value


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- The library: determinism ------------------------------------------------------------------


def test_same_arguments_give_the_same_reports() -> None:
    first = list(synth_reports(300, seed=5, error_rate=0.3, years=(2020, 2024)))
    again = list(synth_reports(300, seed=5, error_rate=0.3, years=(2020, 2024)))
    assert first == again
    other = list(synth_reports(300, seed=6, error_rate=0.3, years=(2020, 2024)))
    assert [r.data for r in first] != [r.data for r in other]


def test_report_i_depends_on_nothing_but_its_own_arguments() -> None:
    long = list(synth_reports(200, seed=3, error_rate=0.5, years=(2020, 2024)))
    assert list(synth_reports(50, seed=3, error_rate=0.5, years=(2020, 2024))) == long[:50]
    for i in (0, 1, 77, 199):
        assert synth_report(i, seed=3, year=(2020, 2024)[i % 2], error_rate=0.5) == long[i]


def test_a_broken_report_is_the_clean_one_with_one_value_changed() -> None:
    for error_free, report in zip(synth_reports(400, seed=12, years=(2020, 2024)), broken(), strict=False):
        (error,) = report.broken
        assert value_at(report.data, error.cell) == error.injected
        assert value_at(error_free.data, error.cell) == error.original
        fixed = json.loads(canonical(report.data))
        set_at(fixed, error.cell, error.original)
        assert fixed == error_free.data


def test_reports_are_spread_evenly_over_the_years() -> None:
    years = Counter(r.data["year"] for r in clean())
    assert years == dict.fromkeys(SPAN, 500)
    assert [r.data["year"] for r in clean()[:8]] == [*SPAN, *SPAN]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": -1}, "count"),
        ({"count": 1, "error_rate": 1.5}, "error_rate"),
        ({"count": 1, "error_rate": -0.1}, "error_rate"),
        ({"count": 1, "years": ()}, "year"),
        ({"count": 1, "years": (2018,)}, "2018"),
    ],
)
def test_bad_arguments_are_refused_at_the_call(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synth_reports(seed=0, **kwargs)


# --- Error-free reports ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["submission", "published"])
def test_error_free_reports_have_no_finding_but_format_year_for_late_adopters(mode: Mode) -> None:
    for report in clean():
        assert report.broken == ()
        result = validated(report.data, mode)
        late = report.data["format"] != expected_format(report.data["year"])
        expected = [LATE] if late else []
        assert [f.rule for f in result.findings] == expected, (report.data["_note"], result.findings)


def test_error_free_reports_round_trip_through_the_model() -> None:
    """The JSON interchange shape exactly: what the model writes back is what was generated."""
    for report in clean()[:300]:
        loaded = ogi_report.parse_report(report.data)
        assert loaded.unreadable == {}
        assert loaded.report.to_dict() == report.data
        assert list(report.data) == EXAMPLE_KEYS


def test_tables_follow_the_layout_registry() -> None:
    for report in clean()[:200]:
        layout = get_layout(report.data["format"])
        paths = [
            f"{t}.{r}.{c}"
            for t in (x.code for x in layout.tables)
            for r, row in report.data[t].items()
            for c in row
        ]
        assert paths == list(layout.cell_paths())


def test_both_layouts_by_year_with_a_few_late_adopters() -> None:
    formats = Counter((r.data["year"], r.data["format"]) for r in clean())
    assert formats[(2019, "2021")] == formats[(2020, "2021")] == 0
    assert set(LAYOUTS) == {f for _, f in formats}
    late = formats[(2021, "2019-trial")] + formats[(2024, "2019-trial")]
    assert 0 < late < 0.03 * 1000
    two_years = Counter(r.data["format"] for r in synth_reports(200, seed=1, years=(2020, 2024)))
    assert set(two_years) == set(LAYOUTS)
    assert two_years["2019-trial"] >= 100


def test_new_applications_are_heavy_tailed() -> None:
    totals = [r.data["applications"]["new_received"]["total"] for r in clean()]
    assert statistics.median(totals) < 30
    assert max(totals) > 500
    assert statistics.mean(totals) > 2 * statistics.median(totals)
    assert sum(t == 0 for t in totals) > 0.05 * len(totals)


def test_natural_persons_dominate_and_outcomes_are_mostly_granted_or_not_held() -> None:
    columns: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    for report in clean():
        table = get_layout(report.data["format"]).table("applications")
        outcomes = [r.code for r in table.descendants("results") if r.code != "total_handled"]
        new = report.data["applications"]["new_received"]
        columns.update({c: v for c, v in new.items() if c != "total"})
        rows.update({r: report.data["applications"][r]["total"] for r in outcomes})
    assert columns.most_common(1)[0][0] == "natural_person"
    assert columns["natural_person"] > 0.7 * sum(columns.values())
    assert {r for r, _ in rows.most_common(2)} == {"granted", "unavailable_not_held"}
    carried_in = sum(r.data["applications"]["carried_in"]["total"] for r in clean())
    assert carried_in < 0.15 * sum(columns.values())


def test_agency_metadata_is_plausible() -> None:
    reports = clean()
    codes = [r.data["agency"]["code"] for r in reports]
    assert 0.6 < sum(c is not None for c in codes) / len(codes) < 0.8
    for report in reports:
        data, agency = report.data, report.data["agency"]
        code = agency["code"]
        if code is not None:
            assert credit_code_well_shaped(code)
            assert code[17] == credit_code_check_char(code)
            assert code[2:8] == agency["division_code"]
        assert re.fullmatch(r"[0-9]{6}", agency["division_code"])
        assert agency["name"].endswith(("人民政府", "局", "厅"))
        published = date.fromisoformat(data["published"])
        assert date(data["year"] + 1, 1, 1) <= published <= deadline(data["year"], agency["kind"])
        assert all(text.strip() for text in data["sections"].values())
    assert {r.data["agency"]["level"] for r in reports} == {
        "central",
        "provincial",
        "prefectural",
        "county",
        "township",
    }
    assert {r.data["agency"]["kind"] for r in reports} == {"government", "department"}


def test_table_two_is_plausible() -> None:
    counties = [r.data for r in clean() if r.data["agency"]["level"] == "county"]
    governments = [
        d["proactive"]["licensing"]["decisions"] for d in counties if d["agency"]["kind"] == "government"
    ]
    departments = [
        d["proactive"]["licensing"]["decisions"] for d in counties if d["agency"]["kind"] == "department"
    ]
    assert statistics.median(governments) > 1000
    assert sum(v == 0 for v in departments) > 0.25 * len(departments)
    for report in clean():
        layout = get_layout(report.data["format"])
        for path in layout.cell_paths():
            table, _row, column = path.split(".")
            spec = layout.table(table).column(column)
            if spec.kind is CellKind.MONEY:
                places = 6 if spec.unit == "万元" else 2
                assert re.fullmatch(rf"[0-9]+\.[0-9]{{{places}}}", value_at(report.data, path)), path


def test_fees_are_reported_whenever_an_application_lapsed_for_an_unpaid_fee() -> None:
    lapsed = [
        r.data
        for r in clean(4000, 21)
        if r.data["format"] == "2021" and r.data["applications"]["other_no_fee"]["total"]
    ]
    assert lapsed
    assert all("收费" in d["sections"]["other_matters"] for d in lapsed)


# --- Injected errors ---------------------------------------------------------------------------


def test_each_report_gets_an_error_with_the_given_probability() -> None:
    assert all(len(r.broken) == 1 for r in broken())
    share = sum(bool(r.broken) for r in synth_reports(2000, seed=4, error_rate=0.2)) / 2000
    assert 0.15 < share < 0.25


def test_every_kind_of_error_is_injected() -> None:
    kinds = Counter(r.broken[0].kind for r in broken())
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) > 0.1 * len(broken())


def test_every_recorded_rule_fires_naming_the_cell_and_nothing_else_fires() -> None:
    for report in broken():
        (error,) = report.broken
        assert error.rules
        findings = validated(report.data).findings
        for rule in error.rules:
            assert any(
                f.rule == rule and error.cell in f.cells and f.severity in (Severity.ERROR, Severity.WARNING)
                for f in findings
            ), (error, findings)
        fired = {f.rule for f in findings} - {LATE}
        assert fired == set(error.rules), (error, findings)


def test_recorded_rules_are_catalogue_rules_in_catalogue_order() -> None:
    order = {rule.id: i for i, rule in enumerate(ogi_report.CATALOGUE)}
    for report in broken()[:500]:
        rules = report.broken[0].rules
        assert list(rules) == sorted(rules, key=order.__getitem__)


def test_injected_values_match_their_kind() -> None:
    for report in broken():
        error = report.broken[0]
        if error.kind == "changed":
            assert isinstance(error.injected, int)
            assert error.injected >= 0
            assert error.injected != error.original
        elif error.kind == "negative":
            assert isinstance(error.injected, int)
            assert error.injected < 0
        elif error.kind == "blank":
            assert error.injected is None
        elif error.kind == "unit-text":
            assert isinstance(error.injected, str)
            assert error.injected.startswith(str(error.original))
        else:
            assert error.kind == "bad-check-char"
            assert error.cell == "agency.code"
            assert isinstance(error.injected, str)
            assert isinstance(error.original, str | None)
            assert error.injected[:17] == (error.original or error.injected)[:17]
            assert error.injected[17] != credit_code_check_char(error.injected)


# --- Writing -----------------------------------------------------------------------------------


def read_lines(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    assert text.endswith("\n") or text == ""
    return text.splitlines()


def expected_sidecar(reports: list[SynthReport]) -> dict[str, Any]:
    return {str(i + 1): [e.to_dict() for e in r.broken] for i, r in enumerate(reports) if r.broken}


def test_write_synth_writes_lines_and_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    done: list[int] = []
    injected = write_synth(
        out, 2 * BLOCK + 17, seed=9, error_rate=0.1, years=(2020, 2024), progress=done.append
    )
    reports = list(synth_reports(2 * BLOCK + 17, seed=9, error_rate=0.1, years=(2020, 2024)))
    assert read_lines(out) == [canonical(r.data) for r in reports] == [to_line(r) for r in reports]
    assert json.loads(injected_path(out).read_text("utf-8")) == injected == expected_sidecar(reports)
    assert done == [BLOCK, 2 * BLOCK, 2 * BLOCK + 17]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports.jsonl", "reports.jsonl.injected.json"]


@pytest.mark.slow
def test_worker_processes_write_the_same_bytes(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    write_synth(one, 3 * BLOCK + 5, seed=2, error_rate=0.2, years=(2020, 2024), workers=1)
    write_synth(two, 3 * BLOCK + 5, seed=2, error_rate=0.2, years=(2020, 2024), workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert injected_path(one).read_bytes() == injected_path(two).read_bytes()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_half_way_leaves_the_old_files_and_no_temporary_file(tmp_path: Path, workers: int) -> None:
    out = tmp_path / "reports.jsonl"
    out.write_text("old\n", "utf-8")

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_synth(out, 3 * BLOCK, seed=1, workers=workers, progress=stop)
    assert [p.name for p in tmp_path.iterdir()] == ["reports.jsonl"]
    assert out.read_text("utf-8") == "old\n"


def test_a_directory_in_the_way_of_the_sidecar_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    injected_path(out).mkdir()
    with pytest.raises(IsADirectoryError):
        write_synth(out, 10, seed=1)
    assert [p.name for p in tmp_path.iterdir()] == [injected_path(out).name]


# --- ogi synth ---------------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["synth", *(str(a) for a in args)], catch_exceptions=False)


def test_cli_writes_json_lines_and_the_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "synth.jsonl"
    result = run(
        "--count", "40", "--seed", "3", "--error-rate", "0.5", "--year", "2020", "--year", "2024", "-o", out
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == result.stderr == ""
    reports = list(synth_reports(40, seed=3, error_rate=0.5, years=(2020, 2024)))
    lines = read_lines(out)
    assert len(lines) == 40
    assert lines == [canonical(r.data) for r in reports]
    text = out.read_text("utf-8")
    assert re.search("[\u4e00-\u9fff]", text)
    assert "\\u" not in text  # ensure_ascii=False: Chinese written as is
    sidecar = json.loads(injected_path(out).read_text("utf-8"))
    assert sidecar == expected_sidecar(reports)
    assert 0 < len(sidecar) < 40
    for line, errors in sidecar.items():
        assert set(errors[0]) == {"cell", "kind", "original", "injected", "rules"}
        assert value_at(json.loads(lines[int(line) - 1]), errors[0]["cell"]) == errors[0]["injected"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synth.jsonl", "synth.jsonl.injected.json"]


def test_cli_defaults_year_2024_seed_0_no_errors(tmp_path: Path) -> None:
    out = tmp_path / "synth.jsonl"
    assert run("--count", "12", "-o", out, "--quiet").exit_code == 0
    assert read_lines(out) == [canonical(r.data) for r in synth_reports(12, seed=0)]
    assert {json.loads(line)["year"] for line in read_lines(out)} == {2024}
    assert json.loads(injected_path(out).read_text("utf-8")) == {}


def test_cli_replaces_old_files(tmp_path: Path) -> None:
    out = tmp_path / "synth.jsonl"
    assert run("--count", "30", "--error-rate", "1", "-o", out).exit_code == 0
    assert len(json.loads(injected_path(out).read_text("utf-8"))) == 30
    assert run("--count", "5", "-o", out).exit_code == 0
    assert len(read_lines(out)) == 5
    assert json.loads(injected_path(out).read_text("utf-8")) == {}
    assert len(list(tmp_path.iterdir())) == 2


def test_cli_count_zero_writes_empty_files(tmp_path: Path) -> None:
    out = tmp_path / "empty.jsonl"
    assert run("--count", "0", "-o", out).exit_code == 0
    assert out.read_text("utf-8") == ""
    assert json.loads(injected_path(out).read_text("utf-8")) == {}


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "x.jsonl"],  # --count is required
        ["--count", "5"],  # -o is required
        ["--count", "-1", "-o", "x.jsonl"],
        ["--count", "many", "-o", "x.jsonl"],
        ["--count", "5", "--error-rate", "1.5", "-o", "x.jsonl"],
        ["--count", "5", "--year", "2018", "-o", "x.jsonl"],
        ["--count", "5", "--seed", "abc", "-o", "x.jsonl"],
    ],
)
def test_cli_bad_arguments_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["synth", *args])
    assert result.exit_code == 2
    assert "Error:" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_output_exits_2_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "synth.jsonl"
    result = run("--count", "3", "-o", out)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("ogi: error: ")
    assert str(out) in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_cli_output_that_is_a_directory_exits_2(tmp_path: Path) -> None:
    assert run("--count", "3", "-o", tmp_path).exit_code == 2
    sidecar_in_the_way = tmp_path / "a.jsonl"
    injected_path(sidecar_in_the_way).mkdir()
    result = run("--count", "3", "-o", sidecar_in_the_way)
    assert result.exit_code == 2
    assert result.stderr.startswith("ogi: error: ")
    assert not sidecar_in_the_way.exists()


def process(*args: str | int | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ogi_report", "synth", *(str(a) for a in args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_real_process_writes_what_the_library_writes(tmp_path: Path) -> None:
    """A real process (its blocks made by worker processes) writes the same bytes as in-process."""
    count = 2 * BLOCK + 321
    out = tmp_path / "proc.jsonl"
    done = process(
        "--count", count, "--seed", "8", "--error-rate", "0.1", "--year", "2020", "--year", "2024", "-o", out
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""  # stderr is not a terminal: no progress bar
    assert out.read_bytes().count(b"\n") == count
    reference = tmp_path / "reference" / "ref.jsonl"
    reference.parent.mkdir()
    write_synth(reference, count, seed=8, error_rate=0.1, years=(2020, 2024), workers=1)
    assert out.read_bytes() == reference.read_bytes()
    assert injected_path(out).read_bytes() == injected_path(reference).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "proc.jsonl",
        "proc.jsonl.injected.json",
        "reference",
    ]


@pytest.mark.slow
def test_real_process_errors(tmp_path: Path) -> None:
    bad = process("--count", "3", "--error-rate", "2", "-o", tmp_path / "x.jsonl")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    unwritable = process("--count", "3", "-o", tmp_path / "no" / "x.jsonl")
    assert unwritable.returncode == 2
    assert unwritable.stderr.startswith("ogi: error: ")
    assert unwritable.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_help_lists_the_options() -> None:
    result = CliRunner().invoke(cli, ["synth", "--help"])
    assert result.exit_code == 0
    for option in ("--count", "--seed", "--error-rate", "--year", "--output", "--quiet"):
        assert option in result.stdout
