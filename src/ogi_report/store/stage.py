"""Staging: the packages of one ingest read into an in-memory DuckDB, hashed per report, and the
new versions written out as CSV files for the store's bulk load.

The package is read through its own descriptor (the published Frictionless format): resources by
name, fields by the descriptor's Table Schemas; the resource holding each official table is the one
whose fields and row codes cover that table's columns and rows in the layout registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ogi_report.package.escape import unescape_expr
from ogi_report.store.backend import NULL_TEXT, StoreError
from ogi_report.store.schema import (
    EXPLANATION_COLUMNS,
    REPORT_SOURCES,
    SECTION_COLUMNS,
    StoreTable,
    q,
    store_tables,
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class _Resource:
    name: str
    path: Path
    fields: list[str]
    strings: list[str]
    key: str | None = None  # row-code field of a table resource


def _resources(descriptor_path: Path) -> dict[str, _Resource]:
    descriptor: dict[str, Any] = json.loads(descriptor_path.read_text(encoding="utf-8"))
    found: dict[str, _Resource] = {}
    for resource in descriptor.get("resources", []):
        fields = resource["schema"]["fields"]
        found[resource["name"]] = _Resource(
            name=resource["name"],
            path=descriptor_path.parent / resource["path"],
            fields=[f["name"] for f in fields],
            strings=[f["name"] for f in fields if f.get("type") == "string"],
        )
    return found


def _holder(resources: dict[str, _Resource], spec: StoreTable, keys: dict[str, set[str]]) -> _Resource:
    """The resource holding this table of this layout (fields and row codes cover it)."""
    rows = {r.code for r in spec.table.data_rows}
    fits = []
    for resource in resources.values():
        rest = [f for f in resource.fields if f != "report_id" and f not in spec.columns]
        if (
            set(spec.columns) <= set(resource.fields)
            and len(rest) == 1
            and rows <= keys.get(resource.name, set())
        ):
            fits.append((len(resource.fields), resource.name, rest[0]))
    if not fits:
        raise StoreError(
            f"the package has no resource for table {spec.table.code} of layout {spec.layout.code}"
        )
    _, name, key = min(fits)
    resources[name].key = key
    return resources[name]


def _row_codes(descriptor_path: Path) -> dict[str, set[str]]:
    descriptor: dict[str, Any] = json.loads(descriptor_path.read_text(encoding="utf-8"))
    codes: dict[str, set[str]] = {}
    for resource in descriptor.get("resources", []):
        for f in resource["schema"]["fields"]:
            if "categories" in f:
                codes[resource["name"]] = {c["value"] for c in f["categories"]}
    return codes


class Stage:
    """The reports of the packages of one ingest, in memory (spilling to a temporary folder)."""

    def __init__(
        self,
        descriptors: list[Path],
        *,
        spill: Path | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        """`con`: stage in temporary tables of this connection (a DuckDB store's own, so the new rows
        go into the store without leaving DuckDB); otherwise in a new in-memory database."""
        self.shared = con is not None
        self.con = con if con is not None else duckdb.connect(config=self._config(spill))
        self._temp = "TEMP " if self.shared else ""
        self.tables = store_tables()
        self._created: set[str] = set()
        self._hashed: list[str] = []
        for number, descriptor in enumerate(descriptors):
            self._read(number, descriptor)
        for name in ("s_reports", "s_sections", "s_explanations", *(f"s_{t.name}" for t in self.tables)):
            if name not in self._created:
                self._empty(name)
        self._hash()

    @staticmethod
    def _config(spill: Path | None) -> dict[str, Any]:
        config: dict[str, Any] = {
            "threads": 2,
            "memory_limit": "1GiB",
            "preserve_insertion_order": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        if spill is not None:
            config["temp_directory"] = str(spill)
        return config

    def _empty(self, name: str) -> None:
        columns = {
            "s_reports": ["report_id", *(f.name for f in REPORT_SOURCES)],
            "s_sections": ["report_id", *SECTION_COLUMNS],
            "s_explanations": ["report_id", *EXPLANATION_COLUMNS[1:]],
        }.get(name)
        if columns is None:
            spec = next(t for t in self.tables if f"s_{t.name}" == name)
            columns = ["report_id", "row_code", *spec.columns]
        cols = ", ".join(f"{q(c)} VARCHAR" for c in columns)
        self.con.execute(f"CREATE {self._temp}TABLE {q(name)} (pkg INTEGER, {cols})")
        self._created.add(name)

    def _select(self, number: int, resource: _Resource, rename: dict[str, str] | None = None) -> str:
        """SELECT of a resource's CSV as text, escape removed from its string fields, with the
        MD5 of each row as written (for the content hash)."""
        spec = "{" + ", ".join(f"{_quote(f)}: 'VARCHAR'" for f in resource.fields) + "}"
        source = (
            f"read_csv({_quote(str(resource.path))}, header = true, columns = {spec}, quote = '\"', "
            "escape = '\"', delim = ',', auto_detect = false, all_varchar = true)"
        )
        parts = []
        for f in resource.fields:
            value = q(f)
            if f in resource.strings:
                value = unescape_expr(q(f))  # the package's escape against formula injection
            parts.append(f"{value} AS {q((rename or {}).get(f, f))}")
        line = (
            "concat_ws(chr(31), "
            + ", ".join(f"coalesce({q(f)}, '{NULL_TEXT}')" for f in resource.fields)
            + ")"
        )
        name = _quote(resource.name)
        row_hash = f"md5_number({name} || chr(30) || {line})"  # 128 bits, fixed size: cheap to keep
        return f"SELECT {number} AS pkg, {', '.join(parts)}, {row_hash} AS row_hash FROM {source}"

    def _append(self, name: str, select: str) -> None:
        if name in self._created:
            self.con.execute(f"INSERT INTO {q(name)} BY NAME {select}")
        else:
            self.con.execute(f"CREATE {self._temp}TABLE {q(name)} AS {select}")
            self._created.add(name)

    def _raw(self, number: int, resource: _Resource) -> str:
        """Read a resource's file once into `r_<name>`; return that table's name."""
        table = f"r_{resource.name}"
        rename = {resource.key: "row_code"} if resource.key else None
        self._append(table, self._select(number, resource, rename))
        if table not in self._hashed:
            self._hashed.append(table)
        return table

    def _read(self, number: int, descriptor: Path) -> None:
        resources = _resources(descriptor)
        keys = _row_codes(descriptor)
        if "reports" not in resources:
            raise StoreError(f"{descriptor}: the package has no reports resource")
        reports = self._raw(number, resources["reports"])
        self._append("s_reports", f"SELECT * EXCLUDE (row_hash) FROM {reports} WHERE pkg = {number}")
        if "sections" in resources:
            sections = self._raw(number, resources["sections"])
            self._append("s_sections", f"SELECT * EXCLUDE (row_hash) FROM {sections} WHERE pkg = {number}")
        if "explanations" in resources:
            explanations = resources["explanations"]
            raw = self._raw(number, explanations)
            wanted = ("report_id", *EXPLANATION_COLUMNS[1:])
            columns = ", ".join(
                q(c) if c in explanations.fields else f"NULL::VARCHAR AS {q(c)}" for c in wanted
            )
            self._append("s_explanations", f"SELECT pkg, {columns} FROM {raw} WHERE pkg = {number}")
        holders = {spec.name: _holder(resources, spec, keys) for spec in self.tables}
        raws = {r.name: self._raw(number, r) for r in {id(r): r for r in holders.values()}.values()}
        for spec in self.tables:
            raw = raws[holders[spec.name].name]
            columns = ", ".join("t." + q(c) for c in spec.columns)
            layout = _quote(spec.layout.code)
            self._append(
                f"s_{spec.name}",
                f"SELECT t.pkg, t.report_id, t.row_code, {columns} FROM {raw} t "
                f"JOIN s_reports r ON r.pkg = t.pkg AND r.report_id = t.report_id "
                f"WHERE t.pkg = {number} AND r.format = {layout}",
            )

    def _hash(self) -> None:
        unions = " UNION ALL ".join(
            f"SELECT pkg, report_id, row_hash FROM {q(name)}" for name in self._hashed
        )
        self.con.execute(
            # Order-independent and in constant memory per report: sha256 over the row count and the
            # sums of the two 64-bit halves of each row's MD5 (rows as written, resource name first).
            f"CREATE {self._temp}TABLE s_hash AS SELECT pkg, report_id, sha256(concat_ws(':', count(*), "
            "sum((row_hash >> 64)::UBIGINT), sum((row_hash & 18446744073709551615::UHUGEINT)::UBIGINT))) "
            f"AS content_hash FROM ({unions}) GROUP BY pkg, report_id"
        )
        for name in self._hashed:
            self.con.execute(f"DROP TABLE {q(name)}")
        clash = self.con.execute(
            "SELECT report_id FROM s_hash GROUP BY report_id HAVING count(DISTINCT content_hash) > 1 LIMIT 1"
        ).fetchone()
        if clash:
            raise StoreError(f"report {clash[0]} appears twice in this ingest with different content")
        # one copy of each report: the first package that has it
        self.con.execute(
            f"CREATE {self._temp}TABLE s_pick AS SELECT report_id, min(pkg) AS pkg, "
            "any_value(content_hash) AS content_hash "
            "FROM s_hash GROUP BY report_id"
        )

    def report_hashes(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT report_id, content_hash FROM s_pick").fetchall())

    def years(self) -> list[int]:
        rows = self.con.execute("SELECT DISTINCT TRY_CAST(year AS INTEGER) FROM s_reports").fetchall()
        return sorted(int(r[0]) for r in rows if r[0] is not None)

    def close(self) -> None:
        if not self.shared:
            self.con.close()
            return
        for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND (table_name LIKE 's\\_%' ESCAPE '\\' "
            "OR table_name LIKE 'r\\_%' ESCAPE '\\')"
        ).fetchall():
            self.con.execute(f"DROP TABLE IF EXISTS temp.{q(name)}")

    # --- the new versions, as CSV files -------------------------------------------------------

    def mark_new(self, new: dict[str, int]) -> None:
        """`new`: report id -> the version id it gets; the other staged reports are unchanged."""
        self.con.execute(f"CREATE OR REPLACE {self._temp}TABLE s_new (report_id VARCHAR, version_id BIGINT)")
        if new:
            import pyarrow as pa

            batch = pa.table({"report_id": list(new), "version_id": list(new.values())})
            self.con.register("s_new_arrow", batch)
            self.con.execute("INSERT INTO s_new SELECT * FROM s_new_arrow")
            self.con.unregister("s_new_arrow")

    def write(self, select: str, path: Path) -> None:
        self.con.execute(
            f"COPY ({select}) TO {_quote(str(path))} (HEADER true, NULLSTR '{NULL_TEXT}', QUOTE '\"', "
            "ESCAPE '\"', FORCE_QUOTE *)"
        )

    def new_rows(self, staged: str, columns: list[str]) -> str:
        """SELECT of the new versions' rows of a staging table, version id first."""
        cols = ", ".join(columns)
        return (
            f"SELECT n.version_id, {cols} FROM {q(staged)} s JOIN s_pick p ON p.report_id = s.report_id "
            "AND p.pkg = s.pkg JOIN s_new n ON n.report_id = s.report_id"
        )
