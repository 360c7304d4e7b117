"""The input limits: parsing settings, scoping them, and the command line's --limit / OGI_LIMITS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogi_report.cli import cli
from ogi_report.limits import LimitError, Limits, limits, use_limits
from tests.helpers import EXAMPLES


def test_settings_change_only_the_named_limits() -> None:
    changed = Limits().changed("file_bytes=1_000, page_tables = 5,")
    assert (changed.file_bytes, changed.page_tables) == (1000, 5)
    assert changed.line_bytes == Limits().line_bytes


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ("nope=1", "unknown limit 'nope=1'"),
        ("file_bytes", "unknown limit 'file_bytes'"),
        ("file_bytes=many", "whole number"),
        ("page_tables=0", "at least 1"),
    ],
)
def test_bad_settings_are_refused(settings: str, words: str) -> None:
    with pytest.raises(LimitError, match=words):
        Limits().changed(settings)


def test_use_limits_holds_only_inside_its_block() -> None:
    before = limits()
    with use_limits(page_tables=3) as inside:
        assert limits() is inside
        assert limits().page_tables == 3
    assert limits() is before


def _example_copy(tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_text((EXAMPLES / "illustrative-2021-county.json").read_text("utf-8"), encoding="utf-8")
    return path


def test_the_command_line_option_sets_a_limit(tmp_path: Path) -> None:
    path = _example_copy(tmp_path)
    done = CliRunner().invoke(cli, ["--limit", "file_bytes=100", "validate", str(path)])
    assert done.exit_code == 2
    assert "the limit file_bytes is 100" in done.output


def test_the_environment_sets_a_limit_and_the_option_wins(tmp_path: Path) -> None:
    path = _example_copy(tmp_path)
    runner = CliRunner(env={"OGI_LIMITS": "file_bytes=100"})
    assert runner.invoke(cli, ["validate", str(path)]).exit_code == 2
    done = runner.invoke(cli, ["--limit", "file_bytes=10000000", "validate", "--json", str(path)])
    assert done.exit_code == 0
    assert json.loads(done.output)["summary"]["errors"] == 0


def test_limits_set_on_the_command_line_end_with_the_command(tmp_path: Path) -> None:
    before = limits()
    CliRunner().invoke(cli, ["--limit", "file_bytes=100", "validate", str(_example_copy(tmp_path))])
    assert limits() is before
