"""The two backends behind one small interface: DuckDB (an embedded file) and PostgreSQL (a server).

SQL is written once with `?` parameters; the PostgreSQL backend turns them into psycopg's `%s`.
Bulk loads take a CSV file written by the staging DuckDB: DuckDB reads it with `read_csv`,
PostgreSQL receives it through `COPY … FROM STDIN`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from ogi_report.errors import OgiError
from ogi_report.store.schema import q

NULL_TEXT = "\\N"  # NULL in the CSV files of a bulk load


class StoreError(OgiError):
    """A store cannot be opened, is busy, or refuses an operation; the message says why."""

    def one_line(self) -> str:
        return str(self)


class Backend(ABC):
    name: str
    numeric: str  # exact decimal type for computed values
    index_cells = False  # index the cell tables by version id

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def load_csv(self, table: str, columns: Sequence[str], types: Sequence[str], path: Path) -> None:
        """Append the rows of a CSV file (header, `\\N` for NULL) to a table."""

    @abstractmethod
    def lock_ingest(self) -> None:
        """Serialise ingests (inside the transaction)."""

    @abstractmethod
    def close(self) -> None: ...

    def duckdb(self) -> duckdb.DuckDBPyConnection | None:
        """The store's own DuckDB connection, if it is one (staging can then happen inside it)."""
        return None

    def analyze(self, tables: Sequence[str]) -> None:  # noqa: B027 (nothing to do on DuckDB)
        """Refresh the planner's statistics after a bulk load (PostgreSQL)."""

    def has_table(self, name: str) -> bool:
        rows = self.fetch(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = ?",
            (name, self.schema_name),
        )
        return bool(rows[0][0])

    schema_name = "main"


class DuckDBBackend(Backend):
    name = "duckdb"
    numeric = "DECIMAL(38, 10)"

    def __init__(self, path: str, *, read_only: bool = False, wait: float = 0.0) -> None:
        config: dict[str, Any] = {
            "threads": 2,
            "memory_limit": "1GiB",  # with validation's DuckDB (package_memory_mib), under 2 GiB
            "preserve_insertion_order": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        deadline = time.monotonic() + wait
        while True:
            try:
                self.con = duckdb.connect(path, read_only=read_only, config=config)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"{path}: cannot open the store: {exc}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{path}: the store is in use by another process (DuckDB allows one writer); "
                        "try again when it has finished, or give --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        self.path = path

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def load_csv(self, table: str, columns: Sequence[str], types: Sequence[str], path: Path) -> None:
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in zip(columns, types, strict=True)) + "}"
        cols = ", ".join(q(c) for c in columns)
        self.con.execute(
            f"INSERT INTO {q(table)} ({cols}) SELECT {cols} FROM read_csv(?, header = true, "
            f"columns = {spec}, nullstr = '{NULL_TEXT}', quote = '\"', escape = '\"', auto_detect = false)",
            [str(path)],
        )

    def lock_ingest(self) -> None:
        """DuckDB's file lock already admits one writing process."""

    def duckdb(self) -> duckdb.DuckDBPyConnection | None:
        return self.con

    def close(self) -> None:
        self.con.close()


class PostgresBackend(Backend):
    name = "postgresql"
    numeric = "NUMERIC"
    index_cells = True
    schema_name = "public"

    def __init__(self, url: str) -> None:
        import psycopg

        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the PostgreSQL store: {str(exc).strip()}") from None
        # Roll-ups aggregate in memory rather than on disk, without compiling each query first.
        self.con.execute("SET work_mem = '128MB'")
        self.con.execute("SET jit = off")
        row = self.con.execute("SELECT current_schema()").fetchone()
        self.schema_name = str(row[0]) if row else "public"

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(self._sql(sql), list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(self._sql(sql), list(params)).fetchall()

    def begin(self) -> None:
        self.con.execute("BEGIN")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def load_csv(self, table: str, columns: Sequence[str], types: Sequence[str], path: Path) -> None:
        del types  # COPY converts the text to the columns' own types
        cols = ", ".join(q(c) for c in columns)
        statement = f"COPY {q(table)} ({cols}) FROM STDIN (FORMAT csv, HEADER true, NULL '{NULL_TEXT}')"
        with self.con.cursor() as cursor, cursor.copy(statement) as copy, path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)

    def analyze(self, tables: Sequence[str]) -> None:
        self.con.execute(f"ANALYZE {', '.join(q(t) for t in tables)}")

    def lock_ingest(self) -> None:
        self.con.execute("SELECT pg_advisory_xact_lock(7013)")  # one ingest at a time; the next waits

    def close(self) -> None:
        self.con.close()


def open_backend(url: str, *, read_only: bool = False, wait: float = 0.0) -> Backend:
    if url.startswith(("postgresql://", "postgres://")) or url.startswith("postgresql:"):
        return PostgresBackend(url)
    path = url.removeprefix("duckdb:")
    if read_only and not Path(path).exists():
        raise StoreError(f"{path}: no such store (ingest something first)")
    return DuckDBBackend(path, read_only=read_only, wait=wait)
