"""JSON Schema (draft 2020-12) export: deterministic, Chinese titles kept readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from ogi_report.model.report import AnyReport
from ogi_report.output import ValidationDocument
from ogi_report.versions import SCHEMA_VERSION

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"report": "report.schema.json", "validation": "validation-result.schema.json"}


def report_json_schema() -> dict[str, Any]:
    """The schema of one report in the JSON interchange shape, both layouts (oneOf on `format`)."""
    body = TypeAdapter(AnyReport).json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        "$id": f"urn:ogi-report:schema:report:{SCHEMA_VERSION}",
        "title": "政府信息公开工作年度报告 (Open Government Information annual report)",
        "description": "One report in the ogi-report JSON interchange shape, layout 2021 "
        "(国办公开办函〔2021〕30号) or 2019-trial. A null cell was left blank or held a placeholder "
        "in the source; it is never zero.",
        **body,
    }


def validation_json_schema() -> dict[str, Any]:
    """The schema of the document printed by `ogi validate --json`."""
    body = ValidationDocument.model_json_schema(mode="serialization")
    return {
        "$schema": DRAFT,
        "$id": f"urn:ogi-report:schema:validation-result:{SCHEMA_VERSION}",
        **body,
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_texts() -> dict[str, str]:
    """File name -> text of every schema file."""
    return {
        SCHEMA_FILES["report"]: dumps(report_json_schema()),
        SCHEMA_FILES["validation"]: dumps(validation_json_schema()),
    }


def write_schemas(directory: str | Path) -> list[Path]:
    """Write every schema file into `directory` (atomically, file by file; a link to a folder is
    followed, and so is a link in it to a file); return the paths."""
    from ogi_report.fileio import output_folder, write_text_atomic

    output_folder(directory)
    out = Path(directory)
    return [write_text_atomic(out / name, text) for name, text in schema_texts().items()]
