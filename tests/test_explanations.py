"""Explanations of findings: the fingerprint, the model, validation, the CLI and the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ogi_report import Explanation, Finding, Severity, parse_report, validate
from ogi_report.cli import cli
from ogi_report.findings import fingerprint
from ogi_report.schema import report_json_schema, validation_json_schema
from tests.helpers import BROKEN, EXAMPLES

ROW_TOTAL = BROKEN / "2021-county.row-total-wrong.json"


def _data(path: Path = ROW_TOTAL) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _finding(cells: tuple[str, ...], message: str = "m", stated: int = 1) -> Finding:
    return Finding(
        rule="T3-ROW-TOTAL",
        severity=Severity.ERROR,
        cells=cells,
        stated=stated,
        message_zh=message,
        message_en=message,
    )


def test_fingerprint_is_pinned() -> None:
    """The definition is part of the interchange format: it must never change between versions."""
    cells = ("applications.granted.total", "applications.granted.natural_person")
    assert fingerprint("T3-ROW-TOTAL", cells, "2021") == "9a0ede1856b677f2"


def test_fingerprint_ignores_order_messages_and_values() -> None:
    one = _finding(("a.b.c", "a.b.d"), message="x", stated=1)
    two = _finding(("a.b.d", "a.b.c", "a.b.d"), message="y", stated=2)
    assert one.fingerprint("2021") == two.fingerprint("2021")
    assert one.fingerprint("2021") != one.fingerprint("2019-trial")
    assert one.fingerprint("2021") != _finding(("a.b.c",)).fingerprint("2021")
    assert len(one.fingerprint("2021")) == 16


def _explained(data: dict[str, Any], *texts: tuple[str, str]) -> dict[str, Any]:
    return {**data, "explanations": [{"fingerprint": f, "text": t} for f, t in texts]}


def test_validation_tells_explained_and_stale() -> None:
    first = validate(parse_report(_data()).report)
    assert first.layout == "2021"
    marks = [first.fingerprint(f) for f in first.findings]
    assert len(first.errors) == 2
    assert all(marks)
    data = _explained(_data(), (str(marks[0]), "统计口径调整"), ("0123456789abcdef", "旧说明"))
    result = validate(parse_report(data).report)
    assert [f.rule for f in result.explained] == ["T3-ROW-TOTAL"]
    assert result.explanation(result.findings[0]) == Explanation(
        fingerprint=str(marks[0]), text="统计口径调整"
    )
    assert [e.text for e in result.stale] == ["旧说明"]
    assert not result.ok
    assert not result.accepted
    every = _explained(_data(), *((str(m), "说明") for m in marks))
    assert validate(parse_report(every).report).accepted
    record = result.to_dict("en")
    assert record["explained"] == 1
    assert record["findings"][0]["explanation"] == "统计口径调整"
    assert record["findings"][1]["explanation"] is None
    assert record["stale_explanations"] == [
        {"fingerprint": "0123456789abcdef", "text": "旧说明", "by": None, "at": None}
    ]


def test_model_round_trip_and_schema() -> None:
    data = _explained(_data(EXAMPLES / "illustrative-2021-county.json"), ("0123456789abcdef", "x"))
    data["explanations"][0] |= {"by": "办公室", "at": "2025-03-01"}
    report = parse_report(data).report
    assert report.to_dict()["explanations"] == data["explanations"]
    Draft202012Validator(report_json_schema()).validate(data)
    assert "explanations" not in parse_report(_data()).report.to_dict()  # none: the key is left out
    bad = _explained(_data(), ("not-a-fingerprint", "x"))
    assert list(Draft202012Validator(report_json_schema()).iter_errors(bad))
    with pytest.raises(Exception, match="explanations"):
        parse_report(bad)


def _run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_summary_exit_and_json(tmp_path: Path) -> None:
    result = validate(parse_report(_data()).report)
    marks = [str(result.fingerprint(f)) for f in result.findings]
    one = tmp_path / "one.json"
    one.write_text(json.dumps(_explained(_data(), (marks[0], "口径调整"), ("0123456789abcdef", "旧"))))
    every = tmp_path / "every.json"
    every.write_text(json.dumps(_explained(_data(), *((m, "说明") for m in marks))))

    out = _run("validate", "--lang", "en", one)
    assert out.exit_code == 1
    assert "(2 errors, 0 warnings, 1 explained)" in out.stdout
    assert "explained: 口径调整" in out.stdout
    assert "stale explanation" in out.stdout
    assert _run("validate", "--accept-explained", one).exit_code == 1  # one error unexplained
    assert _run("validate", every).exit_code == 1  # unchanged without the flag
    assert _run("validate", "--accept-explained", every).exit_code == 0
    document = json.loads(_run("validate", "--json", one).stdout)
    Draft202012Validator(validation_json_schema()).validate(document)
    assert document["summary"]["explained"] == 1
    assert document["reports"][0]["findings"][0]["fingerprint"] == marks[0]
    assert document["reports"][0]["stale_explanations"][0]["text"] == "旧"
