"""The report models: metadata, sections and the three tables, one class per layout."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from ogi_report.layout import LAYOUTS, Layout
from ogi_report.model.cells import Cell
from ogi_report.model.metadata import Agency, Scope, Sections
from ogi_report.model.tables import TableModel, table_model

FINGERPRINT_PATTERN = r"^[0-9a-f]{16}$"


class Explanation(BaseModel):
    """A publisher's explanation of one finding, as a footnote: the finding is named by its
    fingerprint (`Finding.fingerprint`: rule, cells and layout), so it survives reruns and versions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str = Field(
        pattern=FINGERPRINT_PATTERN,
        title="核对结果指纹",
        description="Fingerprint of the finding explained: the first 16 hex digits of SHA-256 over "
        "layout, rule id and the sorted cells (see Finding.fingerprint)",
    )
    text: str = Field(min_length=1, max_length=10_000, title="说明", description="The explanation")
    by: str | None = Field(None, max_length=200, title="说明人", description="Who explains")
    at: date | None = Field(None, title="说明日期", description="When it was explained")


class Report(BaseModel):
    """Base of the report models `Report2021` and `Report2019Trial` (attributes typed here)."""

    model_config = ConfigDict(extra="forbid")
    layout: ClassVar[Layout]

    if TYPE_CHECKING:
        format: str
        year: int
        agency: Agency
        scope: Scope | None
        published: date | None
        source_url: str | None
        sections: BaseModel
        note: str | None
        explanations: list[Explanation]
        proactive: TableModel | None
        applications: TableModel | None
        review_litigation: TableModel | None

    def table(self, code: str) -> TableModel | None:
        return cast("TableModel | None", self.__dict__[code])

    def cell(self, path: str) -> Cell:
        """The value at `table.row.column`; KeyError if the table is absent or the path unknown."""
        parts = path.split(".")
        if len(parts) != 3 or parts[0] not in self.layout.table_map:
            raise KeyError(f"not a cell path (table.row.column) of layout {self.layout.code}: {path!r}")
        table = self.table(parts[0])
        if table is None:
            raise KeyError(f"table {parts[0]!r} is absent")
        try:
            return table.cell(parts[1], parts[2])
        except KeyError:
            raise KeyError(f"no cell {path!r} in layout {self.layout.code}") from None

    def to_dict(self) -> dict[str, Any]:
        """The JSON interchange shape (docs/standard.md, Cells): money as strings, blanks as null."""
        data = self.model_dump(mode="json", by_alias=True)
        if data.get("_note") is None:
            data.pop("_note", None)
        if not data.get("explanations"):
            data.pop("explanations", None)
        return data


def _metadata_fields(layout: Layout) -> dict[str, Any]:
    return {
        "format": (Literal[layout.code], Field(title="报告格式", description=layout.basis)),
        "year": (int, Field(ge=2019, le=2100, title="报告年度", description="Reporting year")),
        "agency": (Agency, Field(title="报告主体")),
        "scope": (Scope | None, Field(None, title="报告范围", description="agency or region")),
        "published": (date | None, Field(None, title="发布日期", description="Publication date")),
        "source_url": (str | None, Field(None, title="来源网址", description="Where it was published")),
        "sections": (Sections, Field(default_factory=Sections, title="正文")),
    }


def _report_model(layout: Layout) -> type[Report]:
    fields = _metadata_fields(layout)
    for section in layout.sections:
        if section.table is not None:
            table = table_model(layout.table(section.table))
            # Required key; null records a table absent from the source (reported, not invented).
            fields[section.table] = (table | None, Field(title=section.label, description=section.en))
    fields["explanations"] = (
        list[Explanation],
        Field(
            default_factory=list,
            title="核对结果说明",
            description="The publisher's explanations of findings (footnotes), by finding fingerprint",
        ),
    )
    fields["note"] = (
        str | None,
        Field(None, alias="_note", title="备注", description="Transcriber's note, not part of the report"),
    )
    model: type[Report] = create_model(
        layout.model_name,
        __base__=Report,
        __doc__=f"{layout.title}, {layout.basis}",
        __module__=__name__,
        **fields,
    )
    model.layout = layout
    return model


REPORT_MODELS: dict[str, type[Report]] = {code: _report_model(lay) for code, lay in LAYOUTS.items()}
Report2021 = REPORT_MODELS["2021"]
Report2019Trial = REPORT_MODELS["2019-trial"]

AnyReport = Annotated[Union[Report2021, Report2019Trial], Field(discriminator="format")]  # type: ignore[valid-type]  # noqa: UP007
REPORT_ADAPTER: TypeAdapter[Report] = TypeAdapter(AnyReport)
