"""Build one Frictionless Data Package (v2) per reporting year, streaming, and publish it atomically."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from ogi_report.fileio import lock, output_folder
from ogi_report.layout import LAYOUTS
from ogi_report.package.resources import (
    RESOURCE_NAMES,
    field_names,
    resource_title,
    string_positions,
    table_schemas,
)
from ogi_report.package.rows import base_report_id, report_rows
from ogi_report.readers import LoadedReport
from ogi_report.rules.engine import Mode
from ogi_report.validation import validate_loaded
from ogi_report.versions import CATALOGUE_VERSION, LIBRARY_VERSION, SCHEMA_VERSION

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DIALECT_PROFILE = "https://datapackage.org/profiles/2.0/tabledialect.json"
DESCRIPTOR = "datapackage.json"
STAGING_PREFIX = ".ogi-staging-"  # a build's folder while it writes (hidden; dropped if it dies)
DEFAULT_LICENSE = {
    "name": "other-at",
    "title": "Government information published under the Regulations on Open Government Information; "
    "attribute the publishing agencies",
}


def package_name(year: int) -> str:
    return f"ogi-reports-{year}"


@dataclass
class PackageOptions:
    mode: Mode = "submission"
    created: str | None = None  # ISO timestamp; none unless asked, so builds are reproducible
    licenses: list[dict[str, str]] = field(default_factory=lambda: [dict(DEFAULT_LICENSE)])


class _YearWriter:
    """The CSV files of one year's package, written as reports stream in."""

    def __init__(self, root: Path, year: int) -> None:
        self.year = year
        self.root = root
        (root / "data").mkdir(parents=True)
        self.handles: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        for name in RESOURCE_NAMES:
            handle = (root / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")
            self.writers[name].writerow(field_names(name))
        self.ids: set[str] = set()
        self.layouts: dict[str, int] = {}

    def add(self, loaded: LoadedReport, options: PackageOptions) -> None:
        report = loaded.report
        report_id = base_report_id(report)
        if report_id in self.ids:  # the same agency twice in a year: keep both, distinctly
            n = 2
            while f"{report_id}-{n}" in self.ids:
                n += 1
            report_id = f"{report_id}-{n}"
        self.ids.add(report_id)
        self.layouts[report.format] = self.layouts.get(report.format, 0) + 1
        # Exactly as `ogi validate` validates it: a page as published and with its narrative figures.
        result = validate_loaded(replace(loaded, source=report_id), mode=options.mode)
        for name, rows in report_rows(report, report_id, result.findings).items():
            texts = string_positions(name)
            for row in rows:
                if any("\r" in row[i] for i in texts):
                    self.handles[name].write(_quoted_line(row))
                else:
                    self.writers[name].writerow(row)

    def close(self, options: PackageOptions) -> None:
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
    kill leaves the previous packages, never part of a new one.
    """
    options = options or PackageOptions()
    created = not Path(out_dir).exists()
    out = output_folder(out_dir)  # a link is followed: the packages go inside the folder it names
    recover(out)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    held = lock(staging)  # released when the build ends or its process dies
    try:
        writers: dict[int, _YearWriter] = {}
        for count, loaded in enumerate(reports, start=1):
            year = loaded.report.year
            if year not in writers:
                writers[year] = _YearWriter(staging / package_name(year), year)
            writers[year].add(loaded, options)
            if progress:
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
