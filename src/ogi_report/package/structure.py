"""Structural checks of a received package, columnar in DuckDB: the errors frictionless reports
(file, encoding, hash and size, header labels, row shape, types, constraints, keys) under the same
codes, computed with SQL over whole columns instead of row by row."""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from ogi_report.findings import Finding, Severity
from ogi_report.model.numbers import (
    BELOW_ANY_MINIMUM,
    NON_FINITE_WORDS,
    PLAIN_TEXT,
    TABLE_SCHEMA_INTEGER_SQL,
    TABLE_SCHEMA_NUMBER_SQL,
    full_match_sql,
)
from ogi_report.package.escape import escaped_sql
from ogi_report.package.resources import fields_of, string_fields, table_schemas

# The structural findings of package validation, under frictionless's error codes.
STRUCTURAL_CODES: dict[str, str] = {
    "package-error": "a resource of the standard is missing from the descriptor",
    "scheme-error": "a resource's file does not exist",
    "encoding-error": "a resource's file is not UTF-8",
    "byte-count": "a file's size differs from the descriptor's `bytes`",
    "hash-count": "a file's sha256 differs from the descriptor's `hash`",
    "incorrect-label": "a header cell is not the field name the Table Schema expects there",
    "missing-label": "a header lacks a field of the Table Schema",
    "extra-label": "a header has a column the Table Schema does not know",
    "extra-cell": "a row has more cells than the header",
    "missing-cell": "a row has fewer cells than the header",
    "source-error": "a row the CSV reader cannot take (for example an unclosed quote)",
    "type-error": "a cell is not of its field's type (integer, number, date)",
    "constraint-error": "a cell breaks a constraint: required, minimum, enum, pattern",
    "unique-error": "a unique field repeats a value",
    "primary-key": "two rows share a primary key",
    "foreign-key": "a report_id that is not in the reports resource",
    "report-error": "a report's row cannot be read into the model (the message says why)",
    "extra-resource": "(warning) the descriptor has a resource the standard does not define: not checked",
    "extra-file": "(warning) a file in the package's folder that no resource names: not read",
}

MAX_PER_KIND = 100  # structural findings kept per resource, field and kind; the rest are counted


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def package_warning(code: str, what: str, message: str) -> Finding:
    """A structural warning about the package as a whole (an extra file or resource)."""
    return Finding(
        rule=code,
        severity=Severity.WARNING,
        cells=(what,),
        message_zh=f"{what}：{message}",
        message_en=f"{what}: {message}",
        source_cells={what: what},
    )


def structural(
    code: str,
    resource: str,
    message: str,
    *,
    field_name: str | None = None,
    row: int | None = None,
    report: str | None = None,
    stated: str | None = None,
    row_code: str | None = None,
) -> Finding:
    """A structural finding, named like frictionless's error of the same code."""
    cell = ".".join(p for p in (resource, row_code, field_name) if p)
    place = f"data/{resource}.csv" + (f" row {row}" if row is not None else "")
    zh = f"{place}：{message}"
    return Finding(
        rule=code,
        severity=Severity.ERROR,
        cells=(cell,),
        stated=stated,
        message_zh=zh,
        message_en=f"{place}: {message}",
        report=report,
        source_cells={cell: place},
    )


@dataclass
class FileCheck:
    ok: bool
    findings: list[Finding] = field(default_factory=list)


def check_file(path: Path, resource: dict[str, Any], name: str) -> FileCheck:
    """Existence, UTF-8, declared bytes and hash, and header labels, in one pass over the bytes."""
    if not path.is_file():  # missing, or a folder, device or pipe (never read: it could be endless)
        why = "not a regular file" if path.exists() else "file not found"
        return FileCheck(False, [structural("scheme-error", name, f"{why}: {path.name}")])
    digest, size = hashlib.sha256(), 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return FileCheck(False, [structural("encoding-error", name, f"not UTF-8 ({exc.reason})")])
    found: list[Finding] = []
    if isinstance(resource.get("bytes"), int) and resource["bytes"] != size:
        found.append(structural("byte-count", name, f"{size} bytes, the descriptor says {resource['bytes']}"))
    declared = resource.get("hash")
    if isinstance(declared, str) and declared.removeprefix("sha256:") != digest.hexdigest():
        found.append(structural("hash-count", name, "the file's sha256 differs from the descriptor's hash"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    expected = [f["name"] for f in table_schemas()[name]["fields"]]
    for position, (got, want) in enumerate(zip(header, expected, strict=False), start=1):
        if got != want:
            found.append(structural("incorrect-label", name, f"column {position} is {got!r}, not {want!r}"))
    for want in expected[len(header) :]:
        found.append(structural("missing-label", name, f"column {want!r} is missing"))
    for got in header[len(expected) :]:
        found.append(structural("extra-label", name, f"unexpected column {got!r}"))
    labels_ok = not any(f.rule.endswith("-label") for f in found)
    return FileCheck(labels_ok, found)


# A row whose numeric cells are all plain (model/numbers.py) or blank has no type or minimum
# error, so those checks only look at the other rows: the odd ones.
ODD = q("#odd")  # per row: some numeric cell is neither blank nor plain

# The key tally a table resource's digest (package/screen.py) keeps per report id: its rows, those
# with a row code of the resource, and the distinct codes among them.
TALLY_ROWS, TALLY_KNOWN, TALLY_CODES = q("#rows"), q("#known"), q("#codes")


def typed(name: str) -> str:
    """The column of `typed_columns`: an integer field's value as BIGINT where the row is not odd
    (NULL where the cell is blank or the row odd)."""
    return q("#" + name)


def typed_columns(name: str) -> list[str]:
    """SELECT items of the typed integer columns of a loaded resource (computed where read, not
    stored: they would double the memory of a large resource)."""
    plain = plain_fields(name)
    integers = [
        f["name"] for f in table_schemas()[name]["fields"] if f["name"] in plain and f["type"] == "integer"
    ]
    return [f"CASE WHEN NOT {ODD} THEN TRY_CAST({q(f)} AS BIGINT) END AS {typed(f)}" for f in integers]


@cache
def plain_fields(name: str) -> dict[str, str]:
    """Field name -> plain pattern (model/numbers.py), for the fields of a resource that the odd
    flag covers: its table cells, whose plain texts satisfy their type and minimum."""
    return {f.name: PLAIN_TEXT[f.kind] for f in fields_of(name) if f.kind is not None}


def _derived(name: str, source: str) -> str:
    """SELECT of a resource's rows with its odd flag (one regex per row: the numeric cells joined
    by commas, a blank as empty, against the joined plain patterns)."""
    plain = plain_fields(name)
    if not plain:
        return f"SELECT * FROM {source}"
    joined = "concat_ws(',', " + ", ".join(f"coalesce({q(f)}, '')" for f in plain) + ")"
    pattern = ",".join(f"({p})?" for p in plain.values())
    return f"SELECT *, NOT regexp_full_match({joined}, '{pattern}') AS {ODD} FROM {source}"


def load_raw(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> list[Finding]:
    """The resource as VARCHAR columns (row order kept: `rowid` + 1 is the record number), with its
    odd flag; ragged rows become findings. A clean file loads on the fast path;
    only a file the strict reader refuses is read again with the rejects recorded."""
    fields = [f["name"] for f in table_schemas()[name]["fields"]]
    columns = "{" + ", ".join(f"'{f}': 'VARCHAR'" for f in fields) + "}"
    options = (
        f"header = true, columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
        "strict_mode = true, auto_detect = false, parallel = true"
    )
    table = q("raw_" + name)
    try:
        con.execute(f"CREATE TABLE {table} AS {_derived(name, f'read_csv($1, {options})')}", [str(path)])
        return []
    except duckdb.Error:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    rejects = (
        f"read_csv($1, {options}, store_rejects = true, "
        f"rejects_table = {q('rej_' + name)}, rejects_scan = {q('rejscan_' + name)})"
    )
    con.execute(f"CREATE TABLE {table} AS {_derived(name, rejects)}", [str(path)])
    found = []
    for line, error_type, message in con.execute(
        f"SELECT line, error_type, error_message FROM {q('rej_' + name)} ORDER BY line LIMIT {MAX_PER_KIND}"
    ).fetchall():
        code = {"TOO MANY COLUMNS": "extra-cell", "MISSING COLUMNS": "missing-cell"}.get(
            str(error_type), "source-error"
        )
        found.append(structural(code, name, str(message).splitlines()[0], row=int(line)))
    return found


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _integer_test(c: str) -> tuple[str, str]:
    return full_match_sql(c, TABLE_SCHEMA_INTEGER_SQL), f"TRY_CAST({c} AS HUGEINT)"


def _number_test(c: str) -> tuple[str, str]:
    non_finite = f"lower(trim({c})) IN ({_words(NON_FINITE_WORDS)})"
    valid = f"{full_match_sql(c, TABLE_SCHEMA_NUMBER_SQL)} OR {non_finite}"
    below = f"lower(trim({c})) IN ({_words(BELOW_ANY_MINIMUM)})"
    return valid, f"CASE WHEN {below} THEN -1e308 ELSE TRY_CAST({c} AS DOUBLE) END"


def _date_test(c: str) -> tuple[str, str]:
    shape = full_match_sql(c, "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
    valid = f"{shape} AND try_strptime({c}, '%Y-%m-%d') IS NOT NULL"
    return valid, c


# What frictionless (Python's int, Decimal and strptime) accepts as each type, and the value its
# constraints compare: (column -> (SQL true on a valid text, SQL of the compared value)).
_TYPE_TESTS: dict[str, Callable[[str], tuple[str, str]]] = {
    "integer": _integer_test,
    "number": _number_test,
    "date": _date_test,
}


class Check(NamedTuple):
    code: str  # frictionless's error code
    condition: str  # SQL true on a bad cell
    words: str
    odd_only: bool = False  # can hold only on a row with an odd numeric cell


def _conditions(spec: dict[str, Any], plain: bool) -> list[Check]:
    """The checks of one field, as frictionless defines them; `plain` if the odd flag covers the
    field (its type and minimum checks then look at odd rows only)."""
    column = q(spec["name"])
    kind, constraints = spec.get("type", "string"), spec.get("constraints", {})
    present = f"{column} IS NOT NULL"
    checks: list[Check] = []
    typed_value = column
    if kind in _TYPE_TESTS:
        valid, typed_value = _TYPE_TESTS[kind](column)
        checks.append(Check("type-error", f"{present} AND NOT ({valid})", f"not a {kind}", plain))
    if constraints.get("required"):
        checks.append(Check("constraint-error", f"{column} IS NULL", "required but blank"))
    if "minimum" in constraints:
        minimum = constraints["minimum"]
        checks.append(
            Check("constraint-error", f"{typed_value} < {minimum}", f"below the minimum {minimum}", plain)
        )
    if "enum" in constraints:
        values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in constraints["enum"])
        checks.append(
            Check("constraint-error", f"{present} AND {column} NOT IN ({values})", "not an allowed value")
        )
    if "pattern" in constraints:
        pattern = str(constraints["pattern"]).replace("'", "''")
        condition = f"{present} AND NOT regexp_full_match({column}, '{pattern}')"
        checks.append(Check("constraint-error", condition, "does not match the pattern"))
    return checks


def _details(
    con: duckdb.DuckDBPyConnection,
    name: str,
    spec: dict[str, Any],
    check: Check,
    key: str | None,
    total: int,
) -> list[Finding]:
    """The first bad cells of one failed check, with their rows, as findings."""
    code, condition, words, odd_only = check
    if odd_only:
        condition = f"{ODD} AND ({condition})"
    report = "report_id" if spec["name"] != "report_id" else "NULL"
    row_code = q(key) if key else "NULL"
    rows = con.execute(
        f"SELECT rowid + 1, {report}, {row_code}, {q(spec['name'])} FROM {q('raw_' + name)} "
        f"WHERE {condition} ORDER BY rowid LIMIT {MAX_PER_KIND}"
    ).fetchall()
    found = [
        structural(
            code,
            name,
            f"{spec['name']} = {value!r}: {words}",
            field_name=spec["name"],
            row=int(n) + 1,
            report=report_id,
            stated=value,
            row_code=row_value,
        )
        for n, report_id, row_value, value in rows
    ]
    if total > MAX_PER_KIND:
        found.append(structural(code, name, f"{spec['name']}: {total - MAX_PER_KIND} more like this"))
    return found


def _may_repeat(con: duckdb.DuckDBPyConnection, table: str, cols: str, digest: str | None) -> bool:
    """Whether a key may repeat: no if the digest shows every report's rows with a known code each,
    all distinct; else if fewer distinct hashes than rows (equal keys hash equally)."""
    if digest is not None:
        row = con.execute(
            f"SELECT count_if(report_id IS NULL OR {TALLY_ROWS} <> {TALLY_KNOWN}), "
            f"count_if({TALLY_KNOWN} <> {TALLY_CODES}) FROM {digest}"
        ).fetchone()
        if row and not row[0]:
            return bool(row[1])
    row = con.execute(f"SELECT count(*) - count(DISTINCT hash({cols})) FROM {table}").fetchone()
    return bool(row and row[0])


def key_errors(con: duckdb.DuckDBPyConnection, name: str, digest: str | None = None) -> list[Finding]:
    """Primary key, unique and foreign key errors of a loaded resource, each screened by one cheap
    pass first. `digest`: the resource's digest (a table resource's, package/screen.py), whose key
    tally and distinct report ids spare two passes over the rows; only valid while its key
    columns are as written."""
    schema = table_schemas()[name]
    table = q("raw_" + name)
    found: list[Finding] = []
    keys = [schema["primaryKey"]] if schema.get("primaryKey") else []
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for number, key in enumerate(keys):
        cols = ", ".join(q(k) for k in key)
        primary = number == 0 and bool(schema.get("primaryKey"))
        if not _may_repeat(con, table, cols, digest if primary else None):
            continue
        code = "primary-key" if primary else "unique-error"
        for *values, count in con.execute(
            f"SELECT {cols}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 "
            f"ORDER BY ALL LIMIT {MAX_PER_KIND}"  # the same findings in the same order, every run
        ).fetchall():
            found.append(
                structural(
                    code,
                    name,
                    f"{dict(zip(key, values, strict=True))} repeats {count} times",
                    report=str(values[0]),
                )
            )
    for fk in schema.get("foreignKeys", []):
        local, ref = fk["fields"][0], fk["reference"]
        if not _loaded(con, "raw_" + ref["resource"]):
            continue  # the referenced resource could not be read: reported already
        distinct = (
            f"SELECT report_id AS k FROM {digest}"
            if digest is not None and local == "report_id"
            else f"SELECT DISTINCT {q(local)} AS k FROM {table}"
        )
        for (value,) in con.execute(
            f"SELECT k FROM ({distinct}) WHERE k IS NOT NULL AND "
            f"k NOT IN (SELECT {q(ref['fields'][0])} FROM {q('raw_' + ref['resource'])} "
            f"WHERE {q(ref['fields'][0])} IS NOT NULL) ORDER BY k LIMIT {MAX_PER_KIND}"
        ).fetchall():
            found.append(
                structural(
                    "foreign-key", name, f"{local} {value!r} is not in {ref['resource']}", report=str(value)
                )
            )
    return found


def _loaded(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()",
        [table],
    ).fetchone()
    return bool(row and row[0])


@dataclass
class CellChecks:
    findings: list[Finding]  # type and constraint errors
    escaped: tuple[str, ...]  # string fields with a text the reader unescapes (package/escape.py)


def check_cells(con: duckdb.DuckDBPyConnection, name: str) -> CellChecks:
    """Every type and constraint error of one loaded resource: one counting pass over all the
    fields' conditions (the type and minimum checks of plain-covered fields over odd rows only),
    then details only for the conditions that failed. The pass also finds the string fields with
    escaped texts, so only those are unescaped. Key errors: `key_errors`."""
    schema = table_schemas()[name]
    key = schema["fields"][1]["name"] if name not in ("reports", "findings") else None
    plain = plain_fields(name)
    checks = [
        (spec, check) for spec in schema["fields"] for check in _conditions(spec, spec["name"] in plain)
    ]
    strings = string_fields(name)
    counts: dict[int, int] = {}
    escapes: tuple[int, ...] = ()
    for odd_only in (False, True):
        picked = [n for n, (_, check) in enumerate(checks) if check.odd_only is odd_only]
        counted = [f"count_if({checks[n][1].condition})" for n in picked]
        if not odd_only:
            counted += [f"count_if({escaped_sql(q(f))})" for f in strings]
        if not counted:
            continue
        where = f" WHERE {ODD}" if odd_only else ""
        row = con.execute(f"SELECT {', '.join(counted)} FROM {q('raw_' + name)}{where}").fetchone() or ()
        counts.update(zip(picked, row, strict=False))
        if not odd_only:
            escapes = tuple(row[len(picked) :])
    found: list[Finding] = []
    for n, (spec, check) in enumerate(checks):
        if counts.get(n):
            found += _details(con, name, spec, check, key, int(counts[n]))
    return CellChecks(found, tuple(f for f, count in zip(strings, escapes, strict=True) if count))
