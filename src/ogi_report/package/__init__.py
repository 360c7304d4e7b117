"""Frictionless Data Packages (v2) of reports: build, read back, validate.

The constants below are all the command line needs to declare its options; the builder (models,
rules) is loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi_report.package.build import PackageOptions, build_packages, package_name

DESCRIPTOR = "datapackage.json"
DEFAULT_LICENSE = {
    "name": "other-at",
    "title": "Government information published under the Regulations on Open Government Information; "
    "attribute the publishing agencies",
}

__all__ = ["DEFAULT_LICENSE", "DESCRIPTOR", "PackageOptions", "build_packages", "package_name"]


def __getattr__(name: str) -> Any:
    if name in ("PackageOptions", "build_packages", "package_name"):
        from ogi_report.package import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
