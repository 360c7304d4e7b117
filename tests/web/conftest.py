"""Fixtures of the desk's tests: the app in process (TestClient), and for browser tests a real
Uvicorn on a free loopback port and headless Chromium driven by Playwright."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ogi_report.limits import Limits
from ogi_report.web.app import guarded_app
from ogi_report.writers.excel_template import write_template
from tests.helpers import BROKEN, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(guarded_app(Limits()), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def broken_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The row-total-wrong example as a filled Excel template (what a publisher would upload)."""
    from ogi_report import load_report

    path = tmp_path_factory.mktemp("wb") / "2021-county.row-total-wrong.xlsx"
    write_template(path, "2021", load_report(BROKEN / "2021-county.row-total-wrong.json"))
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """`ogi serve` as a child process on a free loopback port; its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ogi_report", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("ogi serve did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)
