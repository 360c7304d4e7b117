"""Version numbers written into every machine-readable output."""

from importlib.metadata import PackageNotFoundError, version

from ogi_report.rules.catalogue import CATALOGUE_VERSION

SCHEMA_VERSION = "1.0.0"  # the JSON interchange shape (schemas/report.schema.json)

try:
    LIBRARY_VERSION = version("ogi-report")
except PackageNotFoundError:  # running from a source tree that was not installed
    LIBRARY_VERSION = "0+unknown"

__all__ = ["CATALOGUE_VERSION", "LIBRARY_VERSION", "SCHEMA_VERSION"]
