"""Worker processes: how many, and whether they can be forked (shared by `ogi synth` and
`ogi package`, whose output is the same bytes whatever the number of workers)."""

from __future__ import annotations

import multiprocessing
import os
import sys


def cpus() -> int:
    """CPUs this process may run on (not the host's count when limited), at most 8."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return min(8, len(usable))


def can_fork() -> bool:
    """Workers are forked (they inherit the loaded models and rules); elsewhere work stays in-process."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
