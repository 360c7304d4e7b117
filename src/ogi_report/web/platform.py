"""The platform's pages (`ogi serve --db`): thin routes over the store's public functions.

`GET /platform` (the years with report counts), `GET /platform/{year}?division=&level=&kind=` (a
region's roll-up in the official layout, each cell with its blank count, the sub-divisions to drill
down to, the charts), `GET /platform/{year}/report.json` (a roll-up as report JSON), `GET
/platform/chart/{kind}.svg`. The store is opened read-only for each request; nothing is shared.
Without a store every `/platform` address answers 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ogi_report.layout import LAYOUTS
from ogi_report.layout.grid import table_grid
from ogi_report.model.metadata import Kind
from ogi_report.store.chart import ChartKind as ChartName
from ogi_report.store.schema import REGION_DIGITS
from ogi_report.store.schema import Level as RegionLevel
from ogi_report.web.i18n import Lang, lang_of
from ogi_report.web.view import GridCell

CHARTS: tuple[ChartName, ...] = ("trend", "outcomes", "review")
# Each level's next one down, in the order the store declares the levels (GB/T 2260).
_CHILD: dict[str, RegionLevel] = dict(zip(REGION_DIGITS, list(REGION_DIGITS)[1:], strict=False))
NO_STORE = "the platform needs a store: start the desk with ogi serve --db PATH_OR_URL"
Page = Callable[..., Response]


@dataclass(frozen=True)
class SumCell(GridCell):
    """A cell of a drawn roll-up, with the count of reports that left it blank."""

    blanks: int = 0
    value_is: str = ""  # "lower_bound" or "partial_sum" when some reports left the cell blank


@dataclass(frozen=True)
class SumTable:
    code: str
    label: str
    rows: tuple[tuple[SumCell, ...], ...]


@dataclass(frozen=True)
class SumView:
    division: str
    layout: str
    reports: int
    blank_cells: int
    other_layouts: dict[str, int]
    tables: tuple[SumTable, ...]
    download: str


@dataclass(frozen=True)
class Region:
    division: str
    reports: int
    href: str


@contextmanager
def _opened(url: str) -> Iterator[Any]:
    from ogi_report.store import Store, StoreError

    try:
        store = Store.open(url, read_only=True)
    except StoreError as exc:
        raise HTTPException(503, f"the store cannot be opened: {exc.one_line()}") from None
    try:
        yield store
    finally:
        store.close()


def _division(division: str | None) -> int | None:
    """The significant digits of a division code (422 if it is not one)."""
    if division is None:
        return None
    from ogi_report.store.schema import division_prefix

    try:
        return division_prefix(division)
    except ValueError as exc:
        raise HTTPException(422, f"division: {exc}") from None


def _known_year(store: Any, year: int) -> None:
    if year not in dict(store.years()):
        raise HTTPException(404, f"no reports of {year} in the store")


def _href(path: str, **query: Any) -> str:
    kept = {k: v for k, v in query.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


def _view(summary: Any, lang: Lang, kind: str | None) -> SumView:
    layout = LAYOUTS[summary.layout]
    marks = summary.cells()
    tables = []
    for table in layout.tables:
        values = summary.report.get(table.code) or {}
        rows = []
        for grid_row in table_grid(table).by_row():
            cells = []
            for cell in grid_row:
                value, blanks, value_is = "", 0, ""
                if cell.path is not None:
                    _, row, column = cell.path.split(".")
                    found = (values.get(row) or {}).get(column)
                    value = "" if found is None else str(found)
                    mark = marks.get(cell.path)
                    if mark is not None:
                        blanks, value_is = int(mark["blank"]), str(mark["value_is"])
                cells.append(
                    SumCell(
                        cell.role, cell.text, cell.rowspan, cell.colspan, cell.path, value, blanks, value_is
                    )
                )
            rows.append(tuple(cells))
        label = table.label if lang == "zh" else f"{table.label} ({table.en})"
        tables.append(SumTable(table.code, label, tuple(rows)))
    download = _href(
        f"/platform/{summary.year}/report.json",
        division=summary.division,
        kind=kind,
        layout=summary.layout,
    )
    return SumView(
        summary.division,
        summary.layout,
        summary.reports,
        len(summary.blanks),
        dict(summary.other_layouts),
        tuple(tables),
        download,
    )


def _level_of(size: int) -> RegionLevel:
    return next(name for name, digits in REGION_DIGITS.items() if digits == size)


def mount_platform(app: FastAPI, store_url: str | None, page: Page) -> None:
    """Add the `/platform` routes to the desk (404 everywhere without a store)."""
    if store_url is None:

        @app.get("/platform", include_in_schema=False)
        @app.get("/platform/{rest:path}", include_in_schema=False)
        async def no_platform() -> Response:
            raise HTTPException(404, NO_STORE)

        return
    url = store_url

    @app.get("/platform", response_class=HTMLResponse, include_in_schema=False)
    def years_page(request: Request, lang: str | None = None) -> Response:
        chosen = lang_of(lang)
        with _opened(url) as store:
            years = store.years()
        rows = [(year, n, _href(f"/platform/{year}", level="province", lang=chosen)) for year, n in years]
        return page(request, "platform.html", chosen, years=rows, switch=_switch(request, chosen))

    @app.get("/platform/chart/{name}.svg", include_in_schema=False)
    def chart(name: ChartName, division: str | None = None, year: int | None = None) -> Response:
        from ogi_report.store import StoreError, chart_svg

        _division(division)
        with _opened(url) as store:
            try:
                svg = chart_svg(store, name, division=division, year=year)
            except StoreError as exc:
                raise HTTPException(404, exc.one_line()) from None
        return Response(svg, media_type="image/svg+xml")

    @app.get("/platform/{year}/report.json", include_in_schema=False)
    def report_json(
        year: int, division: str, kind: Kind | None = None, layout: str | None = None
    ) -> Response:
        from ogi_report.store import rollup

        _division(division)
        with _opened(url) as store:
            _known_year(store, year)
            summaries = rollup(store, year, division=division, kind=kind).summaries
        chosen = [s for s in summaries if layout is None or s.layout == layout]
        if not chosen:
            raise HTTPException(404, f"no reports of {year} in division {division}")
        body = json.dumps(chosen[0].report, ensure_ascii=False, indent=1) + "\n"
        name = f"ogi-rollup-{year}-{division}-{chosen[0].layout}.json"
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        return Response(body.encode(), media_type="application/json", headers=headers)

    @app.get("/platform/{year}", response_class=HTMLResponse, include_in_schema=False)
    def year_page(
        request: Request,
        year: int,
        division: str | None = None,
        level: RegionLevel | None = None,
        kind: Kind | None = None,
        lang: str | None = None,
    ) -> Response:
        from ogi_report.store import rollup

        chosen = lang_of(lang)
        size = _division(division)
        with _opened(url) as store:
            _known_year(store, year)
            summaries: list[Any] = []
            if division is not None:
                summaries = rollup(store, year, division=division, kind=kind).summaries
                if not summaries:
                    raise HTTPException(404, f"no reports of {year} in division {division}")
            child = _CHILD.get(_level_of(size)) if size is not None else (level or "province")
            regions: list[Region] = []
            if child is not None:
                found = rollup(store, year, level=child, kind=kind)
                prefix = division[: size or 0] if division is not None else ""
                counts: dict[str, int] = {}
                for s in found.summaries:
                    if s.division.startswith(prefix) and s.division != division:
                        counts[s.division] = counts.get(s.division, 0) + s.reports
                regions = [
                    Region(d, n, _href(f"/platform/{year}", division=d, kind=kind, lang=chosen))
                    for d, n in sorted(counts.items())
                ]
        views = [_view(s, chosen, kind) for s in summaries]
        charts = [
            _href(f"/platform/chart/{name}.svg", division=division, year=None if name == "trend" else year)
            for name in CHARTS
        ]
        kinds = [
            (k, _href(f"/platform/{year}", division=division, level=level, kind=k, lang=chosen))
            for k in (None, "government", "department")
        ]
        return page(
            request,
            "platform_year.html",
            chosen,
            year=year,
            division=division,
            kind=kind,
            child=child,
            summaries=views,
            regions=regions,
            charts=charts if division is not None else [],
            kinds=kinds,
            up=_up(year, division, size, kind, chosen),
            switch=_switch(request, chosen),
        )


def _up(year: int, division: str | None, size: int | None, kind: str | None, lang: Lang) -> str:
    """The page one level up: the parent region, or the year's provinces, or the years."""
    if division is None or size is None:
        return _href("/platform", lang=lang)
    if size == 2:
        return _href(f"/platform/{year}", level="province", kind=kind, lang=lang)
    parent = division[: size - 2].ljust(6, "0")
    return _href(f"/platform/{year}", division=parent, kind=kind, lang=lang)


def _switch(request: Request, lang: Lang) -> str:
    """This page in the other language (the query kept)."""
    query = dict(request.query_params)
    query["lang"] = "en" if lang == "zh" else "zh"
    return f"{request.url.path}?{urlencode(query)}"
