"""Store benchmark: ingest a national year into DuckDB and into PostgreSQL, and roll it up by province.

Run: python benchmarks/store_scale.py [--count 200000] [--error-rate 0.01] [--no-postgres]

`ogi synth` and `ogi package` make one year of synthetic reports; each ingest runs as its own
`ogi store ingest` process (validation included), timed from outside with its peak memory (max RSS of
the ogi process; the PostgreSQL server's own memory is not in it). The national roll-up by province
runs in process on an open store: best of three. CPU is the user + system time of the ogi process
(the PostgreSQL server's work is not in it): on a shared machine it shows the work apart from waiting.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(done.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n"
    "sys.stderr.write(done.stdout + done.stderr)\n"
)


def run(label: str, command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    fields = done.stdout.split()
    code, peak_kib, cpu = int(fields[0]), int(fields[1]), float(fields[2])
    if code != 0:
        sys.exit(f"{label} failed ({code}): {done.stderr.strip()[-800:]}")
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    print(
        f"{label:<44} {seconds:>7.1f} s {cpu:>7.1f} s CPU {peak_kib / 1024:>6.0f} MiB peak   {last}",
        flush=True,
    )
    return seconds


def rollup_seconds(url: str) -> float:
    from ogi_report.store import Store, rollup

    with Store.open(url, read_only=True) as store:
        best = cpu = float("inf")
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = rollup(store, 2024, level="province")
            best = min(best, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
    print(
        f"{'rollup --level province (in process, best of 3)':<44} {best:>7.2f} s   "
        f"{len(result.summaries)} summaries, {sum(s.reports for s in result.summaries):,} reports",
        flush=True,
    )
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--error-rate", type=float, default=0.01)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    ogi = [sys.executable, "-m", "ogi_report"]
    with tempfile.TemporaryDirectory(prefix="ogi-store-bench-") as folder:
        work = Path(folder)
        reports, packages = work / "reports.jsonl", work / "packages"
        print(f"-- {args.count:,} reports of 2024, error rate {args.error_rate}")
        run(
            "ogi synth",
            [
                *ogi,
                "synth",
                "--count",
                str(args.count),
                "--seed",
                "1",
                "--error-rate",
                str(args.error_rate),
                "--year",
                "2024",
                "-o",
                str(reports),
                "--quiet",
            ],
        )
        run("ogi package", [*ogi, "package", str(reports), "-o", str(packages), "--quiet"])
        package = str(packages / "ogi-reports-2024")
        db = str(work / "store.duckdb")
        ingest = [*ogi, "store", "ingest", package, "--accept-findings", "--quiet"]
        run("ogi store ingest (DuckDB)", [*ingest, "--db", db])
        run("ogi store ingest again, same bytes (DuckDB)", [*ingest, "--db", db])
        rollup_seconds(db)
        print(f"{'DuckDB file size':<44} {Path(db).stat().st_size / 2**20:>7.0f} MiB")
        if args.no_postgres:
            return
        from ogi_report.store.throwaway import ThrowawayCluster

        cluster = ThrowawayCluster(settings="-c fsync=off -c shared_buffers=256MB -c max_wal_size=4GB")
        try:
            url = cluster.new_database()
            run("ogi store ingest (PostgreSQL)", [*ingest, "--db", url])
            run("ogi store ingest again, same bytes (PostgreSQL)", [*ingest, "--db", url])
            rollup_seconds(url)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
