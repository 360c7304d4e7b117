"""The `ogi` command: thin commands over the public API. Formatting lives here, logic does not."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NoReturn

import click

from ogi_report.errors import OgiError, ReportError
from ogi_report.fileio import STDOUT, replaces_file, resolve_output, write_bytes_atomic, write_text_atomic
from ogi_report.layout import LAYOUTS, SECTIONS
from ogi_report.limits import Limits, use_limits
from ogi_report.package import DEFAULT_LICENSE, DESCRIPTOR
from ogi_report.versions import LIBRARY_VERSION

# Start-up: `ogi --help` and `ogi --version` load click and the names above only. Models, rules,
# rich, DuckDB, openpyxl and lxml are imported by the commands that use them.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from ogi_report.findings import Lang, Severity, ValidationResult
    from ogi_report.package.bulk import PackageValidation
    from ogi_report.readers.page import ExtractedReport
    from ogi_report.rules.engine import Mode

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

_LANG = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language."
)


class OutputFile(click.Path):
    """`-o FILE` of a command that writes one file: a path, or `-` for standard output (STDOUT).
    Where the bytes go is fileio's business: a regular or new file is replaced atomically, a link
    followed, a device, named pipe or socket written in place."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, allow_dash=True)

    def convert(
        self, value: str | os.PathLike[str], param: click.Parameter | None, ctx: click.Context | None
    ) -> str | bytes | os.PathLike[str]:
        path = super().convert(value, param, ctx)
        return STDOUT if path == "-" else path


def _written(output: str) -> None:
    """Name the file written, unless it went to standard output (where the name would be content:
    `-o -`, `-o /dev/stdout` or any link to our descriptor 1)."""
    if output != STDOUT and resolve_output(output) != 1:
        click.echo(output)


def _folder(output: str) -> str:
    """`-o DIR` of a command that writes many files: `-` cannot hold them."""
    if output == "-":
        _fail("-o -: standard output cannot hold several files; give a folder")
    return output


def _emit(text: str, output: str | None) -> None:
    """Text to a file (its name echoed) or to standard output."""
    if output:
        write_text_atomic(output, text)
        _written(output)
    else:
        click.echo(text, nl=False)


def _fail(message: str) -> NoReturn:
    click.echo(f"ogi: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def expand_inputs(paths: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """(report files, package descriptors). A directory stands for its package if it holds a
    datapackage.json, else for the report files directly inside it."""
    from ogi_report.readers import REPORT_SUFFIXES

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


_SEVERITY_ZH = {"error": "错误", "warning": "警告"}  # by Severity's values (models load on use)


def _severity(severity: Severity, lang: Lang) -> str:
    return _SEVERITY_ZH[severity] if lang == "zh" else severity.value


def _print_result(console: Console, result: ValidationResult, lang: Lang) -> None:
    from rich.markup import escape

    from ogi_report.findings import Severity

    errors, warnings, explained = len(result.errors), len(result.warnings), len(result.explained)
    if lang == "zh":
        status = "通过" if result.ok else "未通过"
        told = f"，{explained} 个已说明" if explained else ""
        head = f"{result.source}：{status}（{errors} 个错误，{warnings} 个警告{told}）"
    else:
        status = "passed" if result.ok else "FAILED"
        told = f", {explained} explained" if explained else ""
        head = f"{result.source}: {status} ({errors} errors, {warnings} warnings{told})"
    console.print(f"[bold {'green' if result.ok else 'red'}]{escape(head)}[/]")
    for note in result.notes:  # the source was not laid out exactly as the official tables
        label = "读取说明：" if lang == "zh" else "reading: "
        console.print(f"  [yellow]{label}[/]{escape(note.message(lang))}", soft_wrap=True)
    for (rule, severity), count in result.counts().items():
        colour = "red" if severity is Severity.ERROR else "yellow"
        console.print(f"  [{colour}]{rule}[/] {_severity(severity, lang)} × {count}")
        for finding in result.findings:
            if finding.rule == rule and finding.severity is severity:
                console.print(f"    - {escape(finding.message(lang))}", soft_wrap=True)
                explanation = result.explanation(finding)
                if explanation is not None:
                    said = "说明" if lang == "zh" else "explained"
                    console.print(f"      [cyan]{said}[/]: {escape(explanation.text)}", soft_wrap=True)
    for stale in result.stale:
        said = "过期说明（该核对结果已不存在）" if lang == "zh" else "stale explanation (no such finding)"
        console.print(f"  [yellow]{said}[/] {stale.fingerprint}: {escape(stale.text)}", soft_wrap=True)


class _Ogi(click.Group):
    """The `ogi` group. Command groups that pull in heavy libraries (the store: DuckDB, PostgreSQL,
    charts) are loaded only when named, so `ogi --help` and every other command start at once; their
    line in the help is their docstring's first line, kept here."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "store": (
            "ogi_report.store.commands",
            "The platform's store: report versions with history, roll-ups, findings, export and charts.",
        ),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            import importlib

            module = importlib.import_module(self.LAZY[cmd_name][0])
            self.add_command(getattr(module, cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in self.LAZY and name not in self.commands:
                stand_in = click.Command(name, help=self.LAZY[name][1])  # shortened as click shortens
                rows.append((name, stand_in.get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Ogi, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--accept-explained",
    is_flag=True,
    help="Exit 0 when every error finding is explained by the report (its `explanations`).",
)
@click.option("--quiet", is_flag=True, help="No progress display.")
def validate(
    inputs: Sequence[str],
    lang: Lang,
    as_json: bool,
    published: bool,
    allow_unsafe_paths: bool,
    accept_explained: bool,
    quiet: bool,
) -> None:
    """Validate report files (JSON, YAML, JSON Lines; a directory means the report files in it)
    and data packages (a datapackage.json, or a directory holding one).

    Exit 0: no error finding (with --accept-explained: none unexplained); 1: at least one error
    finding; 2: an input could not be read.
    """
    from ogi_report.findings import ValidationResult
    from ogi_report.readers import REPORT_SUFFIXES

    mode: Mode = "published" if published else "submission"
    files, packages = expand_inputs(inputs)
    if not files and not packages:
        _fail(f"no report files ({', '.join(REPORT_SUFFIXES)}) or packages in {', '.join(inputs)}")
    results, unreadable = _validate_files(files, mode)
    package_results: list[PackageValidation] = []
    if packages:
        from ogi_report.package.bulk import validate_package  # DuckDB only for packages

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
        from ogi_report.output import validation_document

        document = validation_document(everything, lang)
        click.echo(document.model_dump_json(indent=2))  # in pydantic-core: the same text as json.dumps
    else:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for result in results:
            _print_result(console, result, lang)
        for checked in package_results:
            _print_package(console, checked, lang)
    if unreadable:
        sys.exit(EXIT_INPUT)
    ok = all(r.accepted if accept_explained else r.ok for r in results) and all(
        p.accepted if accept_explained else p.ok for p in package_results
    )
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


def _status(message: str) -> None:
    click.echo(f"ogi: {message}", err=True)


def _validate_files(files: Sequence[Path], mode: Mode) -> tuple[list[ValidationResult], list[ReportError]]:
    """Every report of every file (a JSON Lines file holds many); unreadable files reported. Word
    97–2003 documents are read first, together (LibreOffice converts them in one run)."""
    from ogi_report.readers import iter_reports
    from ogi_report.readers.dispatch import extract_documents, is_word_97
    from ogi_report.validation import validate_loaded

    words = [p for p in files if is_word_97(p)]
    read_first = dict(extract_documents(words)) if len(words) > 1 else {}
    results: list[ValidationResult] = []
    unreadable: list[ReportError] = []
    for path in files:
        try:
            first = read_first.get(path)
            if isinstance(first, ReportError):
                raise first
            for loaded in [first.loaded] if first is not None else iter_reports([path]):
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
    from ogi_report.schema import schema_texts, write_schemas

    _folder(output)
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
@click.option("-o", "--output", type=OutputFile(), help="Write to this file instead ('-': standard output).")
def rules(lang: Lang, markdown: bool, output: str | None) -> None:
    """List the rule catalogue: id, severity and statement in both languages."""
    from ogi_report.package.docs import rules_documentation
    from ogi_report.rules.catalogue import CATALOGUE, CATALOGUE_VERSION

    if markdown:
        text = rules_documentation()
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
    help="Share of reports given one injected error (listed in the --injected file).",
)
@click.option(
    "--year",
    "years",
    type=click.IntRange(2019, 2100),
    multiple=True,
    help="Reporting year; repeat to spread the reports evenly over several (default 2024).",
)
@click.option(
    "-o", "--output", type=OutputFile(), required=True, help="JSON Lines file ('-': standard output)."
)
@click.option(
    "--injected",
    type=click.Path(dir_okay=False),
    help="Write the injected errors here [default: OUTPUT.injected.json if OUTPUT is a file; "
    "none for standard output, a device, pipe or socket].",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def synth(
    count: int,
    seed: int,
    error_rate: float,
    years: tuple[int, ...],
    output: str,
    injected: str | None,
    quiet: bool,
) -> None:
    """Write COUNT synthetic reports as JSON Lines (one report a line) and the injected errors by line
    number (1-based) as JSON to the --injected file, both atomically when they are regular files.

    The injected errors go beside a file OUTPUT by default; with `-o -` (standard output) or a
    device, pipe or socket as OUTPUT they are not written unless --injected names where."""
    from ogi_report.synth import write_synth

    years = years or (2024,)
    sidecar: str | bool = injected if injected else replaces_file(output)
    try:
        if quiet or not sys.stderr.isatty():
            write_synth(output, count, seed=seed, error_rate=error_rate, years=years, injected=sidecar)
            return
        # No refresh thread (auto_refresh=False): the bar is redrawn as blocks arrive, and worker
        # processes are forked from a single-threaded process.
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), auto_refresh=False) as bar:
            task = bar.add_task("synth", total=count)
            write_synth(
                output,
                count,
                seed=seed,
                error_rate=error_rate,
                years=years,
                injected=sidecar,
                progress=lambda done: bar.update(task, completed=done, refresh=True),
            )
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")


def _is_package(path: Path) -> bool:
    return path.name == DESCRIPTOR or (path.is_dir() and (path / DESCRIPTOR).is_file())


def _print_package(console: Console, validation: PackageValidation, lang: Lang, most: int = 20) -> None:
    """A package's summary: structure findings, counts per rule, and the first reports in detail."""
    from rich.markup import escape

    from ogi_report.findings import Severity

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
        console.print(f"  {rule} {_severity(severity, lang)} × {count}")
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
    """A progress bar on stderr, only for a person at a terminal; redrawn when told (no refresh
    thread: worker processes are forked from a single-threaded process)."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True, auto_refresh=False)


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
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes reading and validating reports [default: one per CPU]; 1: none.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def package(
    inputs: Sequence[str],
    output: str,
    published: bool,
    created: str | None,
    license_name: str,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Build one Frictionless data package per reporting year from report files (JSON, YAML,
    JSON Lines, or folders of them) into OUTPUT/ogi-reports-YEAR/. Nothing is written unless every
    input can be read. A link as OUTPUT is followed: the packages go into the folder it names."""
    from ogi_report.package.build import PackageOptions, build_packages_from

    _folder(output)
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
            folders = build_packages_from(inputs, output, options, jobs=jobs)
        else:
            with bar:
                task = bar.add_task("reports", total=None)
                folders = build_packages_from(
                    inputs,
                    output,
                    options,
                    jobs=jobs,
                    progress=lambda n: bar.update(task, completed=n, refresh=True),
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
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    required=True,
    help="The .xlsx or .docx file ('-': standard output).",
)
@click.option(
    "--format", "file_format", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
    help="An Excel workbook, or a Word document as agencies write the report.",
)  # fmt: skip
def template(layout_code: str | None, from_report: str | None, output: str, file_format: str) -> None:
    """Write an Excel template laid out as the official tables (元数据, 表二, 表三, 表四, 正文), labels
    locked and input cells validated, or (--format docx) a Word document with the title, the six
    sections and the official tables; optionally pre-filled from a report; written atomically."""
    from ogi_report.readers import load_report

    try:
        report = load_report(from_report) if from_report else None
        if report is not None and layout_code not in (None, report.format):
            raise ReportError(f"the report has layout {report.format}, not {layout_code}", source=from_report)
        code = layout_code or (report.format if report else "2021")
        if file_format == "docx":
            from ogi_report.writers.docx_render import docx_bytes

            write_bytes_atomic(output, docx_bytes(LAYOUTS[code], report))
        else:
            from ogi_report.writers.excel_template import write_template  # openpyxl

            write_template(output, code, report)
    except ReportError as exc:
        _fail(exc.one_line())
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
    _written(output)


_EXTRACTION = {
    "zh": {
        "source": "{source}：{note}",
        "warning": "警告：{note}",
        "readings": "读取记录（{n} 个单元格不是按原样读取）：",
        "extras": "附加行（{n} 行不在版式的表中，未读入）：",
        "extra": "  {table}（{place}）：“{label}” {cells}",
        "narrative": "正文中的数字（{n} 个）：",
        "figure": "  {path} = {value}  “{written}”（{section}）",
    },
    "en": {
        "source": "{source}: {note}",
        "warning": "warning: {note}",
        "readings": "readings ({n} cells not read verbatim):",
        "extras": "extras ({n} rows not in the layout, not read):",
        "extra": "  {table} at {place}: '{label}' {cells}",
        "narrative": "narrative figures ({n}):",
        "figure": "  {path} = {value}  '{written}' in {section}",
    },
}


def _print_extraction(extracted: ExtractedReport, lang: Lang) -> None:
    """How a page was read, on stderr: notes, warnings, readings, extras and narrative figures."""
    from ogi_report.notes import place_words

    words = _EXTRACTION[lang]
    # a section by its code in English, by its heading in Chinese
    section_names = {s.code: s.code if lang == "en" else s.label for s in SECTIONS}
    source = extracted.loaded.source or "page"
    lines = [words["source"].format(source=source, note=n.message(lang)) for n in extracted.notes]
    lines += [words["warning"].format(note=w.message(lang)) for w in extracted.warnings]
    lines.append(words["readings"].format(n=len(extracted.readings)))
    lines += [f"  {reading.message(lang)}" for reading in extracted.readings]
    lines.append(words["extras"].format(n=len(extracted.extras)))
    for extra in extracted.extras:
        cells = extra.params.get("cells", ())
        shown = " | ".join(cells) if isinstance(cells, tuple) else str(cells)
        table = extra.params.get("table")
        place = place_words(extra.cell or "", lang)
        lines.append(words["extra"].format(table=table, place=place, label=extra.written, cells=shown))
    lines.append(words["narrative"].format(n=len(extracted.narrative)))
    for figure in extracted.narrative:
        value = figure.to_dict()["value"]
        section = section_names.get(figure.section or "", figure.section)
        lines.append(
            words["figure"].format(path=figure.path, value=value, written=figure.written, section=section)
        )
    click.echo("\n".join(lines), err=True)


@cli.command()
@click.argument("page", type=click.Path())
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    help="Write the report JSON here ('-': standard output; for a folder: the JSON Lines file, required).",
)
@click.option("--agency", help="Agency name, for a page whose title does not state it.")
@click.option(
    "--year", type=click.IntRange(2019, 2100), help="Reporting year, for a page that does not state it."
)
@click.option("--quiet", is_flag=True, help="Do not print the readings, extras and narrative figures.")
@_LANG
def extract(
    page: str, output: str | None, agency: str | None, year: int | None, quiet: bool, lang: Lang
) -> None:
    """Read a published report (a Word document, a PDF with a text layer, or a page: HTML, or text:
    pipe-flattened rows, one cell a line or a paragraph; UTF-8 or GBK) into the report JSON, printed
    or written to OUTPUT. Cells not read verbatim, rows the layout lacks and the figures the narrative
    states go to stderr, in the language of --lang.

    PAGE may be a folder: its pages and documents (.html, .htm, .txt, .docx, .pdf) are read into
    OUTPUT as JSON Lines, one report a line (what `ogi package` takes), with a closing summary on
    stderr."""
    from ogi_report.readers.dispatch import extract_document

    if Path(page).is_dir():
        if not output:
            _fail(f"{page}: a folder of pages needs -o/--output (a .jsonl file)")
        _extract_folder(Path(page), output, agency=agency, year=year, quiet=quiet, lang=lang)
        return
    try:
        extracted = extract_document(Path(page), agency=agency, year=year)
    except ReportError as exc:
        _fail(exc.one_line())
    if not quiet:
        _print_extraction(extracted, lang)
    text = json.dumps(extracted.report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    _emit(text, output)


_FOLDER_SUMMARY = {
    "zh": {
        "task": "文件",
        "head": "{folder}：共 {pages} 个文件；已读取 {read} 个（{clean} 个无警告，{warned} 个有警告）；"
        "{failed} 个未能读取",
        "warned": "  有警告：{name}（{count} 条）",
        "failed": "  未能读取：{name}：{why}",
    },
    "en": {
        "task": "files",
        "head": "{folder}: {pages} files; {read} read ({clean} cleanly, {warned} with warnings); "
        "{failed} not read",
        "warned": "  with warnings: {name} ({count})",
        "failed": "  not read: {name}: {why}",
    },
}


def _extract_folder(
    folder: Path, output: str, *, agency: str | None, year: int | None, quiet: bool, lang: Lang
) -> None:
    """Every page of a folder into one JSON Lines file (written atomically), a progress bar on a
    terminal and a summary on stderr in the language of --lang: read, read with warnings, not read
    and why (the reader's error, as `ogi` words its errors)."""
    from ogi_report.readers.dispatch import DOCUMENT_SUFFIXES, extract_documents

    words = _FOLDER_SUMMARY[lang]
    pages = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
    lines: list[str] = []
    warned: list[tuple[Path, int]] = []
    failed: list[tuple[Path, str]] = []
    bar = _progress_bar(quiet)
    task = bar.add_task(words["task"], total=len(pages)) if bar is not None else None
    with bar if bar is not None else contextlib.nullcontext():
        for number, (path, extracted) in enumerate(extract_documents(pages, agency=agency, year=year), 1):
            if isinstance(extracted, ReportError):
                failed.append((path, extracted.message))
            else:
                lines.append(json.dumps(extracted.report.to_dict(), ensure_ascii=False) + "\n")
                if extracted.warnings:
                    warned.append((path, len(extracted.warnings)))
            if bar is not None and task is not None:
                bar.update(task, completed=number, refresh=True)
    try:
        write_text_atomic(output, "".join(lines))
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
    summary = [
        words["head"].format(
            folder=folder,
            pages=len(pages),
            read=len(lines),
            clean=len(lines) - len(warned),
            warned=len(warned),
            failed=len(failed),
        )
    ]
    summary += [words["warned"].format(name=path.name, count=count) for path, count in warned]
    summary += [words["failed"].format(name=path.name, why=why) for path, why in failed]
    click.echo("\n".join(summary), err=True)
    _written(output)
    if not lines:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=OutputFile(), help="Write the page here ('-': standard output).")
@click.option(
    "--format", "file_format", type=click.Choice(["html", "docx"]), default="html", show_default=True,
    help="An HTML5 page, or a Word document (needs -o).",
)  # fmt: skip
def render(report: str, output: str | None, file_format: str) -> None:
    """Render a report (JSON, YAML, .xlsx, Word, PDF or a page) as an HTML5 page, or a Word document,
    in the official layout."""
    from ogi_report.readers import load_report

    try:
        loaded = load_report(report)
        if file_format == "docx":
            from ogi_report.writers.docx_render import render_docx

            if not output:
                raise ReportError("a Word document is written to a file: give -o FILE.docx")
            write_bytes_atomic(output, render_docx(loaded))
            _written(output)
            return
        from ogi_report.writers.html_render import render_html

        page = render_html(loaded)
    except ReportError as exc:
        _fail(exc.one_line())
    _emit(page, output)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--access-log", is_flag=True, help="Log every request (off: uploads' names stay unlogged).")
@click.option(
    "--db",
    envvar="OGI_STORE",
    help="A store (DuckDB file or postgresql:// URL): serve its roll-ups and charts under /platform.",
)
def serve(host: str, port: int, workers: int, access_log: bool, db: str | None) -> None:
    """Serve the publisher's desk: upload or fill in a report, see it in the official layout with its
    findings, explain them, download it; and the API (POST /api/validate, /openapi.json). Uploads
    are bounded by the limits (--limit file_bytes=…) and never kept. With --db, the platform's pages
    over a store (read-only): /platform."""
    from ogi_report.web.serve import run  # FastAPI and Uvicorn only for this command

    run(host, port, workers, access_log, db)


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
