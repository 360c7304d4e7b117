"""Readers: one module per input shape, each turning a file into the report model; `dispatch`
chooses the reader of a file."""

from ogi_report.readers.dispatch import REPORT_SUFFIXES, iter_reports, load_report, read_report
from ogi_report.readers.loading import LoadedReport, parse_report

__all__ = ["REPORT_SUFFIXES", "LoadedReport", "iter_reports", "load_report", "parse_report", "read_report"]
