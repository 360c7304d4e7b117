"""Writers: artefacts made from the layout registry and, optionally, a report."""

from ogi_report.writers.excel_template import build_workbook, template_bytes, write_template

__all__ = ["build_workbook", "template_bytes", "write_template"]
