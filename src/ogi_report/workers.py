"""Worker processes: how many, and whether they can be forked (shared by `ogi synth` and
`ogi package`, whose output is the same bytes whatever the number of workers)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpus() -> int:
    """CPUs this process may run on (not the host's count when limited), at most 8."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return min(8, len(usable))


def can_fork() -> bool:
    """Workers are forked (they inherit the loaded models and rules); elsewhere work stays in-process."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def map_forked(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], jobs: int) -> list[R]:
    """`work(items)`, with the items split into `jobs` consecutive parts, all but the first done in
    forked children (which inherit everything `work` reads) and the results joined in order: the
    same list as one call gives. In this process alone when one job is asked for, or forking is
    not possible. `work`'s results are pickled back; an error in a child is raised here."""
    if jobs <= 1 or len(items) < 2 * jobs or not can_fork():
        return work(items)
    size = -(-len(items) // jobs)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    children = [_fork(work, part) for part in parts[1:]]
    results = work(parts[0])
    for pid, reader in children:
        with os.fdopen(reader, "rb") as handle:
            status, value = pickle.loads(handle.read())  # noqa: S301 - our own child's bytes
        os.waitpid(pid, 0)
        if status != "ok":
            raise RuntimeError(f"a worker process failed: {value}")
        results += value
    return results


def _fork(work: Callable[[Sequence[T]], list[R]], part: Sequence[T]) -> tuple[int, int]:
    """A child doing `work(part)` and writing its pickled result to a pipe: (its pid, the read end)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)  # the child: never returns
    try:
        data = pickle.dumps(("ok", work(part)))
    except BaseException as exc:  # anything: reported by the parent
        data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
    with os.fdopen(writer, "wb") as handle:
        handle.write(data)
    os._exit(0)
