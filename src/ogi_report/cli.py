"""The `ogi` command: thin commands over the public API. Formatting lives here, logic does not."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from ogi_report.errors import OgiError, ReportError
from ogi_report.fileio import write_text_atomic
from ogi_report.findings import Lang, Severity, ValidationResult
from ogi_report.layout import LAYOUTS
from ogi_report.limits import Limits, use_limits
from ogi_report.output import validation_document
from ogi_report.package.build import DEFAULT_LICENSE, DESCRIPTOR, PackageOptions, build_packages
from ogi_report.package.bulk import PackageValidation, validate_package
from ogi_report.readers import REPORT_SUFFIXES, iter_reports, load_report
from ogi_report.readers.page import ExtractedReport, extract_page
from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.rules.docs import rules_markdown
from ogi_report.rules.engine import Mode
from ogi_report.schema import schema_texts, write_schemas
from ogi_report.synth import write_synth
from ogi_report.validation import validate_loaded
from ogi_report.versions import CATALOGUE_VERSION, LIBRARY_VERSION
from ogi_report.writers import write_template
from ogi_report.writers.html_render import render_html

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

_LANG = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language."
)


def _emit(text: str, output: str | None) -> None:
    """Text to a file (written atomically; its name echoed) or to standard output."""
    if output:
        write_text_atomic(output, text)
        click.echo(output)
    else:
        click.echo(text, nl=False)


def _fail(message: str) -> NoReturn:
    click.echo(f"ogi: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def expand_inputs(paths: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """(report files, package descriptors). A directory stands for its package if it holds a
    datapackage.json, else for the report files directly inside it."""
    files: list[Path] = []
    packages: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.name == DESCRIPTOR:
            packages.append(path)
        elif path.is_dir() and (path / DESCRIPTOR).is_file():
            packages.append(path / DESCRIPTOR)
        elif path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            files.append(path)
    return files, packages


def _print_result(console: Console, result: ValidationResult, lang: Lang) -> None:
    errors, warnings = len(result.errors), len(result.warnings)
    if lang == "zh":
        status = "通过" if result.ok else "未通过"
        head = f"{result.source}：{status}（{errors} 个错误，{warnings} 个警告）"
    else:
        status = "passed" if result.ok else "FAILED"
        head = f"{result.source}: {status} ({errors} errors, {warnings} warnings)"
    console.print(f"[bold {'green' if result.ok else 'red'}]{escape(head)}[/]")
    for note in result.notes:  # the source was not laid out exactly as the official tables
        console.print(
            f"  [yellow]{'读取说明' if lang == 'zh' else 'reading'}[/]: {escape(note)}", soft_wrap=True
        )
    for (rule, severity), count in result.counts().items():
        colour = "red" if severity is Severity.ERROR else "yellow"
        console.print(f"  [{colour}]{rule}[/] {severity.value} × {count}")
        for finding in result.findings:
            if finding.rule == rule and finding.severity is severity:
                console.print(f"    - {escape(finding.message(lang))}", soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(LIBRARY_VERSION, prog_name="ogi")
@click.option(
    "--limit",
    "limit_settings",
    multiple=True,
    metavar="NAME=VALUE",
    help=f"Change an input limit (also OGI_LIMITS=NAME=VALUE,…): {', '.join(Limits.names())}.",
)
@click.pass_context
def cli(ctx: click.Context, limit_settings: Sequence[str]) -> None:
    """Validate and publish Open Government Information annual reports (政府信息公开工作年度报告)."""
    chosen = Limits().changed(",".join([os.environ.get("OGI_LIMITS", ""), *limit_settings]))
    ctx.with_resource(use_limits(chosen))  # for this invocation only


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Print one machine-readable JSON document.")
@click.option(
    "--published",
    is_flag=True,
    help="The reports were read from published pages: blank cells are warnings, not errors.",
)
@click.option(
    "--allow-unsafe-paths",
    is_flag=True,
    help="Let package descriptors name absolute or '..' paths (remote paths are always refused).",
)
@click.option("--quiet", is_flag=True, help="No progress display.")
def validate(
    inputs: Sequence[str], lang: Lang, as_json: bool, published: bool, allow_unsafe_paths: bool, quiet: bool
) -> None:
    """Validate report files (JSON, YAML, JSON Lines; a directory means the report files in it)
    and data packages (a datapackage.json, or a directory holding one).

    Exit 0: no error finding; 1: at least one error finding; 2: an input could not be read.
    """
    mode: Mode = "published" if published else "submission"
    files, packages = expand_inputs(inputs)
    if not files and not packages:
        _fail(f"no report files ({', '.join(REPORT_SUFFIXES)}) or packages in {', '.join(inputs)}")
    results, unreadable = _validate_files(files, mode)
    package_results: list[PackageValidation] = []
    if packages:
        try:
            package_results.append(
                validate_package(
                    packages,
                    mode=mode,
                    allow_unsafe_paths=allow_unsafe_paths,
                    progress=None if quiet or not sys.stderr.isatty() else _status,
                )
            )
        except ReportError as exc:
            unreadable.append(exc)
            click.echo(f"ogi: error: {exc.one_line()}", err=True)
    if as_json:
        everything = list(results)
        for checked in package_results:
            everything.append(
                ValidationResult(source=", ".join(checked.sources), findings=tuple(checked.structure))
            )
            everything += checked.report_results()
        document = validation_document(everything, lang)
        click.echo(json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False, soft_wrap=True)
        for result in results:
            _print_result(console, result, lang)
        for checked in package_results:
            _print_package(console, checked, lang)
    if unreadable:
        sys.exit(EXIT_INPUT)
    ok = all(r.ok for r in results) and all(p.ok for p in package_results)
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


def _status(message: str) -> None:
    click.echo(f"ogi: {message}", err=True)


def _validate_files(files: Sequence[Path], mode: Mode) -> tuple[list[ValidationResult], list[ReportError]]:
    """Every report of every file (a JSON Lines file holds many); unreadable files reported."""
    results: list[ValidationResult] = []
    unreadable: list[ReportError] = []
    for path in files:
        try:
            for loaded in iter_reports([path]):
                results.append(validate_loaded(loaded, mode=mode))
        except ReportError as exc:
            unreadable.append(exc)
            click.echo(f"ogi: error: {exc.one_line()}", err=True)
    return results, unreadable


@cli.command()
@click.option("-o", "--output", type=click.Path(file_okay=False), default="schemas", show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the files in OUTPUT are not up to date.")
def schema(output: str, check: bool) -> None:
    """Write the JSON Schemas (draft 2020-12) of a report and of the validation output."""
    if check:
        stale = [
            name
            for name, text in schema_texts().items()
            if not (Path(output) / name).is_file() or (Path(output) / name).read_text("utf-8") != text
        ]
        for name in stale:
            click.echo(f"stale: {Path(output) / name}", err=True)
        sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
    for path in write_schemas(output):
        click.echo(str(path))


@cli.command()
@_LANG
@click.option("--markdown", is_flag=True, help="Print the rules documentation (docs/rules.md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead.")
def rules(lang: Lang, markdown: bool, output: str | None) -> None:
    """List the rule catalogue: id, severity and statement in both languages."""
    if markdown:
        text = rules_markdown()
    else:
        lines = [f"rule catalogue {CATALOGUE_VERSION}"]
        for rule in CATALOGUE:
            first, second = (
                (rule.statement_zh, rule.statement_en)
                if lang == "zh"
                else (rule.statement_en, rule.statement_zh)
            )
            lines += [f"{rule.id:<16} {rule.severity.value:<8} {rule.scope}", f"    {first}", f"    {second}"]
        text = "\n".join(lines) + "\n"
    _emit(text, output)


@cli.command()
@click.option("--count", type=click.IntRange(min=0), required=True, help="Number of reports.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same reports.")
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of reports given one injected error (listed in <OUTPUT>.injected.json).",
)
@click.option(
    "--year",
    "years",
    type=click.IntRange(2019, 2100),
    multiple=True,
    help="Reporting year; repeat to spread the reports evenly over several (default 2024).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="JSON Lines file.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def synth(count: int, seed: int, error_rate: float, years: tuple[int, ...], output: str, quiet: bool) -> None:
    """Write COUNT synthetic reports as JSON Lines (one report a line) and the injected errors by line
    number to OUTPUT.injected.json, both atomically."""
    years = years or (2024,)
    try:
        if quiet or not sys.stderr.isatty():
            write_synth(output, count, seed=seed, error_rate=error_rate, years=years)
            return
        # No refresh thread (auto_refresh=False): the bar is redrawn as blocks arrive, and worker
        # processes are forked from a single-threaded process.
        with Progress(console=Console(stderr=True), auto_refresh=False) as bar:
            task = bar.add_task("synth", total=count)
            write_synth(
                output,
                count,
                seed=seed,
                error_rate=error_rate,
                years=years,
                progress=lambda done: bar.update(task, completed=done, refresh=True),
            )
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")


def _is_package(path: Path) -> bool:
    return path.name == DESCRIPTOR or (path.is_dir() and (path / DESCRIPTOR).is_file())


def _print_package(console: Console, validation: PackageValidation, lang: Lang, most: int = 20) -> None:
    """A package's summary: structure findings, counts per rule, and the first reports in detail."""
    results = validation.report_results()
    sources = ", ".join(validation.sources)
    if lang == "zh":
        head = (
            f"{sources}：{validation.reports} 份报告，{len(results)} 份有核对结果，"
            f"结构问题 {len(validation.structure)} 个"
        )
    else:
        head = (
            f"{sources}: {validation.reports} reports, {len(results)} with findings, "
            f"{len(validation.structure)} structural problems"
        )
    console.print(f"[bold {'green' if validation.ok else 'red'}]{escape(head)}[/]")
    if not validation.rules_run:
        console.print(
            "  [red]"
            + ("结构问题使规则无法运行" if lang == "zh" else "rules not run: fix the structure first")
            + "[/]"
        )
    for finding in validation.structure:
        colour = "red" if finding.severity is Severity.ERROR else "yellow"
        console.print(f"  [{colour}]{finding.rule}[/] {escape(finding.message(lang))}", soft_wrap=True)
    totals: Counter[tuple[str, Severity]] = Counter()
    for result in results:
        totals.update(result.counts())
    for (rule, severity), count in sorted(totals.items()):
        console.print(f"  {rule} {severity.value} × {count}")
    for result in results[:most]:
        _print_result(console, result, lang)
    if len(results) > most:
        more = len(results) - most
        console.print(
            f"  … 另有 {more} 份报告（用 --json 查看全部）"
            if lang == "zh"
            else f"  … {more} more reports (--json lists all)"
        )


def _progress_bar(quiet: bool) -> Progress | None:
    """A progress bar on stderr, only for a person at a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return Progress(console=Console(stderr=True), transient=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(file_okay=False), required=True, help="Folder of packages.")
@click.option("--published", is_flag=True, help="Validate as reports read from published pages.")
@click.option(
    "--created", help="Record this creation time (ISO 8601, or 'now') in the descriptors; none by default."
)
@click.option(
    "--license",
    "license_name",
    default=DEFAULT_LICENSE["name"],
    show_default=True,
    help="License name (an Open Definition / CKAN id) for the descriptors.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def package(
    inputs: Sequence[str], output: str, published: bool, created: str | None, license_name: str, quiet: bool
) -> None:
    """Build one Frictionless data package per reporting year from report files (JSON, YAML,
    JSON Lines, or folders of them) into OUTPUT/ogi-reports-YEAR/. Nothing is written unless every
    input can be read."""
    licenses = (
        [dict(DEFAULT_LICENSE)] if license_name == DEFAULT_LICENSE["name"] else [{"name": license_name}]
    )
    if created == "now":
        created = datetime.now(UTC).isoformat(timespec="seconds")
    options = PackageOptions(
        mode="published" if published else "submission", created=created, licenses=licenses
    )
    bar = _progress_bar(quiet)
    try:
        if bar is None:
            folders = build_packages(iter_reports(inputs), output, options)
        else:
            with bar:
                task = bar.add_task("reports", total=None)
                folders = build_packages(
                    iter_reports(inputs), output, options, progress=lambda n: bar.update(task, completed=n)
                )
    except ReportError as exc:
        _fail(exc.one_line() + " (nothing written)")
    for folder in folders:
        click.echo(str(folder / DESCRIPTOR))


@cli.command()
@click.option(
    "--layout",
    "layout_code",
    type=click.Choice(list(LAYOUTS)),
    help="Table layout (default: the report's with --from, else 2021).",
)
@click.option(
    "--from",
    "from_report",
    type=click.Path(dir_okay=False),
    help="Pre-fill the template from this report (JSON, YAML or .xlsx).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The .xlsx file.")
def template(layout_code: str | None, from_report: str | None, output: str) -> None:
    """Write an Excel template laid out as the official tables (元数据, 表二, 表三, 表四, 正文), labels
    locked and input cells validated, optionally pre-filled from a report; written atomically."""
    try:
        report = load_report(from_report) if from_report else None
        if report is not None and layout_code not in (None, report.format):
            raise ReportError(f"the report has layout {report.format}, not {layout_code}", source=from_report)
        write_template(output, layout_code or (report.format if report else "2021"), report)
    except ReportError as exc:
        _fail(exc.one_line())
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
    click.echo(output)


def _print_extraction(extracted: ExtractedReport) -> None:
    """How a page was read, on stderr: notes, warnings, readings, extras and narrative figures."""
    source = extracted.loaded.source or "page"
    lines = [f"{source}: {note}" for note in extracted.notes]
    lines += [f"warning: {warning}" for warning in extracted.warnings]
    lines.append(f"readings ({len(extracted.readings)} cells not read verbatim):")
    for reading in extracted.readings:
        value = reading.to_dict()["value"]
        where = f" at {reading.place}" if reading.place else ""
        lines.append(f"  {reading.path}{where}: {reading.written.strip()!r} -> {value} ({reading.how})")
    lines.append(f"extras ({len(extracted.extras)} rows not in the layout, not read):")
    for extra in extracted.extras:
        lines.append(f"  {extra.table} at {extra.place}: “{extra.label}” {' | '.join(extra.cells)}")
    lines.append(f"narrative figures ({len(extracted.narrative)}):")
    for figure in extracted.narrative:
        value = figure.to_dict()["value"]
        lines.append(f"  {figure.path} = {value}  “{figure.written}” in {figure.section}")
    click.echo("\n".join(lines), err=True)


@cli.command()
@click.argument("page", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report JSON here.")
@click.option("--agency", help="Agency name, for a page whose title does not state it.")
@click.option(
    "--year", type=click.IntRange(2019, 2100), help="Reporting year, for a page that does not state it."
)
@click.option("--quiet", is_flag=True, help="Do not print the readings, extras and narrative figures.")
def extract(page: str, output: str | None, agency: str | None, year: int | None, quiet: bool) -> None:
    """Read a published report page (HTML, or text: pipe-flattened rows, one cell a line or a
    paragraph; UTF-8 or GBK) into the report JSON, printed or written to OUTPUT. Cells not read
    verbatim, rows the layout lacks and the figures the narrative states go to stderr."""
    try:
        extracted = extract_page(Path(page), agency=agency, year=year)
    except ReportError as exc:
        _fail(exc.one_line())
    if not quiet:
        _print_extraction(extracted)
    text = json.dumps(extracted.report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    _emit(text, output)


@cli.command()
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the page here.")
def render(report: str, output: str | None) -> None:
    """Render a report (JSON, YAML, .xlsx or a page) as an HTML5 page in the official layout."""
    try:
        page = render_html(load_report(report))
    except ReportError as exc:
        _fail(exc.one_line())
    if output:
        write_text_atomic(output, page)
        click.echo(output)
    else:
        click.echo(page, nl=False)


def _store_commands() -> None:
    from ogi_report.store.commands import store  # the `ogi store` group (src/ogi_report/store/)

    cli.add_command(store)


_store_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: library errors become one line on stderr and exit 2, never a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="ogi", standalone_mode=True)
    except OgiError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}")
    except Exception as exc:  # a bug: still one line, never a traceback, but a distinct exit code
        click.echo(f"ogi: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
        sys.exit(3)
