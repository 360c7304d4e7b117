"""Outputs go where the user points them (issue 15), run as a user runs `ogi`: in a child process.

Every command that writes one file is pointed at a character device (a /dev/null clone made in the
test folder), a named pipe with a reader waiting, a link to a file, a link to a device, a link to
our own standard output and `-o -`; afterwards the device is still that device, the pipe still a
pipe whose reader got exactly the bytes, the link still a link whose target holds them, and
standard output holds exactly the bytes the command writes to a regular file. Nothing else is left
in the folder: no temporary file, no sidecar. The commands that write folders (`package`, `schema`)
follow a link to a folder and refuse `-o -` with one line.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT

from .running import run_ogi

pytestmark = pytest.mark.slow

REPORT = EXAMPLES / "illustrative-2021-county.json"
PAGE = ROOT / "tests" / "fixtures" / "pages" / "pipe-2021-department.txt"
SECONDS = 60.0
NULL = os.makedev(1, 3)

# Each command that writes one file, as arguments before `-o OUTPUT`.
COMMANDS: dict[str, list[str]] = {
    "render": ["render", str(REPORT)],
    "extract": ["extract", "--quiet", str(PAGE)],
    "template": ["template", "--from", str(REPORT)],
    "rules": ["rules", "--markdown"],
    "synth": ["synth", "--count", "40", "--seed", "3", "--error-rate", "0.3"],
}


def ogi_ok(*args: str) -> bytes:
    """Run `ogi ARGS` in a child process; it must succeed cleanly. Its standard output."""
    run = run_ogi(*args, timeout=SECONDS)
    assert run.code == 0, (args, run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    return run.raw


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What each command writes to a new regular file (and synth to its sidecar, as 'synth-injected')."""
    folder = tmp_path_factory.mktemp("reference")
    out: dict[str, bytes] = {}
    for name, args in COMMANDS.items():
        ogi_ok(*args, "-o", str(folder / name))
        out[name] = (folder / name).read_bytes()
    out["synth-injected"] = (folder / "synth.injected.json").read_bytes()
    return out


def make_null(path: Path) -> Path:
    """A character device that is a /dev/null clone; the test is skipped where mknod is refused."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, NULL)
    except PermissionError as exc:
        pytest.skip(f"cannot make a device here (mknod: {exc.strerror}); the tests need root")
    return path


def is_null(path: Path) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == NULL


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


# --- one file ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_device_is_written_not_replaced(command: str, folder: Path) -> None:
    null = make_null(folder / "null")
    ogi_ok(*COMMANDS[command], "-o", str(null))
    assert is_null(null), "the device was replaced"
    assert listing(folder) == ["null"]  # no temporary file; synth writes no sidecar for a device


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_pipe_is_written_to_its_reader(
    command: str, folder: Path, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    got = tmp_path / "got"
    with got.open("wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)  # waits for a writer
    try:
        ogi_ok(*COMMANDS[command], "-o", str(fifo))
        reader.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail("the reader of the named pipe was left waiting")
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    assert got.read_bytes() == reference[command]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the named pipe was replaced"
    assert listing(folder) == ["pipe"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_is_kept_and_its_target_replaced(
    command: str, folder: Path, reference: dict[str, bytes]
) -> None:
    target = folder / "this-year"
    target.write_bytes(b"last year's output, longer than nothing\n" * 1000)
    link = folder / "latest"
    link.symlink_to("this-year")
    ogi_ok(*COMMANDS[command], "-o", str(link))
    assert link.is_symlink(), "the link was replaced"
    assert os.readlink(link) == "this-year"
    assert target.read_bytes() == reference[command]
    sidecar = ["latest.injected.json"] if command == "synth" else []  # named after the path given
    assert listing(folder) == sorted(["latest", "this-year", *sidecar])


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_is_standard_output(command: str, folder: Path, reference: dict[str, bytes]) -> None:
    assert ogi_ok(*COMMANDS[command], "-o", "-") == reference[command]
    assert listing(folder) == []
    assert not Path("-").exists()
    assert not Path("/dev/stdout.injected.json").exists()  # synth: no sidecar for standard output


def test_a_link_to_a_device_is_kept_and_the_device_written(folder: Path) -> None:
    null = make_null(folder / "null")
    (folder / "latest").symlink_to("null")
    ogi_ok(*COMMANDS["render"], "-o", str(folder / "latest"))
    assert (folder / "latest").is_symlink()
    assert os.readlink(folder / "latest") == "null"
    assert is_null(null)
    assert listing(folder) == ["latest", "null"]


def test_a_chain_of_links_ending_nowhere_makes_the_file_it_names(
    folder: Path, reference: dict[str, bytes]
) -> None:
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("pages/2024.html")
    (folder / "pages").mkdir()
    ogi_ok(*COMMANDS["render"], "-o", str(folder / "a"))
    assert os.readlink(folder / "a") == "b"
    assert os.readlink(folder / "b") == "pages/2024.html"
    assert (folder / "pages" / "2024.html").read_bytes() == reference["render"]
    assert listing(folder / "pages") == ["2024.html"]


def test_a_link_to_our_own_standard_output_is_standard_output(
    folder: Path, reference: dict[str, bytes]
) -> None:
    """/dev/stdout is such a link; one made here cannot harm the system's if this breaks."""
    (folder / "stdout").symlink_to("/proc/self/fd/1")
    assert ogi_ok(*COMMANDS["render"], "-o", str(folder / "stdout")) == reference["render"]
    assert os.readlink(folder / "stdout") == "/proc/self/fd/1"
    assert listing(folder) == ["stdout"]


def test_a_loop_of_links_is_one_line_and_left_alone(folder: Path) -> None:
    (folder / "loop").symlink_to("loop")
    run = run_ogi(*COMMANDS["render"], "-o", str(folder / "loop"), timeout=SECONDS)
    assert run.code == 2, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "symbolic links" in run.stderr, run.stderr
    assert os.readlink(folder / "loop") == "loop"


# --- synth's sidecar ------------------------------------------------------------------------------


def test_synth_to_standard_output_writes_its_sidecar_only_where_told(
    folder: Path, reference: dict[str, bytes]
) -> None:
    side = folder / "errors.json"
    assert ogi_ok(*COMMANDS["synth"], "-o", "-", "--injected", str(side)) == reference["synth"]
    assert side.read_bytes() == reference["synth-injected"]
    assert listing(folder) == ["errors.json"]


def test_synth_to_a_device_with_its_sidecar_elsewhere(folder: Path, reference: dict[str, bytes]) -> None:
    null = make_null(folder / "null")
    ogi_ok(*COMMANDS["synth"], "-o", str(null), "--injected", str(folder / "errors.json"))
    assert is_null(null)
    assert (folder / "errors.json").read_bytes() == reference["synth-injected"]
    assert listing(folder) == ["errors.json", "null"]


# --- folders --------------------------------------------------------------------------------------


def _linked_folder(folder: Path, make_target: bool) -> tuple[Path, Path]:
    target = folder / "real"
    if make_target:
        target.mkdir()
    (folder / "link").symlink_to("real")
    return folder / "link", target


FOLDER_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "package": lambda out: ["package", "--quiet", "-o", str(out), str(REPORT)],
    "schema": lambda out: ["schema", "-o", str(out)],
}
WRITTEN = {"package": ["ogi-reports-2024"], "schema": ["report.schema.json", "validation-result.schema.json"]}


def _cases() -> Iterator[tuple[str, bool]]:
    for command in FOLDER_COMMANDS:
        yield command, True
        yield command, False


@pytest.mark.parametrize(("command", "exists"), list(_cases()))
def test_a_link_to_a_folder_is_followed_and_kept(command: str, exists: bool, folder: Path) -> None:
    link, target = _linked_folder(folder, exists)
    printed = ogi_ok(*FOLDER_COMMANDS[command](link)).decode()
    assert link.is_symlink()
    assert os.readlink(link) == "real"
    assert listing(target) == WRITTEN[command]
    assert listing(folder) == ["link", "real"]
    assert all(line.startswith(str(link)) for line in printed.splitlines()), printed


@pytest.mark.parametrize("command", FOLDER_COMMANDS)
def test_dash_is_refused_for_a_folder_in_one_line(command: str, folder: Path) -> None:
    run = run_ogi(*FOLDER_COMMANDS[command](Path("-")), timeout=SECONDS)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("ogi: error: -o -:"), run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stdout == ""
    assert not Path("-").exists()
