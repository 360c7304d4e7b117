"""Reading a received descriptor safely: JSON, v2 shape, and resource paths that stay inside."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

from ogi_report.errors import ReportError
from ogi_report.limits import limits, over
from ogi_report.readers.loading import check_regular_file


def load_descriptor(path: str | Path) -> dict[str, Any]:
    source = str(path)
    check_regular_file(Path(path))
    try:
        size = Path(path).stat().st_size
        if size > limits().descriptor_bytes:
            raise ReportError(over("descriptor", "descriptor_bytes", size), source=source)
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", source=source) from None
    except UnicodeDecodeError:
        raise ReportError("descriptor is not UTF-8 text", source=source) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"descriptor is not JSON: {exc.msg}",
            source=source,
            location=f"line {exc.lineno} column {exc.colno}",
        ) from None
    except RecursionError:
        raise ReportError("descriptor is nested too deeply", source=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise ReportError("not a data package descriptor: no 'resources' list", source=source)
    return data


def resource_path(base: Path, resource: dict[str, Any], *, allow_unsafe_paths: bool, source: str) -> Path:
    """The local file of a resource. Absolute, `..` and remote paths are refused unless allowed
    (and remote ones always: nothing is fetched)."""
    name = resource.get("name", "?")
    where = f"resources[{name}].path"
    raw = resource.get("path")
    if not isinstance(raw, str) or not raw:
        raise ReportError("resource has no single path", source=source, location=where)
    if "://" in raw or raw.startswith("//"):
        raise ReportError(f"remote path {raw!r} refused: nothing is fetched", source=source, location=where)
    posix = PurePosixPath(raw)
    unsafe = posix.is_absolute() or ".." in posix.parts or "\\" in raw
    if unsafe and not allow_unsafe_paths:
        raise ReportError(
            f"unsafe path {raw!r} (absolute or '..'); pass --allow-unsafe-paths to read it anyway",
            source=source,
            location=where,
        )
    return Path(raw) if posix.is_absolute() else base / Path(*posix.parts)


def unlisted_files(folder: Path, listed: set[Path], *, most: int = 100, visit: int = 10_000) -> list[str]:
    """Files under a package's folder that no resource names (relative, sorted; the walk is
    bounded, so a package dropped into a huge folder costs little)."""
    known = {p.resolve() for p in listed}
    found: list[str] = []
    seen = 0
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            seen += 1
            path = Path(top) / name
            if seen > visit or len(found) >= most:
                return found
            if path.resolve() not in known:
                found.append(path.relative_to(folder).as_posix())
    return found
