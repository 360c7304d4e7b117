"""Store fixtures: every store test runs on DuckDB and on a throwaway PostgreSQL cluster.

The cluster is made with `initdb` in a temporary folder and started with `pg_ctl` on a Unix socket
in that folder (no TCP port), as the `postgres` user when the tests run as root (initdb refuses
root). Tests on PostgreSQL carry the marker `postgres`; without the binaries they are skipped with
the reason (`.ci/run` installs them, so CI never skips).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_bin(name: str) -> str | None:
    for folder in PG_BIN_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


class Cluster:
    def __init__(self) -> None:
        initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if initdb is None or self.pg_ctl is None:
            pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql")
        self.root = Path(tempfile.mkdtemp(prefix="ogi-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
            shutil.chown(self.root, "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", "ogi", "-E", "UTF8", "--no-locale"])
        options = f"-k {self.root} -c listen_addresses='' -c fsync=off -c max_connections=40"
        self._run(
            [self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"]
        )
        self.counter = itertools.count(1)

    def _run(self, command: list[str]) -> None:
        subprocess.run([*self.prefix, *command], check=True, capture_output=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://ogi@/{database}?host={self.root}"

    def new_database(self) -> str:
        import psycopg

        name = f"store_{next(self.counter)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.pg_ctl), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store on each backend."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


def write_jsonl(path: Path, reports: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def synth_reports(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """60 consistent synthetic reports for 2024 (both layouts), as report data."""
    from ogi_report.synth import synth_reports as generate

    return [r.data for r in generate(60, seed=3, years=(2024,))]
