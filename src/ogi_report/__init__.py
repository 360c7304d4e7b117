"""ogi-report: the data model, validator and JSON Schema of China's Open Government Information
annual reports (政府信息公开工作年度报告), layouts 2021 and 2019-trial."""

from ogi_report.errors import OgiError, ReportError
from ogi_report.findings import Finding, Severity, ValidationResult
from ogi_report.layout import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, Layout, get_layout
from ogi_report.model import Agency, Cell, Report, Report2019Trial, Report2021, RowModel, TableModel
from ogi_report.output import ValidationDocument, validation_document
from ogi_report.readers import LoadedReport, load_report, parse_report, read_report
from ogi_report.rules import CATALOGUE, CATALOGUE_VERSION, RULES, Check, Identity, Rule
from ogi_report.rules.cross_year import compare_years
from ogi_report.schema import report_json_schema, validation_json_schema, write_schemas
from ogi_report.validation import validate, validate_file
from ogi_report.versions import LIBRARY_VERSION, SCHEMA_VERSION

__version__ = LIBRARY_VERSION

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
    "Finding",
    "Identity",
    "Layout",
    "LoadedReport",
    "OgiError",
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
    "compare_years",
    "get_layout",
    "load_report",
    "parse_report",
    "read_report",
    "report_json_schema",
    "validate",
    "validate_file",
    "validation_document",
    "validation_json_schema",
    "write_schemas",
]
