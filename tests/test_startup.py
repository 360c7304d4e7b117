"""Start-up stays light: importing the library, or asking the command for help or its version,
loads none of the heavy modules (issue 14). They are imported by the code that uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("duckdb", "openpyxl", "lxml", "docx", "pdfplumber", "pdfminer", "fastapi", "uvicorn", "PIL")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "illustrative-2021-county.json"

# Runs the command in-process after recording the modules it loaded, so `--help` (which exits)
# still reports them.
_AFTER = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
    "from ogi_report.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _loaded(code: str, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=False
    )
    line = next(x for x in reversed(done.stderr.splitlines() + done.stdout.splitlines()) if "MODULES " in x)
    return set(json.loads(line.split("MODULES ", 1)[1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.slow
def test_import_loads_no_heavy_module() -> None:
    modules = _loaded("import ogi_report, json, sys; print('MODULES ' + json.dumps(sorted(sys.modules)))")
    assert _heavy(modules) == []
    assert "pydantic" not in modules  # models are built when first used


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"], ["package", "--help"]])
def test_help_and_version_load_no_heavy_module(args: list[str]) -> None:
    modules = _loaded(_AFTER, *args)
    assert _heavy(modules) == []
    assert "ogi_report.cli" in modules


@pytest.mark.slow
def test_validating_a_json_report_loads_no_heavy_module() -> None:
    modules = _loaded(_AFTER, "validate", str(EXAMPLE))
    assert "ogi_report.validation" in modules
    assert _heavy(modules) == []


def test_lazy_names_resolve() -> None:
    import ogi_report

    for name in ogi_report.__all__:
        assert getattr(ogi_report, name) is not None, name


def test_a_lazy_command_group_is_listed_as_it_says_of_itself() -> None:
    # `ogi --help` lists the store without importing it: the line kept for it must be the group's own.
    import click

    from ogi_report.cli import _Ogi, cli

    for name, (_, short) in _Ogi.LAZY.items():
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        assert short == (command.help or "").split("\n")[0]
