"""National-scale package benchmark: synthesise, build, validate; compare with frictionless.

Run: python benchmarks/package_scale.py [--count 200000] [--frictionless-count 20000] [--error-rate 0.01]
     [--jobs N]

Each phase runs as its own process (as a user would run it), timed from outside, with its peak
memory (max RSS of the process and its workers) read from the operating system. Ratios printed
are of phases measured in the same run:

- `ogi package` with one process and with its default workers (one per CPU, or --jobs): speed-up;
- `ogi validate DIR/datapackage.json` against a bare DuckDB script that only reads the same CSV
  files into tables (`read_csv`, all columns text), the bound of any validator reading them: each
  three times, in turns, and the ratio of the medians;
- at --frictionless-count, `frictionless validate` against ours (whole commands, and in process).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
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


# What any validator of the package must do at least: read every CSV file into a table, in a
# process of its own (interpreter and DuckDB start-up included, as for `ogi validate`).
_READ_CSV = """
import json, sys
from pathlib import Path
import duckdb
descriptor = Path(sys.argv[1])
con = duckdb.connect(config={"threads": 2})
for number, resource in enumerate(json.loads(descriptor.read_text("utf-8"))["resources"]):
    path = str(descriptor.parent / resource["path"])
    sql = f"CREATE TABLE t{number} AS SELECT * FROM read_csv($1, header = true, all_varchar = true)"
    con.execute(sql, [path])
"""


def run(label: str, command: list[str]) -> float:
    """Seconds of one command, printed with its own peak memory (exits on failure)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    code, peak_kib = (int(x) for x in done.stdout.split())
    if code not in (0, 1):  # 1: error findings, expected with injected errors
        sys.exit(f"{label} failed ({code}): {done.stderr.strip()[-500:]}")
    print(f"{label:<46} {seconds:>8.1f} s {peak_kib / 1024:>8.0f} MiB peak", flush=True)
    return seconds


def alternately(*commands: tuple[str, list[str]], times: int = 3) -> list[float]:
    """Median seconds of each command, run in turns `times` times (so a busy moment of the shared
    machine falls on both sides of a ratio)."""
    seconds: list[list[float]] = [[] for _ in commands]
    for turn in range(times):
        for n, (label, command) in enumerate(commands):
            seconds[n].append(run(f"{label} ({turn + 1}/{times})", command))
    return [statistics.median(s) for s in seconds]


def scale(count: int, error_rate: float, work: Path, *, frictionless: bool, jobs: int | None) -> None:
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
    workers = ["--jobs", str(jobs)] if jobs else []
    single = run(
        "ogi package --jobs 1", [*ogi, "package", str(reports), "-o", str(out), "--quiet", "--jobs", "1"]
    )
    label = f"ogi package --jobs {jobs}" if jobs else "ogi package (one worker per CPU)"
    several = run(label, [*ogi, "package", str(reports), "-o", str(out), "--quiet", *workers])
    print(f"{'speed-up, workers':<46} {single / several:>8.2f} ×")
    ours, bare = alternately(
        ("ogi validate (structure + every rule)", [*ogi, "validate", "--json", str(descriptor)]),
        ("DuckDB read_csv alone (the bound)", [sys.executable, "-c", _READ_CSV, str(descriptor)]),
    )
    print(f"{'ogi validate / DuckDB read_csv, medians':<46} {ours / bare:>8.2f} ×")
    if frictionless:
        theirs = run("frictionless validate", ["frictionless", "validate", "--json", str(descriptor)])
        print(f"{'frictionless / ogi validate, commands':<46} {theirs / ours:>8.1f} ×")
        print(f"{'frictionless / DuckDB read_csv':<46} {theirs / bare:>8.1f} ×")
        in_ours, in_theirs = in_process(descriptor)
        print(f"{'in process: validate_package':<46} {in_ours:>8.2f} s")
        print(f"{'in process: frictionless.validate':<46} {in_theirs:>8.2f} s")
        print(f"{'frictionless / ogi, in process':<46} {in_theirs / in_ours:>8.1f} ×")


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
    parser.add_argument("--jobs", type=int, help="Workers of the second `ogi package` (default: its own).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        if args.frictionless_count:
            scale(args.frictionless_count, args.error_rate, work, frictionless=True, jobs=args.jobs)
        if args.count:
            scale(args.count, args.error_rate, work, frictionless=False, jobs=args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
