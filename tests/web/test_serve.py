"""`ogi serve`: its options, and the limits handed to worker processes."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from ogi_report.cli import cli
from ogi_report.limits import Limits, use_limits
from ogi_report.web import serve
from ogi_report.web.uploads import body_limit


def test_serve_passes_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(serve, "run", lambda *args: calls.append(args))
    monkeypatch.delenv("OGI_STORE", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--port", "9001", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert calls == [("127.0.0.1", 9001, 2, False, None)]
    result = CliRunner().invoke(cli, ["serve"], env={"OGI_STORE": "ogi.duckdb"})
    assert result.exit_code == 0, result.output
    assert calls[-1] == ("127.0.0.1", 8000, 1, False, "ogi.duckdb")
    assert CliRunner().invoke(cli, ["serve", "--port", "70000"]).exit_code == 2


def test_workers_get_the_limits_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    with use_limits(file_bytes=12345):
        settings = serve.limit_settings()
    assert Limits().changed(settings).file_bytes == 12345
    monkeypatch.setenv("OGI_LIMITS", settings)
    from ogi_report.web.app import Guard, app_from_environment

    app = app_from_environment()
    assert isinstance(app, Guard)
    assert app.most == body_limit(Limits(file_bytes=12345))
