"""Validate received packages at national scale: structure and every rule, columnar in DuckDB.

A screen compiled from the rule catalogue (`package/screen.py`) flags, columnar over whole
resources, the reports that may break a rule. Only the reports it flags (a few per cent in a typical
year) are then read and worded by the per-report engine itself, so the two paths give the very same
findings by construction; a test proves the screen misses none.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from pydantic import ValidationError

from ogi_report.errors import ReportError
from ogi_report.findings import Finding, Severity, ValidationResult
from ogi_report.limits import limits
from ogi_report.model.report import Explanation
from ogi_report.package.descriptor import load_descriptor, resource_path, unlisted_files
from ogi_report.package.escape import unescape_sql
from ogi_report.package.read import report_from_rows, view_from_rows
from ogi_report.package.resources import (
    OPTIONAL_RESOURCES,
    RESOURCE_NAMES,
    TABLE_RESOURCES,
    field_names,
    fields_of,
)
from ogi_report.package.screen import create_relations, cross_year_sql, digest_name, screen_sql
from ogi_report.package.stored import stored_findings
from ogi_report.package.structure import (
    check_cells,
    check_file,
    key_errors,
    load_raw,
    package_warning,
    q,
    structural,
)
from ogi_report.rules.cross_year import compare_years
from ogi_report.rules.engine import Mode
from ogi_report.validation import validate_view
from ogi_report.workers import cpus, map_forked


def duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """Bounded memory (the limit package_memory_mib), and no extension fetched or loaded behind our
    back: nothing goes to the network."""
    return {
        "threads": 2,
        "memory_limit": f"{limits().package_memory_mib}MiB",
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        # Nothing is kept after the run: no checkpoint of the in-memory database (one would rewrite
        # every loaded table each time a statement writes 16 MiB).
        "checkpoint_threshold": "1TiB",
    }


@dataclass
class PackageValidation:
    """What validating one or more packages found: structure, and rule findings per report."""

    sources: list[str]
    reports: int = 0
    structure: list[Finding] = field(default_factory=list)  # not tied to one report
    results: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    rules_run: bool = True
    # Report id -> (its layout, the publisher's explanations the package carries for it).
    explanations: dict[str, tuple[str, tuple[Explanation, ...]]] = field(default_factory=dict)

    def report_results(self) -> list[ValidationResult]:
        """Per report id with at least one finding or explanation, in report id order; findings are
        matched to the package's explanations by fingerprint, as for a single report."""
        out = []
        for rid in sorted(set(self.results) | set(self.explanations)):
            layout, explained = self.explanations.get(rid, (None, ()))
            findings = tuple(self.results.get(rid, ()))
            out.append(ValidationResult(source=rid, findings=findings, layout=layout, explanations=explained))
        return out

    @property
    def ok(self) -> bool:
        """No error finding, of the structure or of any report (what `report_results` would say,
        without building them)."""
        found = (f for findings in (self.structure, *self.results.values()) for f in findings)
        return all(f.severity is not Severity.ERROR for f in found)

    @property
    def accepted(self) -> bool:
        """`ok`, except that error findings the package explains are accepted (--accept-explained)."""
        structure_ok = all(f.severity is not Severity.ERROR for f in self.structure)
        return structure_ok and all(r.accepted for r in self.report_results())


Groups = dict[str, dict[str, list[dict[str, str]]]]  # resource -> report id -> its rows


def _fetch_groups(con: duckdb.DuckDBPyConnection, flagged: str) -> Groups:
    """The rows of the flagged reports, per resource and report id (as the reader takes them)."""
    grouped: Groups = {}
    for name in RESOURCE_NAMES:
        names = field_names(name)
        rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        cols = ", ".join(f"coalesce(t.{q(n)}, '')" for n in names)
        table = q("raw_" + name)
        # Row ids first (one column scanned), then only those rows: far fewer cells decompressed.
        picked = f"SELECT s.rowid FROM {table} s JOIN {flagged} f USING (report_id)"
        for values in con.execute(
            f"SELECT {cols} FROM {table} t WHERE t.rowid IN ({picked}) ORDER BY t.rowid"
        ).fetchall():
            rows[values[0]].append(dict(zip(names, values, strict=True)))  # report_id comes first
        grouped[name] = rows
    return grouped


# The key columns of each table resource: while none has an escaped text (nor the report ids of
# `reports`), its key errors can wait for its digest, which spares two passes over its rows.
_TABLE_KEYS = {r.name: {"report_id", r.key} for r in TABLE_RESOURCES}


@dataclass
class Loaded:
    """What loading one package gave: whether the rules can run, and where the key errors put off
    go among the structural findings."""

    usable: bool = True
    keys_later: dict[str, int] = field(default_factory=dict)  # table resource -> position

    def place_key_errors(self, con: duckdb.DuckDBPyConnection, result: PackageValidation) -> None:
        """The key errors put off, each where it would have been; from the digests if the rules
        run (`create_relations` made them), else over the rows."""
        for name, position in reversed(self.keys_later.items()):  # later places first
            digest = digest_name(name) if self.usable else None
            result.structure[position:position] = key_errors(con, name, digest)
        self.keys_later.clear()


def _load(
    path: Path, result: PackageValidation, allow_unsafe_paths: bool, con: duckdb.DuckDBPyConnection
) -> Loaded:
    """Check files and load every resource of one package (`usable` False if the rules cannot run).
    The files are hashed in a second thread while DuckDB loads the resources before them."""
    source = str(path)
    descriptor = load_descriptor(path)
    by_name = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    files = {
        name: resource_path(path.parent, by_name[name], allow_unsafe_paths=allow_unsafe_paths, source=source)
        for name in RESOURCE_NAMES
        if name in by_name
    }
    loaded = Loaded()
    escaped: dict[str, set[str]] = {}
    listed = {path, *files.values()}
    for name in sorted(set(by_name) - set(RESOURCE_NAMES), key=str):
        message = "a resource the standard does not define: not checked"
        result.structure.append(package_warning("extra-resource", f"resources[{name}]", message))
        with contextlib.suppress(ReportError):  # its file is listed, though not read
            listed.add(resource_path(path.parent, by_name[name], allow_unsafe_paths=False, source=source))
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        checks = {name: pool.submit(check_file, file, by_name[name], name) for name, file in files.items()}
        for name in RESOURCE_NAMES:
            if name not in checks and name in OPTIONAL_RESOURCES:  # a package built before it existed
                columns = ", ".join(f"{q(n)} VARCHAR" for n in field_names(name))
                con.execute(f"CREATE TABLE {q('raw_' + name)} ({columns})")
                continue
            if name not in checks:
                result.structure.append(
                    structural("package-error", name, "resource missing from the descriptor")
                )
                loaded.usable = False
                continue
            checked = checks[name].result()
            result.structure += checked.findings
            if not checked.ok:
                loaded.usable = False
                continue
            result.structure += load_raw(con, files[name], name)
            cells = check_cells(con, name)
            result.structure += cells.findings
            escaped[name] = set(cells.escaped)
            if name in _TABLE_KEYS and not (
                _TABLE_KEYS[name] & escaped[name] or "report_id" in escaped.get("reports", ())
            ):
                loaded.keys_later[name] = len(result.structure)  # its keys as written until screened
            else:
                result.structure += key_errors(con, name)
            # Checked as written (as frictionless does); screened and read unescaped, as the reader reads.
            if cells.escaped:
                con.execute(unescape_sql(q("raw_" + name), [q(f) for f in cells.escaped]))
    finally:
        pool.shutdown(cancel_futures=True)
    for extra in unlisted_files(path.parent, listed):
        message = "no resource names this file: it was not read"
        result.structure.append(package_warning("extra-file", extra, message))
    return loaded


def validate_package(
    paths: str | Path | Sequence[str | Path],
    *,
    mode: Mode = "submission",
    allow_unsafe_paths: bool = False,
    progress: Callable[[str], None] | None = None,
) -> PackageValidation:
    """Validate one or more packages: structure, every single-report rule and, for consecutive
    years of the same agency across the packages given, the cross-year rules.

    ReportError when a descriptor cannot be read or names a path outside its folder.
    """
    path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    result = PackageValidation(sources=[str(p) for p in path_list])
    con = duckdb.connect(config=duckdb_config())
    try:
        _validate_into(con, path_list, mode, allow_unsafe_paths, progress, result)
    except duckdb.OutOfMemoryException:
        most = limits().package_memory_mib
        message = (
            f"the package needs more working memory than the limit package_memory_mib ({most:,} MiB); "
            "raise it with --limit package_memory_mib=…"
        )
        raise ReportError(message, source=", ".join(result.sources)) from None
    finally:
        con.close()
    return result


def _validate_into(
    con: duckdb.DuckDBPyConnection,
    path_list: list[Path],
    mode: Mode,
    allow_unsafe_paths: bool,
    progress: Callable[[str], None] | None,
    result: PackageValidation,
) -> None:
    """Each package in its own schema: structure, then the rules; then the cross-year rules."""
    years: dict[int, str] = {}  # reporting year -> schema holding that package
    for number, path in enumerate(path_list):
        schema = f"p{number}"
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"USE memory.{schema}")
        if progress:
            progress(f"structure: {path}")
        loaded = _load(path, result, allow_unsafe_paths, con)
        if _has(con, schema, "raw_reports"):
            result.reports += _scalar(con, "SELECT count(*) FROM raw_reports")
        if not loaded.usable:
            loaded.place_key_errors(con, result)
            result.rules_run = False
            continue
        if progress:
            progress(f"rules: {path}")
        create_relations(con, schema)
        loaded.place_key_errors(con, result)
        con.execute(f"CREATE TABLE flagged AS {screen_sql()}")
        _exact(con, "flagged", mode, result)
        for finding in stored_findings(con):  # what the tables cannot reproduce, as stored
            result.results[str(finding.report)].append(finding)
        if _has(con, schema, "raw_explanations"):
            result.explanations |= _explanations(con)
        year = _scalar(con, "SELECT max(TRY_CAST(year AS INTEGER)) FROM raw_reports")
        if year and _scalar(con, "SELECT count(DISTINCT year) FROM raw_reports") == 1:
            years[year] = schema
    for year, schema in sorted(years.items()):
        if year - 1 in years:
            _cross_year(con, years[year - 1], schema, result)


def _explanations(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, tuple[Explanation, ...]]]:
    """The package's explanations (table `raw_explanations`, unescaped) by report id, with the layout
    of their report, read field by field as the resource declares them."""
    declared = fields_of("explanations")
    names = [f.name for f in declared]
    columns = ", ".join(f"coalesce(e.{q(n)}, '')" for n in names)
    rows = con.execute(
        f"SELECT r.format, {columns} FROM raw_explanations e JOIN raw_reports r USING (report_id) "
        "ORDER BY e.rowid"
    ).fetchall()
    found: dict[str, tuple[str, list[Explanation]]] = {}
    for layout, *values in rows:
        row = dict(zip(names, values, strict=True))
        try:
            explanation = Explanation(**{f.path[0]: f.read(row[f.name]) for f in declared if f.path})
        except ValidationError:
            continue  # a broken row: the structure checks have reported it
        found.setdefault(row["report_id"], (str(layout), []))[1].append(explanation)
    return {rid: (layout, tuple(items)) for rid, (layout, items) in found.items()}


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _has(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        _scalar(
            con,
            f"SELECT count(*) FROM duckdb_tables() WHERE schema_name = '{schema}' AND table_name = '{table}'",
        )
    )


def _exact(con: duckdb.DuckDBPyConnection, flagged: str, mode: Mode, result: PackageValidation) -> None:
    """Run the per-report engine on the flagged reports; attach structural findings to reports."""
    grouped = _fetch_groups(con, flagged)

    def work(heads: Sequence[list[dict[str, str]]]) -> list[tuple[str, tuple[Finding, ...]]]:
        return [(head[0]["report_id"], _report_findings(head[0], grouped, mode)) for head in heads]

    # Thousands of flagged reports in a national package: read and worded on every core.
    for report_id, findings in map_forked(work, list(grouped["reports"].values()), cpus()):
        if findings:
            result.results[report_id].extend(findings)
    structure, result.structure = result.structure, []
    for finding in structure:
        if finding.report is not None and finding.rule in ("type-error", "constraint-error"):
            result.results[finding.report].append(finding)
        else:
            result.structure.append(finding)


def _report_findings(row: dict[str, str], grouped: Groups, mode: Mode) -> tuple[Finding, ...]:
    """The findings of one flagged report, read from its rows as the package reader reads it."""
    try:
        view, unreadable = view_from_rows(row, grouped)
    except ReportError as exc:
        return (structural("report-error", "reports", exc.message, report=row["report_id"]),)
    return validate_view(view, mode=mode, source=row["report_id"], unreadable=unreadable).findings


def _cross_year(con: duckdb.DuckDBPyConnection, before: str, now: str, result: PackageValidation) -> None:
    """The cross-year identities for agencies present in both years: screened in SQL, worded by
    `compare_years`."""
    pairs = con.execute(cross_year_sql(now, before)).fetchall()
    if not pairs:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE pair_now (report_id VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE pair_before (report_id VARCHAR)")
    con.executemany("INSERT INTO pair_now VALUES (?)", [[cur] for cur, _ in pairs])
    con.executemany("INSERT INTO pair_before VALUES (?)", [[prev] for _, prev in pairs])
    con.execute(f"USE memory.{now}")
    now_groups = _fetch_groups(con, "temp.pair_now")
    con.execute(f"USE memory.{before}")
    before_groups = _fetch_groups(con, "temp.pair_before")
    for cur, prev in sorted(set(pairs)):
        try:
            current = report_from_rows(now_groups["reports"][cur][0], now_groups).report
            previous = report_from_rows(before_groups["reports"][prev][0], before_groups).report
        except (ReportError, KeyError, IndexError):
            continue  # an unreadable report is reported by the single-report pass
        result.results[cur].extend(compare_years(previous, current, source=cur))
