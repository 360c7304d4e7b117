"""SIGKILL at random moments: every command that writes files leaves either the previous complete
output or the new complete one (byte for byte what an unkilled run writes), never a mixture within
one output (one package of a year, one file); what an interrupted writer leaves is hidden and named
as temporary, and the next run removes it.

Delays are seeded and spread over each command's measured run time; `ogi package` and `ogi synth`
also get kills timed from the moment they start writing, so that some land mid-write."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from ogi_report.fileio import is_temp_of
from ogi_report.package import build_packages
from ogi_report.package.build import STAGING_PREFIX, package_name, recover
from ogi_report.readers import iter_reports
from ogi_report.schema import schema_texts
from ogi_report.synth import injected_path, write_synth
from tests.helpers import COMPLETE_2021, EXAMPLES
from tests.hostile.killing import (
    check_complete_package,
    hidden,
    run,
    run_killed,
    spread,
    tree_bytes,
    visible,
)

pytestmark = pytest.mark.slow  # child processes or long properties: deselect with -m 'not slow'

YEARS = (2023, 2024)
PACKAGES = [package_name(y) for y in YEARS]
NEW_REPORTS = 3000  # enough that a build runs for about a second past the interpreter's start
PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "pipe-2021-department.txt"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """old.jsonl (a small previous input) and new.jsonl (thousands of reports), both years."""
    folder = tmp_path_factory.mktemp("inputs")
    write_synth(folder / "old.jsonl", 100, seed=1, years=YEARS)
    write_synth(folder / "new.jsonl", NEW_REPORTS, seed=2, years=YEARS)
    return folder


# --- ogi package ----------------------------------------------------------------------------------


def _package_state(out: Path, old: dict[str, dict[str, bytes]], new: dict[str, dict[str, bytes]]) -> str:
    """Check a killed build's output folder; return what it held: 'old', 'new' or 'mixed' years."""
    assert set(visible(out)) <= set(PACKAGES), visible(out)
    for name in hidden(out):  # a staging folder, or an old package set aside for the swap
        assert name.startswith(STAGING_PREFIX) or name in {f".{p}.old" for p in PACKAGES}, name
    kinds = set()
    for name in PACKAGES:
        folder = out / name
        if not folder.exists():  # killed mid-swap: the old one is aside, restored by recover()
            assert tree_bytes(out / f".{name}.old") == old[name]
            kinds.add("aside")
            continue
        check_complete_package(folder)
        got = tree_bytes(folder)
        assert got in (old[name], new[name]), f"{name} is neither the previous nor the new package"
        kinds.add("old" if got == old[name] else "new")
    return kinds.pop() if len(kinds) == 1 else "mixed"


def test_killed_package_leaves_the_previous_or_the_new_packages(inputs: Path, tmp_path: Path) -> None:
    build_packages(iter_reports([inputs / "old.jsonl"]), tmp_path / "old")
    old = {name: tree_bytes(tmp_path / "old" / name) for name in PACKAGES}
    args = ["package", str(inputs / "new.jsonl"), "--quiet", "-o"]
    took = run([*args, str(tmp_path / "new")], tmp_path)
    new = {name: tree_bytes(tmp_path / "new" / name) for name in PACKAGES}
    assert all(old[name] != new[name] for name in PACKAGES)

    outcomes: Counter[str] = Counter()
    # From the start (some past the end: the new packages), and from the moment staging begins.
    plans = [(d, False) for d in spread(1, 4, took * 1.2)] + [(d, True) for d in spread(2, 4, took * 0.8)]
    for number, (delay, from_staging) in enumerate(plans):
        out = tmp_path / f"out{number}"
        shutil.copytree(tmp_path / "old", out)

        def staging(out: Path = out) -> bool:
            return any(n.startswith(STAGING_PREFIX) for n in hidden(out))

        killed = run_killed([*args, str(out)], tmp_path, delay, after=staging if from_staging else None)
        state = _package_state(out, old, new)
        outcomes[f"{'killed' if killed else 'finished'} {state}{' mid-build' if staging() else ''}"] += 1
        recover(out)  # what the next build does first
        assert hidden(out) == []
        assert _package_state(out, old, new) in ("old", "new", "mixed")
    assert any(o.startswith("killed") and o.endswith("mid-build") for o in outcomes), outcomes


def test_killed_first_package_leaves_no_package(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["package", str(inputs / "new.jsonl"), "--quiet", "-o", str(out)]

    def staging() -> bool:
        return any(n.startswith(STAGING_PREFIX) for n in hidden(out))

    assert run_killed(args, tmp_path, 0.2, after=staging)
    assert visible(out) == []
    recover(out)
    assert list(out.iterdir()) == []


# --- ogi synth ------------------------------------------------------------------------------------


def test_killed_synth_leaves_the_previous_or_the_new_files(inputs: Path, tmp_path: Path) -> None:
    lines = ["s.jsonl", injected_path("s.jsonl").name]
    args = ["synth", "--count", str(NEW_REPORTS), "--seed", "2", "--year", "2023", "--year", "2024"]
    args += ["--error-rate", "0.1", "-o", "s.jsonl"]
    (tmp_path / "new").mkdir()
    took = run(args, tmp_path / "new")
    new = [(tmp_path / "new" / name).read_bytes() for name in lines]
    old = [(inputs / "old.jsonl").read_bytes(), injected_path(inputs / "old.jsonl").read_bytes()]

    left_temporary = []
    plans = [(delay, False) for delay in spread(3, 2, took)] + [(d, True) for d in spread(4, 2, took / 2)]
    for number, (delay, from_write) in enumerate(plans):
        out = tmp_path / f"out{number}"
        out.mkdir()
        for name, data in zip(lines, old, strict=True):
            (out / name).write_bytes(data)

        def writing(out: Path = out) -> bool:
            return any(is_temp_of(out / "s.jsonl", n) for n in hidden(out))

        run_killed(args, out, delay, after=writing if from_write else None)
        assert set(visible(out)) <= set(lines)
        assert all(is_temp_of(out / lines[0], n) or is_temp_of(out / lines[1], n) for n in hidden(out))
        got = (out / lines[0]).read_bytes()
        assert got in (old[0], new[0])
        sidecar = out / lines[1]
        if sidecar.exists():  # (absent only if killed between the two renames)
            assert sidecar.read_bytes() == (old[1] if got == old[0] else new[1])
        if hidden(out):
            left_temporary.append(out)
    assert left_temporary, "no kill landed while synth was writing"
    for out in left_temporary:  # the next run removes what a killed one left
        run(args, out)
        assert hidden(out) == []
        assert [(out / name).read_bytes() for name in lines] == new


# --- single-file outputs --------------------------------------------------------------------------


SINGLE_FILE = {
    "template": (["template", "--from", str(EXAMPLES / COMPLETE_2021), "-o", "out"], "t.xlsx"),
    "rules": (["rules", "--markdown", "-o", "out"], "rules.md"),
    "render": (["render", str(EXAMPLES / COMPLETE_2021), "-o", "out"], "page.html"),
    "extract": (["extract", str(PAGE), "--quiet", "-o", "out"], "report.json"),
}


@pytest.mark.parametrize("command", list(SINGLE_FILE))
def test_killed_command_leaves_the_previous_or_the_new_file(command: str, tmp_path: Path) -> None:
    template, name = SINGLE_FILE[command]
    args = [name if a == "out" else a for a in template]
    (tmp_path / "new").mkdir()
    took = run(args, tmp_path / "new")
    new = (tmp_path / "new" / name).read_bytes()
    old = b"the previous output\n"
    for number, delay in enumerate(spread(5, 3, took)):
        out = tmp_path / f"out{number}"
        out.mkdir()
        (out / name).write_bytes(old)
        run_killed(args, out, delay)
        assert visible(out) == [name]
        assert (out / name).read_bytes() in (old, new)
        assert all(is_temp_of(out / name, n) for n in hidden(out))
        if hidden(out):
            run(args, out)
            assert hidden(out) == []


def test_killed_schema_leaves_each_file_previous_or_new(tmp_path: Path) -> None:
    texts = {name: text.encode() for name, text in schema_texts().items()}
    args = ["schema", "-o", "schemas"]
    took = run(args, tmp_path)
    assert {n: (tmp_path / "schemas" / n).read_bytes() for n in texts} == texts
    for number, delay in enumerate(spread(6, 3, took)):
        out = tmp_path / f"out{number}"
        (out / "schemas").mkdir(parents=True)
        for name in texts:
            (out / "schemas" / name).write_bytes(b"{}\n")
        run_killed(args, out, delay)
        folder = out / "schemas"
        assert visible(folder) == sorted(texts)
        for name, text in texts.items():
            assert (folder / name).read_bytes() in (b"{}\n", text)
        assert all(any(is_temp_of(folder / name, n) for name in texts) for n in hidden(folder))
