"""The `ogi` command: thin commands over the public API. Formatting lives here, logic does not."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from ogi_report.errors import OgiError, ReportError
from ogi_report.fileio import write_text_atomic
from ogi_report.findings import Lang, Severity, ValidationResult
from ogi_report.output import validation_document
from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.rules.docs import rules_markdown
from ogi_report.schema import schema_texts, write_schemas
from ogi_report.synth import write_synth
from ogi_report.validation import validate_file
from ogi_report.versions import CATALOGUE_VERSION, LIBRARY_VERSION

REPORT_SUFFIXES = (".json", ".yaml", ".yml")
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

_LANG = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Message language."
)


def _fail(message: str) -> NoReturn:
    click.echo(f"ogi: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def expand_inputs(paths: Iterable[str]) -> list[Path]:
    """Files as given; a directory stands for the report files directly inside it."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            out.append(path)
    return out


def _print_result(console: Console, result: ValidationResult, lang: Lang) -> None:
    errors, warnings = len(result.errors), len(result.warnings)
    if lang == "zh":
        status = "通过" if result.ok else "未通过"
        head = f"{result.source}：{status}（{errors} 个错误，{warnings} 个警告）"
    else:
        status = "passed" if result.ok else "FAILED"
        head = f"{result.source}: {status} ({errors} errors, {warnings} warnings)"
    console.print(f"[bold {'green' if result.ok else 'red'}]{escape(head)}[/]")
    for (rule, severity), count in result.counts().items():
        colour = "red" if severity is Severity.ERROR else "yellow"
        console.print(f"  [{colour}]{rule}[/] {severity.value} × {count}")
        for finding in result.findings:
            if finding.rule == rule and finding.severity is severity:
                console.print(f"    - {escape(finding.message(lang))}", soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(LIBRARY_VERSION, prog_name="ogi")
def cli() -> None:
    """Validate and publish Open Government Information annual reports (政府信息公开工作年度报告)."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Print one machine-readable JSON document.")
@click.option(
    "--published",
    is_flag=True,
    help="The reports were read from published pages: blank cells are warnings, not errors.",
)
def validate(inputs: Sequence[str], lang: Lang, as_json: bool, published: bool) -> None:
    """Validate report files (JSON or YAML; a directory means the report files in it).

    Exit 0: no error finding; 1: at least one error finding; 2: an input could not be read.
    """
    results: list[ValidationResult] = []
    unreadable: list[ReportError] = []
    paths = expand_inputs(inputs)
    if not paths:
        _fail(f"no report files ({', '.join(REPORT_SUFFIXES)}) in {', '.join(inputs)}")
    for path in paths:
        try:
            results.append(validate_file(path, mode="published" if published else "submission"))
        except ReportError as exc:
            unreadable.append(exc)
            click.echo(f"ogi: error: {exc.one_line()}", err=True)
    if as_json:
        document = validation_document(results, lang)
        click.echo(json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False, soft_wrap=True)
        for result in results:
            _print_result(console, result, lang)
    if unreadable:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS)


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
    if output:
        write_text_atomic(output, text)
        click.echo(output)
    else:
        click.echo(text, nl=False)


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
