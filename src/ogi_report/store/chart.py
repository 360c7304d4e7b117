"""Charts of the store as Vega-Lite (Altair), rendered to SVG without a browser (vl-convert), with
Chinese labels in a CJK font. Labels come from the layout registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from ogi_report.layout import LAYOUT_2021
from ogi_report.store.backend import StoreError
from ogi_report.store.core import Store
from ogi_report.store.schema import division_prefix, long_view_sql

ChartKind = Literal["trend", "outcomes", "review"]
CJK_FONT = "Noto Sans CJK SC"
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts")
_registered: list[str] = []


def register_fonts() -> list[str]:
    """Register the system's font folders with vl-convert (once); return those registered."""
    import vl_convert

    if not _registered:
        for folder in FONT_DIRS:
            if Path(folder).is_dir():
                vl_convert.register_font_directory(folder)
                _registered.append(folder)
    return list(_registered)


def _where(division: str | None) -> tuple[str, list[Any]]:
    if division is None:
        return "1 = 1", []
    try:
        size = division_prefix(division)
    except ValueError as exc:
        raise StoreError(f"--division {exc}") from None
    return f"substr(x.division, 1, {size}) = ?", [division[:size]]


def _long(store: Store, code: str) -> str:
    return f"({long_view_sql(code, versions=store.versions_sql(None), numeric=store.backend.numeric)})"


def chart_spec(store: Store, kind: ChartKind, *, division: str | None = None, year: int | None = None) -> Any:
    """The Altair chart of one kind over the latest reports (a region's, with `division`)."""
    import altair as alt

    where, params = _where(division)
    region = f"行政区划 {division}" if division else "全部报告"
    applications = LAYOUT_2021.table("applications")
    if kind == "trend":
        new_received, total = applications.row("new_received"), applications.column("total")
        rows = store.backend.fetch(
            f"SELECT x.year, sum(x.value), count(DISTINCT x.version_id) "
            f"FROM {_long(store, applications.code)} x "
            f"WHERE {where} AND x.row = ? AND x.{_col()} = ? GROUP BY 1 ORDER BY 1",
            [*params, new_received.code, total.code],
        )
        data = [{"年度": str(r[0]), "件数": int(r[1] or 0), "报告数": int(r[2])} for r in rows]
        title = f"{region}：{new_received.label.split('、')[-1]}（{total.label}）"
        chart = (
            alt.Chart(_data(data))
            .mark_line(point=True)
            .encode(
                x=alt.X("年度:O", title="年度"),
                y=alt.Y("件数:Q", title="件数"),
                tooltip=["年度:O", "件数:Q", "报告数:Q"],
            )
        )
    elif kind == "outcomes":
        year = year or _latest_year(store)
        results = applications.descendants("results")
        labels = {r.code: r.label for r in results}
        rows = store.backend.fetch(
            f"SELECT x.row, sum(x.value) FROM {_long(store, applications.code)} x WHERE {where} "
            f"AND x.year = ? AND x.{_col()} = ? GROUP BY 1",
            [*params, year, applications.column("total").code],
        )
        sums = {str(r[0]): int(r[1] or 0) for r in rows}
        data = [{"办理结果": labels[c], "件数": sums.get(c, 0), "序": i} for i, c in enumerate(labels)]
        title = f"{region}：{year} 年度{applications.row('results').label.split('、')[-1]}"
        chart = (
            alt.Chart(_data(data))
            .mark_bar()
            .encode(
                y=alt.Y(
                    "办理结果:N", sort=alt.EncodingSortField("序"), title=None, axis=alt.Axis(labelLimit=420)
                ),
                x=alt.X("件数:Q", title="件数"),
            )
        )
    else:
        year = year or _latest_year(store)
        table = LAYOUT_2021.table("review_litigation")
        outcome_columns = [c for c in table.columns if c.code != "total"]
        rows = store.backend.fetch(
            f"SELECT x.row, x.{_col()}, sum(x.value) FROM {_long(store, table.code)} x "
            f"WHERE {where} AND x.year = ? GROUP BY 1, 2",
            [*params, year],
        )
        pairs = {(str(r[0]), str(r[1])): int(r[2] or 0) for r in rows}
        data = [
            {"类别": row.label, "结果": column.label, "件数": pairs.get((row.code, column.code), 0)}
            for row in table.data_rows
            for column in outcome_columns
        ]
        title = f"{region}：{year} 年度{table.label.split('、')[-1]}"
        chart = (
            alt.Chart(_data(data))
            .mark_bar()
            .encode(
                y=alt.Y("类别:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
                x=alt.X("件数:Q", title="件数", stack="zero"),
                color=alt.Color("结果:N", title="结果", sort=[c.label for c in outcome_columns]),
            )
        )
    return (
        chart.properties(title=title, width=520)
        .configure(font=CJK_FONT)
        .configure_axis(labelFont=CJK_FONT, titleFont=CJK_FONT)
        .configure_legend(labelFont=CJK_FONT, titleFont=CJK_FONT)
        .configure_title(font=CJK_FONT)
    )


def _col() -> str:
    return '"column"'


def _latest_year(store: Store) -> int:
    rows = store.backend.fetch("SELECT max(year) FROM versions WHERE valid_to IS NULL")
    if not rows or rows[0][0] is None:
        raise StoreError("the store holds no reports")
    return int(rows[0][0])


def chart_svg(store: Store, kind: ChartKind, *, division: str | None = None, year: int | None = None) -> str:
    import vl_convert

    register_fonts()
    spec = chart_spec(store, kind, division=division, year=year).to_dict()
    return str(vl_convert.vegalite_to_svg(spec))


def _data(values: list[dict[str, Any]]) -> Any:
    import altair as alt

    return alt.Data(values=values)  # type: ignore[no-untyped-call]
