"""Running an `ogi` command in a subprocess and killing it (SIGKILL) part-way, and looking at what
it leaves: the files a reader sees, and the hidden ones an interrupted writer may leave."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from random import Random
from typing import Any

OGI = (sys.executable, "-m", "ogi_report")
POLL = 0.002  # seconds between looks at the process and the files


def run(args: Sequence[str], cwd: Path) -> float:
    """Run `ogi ARGS` to the end; return how long it took. Fails unless it exits 0."""
    start = time.monotonic()
    done = subprocess.run([*OGI, *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"ogi {' '.join(args)}: {done.returncode}\n{done.stderr}"
    return time.monotonic() - start


def run_killed(
    args: Sequence[str], cwd: Path, delay: float, *, after: Callable[[], bool] | None = None
) -> bool:
    """Start `ogi ARGS`; `delay` seconds after the start (or after `after()` first holds) send
    SIGKILL to it and every process it started (its own process group). True if it was killed,
    False if it finished first (exit 0 expected)."""
    process = subprocess.Popen(
        [*OGI, *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: synth's worker processes die with it
    )
    try:
        while after is not None and process.poll() is None and not after():
            time.sleep(POLL)
        end = time.monotonic() + delay
        while process.poll() is None and time.monotonic() < end:
            time.sleep(min(POLL, max(0.0, end - time.monotonic())))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        assert process.returncode == 0, f"ogi {' '.join(args)} exited {process.returncode}"
        return False
    finally:
        if process.poll() is None:  # the test itself failed: leave no process behind
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def spread(seed: int, count: int, span: float) -> list[float]:
    """`count` delays over [0, span): one at random in each of `count` equal slices (seeded)."""
    rng = Random(seed)
    return [span * (i + rng.random()) / count for i in range(count)]


def visible(folder: Path) -> list[str]:
    """The names a reader of the folder sees (hidden ones left out)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root by relative POSIX path -> its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def check_complete_package(folder: Path) -> dict[str, Any]:
    """A package is complete: its descriptor parses and every resource has its stated bytes and hash."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        data = (folder / resource["path"]).read_bytes()
        assert len(data) == resource["bytes"], (folder, resource["name"])
        assert f"sha256:{hashlib.sha256(data).hexdigest()}" == resource["hash"], (folder, resource["name"])
    assert isinstance(descriptor, dict)
    return descriptor
