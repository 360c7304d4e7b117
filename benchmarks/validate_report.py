"""Per-report validation speed: read bytes -> parse -> model -> every rule, per example report.

Run: python benchmarks/validate_report.py [--repeat N]
Prints the median, 95th percentile and mean time per report in microseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ogi_report.readers.json_yaml import parse_json
from ogi_report.readers.loading import parse_report
from ogi_report.validation import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def time_one(text: str, repeat: int) -> list[float]:
    """Seconds per full validation of one JSON report text, `repeat` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        loaded = parse_report(parse_json(text))
        validate(loaded.report, unreadable=loaded.unreadable)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5000)
    args = parser.parse_args()
    print(f"{'report':<36} {'median µs':>10} {'p95 µs':>8} {'mean µs':>8} {'findings':>8}")
    everything: list[float] = []
    for path in sorted(EXAMPLES.glob("*.json")):
        text = path.read_text("utf-8")
        time_one(text, 200)  # warm caches (compiled identities, pydantic validators)
        times = time_one(text, args.repeat)
        everything += times
        loaded = parse_report(parse_json(text))
        findings = len(validate(loaded.report, mode="published").findings)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{path.name:<36} {statistics.median(times) * 1e6:>10.1f} {p95 * 1e6:>8.1f} "
            f"{statistics.fmean(times) * 1e6:>8.1f} {findings:>8}"
        )
    print(f"{'all':<36} {statistics.median(everything) * 1e6:>10.1f}")


if __name__ == "__main__":
    main()
