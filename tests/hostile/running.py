"""Run `ogi` in a child process as a user would, with the network cut off, and measure it.

Every hostile case must end in bounded time and memory: the child's wall time and peak memory
(its own max RSS, from wait4) are returned so the tests can hold them to the stated bounds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NETWORK_EXIT = 99

# Any attempt to resolve a name or open a connection ends the child with NETWORK_EXIT.
_GUARD = """
import os, socket, sys
def _refuse(*args, **kwargs):
    sys.stderr.write("NETWORK REQUEST ATTEMPTED\\n"); sys.stderr.flush(); os._exit(NETWORK_EXIT)
socket.getaddrinfo = socket.create_connection = _refuse
socket.socket.connect = socket.socket.connect_ex = _refuse
from ogi_report.cli import main
sys.argv[0] = "ogi"
main()
""".replace("NETWORK_EXIT", str(NETWORK_EXIT))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    raw: bytes = b""  # stdout as written, for outputs that are not text


def run_ogi(*args: str, timeout: float = 60.0) -> Run:
    """`ogi ARGS…` in a child process: exit code, output, wall time and its own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _GUARD, *args],
            stdout=out,
            stderr=err,
            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                child.returncode = -9
                raise AssertionError(f"ogi {' '.join(args)} ran longer than {timeout} s")
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        raw = out.read()
        return Run(
            child.returncode,
            raw.decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
            raw,
        )


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
