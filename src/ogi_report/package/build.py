"""Build one Frictionless Data Package (v2) per reporting year, streaming, and publish it atomically."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ogi_report.errors import ReportError
from ogi_report.fileio import lock, output_folder
from ogi_report.layout import LAYOUTS
from ogi_report.package import DEFAULT_LICENSE, DESCRIPTOR
from ogi_report.package.resources import (
    RESOURCE_NAMES,
    TABLE_RESOURCES,
    field_names,
    resource_title,
    string_positions,
    table_schemas,
)
from ogi_report.package.rows import base_report_id, document_rows, table_resource_rows, table_text
from ogi_report.readers import LoadedReport
from ogi_report.readers.dispatch import ReportFile, ReportLine, report_sources
from ogi_report.rules.engine import Mode
from ogi_report.validation import validate_loaded
from ogi_report.versions import CATALOGUE_VERSION, LIBRARY_VERSION, SCHEMA_VERSION
from ogi_report.workers import can_fork, cpus

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DIALECT_PROFILE = "https://datapackage.org/profiles/2.0/tabledialect.json"
STAGING_PREFIX = ".ogi-staging-"  # a build's folder while it writes (hidden; dropped if it dies)


def package_name(year: int) -> str:
    return f"ogi-reports-{year}"


@dataclass
class PackageOptions:
    mode: Mode = "submission"
    created: str | None = None  # ISO timestamp; none unless asked, so builds are reproducible
    licenses: list[dict[str, str]] = field(default_factory=lambda: [dict(DEFAULT_LICENSE)])


# What one report adds to its year's package: its id (before any -2 for a repeat), year and
# layout, and the CSV text it adds to each resource.
Rendered = tuple[str, int, str, dict[str, str]]
Source = ReportLine | ReportFile
CHUNK = 128  # reports handed to a worker process at a time


# Table resources, whose only text fields are the report id and the layout's row codes.
_TABLES = frozenset(r.name for r in TABLE_RESOURCES if string_positions(r.name) == (0, 1))


@cache
def _buffers() -> dict[str, tuple[io.StringIO, Any]]:
    """One text buffer and CSV writer per resource, reused report after report (per process)."""
    out: dict[str, tuple[io.StringIO, Any]] = {}
    for name in RESOURCE_NAMES:
        buffer = io.StringIO()
        out[name] = (buffer, csv.writer(buffer, lineterminator="\n"))
    return out


def render(loaded: LoadedReport, report_id: str, mode: Mode) -> dict[str, str]:
    """A report's CSV text in each resource, validated exactly as `ogi validate` validates it (a
    page as published and with its narrative figures); the same whichever process runs it."""
    report = loaded.report
    result = validate_loaded(loaded, mode=mode, source=report_id)
    rows = document_rows(report, report_id, result.findings)
    texts = {name: _csv_text(name, resource_rows, report_id) for name, resource_rows in rows.items()}
    for resource in TABLE_RESOURCES:
        text = table_text(resource, report, report_id)
        if text is None:  # a blank, negative or exponent, or an id needing quotes: csv.writer
            text = _csv_text(resource.name, list(table_resource_rows(resource, report, report_id)), report_id)
        texts[resource.name] = text
    return texts


def _csv_text(name: str, rows: list[list[str]], report_id: str) -> str:
    """Rows of a resource as csv.writer writes them, but a lone carriage return quoted too."""
    buffer, writer = _buffers()[name]
    if name in _TABLES and "\r" not in report_id:  # its texts: the id and the row codes
        writer.writerows(rows)
    else:
        positions = string_positions(name)
        for row in rows:
            if any("\r" in row[i] for i in positions):
                buffer.write(_quoted_line(row))
            else:
                writer.writerow(row)
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _rendered(loaded: LoadedReport, mode: Mode) -> Rendered:
    report = loaded.report
    report_id = base_report_id(report)
    return report_id, report.year, report.format, render(loaded, report_id, mode)


def _render_chunk(
    sources: list[Source], mode: Mode
) -> tuple[list[Rendered], tuple[str, str | None, str | None] | None]:
    """What a worker process does: read and render its sources in order, stopping at the first
    that cannot be read (returned as message, source and place, raised again by the builder)."""
    done: list[Rendered] = []
    for source in sources:
        try:
            done.append(_rendered(source.load(), mode))
        except ReportError as exc:
            return done, (exc.message, exc.source, exc.location)
    return done, None


class _YearWriter:
    """The CSV files of one year's package, written as reports stream in."""

    def __init__(self, root: Path, year: int) -> None:
        self.year = year
        self.root = root
        (root / "data").mkdir(parents=True)
        self.handles: dict[str, IO[str]] = {}
        for name in RESOURCE_NAMES:
            handle = (root / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            csv.writer(handle, lineterminator="\n").writerow(field_names(name))
        self.ids: set[str] = set()
        self.layouts: dict[str, int] = {}
        self.pending: list[dict[str, str]] = []  # texts of reports not yet written

    def report_id(self, base: str) -> str:
        """The id a report is written under: its own, or for the same agency twice in a year
        `-2`, `-3`, … in input order (both kept, distinctly)."""
        report_id = base
        if report_id in self.ids:
            n = 2
            while f"{report_id}-{n}" in self.ids:
                n += 1
            report_id = f"{report_id}-{n}"
        self.ids.add(report_id)
        return report_id

    def write(self, layout: str, texts: dict[str, str]) -> None:
        self.layouts[layout] = self.layouts.get(layout, 0) + 1
        self.pending.append(texts)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the texts held back: a resource's texts of a block of reports in one write."""
        for name, handle in self.handles.items():
            handle.write("".join([texts[name] for texts in self.pending]))
        self.pending.clear()

    def close(self, options: PackageOptions) -> None:
        self.flush()
        for handle in self.handles.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        descriptor = package_descriptor(self.root, self.year, len(self.ids), self.layouts, options)
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        (self.root / DESCRIPTOR).write_text(text, encoding="utf-8")


def _quoted_line(row: list[str]) -> str:
    """A CSV line as csv.writer writes one, except that a field holding a lone carriage return is
    quoted too (csv.writer quotes only the line terminator's characters, here "\n"): read back as
    one field, not as a line break."""
    return ",".join(_quoted(v) if any(c in v for c in ',"\n\r') else v for v in row) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _file_facts(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def package_descriptor(
    root: Path, year: int, reports: int, layouts: dict[str, int], options: PackageOptions
) -> dict[str, Any]:
    resources = []
    for name in RESOURCE_NAMES:
        size, digest = _file_facts(root / "data" / f"{name}.csv")
        zh, en = resource_title(name)
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": f"{zh} | {en}",
                "bytes": size,
                "hash": f"sha256:{digest}",
                "dialect": {"$schema": DIALECT_PROFILE, "header": True, "delimiter": ",", "quoteChar": '"'},
                "schema": table_schemas()[name],
            }
        )
    descriptor: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": package_name(year),
        "title": f"政府信息公开工作年度报告数据（{year} 年度）"
        f"| Open Government Information annual reports, {year}",
        "description": f"Figures of {reports} annual reports on Open Government Information for {year} "
        "(政府信息公开工作年度报告), in the tables of the official formats, with every validation finding. "
        "A blank cell was left blank or held a placeholder in the source: it is not zero.",
        "version": SCHEMA_VERSION,
        "keywords": ["政府信息公开", "open government information", "annual report", str(year)],
        "licenses": options.licenses,
        "sources": [
            {"title": "各机关发布的政府信息公开工作年度报告 | The agencies' published annual reports"}
        ],
        "ogi": {
            "year": year,
            "reports": reports,
            "layouts": {code: layouts.get(code, 0) for code in LAYOUTS},
            "library_version": LIBRARY_VERSION,
            "catalogue_version": CATALOGUE_VERSION,
            "schema_version": SCHEMA_VERSION,
            "validation_mode": options.mode,
        },
        "resources": resources,
    }
    if options.created:
        descriptor["created"] = options.created
    return descriptor


def _publish(staged: Path, target: Path) -> None:
    """Swap a complete staged package into place. At every instant `target` is the old complete
    package, the new one, or absent with the old one kept aside (restored by the next build)."""
    aside = target.with_name(f".{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    os.replace(staged, target)
    shutil.rmtree(aside, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Undo what a killed build left: restore a package set aside, drop the staging directories
    of builds that died (a live build holds the lock of its own)."""
    if not out_dir.is_dir():
        return
    for entry in out_dir.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".old") and entry.is_dir():
            original = out_dir / entry.name[1:-4]
            if original.exists():
                shutil.rmtree(entry)
            else:
                os.replace(entry, original)
        elif entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            held = lock(entry)
            if held is None:  # the staging folder of a build still running
                continue
            try:
                shutil.rmtree(entry, ignore_errors=True)
            finally:
                os.close(held)


def build_packages(
    reports: Iterable[LoadedReport],
    out_dir: str | Path,
    options: PackageOptions | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write one package per reporting year into `out_dir/ogi-reports-YEAR/`; return their folders.

    Nothing is published until every input has been read: an unreadable input (ReportError) or a
    kill leaves the previous packages, never part of a new one. In this process; for files, see
    `build_packages_from`, which reads them in worker processes too.
    """
    mode = (options or PackageOptions()).mode
    items = ((_rendered(loaded, mode), lambda loaded=loaded: loaded) for loaded in reports)
    return _build(items, out_dir, options, progress, every=1)


def build_packages_from(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    options: PackageOptions | None = None,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """`build_packages` over the reports of files (as `iter_reports` reads them), read, validated
    and turned into rows by `jobs` worker processes (default: one per CPU; 1: in this process).
    Written in input order: the bytes are the same whatever the number of workers. `progress` is
    called with the number of reports done after each block of them."""
    mode = (options or PackageOptions()).mode
    sources = report_sources(paths)
    head = list(islice(sources, 2 * CHUNK))  # a few reports: not worth starting workers
    n = jobs if jobs is not None else cpus()
    if n <= 1 or len(head) <= CHUNK or not can_fork():
        items = ((_rendered(source.load(), mode), source.load) for source in _chain(head, sources))
        return _build(items, out_dir, options, progress, every=CHUNK)
    pool = _start_pool(n)  # forked before the build takes its lock, which they must not hold
    try:
        return _build(_in_pool(pool, _chain(head, sources), mode, n), out_dir, options, progress, every=CHUNK)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chain(head: list[Source], rest: Iterator[Source]) -> Iterator[Source]:
    yield from head
    yield from rest


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` processes forked now (a fork pool starts them all at its first task)."""
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )
    pool.submit(int).result()
    return pool


def _worker_start(parent: int) -> None:
    """A worker dies with the process that forked it: a killed build leaves no worker behind."""
    with contextlib.suppress(Exception):  # Linux: PR_SET_PDEATHSIG
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _in_pool(
    pool: ProcessPoolExecutor, sources: Iterator[Source], mode: Mode, workers: int
) -> Iterator[tuple[Rendered, Callable[[], LoadedReport]]]:
    """Blocks of sources rendered by the pool's workers, yielded in input order; at most two
    blocks per worker in flight, so memory stays bounded however long the input."""
    pending: deque[tuple[list[Source], Future[Any]]] = deque()
    try:
        while True:
            while len(pending) < 2 * workers and (chunk := list(islice(sources, CHUNK))):
                pending.append((chunk, pool.submit(_render_chunk, chunk, mode)))
            if not pending:
                return
            chunk, future = pending.popleft()
            done, error = future.result()
            for source, rendered in zip(chunk, done, strict=False):
                yield rendered, source.load
            if error is not None:
                message, source_name, location = error
                raise ReportError(message, source=source_name, location=location)
    finally:
        for _, future in pending:
            future.cancel()


def _build(
    items: Iterable[tuple[Rendered, Callable[[], LoadedReport]]],
    out_dir: str | Path,
    options: PackageOptions | None,
    progress: Callable[[int], None] | None,
    *,
    every: int,
) -> list[Path]:
    options = options or PackageOptions()
    created = not Path(out_dir).exists()
    out = output_folder(out_dir)  # a link is followed: the packages go inside the folder it names
    recover(out)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    held = lock(staging)  # released when the build ends or its process dies
    try:
        writers: dict[int, _YearWriter] = {}
        count = 0
        for count, ((base, year, layout, texts), load) in enumerate(items, start=1):
            if year not in writers:
                writers[year] = _YearWriter(staging / package_name(year), year)
            report_id = writers[year].report_id(base)
            if report_id != base:  # a repeat: its rows and findings name its own id
                texts = render(load(), report_id, options.mode)
            writers[year].write(layout, texts)
            if progress and count % every == 0:
                progress(count)
        if progress and count % every:
            progress(count)
        for writer in writers.values():
            writer.close(options)
        published = []
        for year in sorted(writers):
            _publish(staging / package_name(year), out / package_name(year))
            published.append(Path(out_dir) / package_name(year))
        return published
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if held is not None:
            os.close(held)
        if created and not any(out.iterdir()):  # a failed first build leaves no folder either
            out.rmdir()
