"""Uploads, bounded and never kept: read into memory up to the limit, handed to the library's
readers through a private temporary folder that is removed before the response is sent."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ogi_report.errors import ReportError
from ogi_report.limits import Limits, limits, over, use_limits
from ogi_report.readers import LoadedReport, iter_reports
from ogi_report.readers.loading import parse_report_json

MULTIPART_SLACK = 64 * 1024
"""Bytes a multipart or form body may carry beyond the file itself (boundaries, headers, fields)."""

JSON_BODY_NAME = "report.json"
"""The source name of a report sent as a JSON body (as `ogi validate report.json` would name it)."""

_UNSAFE = re.compile(r"[^\w.\-]+")


def body_limit(chosen: Limits | None = None) -> int:
    """Most bytes a request body may hold: one report file (limit `file_bytes`) and the form."""
    return (chosen or limits()).file_bytes + MULTIPART_SLACK


def safe_name(filename: str | None) -> str:
    """The upload's own base name, made safe for a file name (never a path)."""
    base = Path((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", base).strip("._")[:100]
    return name or "upload"


class TooLarge(ReportError):
    """An upload over the limit `file_bytes` (413)."""


def check_size(size: int, chosen: Limits) -> None:
    if size > chosen.file_bytes:
        with use_limits(chosen):
            raise TooLarge(over("upload", "file_bytes", size))


def read_upload(content: bytes, filename: str | None, chosen: Limits) -> list[LoadedReport]:
    """Every report in an uploaded file, read as `ogi validate` reads a file of that name; the
    sources name the upload, not the temporary copy."""
    check_size(len(content), chosen)
    name = safe_name(filename)
    with use_limits(chosen), tempfile.TemporaryDirectory(prefix="ogi-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        prefix = folder + "/"
        try:
            loaded = list(iter_reports([path]))
        except ReportError as exc:
            raise ReportError(
                exc.message.replace(prefix, ""),
                source=(exc.source or "").replace(prefix, "") or None,
                location=exc.location,
            ) from None
        finally:
            path.unlink(missing_ok=True)
    for item in loaded:
        item.source = (item.source or name).replace(prefix, "")
    return loaded


def read_json_body(content: bytes, chosen: Limits) -> LoadedReport:
    """A report sent as a JSON body, read from memory."""
    check_size(len(content), chosen)
    with use_limits(chosen):
        try:
            return parse_report_json(content, source=JSON_BODY_NAME)
        except ReportError as exc:
            raise exc.with_source(JSON_BODY_NAME) if not exc.source else exc from None
