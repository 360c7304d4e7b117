"""The real-page corpus (tests/fixtures/real): every truth file is well formed against the layout
registry, every excerpt is there, and no two truth files name the same page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.real.check_truth import check

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
TRUTHS = sorted(REAL.glob("*/*.truth.json"))


def test_the_corpus_is_large_enough() -> None:
    assert len(TRUTHS) >= 40


@pytest.mark.parametrize("truth", TRUTHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_truth_file_is_well_formed(truth: Path) -> None:
    assert check(truth) == []


def test_no_page_is_collected_twice() -> None:
    urls = [json.loads(p.read_text("utf-8"))["url"] for p in TRUTHS]
    assert len(urls) == len(set(urls))
