"""ogi-report: the data model, validator and JSON Schema of China's Open Government Information
annual reports (政府信息公开工作年度报告), layouts 2021 and 2019-trial."""

import importlib
from typing import TYPE_CHECKING, Any

from ogi_report.versions import LIBRARY_VERSION, SCHEMA_VERSION

if TYPE_CHECKING:
    from ogi_report.errors import OgiError, ReportError
    from ogi_report.findings import Finding, Severity, ValidationResult
    from ogi_report.layout import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, Layout, get_layout
    from ogi_report.model import (
        Agency,
        Cell,
        Explanation,
        Report,
        Report2019Trial,
        Report2021,
        RowModel,
        TableModel,
    )
    from ogi_report.output import ValidationDocument, validation_document
    from ogi_report.package.build import PackageOptions, build_packages
    from ogi_report.package.bulk import PackageValidation, validate_package
    from ogi_report.package.read import read_package
    from ogi_report.readers import LoadedReport, iter_reports, load_report, parse_report, read_report
    from ogi_report.readers.excel import read_workbook
    from ogi_report.readers.page import ExtractedReport, extract_page
    from ogi_report.rules.catalogue import CATALOGUE, CATALOGUE_VERSION, RULES, Check, Identity, Rule
    from ogi_report.rules.cross_year import compare_years
    from ogi_report.schema import report_json_schema, validation_json_schema, write_schemas
    from ogi_report.validation import validate, validate_file
    from ogi_report.writers.excel_template import write_template
    from ogi_report.writers.html_render import render_html

__version__ = LIBRARY_VERSION

# Every name is loaded on first use: `import ogi_report` (and so `ogi --help`) reads no model,
# rule, DuckDB, openpyxl or lxml until a name that needs it is asked for.
_LAZY = {
    **dict.fromkeys(["OgiError", "ReportError"], "ogi_report.errors"),
    **dict.fromkeys(["Finding", "Severity", "ValidationResult"], "ogi_report.findings"),
    **dict.fromkeys(
        ["LAYOUT_2019_TRIAL", "LAYOUT_2021", "LAYOUTS", "Layout", "get_layout"], "ogi_report.layout"
    ),
    **dict.fromkeys(
        [
            "Agency",
            "Cell",
            "Explanation",
            "Report",
            "Report2019Trial",
            "Report2021",
            "RowModel",
            "TableModel",
        ],
        "ogi_report.model",
    ),
    **dict.fromkeys(["ValidationDocument", "validation_document"], "ogi_report.output"),
    **dict.fromkeys(["PackageOptions", "build_packages"], "ogi_report.package.build"),
    **dict.fromkeys(["PackageValidation", "validate_package"], "ogi_report.package.bulk"),
    "read_package": "ogi_report.package.read",
    **dict.fromkeys(
        ["LoadedReport", "iter_reports", "load_report", "parse_report", "read_report"], "ogi_report.readers"
    ),
    "read_workbook": "ogi_report.readers.excel",
    **dict.fromkeys(["ExtractedReport", "extract_page"], "ogi_report.readers.page"),
    **dict.fromkeys(
        ["CATALOGUE", "CATALOGUE_VERSION", "RULES", "Check", "Identity", "Rule"], "ogi_report.rules.catalogue"
    ),
    "compare_years": "ogi_report.rules.cross_year",
    **dict.fromkeys(["report_json_schema", "validation_json_schema", "write_schemas"], "ogi_report.schema"),
    **dict.fromkeys(["validate", "validate_file"], "ogi_report.validation"),
    "write_template": "ogi_report.writers.excel_template",
    "render_html": "ogi_report.writers.html_render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module 'ogi_report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "LAYOUTS",
    "LAYOUT_2019_TRIAL",
    "LAYOUT_2021",
    "RULES",
    "SCHEMA_VERSION",
    "Agency",
    "Cell",
    "Check",
    "Explanation",
    "ExtractedReport",
    "Finding",
    "Identity",
    "Layout",
    "LoadedReport",
    "OgiError",
    "PackageOptions",
    "PackageValidation",
    "Report",
    "Report2019Trial",
    "Report2021",
    "ReportError",
    "RowModel",
    "Rule",
    "Severity",
    "TableModel",
    "ValidationDocument",
    "ValidationResult",
    "__version__",
    "build_packages",
    "compare_years",
    "extract_page",
    "get_layout",
    "iter_reports",
    "load_report",
    "parse_report",
    "read_package",
    "read_report",
    "read_workbook",
    "render_html",
    "report_json_schema",
    "validate",
    "validate_file",
    "validate_package",
    "validation_document",
    "validation_json_schema",
    "write_schemas",
    "write_template",
]
