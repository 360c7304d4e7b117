"""Store fixtures: every store test runs on DuckDB and on a throwaway PostgreSQL cluster.

The cluster is made with `initdb` in a temporary folder and started with `pg_ctl` on a Unix socket
in that folder (no TCP port), as the `postgres` user when the tests run as root (initdb refuses
root). Tests on PostgreSQL carry the marker `postgres`; without the binaries they are skipped with
the reason (`.ci/run` installs them, so CI never skips).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ogi_report.store.throwaway import ThrowawayCluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    try:
        cluster = ThrowawayCluster()
    except FileNotFoundError as exc:
        if os.environ.get("OGI_REQUIRE_POSTGRES"):  # set by .ci/run: CI never skips this half
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store on each backend."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    cluster: ThrowawayCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


def write_jsonl(path: Path, reports: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def synth_reports(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """60 consistent synthetic reports for 2024 (both layouts), as report data."""
    from ogi_report.synth import synth_reports as generate

    return [r.data for r in generate(60, seed=3, years=(2024,))]
