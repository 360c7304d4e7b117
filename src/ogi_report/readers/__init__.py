"""Readers: one module per input shape, each turning a file into the report model."""

from ogi_report.readers.loading import (
    REPORT_SUFFIXES,
    LoadedReport,
    iter_reports,
    load_report,
    parse_report,
    read_report,
)

__all__ = ["REPORT_SUFFIXES", "LoadedReport", "iter_reports", "load_report", "parse_report", "read_report"]
