"""`ogi store …`: thin click commands over the store API (registered by ogi_report.cli)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import click

from ogi_report.fileio import write_text_atomic
from ogi_report.findings import Lang
from ogi_report.package.resources import fields_of
from ogi_report.store.schema import REGION_DIGITS

_DB = click.option(
    "--db",
    default="ogi.duckdb",
    show_default=True,
    envvar="OGI_STORE",
    help="A DuckDB file, or a postgresql:// URL (also from the environment: OGI_STORE).",
)
_AS_OF = click.option("--as-of", help="An ingest number or an ISO time: the store as it was then.")


@click.group()
def store() -> None:
    """The platform's store: report versions with history, roll-ups, findings, export and charts."""


@store.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@_DB
@click.option("--accept-findings", is_flag=True, help="Store input that fails validation, with its findings.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for a busy DuckDB file.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
def ingest(inputs: tuple[str, ...], db: str, accept_findings: bool, wait: float, quiet: bool) -> None:
    """Validate packages or report files and load them into the store, in one transaction."""
    from ogi_report.store import Store

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    with Store.open(db, wait=wait) as opened:
        result = opened.ingest(inputs, accept_findings=accept_findings, progress=say)
    label = f"ingest {result.ingest_id}" if result.ingest_id else "nothing changed"
    click.echo(
        f"{label}: {result.added} new, {result.superseding} superseding, {result.unchanged} unchanged; "
        f"{result.findings} findings, {result.cross_year_findings} cross-year findings"
    )


@store.command()
@click.argument("report_id")
@_DB
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
def history(report_id: str, db: str, as_json: bool) -> None:
    """The versions of a report and what changed, cell by cell."""
    from ogi_report.store import Store

    with Store.open(db, read_only=True) as opened:
        versions = opened.history(report_id)
    if not versions:
        raise click.ClickException(f"no report {report_id} in the store")
    if as_json:
        click.echo(json.dumps([_plain(v.__dict__) for v in versions], ensure_ascii=False, indent=1))
        return
    for v in versions:
        state = "latest" if v.superseded_by is None else f"superseded by ingest {v.superseded_by}"
        click.echo(
            f"version {v.version_id}  ingest {v.ingest_id}  {v.at}  sha256:{v.content_hash[:16]}…  {state}"
        )
        for change in v.changes:
            click.echo(f"  {change.cell}: {change.before!r} -> {change.after!r}")


_KINDS = next(f for f in fields_of("reports") if f.name == "agency_kind").constraints or {}


@store.command()
@click.option("--year", type=int, required=True)
@click.option("--division", help="A GB/T 2260 code: the province, prefecture or county it names.")
@click.option("--level", type=click.Choice(list(REGION_DIGITS)), help="Every region of a level.")
@click.option("--kind", type=click.Choice(_KINDS["enum"]), help="Only this kind of agency.")
@_AS_OF
@_DB
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=".json (one) or .jsonl")
def rollup(
    year: int, division: str | None, level: Any, kind: str | None, as_of: str | None, db: str, output: str
) -> None:
    """Sum a region's reports into reports of the same layout; blanks per cell in OUTPUT.cells.json."""
    from ogi_report.store import Store
    from ogi_report.store import rollup as run

    with Store.open(db, read_only=True) as opened:
        result = run(opened, year, division=division, level=level, kind=kind, as_of=as_of)
    reports = [s.report for s in result.summaries]
    if output.endswith(".jsonl"):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports)
    elif len(reports) == 1:
        text = json.dumps(reports[0], ensure_ascii=False, indent=1) + "\n"
    else:
        raise click.ClickException(
            f"{len(reports)} summaries (regions or layouts): write them to a .jsonl file"
        )
    write_text_atomic(
        output + ".cells.json", json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"
    )
    write_text_atomic(output, text)
    for s in result.summaries:
        extra = f"; also {s.other_layouts} in other layouts" if s.other_layouts else ""
        click.echo(f"{s.division} {s.layout}: {s.reports} reports, {len(s.blanks)} cells with blanks{extra}")
    click.echo(f"{result.outside_regions} report(s) without a division code, outside every region")


@store.command()
@click.option("--year", type=int)
@click.option("--rule", help="Only this rule (e.g. Y-CARRY).")
@_AS_OF
@_DB
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.option("--lang", type=click.Choice(get_args(Lang)), default="zh", show_default=True)
def findings(
    year: int | None, rule: str | None, as_of: str | None, db: str, as_json: bool, lang: str
) -> None:
    """The stored findings (single-report and cross-year) of the latest reports."""
    from ogi_report.store import Store

    with Store.open(db, read_only=True) as opened:
        rows = opened.findings(year=year, rule=rule, as_of=as_of)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        click.echo(f"{row['report_id']}  {row['rule']} {row['severity']}  {row['message_' + lang]}")
    click.echo(f"{len(rows)} finding(s)")


@store.command()
@click.option("--parquet", "directory", required=True, type=click.Path(file_okay=False))
@_AS_OF
@_DB
def export(directory: str, as_of: str | None, db: str) -> None:
    """Write the latest reports and the long tables as Parquet, partitioned by year and province."""
    from ogi_report.store import Store, export_parquet

    with Store.open(db, read_only=True) as opened:
        for path in export_parquet(opened, directory, as_of=as_of):
            click.echo(str(path))


@store.command()
@click.argument("kind", type=click.Choice(["trend", "outcomes", "review"]))
@click.option("--division", help="A GB/T 2260 code: only that region's reports.")
@click.option("--year", type=int, help="outcomes, review: the year (default: the latest).")
@_DB
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .svg file.")
def chart(kind: Any, division: str | None, year: int | None, db: str, output: str) -> None:
    """A chart of the store as SVG (Vega-Lite, rendered without a browser)."""
    from ogi_report.store import Store, chart_svg

    with Store.open(db, read_only=True) as opened:
        svg = chart_svg(opened, kind, division=division, year=year)
    write_text_atomic(output, svg)
    click.echo(output)


@store.command()
@_DB
def ingests(db: str) -> None:
    """The ingests so far (their numbers are what --as-of takes)."""
    from ogi_report.store import Store

    with Store.open(db, read_only=True) as opened:
        for number, at, added, superseding, unchanged in opened.ingests():
            click.echo(f"{number}  {at}  {added} new, {superseding} superseding, {unchanged} unchanged")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return _plain(value.__dict__)
    if isinstance(value, Path):
        return str(value)
    return value if isinstance(value, int | str | float | bool | type(None)) else str(value)
