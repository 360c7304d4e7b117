"""A throwaway PostgreSQL cluster in a temporary folder, for tests and benchmarks.

`initdb` and `pg_ctl` (Debian: /usr/lib/postgresql/*/bin) make and start a cluster listening only on
a Unix socket in the folder. As root, the cluster runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def pg_binary(name: str) -> str | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


class ThrowawayCluster:
    def __init__(self, *, settings: str = "-c fsync=off -c max_connections=40") -> None:
        initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise FileNotFoundError(
                "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql"
            )
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="ogi-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", "ogi", "-E", "UTF8", "--no-locale"])
        options = f"-k {self.root} -c listen_addresses='' {settings}"
        log = str(self.root / "log")
        self._run([pg_ctl, "-D", str(self.data), "-o", options, "-l", log, "-w", "start"])
        self._counter = itertools.count(1)

    def _run(self, command: list[str]) -> None:
        subprocess.run([*self.prefix, *command], check=True, capture_output=True)  # noqa: S603 (our binaries)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://ogi@/{database}?host={self.root}"

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"store_{next(self._counter)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type,unused-ignore]
        return self.url(name)

    def stop(self) -> None:
        command = [*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(command, capture_output=True, check=False)  # noqa: S603 (our binaries)
        shutil.rmtree(self.root, ignore_errors=True)
