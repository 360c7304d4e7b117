"""`ogi serve`: the desk under Uvicorn (httptools and uvloop when installed)."""

from __future__ import annotations

import os
from dataclasses import fields

import uvicorn

from ogi_report.limits import limits
from ogi_report.web.app import guarded_app


def limit_settings() -> str:
    """The limits in force as OGI_LIMITS text, for worker processes."""
    chosen = limits()
    return ",".join(f"{f.name}={getattr(chosen, f.name)}" for f in fields(chosen))


def run(
    host: str, port: int, workers: int = 1, access_log: bool = False, store_url: str | None = None
) -> None:
    """Serve until interrupted. With several workers each process builds the app from OGI_LIMITS (and
    OGI_STORE: the store of the `/platform` pages)."""
    if workers > 1:
        os.environ["OGI_LIMITS"] = limit_settings()
        if store_url is not None:
            os.environ["OGI_STORE"] = store_url
        uvicorn.run(
            "ogi_report.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            server_header=False,
        )
        return
    uvicorn.run(
        guarded_app(store_url=store_url), host=host, port=port, access_log=access_log, server_header=False
    )
