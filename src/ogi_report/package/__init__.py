"""Frictionless Data Packages (v2) of reports: build, read back, validate."""

from ogi_report.package.build import PackageOptions, build_packages, package_name

__all__ = ["PackageOptions", "build_packages", "package_name"]
