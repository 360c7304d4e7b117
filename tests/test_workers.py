"""workers.map_forked: the same list as one call, whatever the number of jobs; a child's error
raised in the parent; no child left behind."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from ogi_report.workers import can_fork, map_forked

pytestmark = pytest.mark.skipif(not can_fork(), reason="forking workers: Linux only")


def squares_with_pid(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in items]


@pytest.mark.parametrize("jobs", [1, 2, 3, 8])
@pytest.mark.parametrize("count", [0, 1, 5, 16, 101])
def test_the_same_list_in_order_as_one_call(jobs: int, count: int) -> None:
    items = list(range(count))
    got = map_forked(squares_with_pid, items, jobs)
    assert [value for value, _ in got] == [n * n for n in items]
    pids = {pid for _, pid in got}
    if jobs > 1 and count >= 2 * jobs:  # worth splitting: done in children too
        assert len(pids) > 1
        assert os.getpid() in pids
    else:
        assert pids <= {os.getpid()}


def fails_on_seven(items: Sequence[int]) -> list[int]:
    if 7 in items:
        raise ValueError("seven")
    return list(items)


def test_an_error_in_a_child_is_raised_in_the_parent() -> None:
    with pytest.raises(RuntimeError, match="ValueError: seven"):
        map_forked(fails_on_seven, list(range(10)), 2)  # 7 is in the child's half
    with pytest.raises(ChildProcessError):  # and every child was waited for
        os.waitpid(-1, os.WNOHANG)
