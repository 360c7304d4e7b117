"""Faults: an ingest killed at any moment (SIGKILL) leaves the store as before or as after; two
ingests at once both land on PostgreSQL, and on DuckDB the second waits or fails with a clear message."""

from __future__ import annotations

import copy
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ogi_report.store import Store, StoreError

from .conftest import write_jsonl

pytestmark = pytest.mark.slow


def _state(url: str) -> dict[str, Any]:
    """Everything in the store but the ingest times."""
    with Store.open(url) as store:
        snap = store.snapshot()
    snap["ingests"] = [row[:1] + row[2:] for row in snap["ingests"]]
    return snap


def _ingest_command(url: str, source: Path) -> list[str]:
    return [sys.executable, "-m", "ogi_report", "store", "ingest", str(source), "--db", url, "--quiet"]


def _copy(url: str, name: str, cluster: Any) -> str:
    """A copy of a store: a file copy (DuckDB) or a database made from it as a template."""
    if not url.startswith("postgresql"):
        target = str(Path(url).with_name(name + ".duckdb"))
        shutil.copy(url, target)
        return target
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")  # type: ignore[arg-type,unused-ignore]
        source = url.split("?")[0].split("/")[-1]
        con.execute(f"CREATE DATABASE {name} TEMPLATE {source}")  # type: ignore[arg-type,unused-ignore]
    return str(cluster.url(name))


def test_a_killed_ingest_leaves_the_store_before_or_after(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]], request: pytest.FixtureRequest
) -> None:
    cluster = request.getfixturevalue("pg_cluster") if store_url.startswith("postgresql") else None
    first = write_jsonl(tmp_path / "a.jsonl", synth_reports[:30])
    changed = copy.deepcopy(synth_reports)
    changed[0]["review_litigation"]["reconsideration"]["upheld"] += 1
    changed[0]["review_litigation"]["reconsideration"]["total"] += 1
    second = write_jsonl(tmp_path / "b.jsonl", changed)
    with Store.open(store_url) as store:
        store.ingest([first])
    before = _state(store_url)
    after_url = _copy(store_url, "after", cluster)
    start = time.perf_counter()
    subprocess.run(_ingest_command(after_url, second), check=True, capture_output=True)
    duration = time.perf_counter() - start
    after = _state(after_url)
    assert after != before
    rng = random.Random(13)
    seen = {"before": 0, "after": 0}
    for attempt in range(8):
        url = _copy(store_url, f"kill_{attempt}", cluster)
        child = subprocess.Popen(
            _ingest_command(url, second), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, duration * 1.1))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        state = _state(url)
        assert state in (before, after), f"attempt {attempt}: the store is neither before nor after"
        seen["before" if state == before else "after"] += 1
    assert seen["before"] >= 1


def test_two_ingests_at_once(store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", synth_reports[:30])
    two = write_jsonl(tmp_path / "two.jsonl", synth_reports[30:])
    with Store.open(store_url):
        pass  # the schema exists before both start
    if store_url.startswith("postgresql"):
        children = [
            subprocess.Popen(_ingest_command(store_url, p), stderr=subprocess.PIPE) for p in (one, two)
        ]
        assert [c.wait(timeout=120) for c in children] == [0, 0]
        with Store.open(store_url) as store:
            assert store.count("versions") == 60
            assert [i[0] for i in store.ingests()] == [1, 2]
        return
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom ogi_report.store import Store\n"
            "s = Store.open(sys.argv[1])\nprint('open', flush=True)\ntime.sleep(4)\ns.close()",
            store_url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "open"
    failed = subprocess.run(_ingest_command(store_url, one), capture_output=True, text=True)
    assert failed.returncode == 2
    assert "in use by another process" in failed.stderr
    with pytest.raises(StoreError, match="DuckDB allows one writer"):
        Store.open(store_url)
    waited = subprocess.run(
        [*_ingest_command(store_url, two), "--wait", "30"], capture_output=True, text=True
    )
    assert waited.returncode == 0, waited.stderr
    holder.wait()
    with Store.open(store_url) as store:
        assert store.count("versions") == 30
