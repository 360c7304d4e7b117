"""Version numbers written into every machine-readable output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi_report.rules.catalogue import CATALOGUE_VERSION

SCHEMA_VERSION = "1.0.0"  # the JSON interchange shape (schemas/report.schema.json)

# The one place the library's version is written: pyproject.toml reads it from here (setuptools
# `dynamic`), so `ogi --version` needs no importlib.metadata (tens of milliseconds at start-up).
LIBRARY_VERSION = "0.1.0"


def __getattr__(name: str) -> Any:
    # The catalogue's version is a hash of the rules: reading it loads them, so only when asked.
    if name == "CATALOGUE_VERSION":
        from ogi_report.rules.catalogue import CATALOGUE_VERSION

        return CATALOGUE_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CATALOGUE_VERSION", "LIBRARY_VERSION", "SCHEMA_VERSION"]
