"""The store: report versions with their tables, findings and history, in DuckDB or PostgreSQL."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ogi_report.errors import ReportError
from ogi_report.findings import Finding
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS
from ogi_report.package.read import put_at
from ogi_report.package.rows import agency_key_sql
from ogi_report.rules import identities
from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.store.backend import NULL_TEXT, Backend, StoreError, open_backend
from ogi_report.store.schema import (
    EXPLANATION_COLUMNS,
    FINDING_COLUMNS,
    FINDING_SOURCES,
    REPORT_FIELDS,
    REPORT_SOURCES,
    SCHEMA_VERSION,
    SECTION_COLUMNS,
    VERSION_COLUMNS,
    StoreTable,
    migrations,
    q,
    report_sql_type,
    store_tables,
    sums_refresh,
)
from ogi_report.store.stage import Stage

# The catalogue's rules that compare two years: run against the stored years, not per package.
CROSS_YEAR_RULES = frozenset(rule.id for rule in CATALOGUE if rule.scope == "cross-year")


@dataclass
class IngestResult:
    ingest_id: int | None  # None: nothing changed, no ingest recorded
    added: int = 0  # reports seen for the first time
    superseding: int = 0  # new versions of reports already stored
    unchanged: int = 0  # same content as the latest version
    findings: int = 0  # single-report findings stored with the new versions
    cross_year_findings: int = 0
    refused: list[str] = field(default_factory=list)


@dataclass
class Change:
    cell: str  # table.row.column, a metadata field or sections.<code>
    before: Any
    after: Any


@dataclass
class Version:
    version_id: int
    ingest_id: int
    at: str
    content_hash: str
    superseded_by: int | None
    changes: list[Change]  # against the version before it (empty for the first)


class Store:
    """`Store.open(url)`: a DuckDB file path (or `duckdb:PATH`) or a `postgresql://` URL."""

    def __init__(self, backend: Backend, url: str) -> None:
        self.backend = backend
        self.url = url

    @classmethod
    def open(cls, url: str, *, read_only: bool = False, wait: float = 0.0) -> Store:
        backend = open_backend(url, read_only=read_only, wait=wait)
        store = cls(backend, url)
        try:
            store._prepare(read_only)
        except BaseException:
            backend.close()
            raise
        return store

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self.backend.has_table("store_meta"):
            return 0
        rows = self.backend.fetch("SELECT value FROM store_meta WHERE key = 'schema_version'")
        return int(rows[0][0]) if rows else 0

    def _prepare(self, read_only: bool) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.url}: the store was written by a newer ogi-report (store schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}): upgrade ogi-report to use it"
            )
        if version == SCHEMA_VERSION:
            return
        if read_only:
            raise StoreError(f"{self.url}: the store has schema {version}; open it for writing to upgrade it")
        self.upgrade(version)

    def upgrade(self, version: int, *, to: int = SCHEMA_VERSION) -> None:
        """Apply the steps after `version` up to `to` in one transaction: all of them or none."""
        steps = migrations(self.backend.numeric, index_cells=self.backend.index_cells)
        self.backend.begin()
        try:
            self.backend.lock_ingest()
            version = self.schema_version()  # another process may have upgraded it meanwhile
            if version >= to:
                self.backend.rollback()
                return
            for step in range(version + 1, to + 1):
                for statement in steps[step]:
                    self.backend.execute(statement)
            if version == 0:
                self.backend.execute("INSERT INTO store_meta VALUES ('schema_version', ?)", (str(to),))
            else:
                self.backend.execute(
                    "UPDATE store_meta SET value = ? WHERE key = 'schema_version'", (str(to),)
                )
            self.backend.commit()
        except BaseException:
            self.backend.rollback()
            raise

    # --- ingest -------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        accept_findings: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> IngestResult:
        """Validate (the bulk path) and load the reports of packages or report files, in one
        transaction. Same content again changes nothing; changed content supersedes the latest
        version and keeps it. A package with error findings is refused whole unless accepted."""
        from ogi_report.package.bulk import validate_package

        say = progress or (lambda _message: None)
        with tempfile.TemporaryDirectory(prefix="ogi-store-") as work:
            descriptors = _descriptors(paths, Path(work))
            say(f"validating {len(descriptors)} package(s)")
            validation = validate_package(descriptors)
            if not validation.ok and not accept_findings:
                errors = sum(1 for f in validation.structure if f.severity.value == "error")
                bad = [str(r.source) for r in validation.report_results() if not r.ok]
                examples = ", e.g. " + ", ".join(bad[:3]) if bad else ""
                raise StoreError(
                    f"refused: the input fails validation ({errors} structure error(s), {len(bad)} report(s) "
                    f"with errors{examples}); nothing was stored. "
                    "Fix it, or store it with its findings: --accept-findings"
                )
            say("reading the packages")
            stage = Stage(descriptors, spill=Path(work), con=self.backend.duckdb())
            try:
                return self._ingest_staged(
                    stage, validation.results, [str(p) for p in paths], accept_findings, Path(work), say
                )
            finally:
                stage.close()

    def _ingest_staged(
        self,
        stage: Stage,
        findings: dict[str, list[Finding]],
        sources: list[str],
        accepted: bool,
        work: Path,
        say: Callable[[str], None],
    ) -> IngestResult:
        hashes = stage.report_hashes()
        b = self.backend
        b.begin()
        try:
            b.lock_ingest()
            current = self._current_hashes(stage.years())
            new_ids = [rid for rid, digest in sorted(hashes.items()) if current.get(rid) != digest]
            result = IngestResult(ingest_id=None, unchanged=len(hashes) - len(new_ids))
            if not new_ids:
                b.rollback()
                return result
            result.superseding = sum(1 for rid in new_ids if rid in current)
            result.added = len(new_ids) - result.superseding
            ingest_id = int(b.fetch("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests")[0][0])
            first = int(b.fetch("SELECT coalesce(max(version_id), 0) + 1 FROM versions")[0][0])
            new = {rid: first + i for i, rid in enumerate(new_ids)}
            stage.mark_new(new)
            result.ingest_id = ingest_id
            b.execute(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    ingest_id,
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                    "\n".join(sources),
                    result.added,
                    result.superseding,
                    result.unchanged,
                    accepted,
                ),
            )
            say(f"loading {len(new_ids)} new version(s)")
            self._load_versions(stage, ingest_id, work)
            b.analyze(["versions", *(spec.name for spec in store_tables())])  # the queries below plan well
            b.execute(
                "UPDATE versions SET valid_to = ? WHERE valid_to IS NULL AND valid_from < ? "
                "AND report_id IN (SELECT report_id FROM versions WHERE valid_from = ?)",
                (ingest_id, ingest_id, ingest_id),
            )
            result.findings = self._load_findings(new, findings, work)
            say("cross-year rules")
            result.cross_year_findings = self._cross_year(ingest_id, work)
            say("sums for roll-ups")
            for statement in sums_refresh(stage.years(), b.numeric):
                b.execute(statement)
            b.commit()
        except BaseException:
            b.rollback()
            raise
        from ogi_report.store.schema import DATA_TABLES, SUM_TABLES

        b.analyze([*DATA_TABLES, *SUM_TABLES])
        return result

    def _current_hashes(self, years: list[int]) -> dict[str, str]:
        if not years:
            return {}
        marks = ", ".join("?" for _ in years)
        rows = self.backend.fetch(
            f"SELECT report_id, content_hash FROM versions WHERE valid_to IS NULL AND year IN ({marks})",
            years,
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def _load_versions(self, stage: Stage, ingest_id: int, work: Path) -> None:
        fields = [
            f"s.{q(f.name)} AS {q(name)}" for name, f in zip(REPORT_FIELDS, REPORT_SOURCES, strict=True)
        ]
        select = (
            f"SELECT n.version_id, s.report_id, '' AS agency_key, p.content_hash, {ingest_id} AS valid_from, "
            f"NULL AS valid_to, {', '.join(fields)} FROM s_reports s "
            "JOIN s_pick p ON p.report_id = s.report_id AND p.pkg = s.pkg "
            "JOIN s_new n ON n.report_id = s.report_id"
        )
        path = work / "versions.csv"
        stage.con.execute(f"CREATE OR REPLACE TEMP TABLE s_versions AS {select}")
        stage.con.execute(f"UPDATE s_versions SET agency_key = {agency_key_sql()}")
        types = ["BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT"]
        types += [report_sql_type(f).split()[0].replace("TEXT", "VARCHAR") for f in REPORT_SOURCES]
        self._transfer(stage, "SELECT * FROM s_versions", "versions", list(VERSION_COLUMNS), types, path)
        text = "VARCHAR"
        sections = [(c, text) for c in SECTION_COLUMNS]
        self._load_stage_table(stage, "s_sections", "sections", sections, work)
        explained = [(c, "BIGINT" if c == "seq" else text) for c in EXPLANATION_COLUMNS[1:]]
        self._load_stage_table(stage, "s_explanations", "explanations", explained, work)
        for spec in store_tables():
            columns = [("row_code", text)] + [
                (c, "BIGINT" if spec.sql_type(c) == "BIGINT" else text) for c in spec.columns
            ]
            self._load_stage_table(stage, f"s_{spec.name}", spec.name, columns, work)

    def _load_stage_table(
        self, stage: Stage, staged: str, table: str, columns: list[tuple[str, str]], work: Path
    ) -> None:
        """The new versions' rows of a staging table into a store table; text cells that are not
        whole numbers are blank in a BIGINT column (their text stays in the CELL-TYPE finding)."""
        exprs = [
            f"TRY_CAST(s.{q(name)} AS BIGINT) AS {q(name)}" if kind == "BIGINT" else f"s.{q(name)}"
            for name, kind in columns
        ]
        names = [name for name, _ in columns]
        types = ["BIGINT", *(k for _, k in columns)]
        self._transfer(
            stage, stage.new_rows(staged, exprs), table, ["version_id", *names], types, work / f"{table}.csv"
        )

    def _transfer(
        self, stage: Stage, select: str, table: str, columns: list[str], types: list[str], path: Path
    ) -> None:
        """Rows of a staging query into a store table: straight across when the stage lives in the
        store's own DuckDB connection, else through a CSV file and the backend's bulk load."""
        if stage.shared:
            names = ", ".join(q(c) for c in columns)
            stage.con.execute(f"INSERT INTO main.{q(table)} ({names}) {select}")
            return
        stage.write(select, path)
        self.backend.load_csv(table, columns, types, path)

    def _load_findings(self, new: dict[str, int], findings: dict[str, list[Finding]], work: Path) -> int:
        path = work / "findings.csv"
        count = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(FINDING_COLUMNS)
            for report_id, version_id in new.items():
                seq = 0
                for finding in findings.get(report_id, []):
                    if finding.rule in CROSS_YEAR_RULES:
                        continue
                    seq += 1
                    writer.writerow(_finding_row(version_id, None, seq, finding))
                    count += 1
        types = ["BIGINT", "BIGINT", "BIGINT", *["VARCHAR"] * (len(FINDING_COLUMNS) - 3)]
        self.backend.load_csv("findings", FINDING_COLUMNS, types, path)
        return count

    # --- cross-year rules ---------------------------------------------------------------------

    def _cross_year(self, ingest_id: int, work: Path) -> int:
        """The cross-year rules over each new version and the latest versions of the same agency's
        year before and year after: a SQL screen finds the pairs where a rule could fire, and the
        rules themselves (`compare_years`) word the findings of those pairs."""
        from ogi_report.rules.cross_year import compare_years

        pairs = self.backend.fetch(
            "SELECT p.version_id, c.version_id FROM versions p "
            "JOIN versions c ON c.agency_key = p.agency_key AND c.year = p.year + 1 "
            "WHERE p.valid_to IS NULL AND c.valid_to IS NULL "
            "AND (p.valid_from = ? OR c.valid_from = ?)",
            (ingest_id, ingest_id),
        )
        if not pairs:
            return 0
        flagged = self._screen(ingest_id)
        path = work / "cross_year.csv"
        count = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(FINDING_COLUMNS)
            for previous_id, current_id in pairs:
                if (previous_id, current_id) not in flagged:
                    continue
                previous, current = self.report(previous_id), self.report(current_id)
                if previous is None or current is None:
                    continue
                for seq, finding in enumerate(compare_years(previous, current), start=1):
                    writer.writerow(_finding_row(current_id, previous_id, 1000 + seq, finding))
                    count += 1
        types = ["BIGINT", "BIGINT", "BIGINT", *["VARCHAR"] * (len(FINDING_COLUMNS) - 3)]
        self.backend.load_csv("findings", FINDING_COLUMNS, types, path)
        return count

    def _screen(self, ingest_id: int) -> set[tuple[int, int]]:
        """Pairs (year before, year) where a cross-year rule could fire: a superset."""
        pairs = (
            "SELECT p.version_id AS pv, c.version_id AS cv, p.format AS pf, c.format AS cf FROM versions p "
            "JOIN versions c ON c.agency_key = p.agency_key AND c.year = p.year + 1 "
            "WHERE p.valid_to IS NULL AND c.valid_to IS NULL AND (p.valid_from = ? OR c.valid_from = ?)"
        )
        flagged: set[tuple[int, int]] = set()
        for carry in cross_year_screens(self.backend.numeric):
            for row in self.backend.fetch(
                f"SELECT pv, cv FROM ({pairs}) x WHERE {carry}", (ingest_id, ingest_id)
            ):
                flagged.add((int(row[0]), int(row[1])))
        return flagged

    # --- reading ------------------------------------------------------------------------------

    def resolve_as_of(self, as_of: str | int | None) -> int | None:
        """An ingest number, or an ISO time: the last ingest at or before it. None: the latest."""
        if as_of is None:
            return None
        if isinstance(as_of, int) or str(as_of).isdigit():
            return int(as_of)
        stamp = datetime.fromisoformat(str(as_of))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        rows = self.backend.fetch("SELECT ingest_id, ingested_at FROM ingests ORDER BY ingest_id")
        chosen = 0
        for ingest_id, at in rows:
            if datetime.fromisoformat(str(at)) <= stamp:
                chosen = int(ingest_id)
        return chosen

    def visible(self, as_of: int | None, alias: str = "v") -> str:
        """SQL condition: the version is the one seen at ingest `as_of` (None: the latest)."""
        if as_of is None:
            return f"{alias}.valid_to IS NULL"
        point = int(as_of)
        return f"({alias}.valid_from <= {point} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {point}))"

    def versions_sql(self, as_of: int | None) -> str:
        """A subquery of the versions visible at `as_of` (the latest by default)."""
        return f"(SELECT * FROM versions v WHERE {self.visible(as_of)})"

    def report_data(self, version_id: int) -> dict[str, Any] | None:
        """One stored version in the JSON interchange shape."""
        b = self.backend
        head = b.fetch(
            f"SELECT {', '.join(q(f) for f in REPORT_FIELDS)} FROM versions WHERE version_id = ?",
            (version_id,),
        )
        if not head:
            return None
        meta = dict(zip(REPORT_FIELDS, head[0], strict=True))
        data: dict[str, Any] = {"sections": {s.code: None for s in TEXT_SECTIONS}}
        for source, value in zip(REPORT_SOURCES, head[0], strict=True):
            if source.path:  # where the package's reader puts the field (the model's input keys)
                number = source.type == "integer" and value is not None
                put_at(data, source.path, int(value) if number else value)
        for section, text in b.fetch(
            "SELECT section, text FROM sections WHERE version_id = ?", (version_id,)
        ):
            data["sections"][section] = text
        layout = LAYOUTS.get(str(meta["format"]))
        for spec in store_tables():
            if layout is None or spec.layout is not layout:
                continue
            cols = ", ".join(q(c) for c in spec.columns)
            rows = b.fetch(f"SELECT row_code, {cols} FROM {q(spec.name)} WHERE version_id = ?", (version_id,))
            if not rows:
                data[spec.table.code] = None
                continue
            found = {r[0]: dict(zip(spec.columns, r[1:], strict=True)) for r in rows}
            data[spec.table.code] = {
                row.code: {c: found.get(row.code, {}).get(c) for c in row.columns}
                for row in spec.table.data_rows
            }
        return data

    def report(self, version_id: int) -> Any:
        """One stored version as a report model (None if absent or unreadable)."""
        from ogi_report.readers import parse_report

        data = self.report_data(version_id)
        if data is None:
            return None
        try:
            return parse_report(data, source=f"version {version_id}").report
        except ReportError:
            return None

    def latest_version(self, report_id: str, as_of: int | None = None) -> int | None:
        rows = self.backend.fetch(
            f"SELECT version_id FROM versions v WHERE report_id = ? AND {self.visible(as_of)}",
            (report_id,),
        )
        return int(rows[0][0]) if rows else None

    def history(self, report_id: str) -> list[Version]:
        """Every stored version of a report, oldest first, each with what changed, cell by cell."""
        rows = self.backend.fetch(
            "SELECT v.version_id, v.valid_from, i.ingested_at, v.content_hash, v.valid_to FROM versions v "
            "JOIN ingests i ON i.ingest_id = v.valid_from WHERE v.report_id = ? ORDER BY v.version_id",
            (report_id,),
        )
        versions: list[Version] = []
        before: dict[str, Any] | None = None
        for version_id, ingest_id, at, digest, valid_to in rows:
            data = self.report_data(int(version_id)) or {}
            changes = _diff(before, data) if before is not None else []
            versions.append(
                Version(
                    int(version_id),
                    int(ingest_id),
                    str(at),
                    str(digest),
                    None if valid_to is None else int(valid_to),
                    changes,
                )
            )
            before = data
        return versions

    def ingests(self) -> list[tuple[int, str, int, int, int]]:
        rows = self.backend.fetch(
            "SELECT ingest_id, ingested_at, added, superseding, unchanged FROM ingests ORDER BY 1"
        )
        return [(int(a), str(b), int(c), int(d), int(e)) for a, b, c, d, e in rows]

    def findings(
        self, *, year: int | None = None, rule: str | None = None, as_of: str | int | None = None
    ) -> list[dict[str, Any]]:
        """Stored findings of the visible versions (cross-year ones when both years are visible)."""
        point = self.resolve_as_of(as_of)
        where = [self.visible(point, "v"), f"(f.previous_version_id IS NULL OR {self.visible(point, 'p')})"]
        params: list[Any] = []
        if year is not None:
            where.append("v.year = ?")
            params.append(year)
        if rule is not None:
            where.append("f.rule = ?")
            params.append(rule)
        rows = self.backend.fetch(
            "SELECT v.report_id, v.year, p.report_id, f.rule, f.severity, f.cells, f.stated, f.expected, "
            "f.message_zh, f.message_en FROM findings f JOIN versions v ON v.version_id = f.version_id "
            "LEFT JOIN versions p ON p.version_id = f.previous_version_id "
            f"WHERE {' AND '.join(where)} ORDER BY v.report_id, f.seq",
            params,
        )
        keys = (
            "report_id",
            "year",
            "previous_report_id",
            "rule",
            "severity",
            "cells",
            "stated",
            "expected",
            "message_zh",
            "message_en",
        )
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def years(self, as_of: int | None = None) -> list[tuple[int, int]]:
        """(year, reports) of the visible versions, oldest year first."""
        rows = self.backend.fetch(
            f"SELECT v.year, count(*) FROM versions v WHERE {self.visible(as_of)} GROUP BY 1 ORDER BY 1"
        )
        return [(int(year), int(n)) for year, n in rows]

    def count(self, table: str, as_of: int | None = None) -> int:
        if table == "versions":
            return int(
                self.backend.fetch(f"SELECT count(*) FROM versions v WHERE {self.visible(as_of)}")[0][0]
            )
        return int(self.backend.fetch(f"SELECT count(*) FROM {q(table)}")[0][0])

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted: to compare a store before and after (tests)."""
        from ogi_report.store.schema import DATA_TABLES

        return {
            t: sorted(self.backend.fetch(f"SELECT * FROM {q(t)}"), key=repr)
            for t in (*DATA_TABLES, "ingests")
        }


def cross_year_screens(numeric: str = "NUMERIC") -> Iterator[str]:
    """Conditions on (pv, cv, pf, cf) — the versions and formats of a report of the year before and
    of the same agency's report — under which a cross-year identity of the catalogue could fail,
    compiled from its instances (`cross_year_instances`: weighted terms, each of year 0 or -1) over
    the store's tables, one per identity, layout of the report and layout of the year before.

    A stored blank is what the engine reads as blank, so an identity that skips blanks fails
    exactly when its weighted sum is known and not 0; any other may also fail on a blank (the
    screen flags it: more than needed, never fewer). `numeric`: the backend's exact decimal type,
    for amounts (kept as text)."""
    by_layout = {(spec.layout.code, spec.table.code): spec for spec in store_tables()}
    for layout in LAYOUTS.values():
        for rule in identities.CROSS_YEAR_IDENTITIES:  # looked up here: the catalogue's, as it is now
            instances = [i for i in identities.cross_year_instances(layout) if i.rule is rule]
            if not instances:
                continue
            for prior in LAYOUTS.values():
                if not rule.applies_to(prior):
                    continue
                specs = {0: by_layout[layout.code, rule.table], -1: by_layout[prior.code, rule.table]}
                test = "<> 0" if rule.blanks == "skip" else "IS DISTINCT FROM 0"
                cells, conditions = identities.cross_year_conditions(instances, test)
                now = _side(specs[0], cells[0], "cv", numeric)
                before = _side(specs[-1], cells[-1], "pv", numeric)
                yield (
                    f"pf = '{prior.code}' AND cf = '{layout.code}' AND EXISTS (SELECT 1 FROM "
                    f"{now} a, {before} b WHERE {' OR '.join(conditions)})"
                )


def _side(spec: StoreTable, cells: dict[tuple[str, str], str], version: str, numeric: str) -> str:
    """One row of one version's cells (row, column) -> alias; NULL where a cell is absent."""
    values = ", ".join(
        f"max(CASE WHEN row_code = '{r}' THEN {_cell_value(spec, c, numeric)} END) AS {alias}"
        for (r, c), alias in cells.items()
    )
    rows = ", ".join(dict.fromkeys(f"'{r}'" for r, _ in cells))
    return f"(SELECT {values} FROM {q(spec.name)} WHERE version_id = {version} AND row_code IN ({rows}))"


def _cell_value(spec: StoreTable, column: str, numeric: str) -> str:
    """A stored cell as a number (NULL where the layout's table has no such column)."""
    if column not in spec.columns:
        return "NULL"
    if spec.sql_type(column) == "BIGINT":
        return q(column)
    return f"CAST({q(column)} AS {numeric})"


def _finding_row(version_id: int, previous: int | None, seq: int, finding: Finding) -> list[Any]:
    """A finding as a CSV row of the store's `findings`: each field written by the package's codec
    for it (a value that is None is NULL)."""
    values = []
    for source in FINDING_SOURCES:
        value = getattr(finding, source.path[0])
        values.append(NULL_TEXT if value is None else source.write(value))
    return [version_id, NULL_TEXT if previous is None else previous, seq, *values]


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A report's data by dotted path (`agency.name`, `sections.<code>`, `table.row.column`); a
    table that is absent is one None."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= _flat(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    old, new = _flat(before), _flat(after)
    return [
        Change(k, old.get(k), new.get(k))
        for k in list(dict.fromkeys([*old, *new]))
        if old.get(k) != new.get(k)
    ]


def _descriptors(paths: Sequence[str | Path], work: Path) -> list[Path]:
    """Package descriptors for the inputs: packages as given, report files built into packages."""
    descriptors: list[Path] = []
    reports: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.name == "datapackage.json":
            descriptors.append(path)
        elif path.is_dir() and (path / "datapackage.json").is_file():
            descriptors.append(path / "datapackage.json")
        elif path.is_dir() and any((p / "datapackage.json").is_file() for p in path.iterdir() if p.is_dir()):
            descriptors += sorted(
                p / "datapackage.json" for p in path.iterdir() if (p / "datapackage.json").is_file()
            )
        else:
            reports.append(str(path))
    if reports:
        from ogi_report import build_packages, iter_reports

        built = work / "built"
        build_packages(iter_reports(reports), built)
        descriptors += sorted(built.glob("*/datapackage.json"))
    if not descriptors:
        raise StoreError("no reports or packages given")
    return descriptors


@contextmanager
def opened(url: str, *, read_only: bool = False, wait: float = 0.0) -> Iterator[Store]:
    store = Store.open(url, read_only=read_only, wait=wait)
    try:
        yield store
    finally:
        store.close()
