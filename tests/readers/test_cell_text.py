"""Figures whose separators were lost (readers/cell_text.py `split_run`): cut only where there is one
way to cut them, with nothing assumed of the figures (not that a row adds up)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogi_report.readers.cell_text import several_figures, split_run


@pytest.mark.parametrize(
    ("run", "wanted", "cells"),
    [
        ("0000000", 7, ("0",) * 7),  # a digit a cell
        ("8100009", 7, ("8", "1", "0", "0", "0", "0", "9")),
        ("23 0 00 0 023", 7, ("23", "0", "0", "0", "0", "0", "23")),  # the spaces left are cuts
        ("4 0 0 0 0 0 4", 7, ("4", "0", "0", "0", "0", "0", "4")),
        ("10000000", 7, ("10", "0", "0", "0", "0", "0", "0")),  # no figure starts with 0
        ("35-15", 2, ("35", "-15")),  # a sign starts a figure
        ("9116.36", 1, ("9116.36",)),
        ("210000021", 7, None),  # 21/0/…/21 or 2/10/…/21: not split
        ("230 000023", 7, None),
        ("2648-18538", 3, None),
        ("8855698", 3, None),
        ("000", 2, None),  # no way: three zeros are three cells
        ("1" * 400, 7, None),  # far too long for a row
    ],
)
def test_a_run_is_split_only_where_it_splits_one_way(
    run: str, wanted: int, cells: tuple[str, ...] | None
) -> None:
    assert split_run(run, wanted) == cells


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=15), st.booleans())
def test_a_split_gives_back_the_written_figures_or_nothing(figures: list[int], spaced: bool) -> None:
    """Whatever the figures, a split found is the one written (the written one is always a way to
    cut the run, so a unique way is it); single digits always split."""
    run = (" " if spaced else "").join(str(f) for f in figures)
    cells = split_run(run, len(figures))
    assert cells in (tuple(str(f) for f in figures), None)
    if spaced or all(f < 10 for f in figures):
        assert cells == tuple(str(f) for f in figures)


@pytest.mark.parametrize(
    ("text", "several"),
    [
        ("0000000", True),
        ("0 0 0", True),
        (" 010 ", True),
        ("0", False),
        ("100", False),
        ("-5", False),
        ("0.5", False),
        ("12.30", False),
        ("1,234", False),
        ("无", False),
        ("", False),
    ],
)
def test_several_figures_are_those_no_one_figure_can_be(text: str, several: bool) -> None:
    assert several_figures(text) is several
