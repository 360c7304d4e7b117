"""ogi-report: the data model, validator and JSON Schema of China's Open Government Information
annual reports (政府信息公开工作年度报告), layouts 2021 and 2019-trial."""

import importlib
from typing import TYPE_CHECKING, Any

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
from ogi_report.package import PackageOptions, build_packages
from ogi_report.package.bulk import PackageValidation, validate_package
from ogi_report.package.read import read_package
from ogi_report.readers import LoadedReport, iter_reports, load_report, parse_report, read_report
from ogi_report.rules.catalogue import CATALOGUE, CATALOGUE_VERSION, RULES, Check, Identity, Rule
from ogi_report.rules.cross_year import compare_years
from ogi_report.schema import report_json_schema, validation_json_schema, write_schemas
from ogi_report.validation import validate, validate_file
from ogi_report.versions import LIBRARY_VERSION, SCHEMA_VERSION

if TYPE_CHECKING:
    from ogi_report.readers.excel import read_workbook
    from ogi_report.readers.page import ExtractedReport, extract_page
    from ogi_report.writers.excel_template import write_template
    from ogi_report.writers.html_render import render_html

__version__ = LIBRARY_VERSION

# Readers and writers of Excel and HTML load openpyxl or lxml only when first used.
_LAZY = {
    "read_workbook": "ogi_report.readers.excel",
    "ExtractedReport": "ogi_report.readers.page",
    "extract_page": "ogi_report.readers.page",
    "write_template": "ogi_report.writers.excel_template",
    "render_html": "ogi_report.writers.html_render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ogi_report' has no attribute {name!r}")


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
