"""Parquet export for consumers past one machine: the latest reports and one long table per official
table, partitioned by year and province (`year=2024/province=440000/…parquet`)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import duckdb

from ogi_report.store.core import Store
from ogi_report.store.schema import long_view_sql, q, table_codes

_PROVINCE = "coalesce(substr({col}, 1, 2) || '0000', 'none')"


def _arrow(store: Store, sql: str) -> Any:
    """A query's result as a pyarrow table, from either backend."""
    import pyarrow as pa

    backend: Any = store.backend
    if backend.name == "duckdb":
        return backend.con.sql(sql).to_arrow_table()
    with backend.con.cursor() as cursor:
        cursor.execute(sql)
        names = [d.name for d in cursor.description]
        rows = cursor.fetchall()
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def export_parquet(store: Store, out_dir: str | Path, *, as_of: str | int | None = None) -> list[Path]:
    """Write `reports/` and `long_<table>/` under `out_dir`; the folder is replaced whole (a new one is
    written beside it and renamed into place)."""
    target = Path(out_dir)
    point = store.resolve_as_of(as_of)
    versions = store.versions_sql(point)
    queries = {
        "reports": f"SELECT v.*, {_PROVINCE.format(col='v.division_code')} AS province FROM {versions} v",
    }
    for code in table_codes():
        body = long_view_sql(code, versions=versions, numeric=store.backend.numeric)
        queries[f"long_{code}"] = (
            f"SELECT x.*, {_PROVINCE.format(col='x.division')} AS province FROM ({body}) x"
        )
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    staging.mkdir(parents=True)
    written: list[Path] = []
    try:
        con = duckdb.connect(
            config={"threads": 2, "autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        try:
            for name, sql in queries.items():
                table = _arrow(store, sql)
                con.register("export_rows", table)
                folder = staging / name
                if table.num_rows:
                    con.execute(
                        f"COPY (SELECT * FROM export_rows) TO '{folder}' "
                        "(FORMAT parquet, PARTITION_BY (year, province))"
                    )
                else:
                    folder.mkdir()
                con.unregister("export_rows")
                written.append(target / name)
        finally:
            con.close()
        old = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    assert all(q(p.name) for p in written)
    return written
