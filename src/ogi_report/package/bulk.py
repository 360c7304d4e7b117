"""Validate received packages at national scale: structure and every rule, columnar in DuckDB.

The rule catalogue is compiled to SQL that screens whole columns at once: the bound identity
instances become weighted sums grouped per report, the cell rules become column predicates, the
metadata rules become predicates over the reports table. Only the reports the screen flags (a few
per cent in a typical year) are then read and worded by the per-report engine itself, so the two
paths give the very same findings by construction; a test proves the screen misses none.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ogi_report.errors import ReportError
from ogi_report.findings import Finding, Severity, ValidationResult
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind, Layout, Table
from ogi_report.limits import limits
from ogi_report.model.numbers import PLAIN_COUNT, PLAIN_MONEY, PLAIN_SIGNED
from ogi_report.package.descriptor import load_descriptor, resource_path, unlisted_files
from ogi_report.package.escape import unescape_sql
from ogi_report.package.read import report_from_rows, view_from_rows
from ogi_report.package.resources import (
    OPTIONAL_RESOURCES,
    RESOURCE_NAMES,
    TABLE_RESOURCES,
    TableResource,
    field_names,
    string_fields,
)
from ogi_report.package.stored import stored_findings
from ogi_report.package.structure import (
    ODD,
    check_cells,
    check_file,
    load_raw,
    package_warning,
    plain_fields,
    q,
    structural,
    typed,
    typed_columns,
)
from ogi_report.rules.catalogue import identity_instances
from ogi_report.rules.checks import _CODE_CHARS, _CODE_WEIGHTS, FEE_WORDS
from ogi_report.rules.cross_year import compare_years
from ogi_report.rules.engine import Mode
from ogi_report.validation import validate_view


def duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """Bounded memory (the limit package_memory_mib), and no extension fetched or loaded behind our
    back: nothing goes to the network."""
    return {
        "threads": 2,
        "memory_limit": f"{limits().package_memory_mib}MiB",
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }


@dataclass
class PackageValidation:
    """What validating one or more packages found: structure, and rule findings per report."""

    sources: list[str]
    reports: int = 0
    structure: list[Finding] = field(default_factory=list)  # not tied to one report
    results: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    rules_run: bool = True

    def report_results(self) -> list[ValidationResult]:
        """Per report id with at least one finding, in report id order."""
        return [ValidationResult(source=rid, findings=tuple(f)) for rid, f in sorted(self.results.items())]

    @property
    def ok(self) -> bool:
        structure_ok = all(f.severity is not Severity.ERROR for f in self.structure)
        return structure_ok and all(r.ok for r in self.report_results())


# Exactly the cell texts the reader takes as numbers (see package/read.py); anything else needs the engine.
_CELL_PATTERN = {
    CellKind.COUNT: "[0-9]{1,18}",  # no sign: a negative count needs the engine (CELL-NEGATIVE)
    CellKind.SIGNED: "-?[0-9]{1,18}",
    CellKind.MONEY: "[0-9]{1,24}(\\.[0-9]{1,24})?",
}
# The load's plain texts of each kind: a subset of the above, so a plain cell never needs the engine.
_PLAIN = {CellKind.COUNT: PLAIN_COUNT, CellKind.SIGNED: PLAIN_SIGNED, CellKind.MONEY: PLAIN_MONEY}


def _covered(resource: TableResource, column: str, kind: CellKind) -> bool:
    """True if the load's odd flag (and the typed column) of this cell follow the reader's kind."""
    return plain_fields(resource.name).get(column) == _PLAIN[kind]


def _odd_cells(resource: TableResource, table: Table, columns: Iterable[str]) -> str:
    """SQL true when a row has a cell among these columns that needs the engine: blank,
    unreadable or negative. A typed column is NULL exactly then (blank, or the row is odd)."""
    parts: dict[str, None] = {}
    for column in columns:
        kind = table.column(column).kind
        if not _covered(resource, column, kind):
            parts[f"{q(column)} IS NULL OR NOT regexp_full_match({q(column)}, '{_CELL_PATTERN[kind]}')"] = (
                None
            )
        elif kind is CellKind.MONEY:
            parts[f"{ODD} OR {q(column)} IS NULL"] = None
        else:
            parts[f"{typed(column)} IS NULL"] = None
    return " OR ".join(parts)


def _value_sql(resource: TableResource, table: Table, column: str) -> str:
    """A cell's integer value: the typed column where there is one (NULL on odd rows, which need
    the engine anyway)."""
    kind = table.column(column).kind
    if kind is not CellKind.MONEY and _covered(resource, column, kind):
        return typed(column)
    return f"TRY_CAST({q(column)} AS HUGEINT)"


@dataclass
class _Screen:
    """What one table screen computes: mark columns (row code -> value, 0 elsewhere) joined to
    the rows, and the per-report aggregates over them; both shared between layouts when equal."""

    marks: dict[str, dict[str, int]] = field(default_factory=dict)
    aggregates: dict[str, str] = field(default_factory=dict)  # SQL -> alias

    def mark(self, values: dict[str, int]) -> str:
        for name, known in self.marks.items():
            if known == values:
                return q(name)
        name = f"m{len(self.marks)}"
        self.marks[name] = values
        return q(name)

    def aggregate(self, sql: str) -> str:
        alias = self.aggregates.setdefault(sql, f"a{len(self.aggregates)}")
        return f"g.{q(alias)}"


def _layout_flag(resource: TableResource, layout: Layout, screen: _Screen) -> str:
    """The condition (over the screen's aggregates) true for a report whose table in this
    resource needs the engine under this layout: odd cells, missing rows, or a broken identity
    of the catalogue."""
    table = layout.table(resource.table)
    conditions: list[str] = []
    by_columns: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for row in table.data_rows:
        by_columns[row.columns].append(row.code)
    for columns, codes in by_columns.items():
        odd = _odd_cells(resource, table, columns)
        rows = screen.mark(dict.fromkeys(codes, 1))
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND ({odd}))')} > 0")
    # A row missing or repeated (the reader then sees blanks, or the last copy): the engine decides.
    codes = [r.code for r in table.data_rows]
    rows = screen.mark(dict.fromkeys(codes, 1))
    conditions.append(f"{screen.aggregate(f'count_if({rows} = 1)')} <> {len(codes)}")
    instances = [i for i in identity_instances(layout) if i.table == resource.table]
    by_terms: dict[tuple[tuple[str, int], ...], list[str]] = defaultdict(list)
    for inst in (i for i in instances if i.rule.per == "row"):
        terms = tuple((c, w) for _, c, w in inst.items) + tuple((c, -w) for _, c, w in inst.stated)
        by_terms[terms].append(inst.bound)
    for terms, bound_rows in by_terms.items():
        expr = " + ".join(f"({w}) * {_value_sql(resource, table, c)}" for c, w in terms)
        rows = screen.mark(dict.fromkeys(bound_rows, 1))
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND {expr} <> 0)')} > 0")
    per_column: dict[str, dict[str, int]] = defaultdict(dict)  # rule id -> row -> weight
    bound: dict[str, set[str]] = defaultdict(set)  # rule id -> columns it is bound to
    for inst in (i for i in instances if i.rule.per == "column"):
        for r, c, w in inst.items:
            per_column[inst.rule.id][r] = w
            bound[inst.rule.id].add(c)
        for r, _, w in inst.stated:
            per_column[inst.rule.id][r] = -w
    for rule_id, row_weights in per_column.items():
        weight = screen.mark(row_weights)
        for c in sorted(bound[rule_id]):
            conditions.append(f"{screen.aggregate(f'sum({weight} * {_value_sql(resource, table, c)})')} <> 0")
    return " OR ".join(conditions)


def _list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _table_screen(resource: TableResource) -> str:
    """One grouped pass over a table resource: report ids that need the engine, for any layout.
    Each row is joined on its row code to a small table of marks (row sets and identity weights,
    from the registry), so the aggregates compare integers rather than row codes."""
    screen = _Screen()
    flags = [
        (layout, _layout_flag(resource, layout, screen))
        for layout in LAYOUTS.values()
        if layout.code in resource.layouts
    ]
    names = list(screen.marks)
    values = ", ".join(
        "(" + ", ".join([f"'{row.code}'", *(str(screen.marks[n].get(row.code, 0)) for n in names)]) + ")"
        for row in resource.rows()
    )
    columns = ", ".join([q("#key"), *(q(n) for n in names)])
    rows = f"(SELECT {', '.join(['*', *typed_columns(resource.name)])} FROM {q('raw_' + resource.name)})"
    source = f"{rows} t LEFT JOIN (VALUES {values}) AS m({columns}) ON t.{q(resource.key)} = m.{q('#key')}"
    aggregates = ", ".join(f"{sql} AS {q(alias)}" for sql, alias in screen.aggregates.items())
    # A report of the layout without a row here (SECTION-MISSING: a table without rows) has no group.
    pick = " OR ".join(
        f"(r.format = '{layout.code}' AND (g.report_id IS NULL OR {cond}))" for layout, cond in flags
    )
    return (
        f"SELECT r.report_id FROM rep r LEFT JOIN (SELECT t.report_id, {aggregates} FROM {source} "
        f"GROUP BY t.report_id) g ON g.report_id = r.report_id WHERE {pick}"
    )


def _code_check_sql() -> str:
    """SQL of the GB 32100-2015 check character of agency_code (compiled from the same tables)."""
    total = " + ".join(
        f"(instr('{_CODE_CHARS}', substr(agency_code, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(_CODE_WEIGHTS)
    )
    return f"substr('{_CODE_CHARS}', ((31 - (({total}) % 31)) % 31) + 1, 1)"


# A character Python's str.strip() keeps: the engine's test for a section with text.
_VISIBLE = "[^\\s\\p{Z}\\x{1c}-\\x{1f}\\x{85}\\x{0b}\\x{0c}]"


def _metadata_screens() -> list[str]:
    shape = "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
    year = "TRY_CAST(year AS INTEGER)"
    deadline = f"make_date({year} + 1, CASE WHEN agency_kind = 'department' THEN 1 ELSE 3 END, 31)"
    text_sections = ", ".join(f"'{s.code}'" for s in TEXT_SECTIONS)
    queries = [
        # Rows the reader cannot take as they are: the engine (or the reader's error) decides.
        "SELECT report_id FROM rep WHERE format NOT IN ('2021', '2019-trial') OR "
        f"CAST({year} AS VARCHAR) IS DISTINCT FROM year OR "
        "(published IS NOT NULL AND TRY_CAST(published AS DATE) IS NULL)",
        # FORMAT-YEAR
        f"SELECT report_id FROM rep WHERE format <> "
        f"CASE WHEN {year} <= 2020 THEN '2019-trial' ELSE '2021' END",
        # PUBLISHED-LATE
        f"SELECT report_id FROM rep WHERE TRY_CAST(published AS DATE) > {deadline}",
        # AGENCY-CODE
        f"SELECT report_id FROM rep WHERE agency_code IS NOT NULL AND (NOT regexp_full_match(agency_code, "
        f"'{shape}') OR substr(agency_code, 18, 1) <> {_code_check_sql()})",
        # SECTION-MISSING: a text section without text
        f"SELECT r.report_id FROM rep r LEFT JOIN raw_sections s ON s.report_id = r.report_id AND "
        f"s.section IN ({text_sections}) AND regexp_matches(coalesce(s.text, ''), '{_VISIBLE}') "
        "GROUP BY r.report_id "
        f"HAVING count(s.section) < {len(TEXT_SECTIONS)}",
    ]
    # T3-FEE-NOTICE: a positive other_no_fee cell; the engine reads section 六.
    columns = [c.code for c in LAYOUTS["2021"].table("applications").columns]
    positive = " OR ".join(f"TRY_CAST({q(c)} AS HUGEINT) > 0" for c in columns)
    queries.append(
        "SELECT t.report_id FROM raw_applications t JOIN rep r USING (report_id) LEFT JOIN raw_sections s "
        "ON s.report_id = t.report_id AND s.section = 'other_matters' WHERE r.format = '2021' "
        f"AND t.row = 'other_no_fee' AND ({positive}) AND NOT regexp_matches(coalesce(s.text, ''), "
        f"'{FEE_WORDS.pattern}')"
    )
    return queries


def screen_sql() -> str:
    """The whole screen: report ids that need the per-report engine."""
    queries = _metadata_screens() + [_table_screen(resource) for resource in TABLE_RESOURCES]
    return "SELECT DISTINCT report_id FROM (" + " UNION ALL ".join(queries) + ")"


def _fetch_groups(con: duckdb.DuckDBPyConnection, flagged: str) -> dict[str, dict[str, list[dict[str, str]]]]:
    """The rows of the flagged reports, per resource and report id (as the reader takes them)."""
    grouped: dict[str, dict[str, list[dict[str, str]]]] = {}
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
            row = dict(zip(names, values, strict=True))
            rows[row["report_id"]].append(row)
        grouped[name] = rows
    return grouped


def _load(
    path: Path, result: PackageValidation, allow_unsafe_paths: bool, con: duckdb.DuckDBPyConnection
) -> bool:
    """Check files and load every resource of one package; False if the rules cannot run. The
    files are hashed in a second thread while DuckDB loads the resources before them."""
    source = str(path)
    descriptor = load_descriptor(path)
    by_name = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    files = {
        name: resource_path(path.parent, by_name[name], allow_unsafe_paths=allow_unsafe_paths, source=source)
        for name in RESOURCE_NAMES
        if name in by_name
    }
    usable = True
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
                usable = False
                continue
            checked = checks[name].result()
            result.structure += checked.findings
            if not checked.ok:
                usable = False
                continue
            result.structure += load_raw(con, files[name], name)
            result.structure += check_cells(con, name)
            # Checked as written (as frictionless does); screened and read unescaped, as the reader reads.
            con.execute(unescape_sql(q("raw_" + name), [q(f) for f in string_fields(name)]))
    finally:
        pool.shutdown(cancel_futures=True)
    for extra in unlisted_files(path.parent, listed):
        message = "no resource names this file: it was not read"
        result.structure.append(package_warning("extra-file", extra, message))
    if usable:
        con.execute("CREATE VIEW rep AS SELECT * FROM raw_reports")
    return usable


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
        usable = _load(path, result, allow_unsafe_paths, con)
        if _has(con, schema, "raw_reports"):
            result.reports += _scalar(con, "SELECT count(*) FROM raw_reports")
        if not usable:
            result.rules_run = False
            continue
        if progress:
            progress(f"rules: {path}")
        con.execute(f"CREATE TABLE flagged AS {screen_sql()}")
        _exact(con, "flagged", mode, result)
        for finding in stored_findings(con):  # what the tables cannot reproduce, as stored
            result.results[str(finding.report)].append(finding)
        year = _scalar(con, "SELECT max(TRY_CAST(year AS INTEGER)) FROM raw_reports")
        if year and _scalar(con, "SELECT count(DISTINCT year) FROM raw_reports") == 1:
            years[year] = schema
    for year, schema in sorted(years.items()):
        if year - 1 in years:
            _cross_year(con, years[year - 1], schema, result)


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
    for head in grouped["reports"].values():
        row = head[0]
        try:
            view, unreadable = view_from_rows(row, grouped)
        except ReportError as exc:
            result.results[row["report_id"]].append(
                structural("report-error", "reports", exc.message, report=row["report_id"])
            )
            continue
        found = validate_view(view, mode=mode, source=row["report_id"], unreadable=unreadable)
        if found.findings:
            result.results[row["report_id"]].extend(found.findings)
    structure, result.structure = result.structure, []
    for finding in structure:
        if finding.report is not None and finding.rule in ("type-error", "constraint-error"):
            result.results[finding.report].append(finding)
        else:
            result.structure.append(finding)


def _cross_year(con: duckdb.DuckDBPyConnection, before: str, now: str, result: PackageValidation) -> None:
    """Y-CARRY and T2-IN-FORCE for agencies present in both years: screened in SQL, worded by
    the same functions as `compare_years`."""
    columns = [c.code for c in LAYOUTS["2021"].table("applications").columns]
    # Blank cells (a negative count is written blank) and differing texts: the engine decides.
    differs = " OR ".join(f"a.{q(c)} IS NULL OR b.{q(c)} IS NULL OR a.{q(c)} <> b.{q(c)}" for c in columns)
    key = "substr(report_id, 6)"
    roll = ("a.in_force", "b.in_force", "a.issued", "a.repealed")
    rolled = [r.code for r in LAYOUTS["2021"].table("proactive").data_rows if "in_force" in r.columns]
    in_force = " OR ".join(f"{c} IS NULL" for c in roll) + (
        " OR TRY_CAST(a.in_force AS HUGEINT) IS DISTINCT FROM TRY_CAST(b.in_force AS HUGEINT) "
        "+ TRY_CAST(a.issued AS HUGEINT) - TRY_CAST(a.repealed AS HUGEINT)"
    )
    pairs = con.execute(
        f"SELECT DISTINCT a.report_id AS cur, b.report_id AS prev FROM "
        f"(SELECT *, {key} AS k FROM {now}.raw_applications WHERE row = 'carried_in') a JOIN "
        f"(SELECT *, {key} AS k FROM {before}.raw_applications WHERE row = 'carried_out') b USING (k) "
        f"WHERE {differs} "
        f"UNION SELECT a.report_id, b.report_id FROM "
        f"(SELECT *, {key} AS k FROM {now}.raw_proactive WHERE row IN ({_list(rolled)})) a JOIN "
        f"(SELECT *, {key} AS k FROM {before}.raw_proactive) b USING (k, row) WHERE {in_force}"
    ).fetchall()
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
