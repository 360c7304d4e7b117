"""Start-up of the `ogi` command, as a new user meets it: `--version`, `--help`, and validating one
small report; beside a bare interpreter start (`python -c pass`) measured in the same run.

Run: python benchmarks/startup.py [--repeat 20]
Commands are run alternately (one of each per round), so a busy machine slows them alike; the
median wall time of each is printed with its ratio to the bare interpreter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

SMALL = Path(__file__).resolve().parent.parent / "examples" / "illustrative-2021-county.json"


def commands() -> dict[str, list[str]]:
    ogi = [sys.executable, "-m", "ogi_report"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "ogi --version": [*ogi, "--version"],
        "ogi --help": [*ogi, "--help"],
        f"ogi validate {SMALL.name}": [*ogi, "validate", str(SMALL)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    runs = commands()
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, command in runs.items():
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=False)
            times[label].append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                sys.exit(f"{label} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    bare = statistics.median(times["python -c pass"])
    print(f"{'command':<44} {'median ms':>10} {'min ms':>8} {'× bare python':>14}")
    for label, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{label:<44} {median * 1e3:>10.0f} {min(seconds) * 1e3:>8.0f} {median / bare:>14.1f}")


if __name__ == "__main__":
    main()
