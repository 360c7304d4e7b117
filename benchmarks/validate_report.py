"""Per-report validation speed, two ways, in one run:

- in memory: JSON text -> parse -> model -> every rule (the text already read), through
  `parse_report_json`, duplicate-key guard included;
- the public path a user calls, `validate(read_report(path).report)`: the file read too.

Run: python benchmarks/validate_report.py [--repeat N]
Prints per example report the median, 95th percentile and mean wall time in microseconds, the
median CPU time of this process (steadier on a busy machine), then the medians over every report
and the ratio of the public path to the in-memory one, both measured here. Last, the real published
pages of tests/fixtures/real (text excerpts of agencies' pages): the median time to read one the
first time in this process and again, to validate what was read, and the median number of findings,
beside the in-memory figure.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ogi_report.readers import read_report
from ogi_report.readers.loading import parse_report_json
from ogi_report.validation import validate, validate_loaded

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REAL_PAGES = ROOT / "tests" / "fixtures" / "real"


def timed(work: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds) of each of `repeat` calls."""
    wall, cpu = [], []
    clock, process = time.perf_counter, time.process_time
    for _ in range(repeat):
        start, start_cpu = clock(), process()
        work()
        cpu.append(process() - start_cpu)
        wall.append(clock() - start)
    return wall, cpu


def in_memory(text: str) -> Callable[[], object]:
    def work() -> object:
        loaded = parse_report_json(text)
        return validate(loaded.report, unreadable=loaded.unreadable)

    return work


def public(path: Path) -> Callable[[], object]:
    return lambda: validate(read_report(path).report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5000)
    args = parser.parse_args()
    paths = sorted(EXAMPLES.glob("*.json"))
    print(
        f"{'report':<32} {'path':<9} {'median µs':>10} {'p95 µs':>8} {'mean µs':>8} {'cpu µs':>7} "
        f"{'findings':>8}"
    )
    everything: dict[str, tuple[list[float], list[float]]] = {"memory": ([], []), "public": ([], [])}
    for path in paths:
        works = {"memory": in_memory(path.read_text("utf-8")), "public": public(path)}
        findings = len(validate(read_report(path).report, mode="published").findings)
        for work in works.values():
            timed(work, 200)  # warm caches (compiled identities, pydantic validators)
        # Alternate the two paths in rounds, so that a busy machine slows both alike.
        rounds = 5
        times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in works}
        for _ in range(rounds):
            for name, work in works.items():
                wall, cpu = timed(work, args.repeat // rounds)
                times[name][0].extend(wall)
                times[name][1].extend(cpu)
        for name, (wall, cpu) in times.items():
            everything[name][0].extend(wall)
            everything[name][1].extend(cpu)
            p95 = statistics.quantiles(wall, n=20)[-1]
            print(
                f"{path.name:<32} {name:<9} {statistics.median(wall) * 1e6:>10.1f} {p95 * 1e6:>8.1f} "
                f"{statistics.fmean(wall) * 1e6:>8.1f} {statistics.median(cpu) * 1e6:>7.1f} {findings:>8}"
            )
    medians = {name: statistics.median(wall) for name, (wall, _) in everything.items()}
    cpus = {name: statistics.median(cpu) for name, (_, cpu) in everything.items()}
    for name in everything:
        print(f"{'all':<32} {name:<9} {medians[name] * 1e6:>10.1f} {'':>8} {'':>8} {cpus[name] * 1e6:>7.1f}")
    print(
        f"ratio public / in memory: {medians['public'] / medians['memory']:.2f} × (wall), "
        f"{cpus['public'] / cpus['memory']:.2f} × (cpu)"
    )
    real_pages(medians["memory"])


def real_pages(in_memory: float, repeat: int = 20) -> None:
    """Read and validate each real published page `repeat` times: medians over the pages."""
    pages = sorted(p for p in REAL_PAGES.rglob("*") if p.suffix in (".txt", ".html"))
    first = [timed(partial(read_report, path), 1)[0][0] for path in pages]  # label matches not yet remembered
    reads, checks, findings = [], [], []
    for path in pages:
        loaded = read_report(path)
        reads.append(statistics.median(timed(partial(read_report, path), repeat)[0]))
        checks.append(statistics.median(timed(partial(validate_loaded, loaded), repeat)[0]))
        findings.append(len(validate_loaded(loaded).findings))
    read, check = statistics.median(reads), statistics.median(checks)
    print(
        f"real published pages ({len(pages)}): first read {statistics.median(first) * 1e6:.0f} µs, "
        f"read again {read * 1e6:.0f} µs, validate {check * 1e6:.0f} µs (median "
        f"{statistics.median(findings):.0f} findings; {check / in_memory:.1f} × a complete JSON report in "
        "memory)"
    )


if __name__ == "__main__":
    main()
