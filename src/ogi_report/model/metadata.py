"""Report metadata: the reporting agency and the narrative sections."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from ogi_report.facts import CREDIT_CODE_SHAPE
from ogi_report.layout import TEXT_SECTIONS

Level = Literal["central", "provincial", "prefectural", "county", "township"]
Kind = Literal["government", "department"]
Scope = Literal["agency", "region"]

_CONFIG = ConfigDict(extra="forbid")

UNNAMED_AGENCY = "（未注明）"
"""The agency name recorded for a report whose source never names its agency (a page saying only
`我局`): no identity, so never taken for the same agency as another report."""


class Agency(BaseModel):
    """报告主体: the agency that publishes the report."""

    model_config = _CONFIG

    name: str = Field(min_length=1, pattern=r"\S", title="报告主体", description="Agency name, as published")
    # The check character is verified by rule AGENCY-CODE, so a bad code is a finding, not a crash.
    code: str | None = Field(
        None,
        title="统一社会信用代码",
        description="Unified social credit code (GB 32100-2015), 18 characters",
        json_schema_extra={"pattern": f"^{CREDIT_CODE_SHAPE}$"},
    )
    division_code: str | None = Field(
        None,
        pattern=r"^[0-9]{6}$",
        title="行政区划代码",
        description="Administrative division code (GB/T 2260) of the area served",
    )
    level: Level | None = Field(None, title="层级", description="Level of government")
    kind: Kind | None = Field(
        None,
        title="机关类型",
        description="government: a people's government (deadline 31 March); department: 31 January",
    )


def _sections_model() -> type[BaseModel]:
    fields: dict[str, Any] = {
        s.code: (str | None, Field(None, title=s.label, description=s.en)) for s in TEXT_SECTIONS
    }
    model = create_model(
        "Sections",
        __config__=_CONFIG,
        __doc__="The narrative sections' text.",
        __module__=__name__,
        **fields,
    )
    return cast(type[BaseModel], model)


Sections = _sections_model()
