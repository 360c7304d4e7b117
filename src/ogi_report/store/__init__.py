"""The platform's store: report versions with history in DuckDB (embedded) or PostgreSQL (a server),
regional roll-ups in the official layout, long views, Parquet export and charts.

    with Store.open("ogi.duckdb") as store:            # or "postgresql://user@host/db"
        store.ingest(["out/ogi-reports-2024"])         # validated, one transaction
        rollup(store, 2024, level="province")
"""

from ogi_report.store.backend import StoreError
from ogi_report.store.chart import chart_svg
from ogi_report.store.core import IngestResult, Store, Version
from ogi_report.store.export import export_parquet
from ogi_report.store.rollup import Rollup, Summary, rollup

__all__ = [
    "IngestResult",
    "Rollup",
    "Store",
    "StoreError",
    "Summary",
    "Version",
    "chart_svg",
    "export_parquet",
    "rollup",
]
