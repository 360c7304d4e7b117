"""Bulk validation of packages gives exactly the per-report engine's findings: for every report,
in order, field by field; the same as before packaging; and the cross-year rules of
`compare_years` across packages of consecutive years."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ogi_report
from ogi_report import LoadedReport
from ogi_report.package.bulk import PackageValidation, validate_package
from ogi_report.package.read import read_package
from ogi_report.rules.engine import Mode
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, patched, raw
from tests.package import (
    NO_SHRINK,
    Batch,
    FindingKey,
    broken_batches,
    build,
    corrupt_cell,
    descriptor_of,
    engine_keys,
    example_reports,
    explicit_batch,
    keys,
    load_all,
    readable_broken_reports,
    shown,
    valid_code,
)
from tests.rules.strategies import consistent_reports

MODES: tuple[Mode, ...] = ("submission", "published")
CROSS_YEAR = ("Y-CARRY", "T2-IN-FORCE")


def _diff(expected: Sequence[FindingKey], got: Sequence[FindingKey]) -> str:
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    order = "" if missing or extra else " (same findings, different order)"
    return f"missing{order}:\n{shown(missing)}\nextra:\n{shown(extra)}"


def check_package(
    folder: Path,
    originals: Sequence[LoadedReport],
    mode: Mode,
    describe: Callable[[int], str] = str,
) -> PackageValidation:
    """validate_package == the engine on each report read back == the engine before packaging."""
    descriptor = descriptor_of(folder)
    validation = validate_package(descriptor, mode=mode)
    assert validation.rules_run
    assert validation.structure == [], shown(keys(validation.structure))
    back = list(read_package(descriptor))
    assert len(back) == len(originals) == validation.reports
    ids = [loaded.source for loaded in back]
    assert set(validation.results) <= set(ids)
    for index, (loaded, original) in enumerate(zip(back, originals, strict=True)):
        report_id = loaded.source
        engine = engine_keys(loaded, mode=mode, source=report_id)
        bulk = keys(validation.results.get(str(report_id), []))
        assert bulk == engine, f"{folder.name} {report_id} {describe(index)}\n{_diff(engine, bulk)}"
        before = engine_keys(original, mode=mode, source=report_id)
        assert engine == before, f"read back != original: {describe(index)}\n{_diff(before, engine)}"
    assert validation.ok == all(
        ogi_report.validate(r.report, mode=mode, unreadable=r.unreadable).ok for r in back
    )
    return validation


def _packaged_order(reports: Sequence[LoadedReport]) -> dict[int, list[int]]:
    years: dict[int, list[int]] = {}
    for index, loaded in enumerate(reports):
        years.setdefault(loaded.report.year, []).append(index)
    return years


def check_all(
    reports: Sequence[LoadedReport], out: Path, mode: Mode, describe: Callable[[int], str] = str
) -> None:
    folders = build(reports, out, mode=mode)
    order = _packaged_order(reports)
    assert [int(f.name.rsplit("-", 1)[1]) for f in folders] == sorted(order)
    for folder in folders:
        indexes = order[int(folder.name.rsplit("-", 1)[1])]

        def described(position: int, indexes: list[int] = indexes) -> str:
            return describe(indexes[position])

        check_package(folder, [reports[i] for i in indexes], mode, described)


# --- the key property ---------------------------------------------------------------------------


@settings(max_examples=12, deadline=None, phases=NO_SHRINK)
@given(broken_batches(min_size=20, max_size=50), st.sampled_from(MODES))
@example(
    explicit_batch(
        (COMPLETE_2021, {"sections.overview": "\t", "applications.granted.natural_person": -2}),
        (COMPLETE_2021, {"sections.problems": "\n", "agency.code": "11330000MB12345670"}),
        (COMPLETE_TRIAL, {"proactive.procurement.amount": "-12.25", "sections.other_matters": None}),
        (COMPLETE_2021, {"proactive.fees.amount": "1.5件", "applications": None}),
    ),
    "submission",
)
@pytest.mark.slow
def test_bulk_findings_are_the_engines(batch: Batch, mode: Mode) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_all(batch.loaded(), Path(tmp), mode, batch.describe)


@pytest.mark.parametrize("mode", MODES)
def test_bulk_findings_are_the_engines_on_the_examples(tmp_path: Path, mode: Mode) -> None:
    reports = example_reports() + readable_broken_reports()
    assert len(reports) >= 15
    check_all(reports, tmp_path, mode, lambda i: str(reports[i].source))


def test_each_layouts_own_screen_gives_the_engines_findings_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen keeps each layout's conditions apart where the layouts cannot share them (none of
    today's): that path must be as exact as the shared one."""
    from ogi_report.package import screen
    from ogi_report.package.resources import TABLE_RESOURCES

    applications = next(r for r in TABLE_RESOURCES if r.name == "applications")
    shared = screen._compiled(applications).digest.count(" AS ")
    monkeypatch.setattr(screen, "_shared_conditions", lambda resource, s: None)
    screen._compiled.cache_clear()
    try:
        assert screen._compiled(applications).digest.count(" AS ") > shared  # each layout's own
        reports = example_reports() + readable_broken_reports()
        check_all(reports, tmp_path, "submission", lambda i: str(reports[i].source))
    finally:
        screen._compiled.cache_clear()


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"sections.overview": "\t"}, "SECTION-MISSING"),
        ({"sections.problems": "\n"}, "SECTION-MISSING"),
        ({"sections.overview": "\r\n"}, "SECTION-MISSING"),
        ({"sections.problems": "\u3000"}, "SECTION-MISSING"),
        ({"proactive.fees.amount": "-12.5"}, "CELL-NEGATIVE"),
        ({"proactive.fees.amount": "-3"}, "CELL-NEGATIVE"),
        ({"applications.granted.natural_person": -4}, "CELL-NEGATIVE"),
        ({"agency.code": "11330000MB12345670"}, "AGENCY-CODE"),
        ({"published": "2025-04-01"}, "PUBLISHED-LATE"),
        ({"year": 2020}, "FORMAT-YEAR"),
        ({"review_litigation": None}, "SECTION-MISSING"),
        ({"applications.other_no_fee.natural_person": 2, "sections.other_matters": "无。"}, "T3-FEE-NOTICE"),
    ],
    ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={v[k]!r}" for k in v),
)
def test_single_errors_are_found_in_bulk(tmp_path: Path, changes: dict[str, Any], rule: str) -> None:
    loaded = ogi_report.parse_report(patched(raw(COMPLETE_2021), changes))
    assert rule in {f.rule for f in ogi_report.validate(loaded.report, unreadable=loaded.unreadable).findings}
    check_all([loaded], tmp_path, "submission", lambda i: repr(changes))


# --- clean packages -----------------------------------------------------------------------------


def test_clean_package_has_no_findings(tmp_path: Path) -> None:
    reports = [ogi_report.parse_report(raw(name)) for name in (COMPLETE_2021, COMPLETE_TRIAL)]
    for folder in build(reports, tmp_path):
        validation = validate_package(descriptor_of(folder))
        assert validation.ok
        assert validation.rules_run
        assert validation.structure == []
        assert dict(validation.results) == {}
        assert validation.reports == 1


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(st.lists(consistent_reports(), min_size=1, max_size=6))
def test_generated_consistent_reports_give_clean_packages(datas: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for folder in build(load_all(datas), Path(tmp)):
            validation = validate_package(descriptor_of(folder))
            assert validation.ok
            assert validation.structure == []
            assert dict(validation.results) == {}, {k: shown(keys(v)) for k, v in validation.results.items()}


def test_warnings_only_is_ok_and_errors_are_not(tmp_path: Path) -> None:
    folders = {int(f.name[-4:]): f for f in build(example_reports(), tmp_path)}
    warned = validate_package(descriptor_of(folders[2024]))  # 汕尾: tables lost, warnings only
    assert warned.results
    assert all(f.severity is ogi_report.Severity.WARNING for fs in warned.results.values() for f in fs)
    assert warned.ok
    erred = validate_package(descriptor_of(folders[2019]))  # 上海 in a submission: blanks are errors
    assert not erred.ok
    assert [r.source for r in erred.report_results()] == sorted(erred.results)


# --- cross-year ---------------------------------------------------------------------------------


def _previous_year(current: dict[str, Any]) -> dict[str, Any]:
    """The same agency's report of the year before, agreeing with `current` across years."""
    previous = copy.deepcopy(current)
    previous["year"] = current["year"] - 1
    previous["published"] = None
    previous["applications"]["carried_out"] = dict(current["applications"]["carried_in"])
    if current["format"] == "2021":
        for row in ("regulations", "normative_documents"):
            cells = current["proactive"][row]
            previous["proactive"][row]["in_force"] = cells["in_force"] - cells["issued"] + cells["repealed"]
    return previous


def check_cross_year(
    previous: LoadedReport, current: LoadedReport, out: Path, *, reverse: bool = False
) -> list[FindingKey]:
    """Bulk findings across the two packages == engine + compare_years; return the cross-year ones."""
    folders = build([previous, current], out)
    assert len(folders) == 2
    paths = [descriptor_of(f) for f in (reversed(folders) if reverse else folders)]
    validation = validate_package(paths)
    assert validation.structure == []
    [prev_back] = read_package(paths[-1] if reverse else paths[0])
    [cur_back] = read_package(paths[0] if reverse else paths[-1])
    expected_cross = keys(ogi_report.compare_years(previous.report, current.report))
    assert keys(ogi_report.compare_years(prev_back.report, cur_back.report)) == expected_cross
    got = keys(validation.results.get(str(cur_back.source), []))
    engine = engine_keys(cur_back, source=cur_back.source)
    assert got == engine + expected_cross, _diff(engine + expected_cross, got)
    assert keys(validation.results.get(str(prev_back.source), [])) == engine_keys(prev_back)
    return [k for k in got if k[0] in CROSS_YEAR]


def test_agreeing_years_give_no_cross_year_findings(tmp_path: Path) -> None:
    current = raw(COMPLETE_2021)
    previous = ogi_report.parse_report(_previous_year(current))
    assert check_cross_year(previous, ogi_report.parse_report(current), tmp_path) == []


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(
    ("changes", "rules"),
    [
        ({"applications.carried_in.natural_person": 999}, ["Y-CARRY"]),
        ({"applications.carried_in.total": 0, "applications.carried_in.business": 7}, ["Y-CARRY", "Y-CARRY"]),
        ({"proactive.normative_documents.in_force": 1}, ["T2-IN-FORCE"]),
        ({"proactive.regulations.issued": 9}, ["T2-IN-FORCE"]),
        ({"applications.carried_in.natural_person": None}, []),  # a blank is not compared
        ({"applications.carried_in.natural_person": "6件"}, []),
        ({"applications.carried_in.natural_person": -6}, ["Y-CARRY"]),
        ({"proactive.regulations.repealed": -2}, ["T2-IN-FORCE"]),
        ({"proactive.normative_documents.in_force": -5}, ["T2-IN-FORCE"]),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, list) else "-".join(f"{k}={v[k]!r}" for k in v),
)
def test_cross_year_findings_are_compare_years(
    tmp_path: Path, changes: dict[str, Any], rules: list[str], reverse: bool
) -> None:
    current = raw(COMPLETE_2021)
    previous = ogi_report.parse_report(_previous_year(current))
    found = check_cross_year(
        previous, ogi_report.parse_report(patched(current, changes)), tmp_path, reverse=reverse
    )
    assert [k[0] for k in found] == rules


@pytest.mark.parametrize(
    "changes", [{"applications.carried_out.natural_person": -1}, {"proactive.regulations.in_force": -3}]
)
def test_cross_year_with_a_negative_count_the_year_before(tmp_path: Path, changes: dict[str, Any]) -> None:
    current = raw(COMPLETE_2021)
    previous = ogi_report.parse_report(patched(_previous_year(current), changes))
    assert len(check_cross_year(previous, ogi_report.parse_report(current), tmp_path)) == 1


@st.composite
def year_pairs(draw: st.DrawFn) -> Batch:
    """Two reports of one agency for consecutive years, agreeing or not per cell, with errors
    injected into the cells the cross-year rules read."""
    layouts = draw(st.sampled_from([("2021", "2021"), ("2019-trial", "2021"), ("2019-trial", "2019-trial")]))
    previous, current = draw(consistent_reports(layouts[0])), draw(consistent_reports(layouts[1]))
    year = draw(st.integers(2020, 2025))
    previous["year"], current["year"] = year - 1, year
    rnd = draw(st.randoms(use_true_random=False))
    code = valid_code(rnd)
    previous["agency"]["code"] = current["agency"]["code"] = code
    for column, value in previous["applications"]["carried_out"].items():
        if rnd.random() < 0.8:
            current["applications"]["carried_in"][column] = value
    if layouts == ("2021", "2021"):
        for row in ("regulations", "normative_documents"):
            if rnd.random() < 0.7:
                cells = current["proactive"][row]
                cells["in_force"] = (
                    previous["proactive"][row]["in_force"] + cells["issued"] - cells["repealed"]
                )
    targets = [(previous, f"applications.carried_out.{c}") for c in previous["applications"]["carried_out"]]
    targets += [(current, f"applications.carried_in.{c}") for c in current["applications"]["carried_in"]]
    if layouts == ("2021", "2021"):
        for row in ("regulations", "normative_documents"):
            targets += [(previous, f"proactive.{row}.in_force")]
            targets += [(current, f"proactive.{row}.{c}") for c in ("in_force", "issued", "repealed")]
    injected: list[list[str]] = [[], []]
    for _ in range(rnd.randint(0, 3)):
        data, path = rnd.choice(targets)
        kind = rnd.choice(["blank", "negative", "unit", "shift"])
        injected[0 if data is previous else 1].append(f"{kind}: {corrupt_cell(data, path, kind, rnd)}")
    return Batch([previous, current], injected)


@settings(max_examples=20, deadline=None, phases=NO_SHRINK)
@given(year_pairs())
@example(
    Batch(
        [
            _previous_year(raw(COMPLETE_2021)),
            patched(raw(COMPLETE_2021), {"applications.carried_in.total": -1}),
        ],
        [[], ["negative: applications.carried_in.total=-1"]],
    )
)
@pytest.mark.slow
def test_cross_year_property(pair: Batch) -> None:
    previous, current = pair.loaded()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            check_cross_year(previous, current, Path(tmp))
        except AssertionError as exc:
            raise AssertionError(f"{pair.describe(0)}\n{pair.describe(1)}\n{exc}") from None
