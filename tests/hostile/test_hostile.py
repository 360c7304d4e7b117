"""Every hostile case ends in findings (exit 1) or one line naming the file (exit 2): never a
traceback, never an internal error, never a network request, within bounded time and memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import CASES, ERROR, Case
from .running import NETWORK_EXIT, run_ogi

pytestmark = pytest.mark.slow  # child processes or long properties: deselect with -m 'not slow'

SECONDS = 30.0  # each case, wall time, on a 2-core machine (most take well under 2 s)
PEAK_MIB = 1024  # each case's peak resident memory


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gets_a_clear_answer(case: Case, tmp_path: Path) -> None:
    args = case.build(tmp_path)
    run = run_ogi(*args, timeout=SECONDS)
    assert run.code != NETWORK_EXIT, "a network request was attempted"
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "internal error" not in run.stderr, run.stderr[-2000:]
    assert run.code == case.code, (run.code, run.stderr[-2000:], run.stdout[-2000:])
    if case.code == ERROR:
        errors = [line for line in run.stderr.splitlines() if line.startswith("ogi: error:")]
        assert len(errors) == 1, run.stderr
        assert Path(args[-1]).name in errors[0], errors[0]
        assert not (tmp_path / "out").exists(), "an output was written for an input that cannot be read"
        text = errors[0]
    else:
        text = run.stdout
    for word in case.words:
        assert word in text, (word, text[:2000])
    assert run.peak_mib < PEAK_MIB, f"peak memory {run.peak_mib:.0f} MiB"
    assert not (tmp_path / "pwned").exists()


def test_there_are_at_least_forty_cases_across_every_reader() -> None:
    assert len(CASES) >= 40
    assert {c.reader for c in CASES} == {
        "json",
        "yaml",
        "jsonl",
        "excel",
        "html",
        "text",
        "package",
        "docx",
        "pdf",
        "old-office",
    }
    assert len({c.name for c in CASES}) == len(CASES)
