"""write_text_atomic: the file is the old one or the new one, and no temporary file is left; the
leftovers of a killed writer are removed by the next write, those of a live one are not. Links are
followed and kept; devices, named pipes, sockets and our own descriptors are written in place."""

from __future__ import annotations

import errno
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from ogi_report.fileio import (
    STDOUT,
    is_temp_of,
    output_folder,
    replaces_file,
    resolve_output,
    sweep_stale_temps,
    temporary_beside,
    write_bytes_atomic,
    write_text_atomic,
    writing,
)


def test_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "new.json"
    returned = write_text_atomic(target, "{}\n")
    assert returned == target
    assert target.read_text("utf-8") == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json"]


def test_accepts_a_str_path(tmp_path: Path) -> None:
    target = tmp_path / "s.txt"
    assert write_text_atomic(str(target), "x") == target
    assert target.read_text("utf-8") == "x"


def test_replaces_the_content_completely(tmp_path: Path) -> None:
    target = tmp_path / "report.schema.json"
    target.write_text("a much longer old content\n" * 100, "utf-8")
    write_text_atomic(target, "short\n")
    assert target.read_text("utf-8") == "short\n"
    write_text_atomic(target, "")
    assert target.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.schema.json"]


def test_writes_utf8_with_unix_newlines(tmp_path: Path) -> None:
    target = tmp_path / "zh.txt"
    write_text_atomic(target, "（一）予以公开\n第二行\n")
    assert target.read_bytes() == "（一）予以公开\n第二行\n".encode()


def test_no_temp_file_left_when_replace_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.json"
    target.write_text("old\n", "utf-8")

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "new\n")
    monkeypatch.undo()
    assert target.read_text("utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]


def test_no_temp_file_left_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "new.json"

    def interrupted(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "data")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_no_temp_file_left_when_text_cannot_be_encoded(tmp_path: Path) -> None:
    target = tmp_path / "bad.txt"
    target.write_text("old", "utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "lone surrogate \udc80")
    assert target.read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


def test_missing_directory_raises_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_text_atomic(tmp_path / "no" / "such" / "dir.txt", "x")
    assert list(tmp_path.iterdir()) == []


# --- leftovers of a killed writer -------------------------------------------------------------------


def test_temporary_files_are_hidden_and_named_after_their_target(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    with temporary_beside(target) as (handle, name):
        assert Path(name).parent == tmp_path
        assert is_temp_of(target, Path(name).name)
        assert Path(name).name.startswith(".report.json.")
        handle.write(b"x")
    assert not is_temp_of(target, "report.json")
    assert not is_temp_of(target, ".report.json.notes.tmp")
    assert not is_temp_of(tmp_path / "other.json", Path(name).name)


def test_a_dead_writers_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", "utf-8")
    stale = tmp_path / ".out.json.0123456789ab.tmp"  # what a writer killed half-way leaves
    stale.write_bytes(b"half of the ne")
    kept = [tmp_path / ".out.json.notes.tmp", tmp_path / ".other.json.0123456789ab.tmp", tmp_path / "x.tmp"]
    for path in kept:
        path.write_text("not a temporary file of out.json", "utf-8")
    write_text_atomic(target, "new\n")
    assert target.read_text("utf-8") == "new\n"
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.json", *(p.name for p in kept)])


def test_a_live_writers_temporary_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with temporary_beside(target) as (handle, name):
        handle.write(b"still being written")
        handle.flush()
        assert sweep_stale_temps(target) == []
        write_text_atomic(target, "another writer\n")
        assert Path(name).read_bytes() == b"still being written"
        handle.close()
        os.replace(name, target)
    assert target.read_bytes() == b"still being written"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_new_files_get_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "p.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "p.txt").stat().st_mode & 0o777 == 0o644


# --- what a path names: links, devices, pipes, sockets, descriptors --------------------------------


def _null(path: Path) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError as exc:
        pytest.skip(f"cannot make a device here (mknod: {exc.strerror}); the test needs root")
    return path


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    (tmp_path / "2024.html").write_text("old", "utf-8")
    (tmp_path / "latest.html").symlink_to("2024.html")
    assert write_text_atomic(tmp_path / "latest.html", "new") == tmp_path / "latest.html"
    assert os.readlink(tmp_path / "latest.html") == "2024.html"
    assert (tmp_path / "2024.html").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024.html", "latest.html"]


def test_a_dangling_chain_of_links_makes_the_file_at_its_end(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a").symlink_to("sub/b")
    (tmp_path / "sub" / "b").symlink_to("../new.txt")
    assert resolve_output(tmp_path / "a") == tmp_path.resolve() / "new.txt"
    write_text_atomic(tmp_path / "a", "x")
    assert (tmp_path / "new.txt").read_text("utf-8") == "x"
    assert (tmp_path / "a").is_symlink()
    assert (tmp_path / "sub" / "b").is_symlink()


def test_a_loop_of_links_is_an_error_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError, match="symbolic links") as raised:
        write_text_atomic(tmp_path / "a", "x")
    assert raised.value.errno == errno.ELOOP
    assert sorted(os.readlink(tmp_path / n) for n in "ab") == ["a", "b"]


def test_a_device_is_written_in_place(tmp_path: Path) -> None:
    null = _null(tmp_path / "null")
    (tmp_path / "link").symlink_to("null")
    assert not replaces_file(null)
    write_bytes_atomic(null, b"x" * 100_000)
    write_bytes_atomic(tmp_path / "link", b"y")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)
    assert (tmp_path / "link").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "null"]


def test_a_named_pipe_is_written_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    data = os.urandom(300_000)  # more than a pipe holds: the writer waits for the reader
    write_bytes_atomic(fifo, data)
    reader.join(10)
    assert not reader.is_alive()
    assert got == [data]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_socket_is_connected_to_and_written(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            got.append(b"".join(iter(lambda: connection.recv(65536), b"")))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        write_text_atomic(path, "hello\n")
        thread.join(10)
    finally:
        server.close()
    assert got == [b"hello\n"]
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_our_own_descriptors_are_written_not_their_links(tmp_path: Path) -> None:
    assert resolve_output(STDOUT) == 1
    assert not replaces_file(STDOUT)
    file = tmp_path / "redirected"
    with file.open("wb") as handle:
        fd = handle.fileno()
        handle.write(b"before ")
        handle.flush()
        (tmp_path / "link").symlink_to(f"/dev/fd/{fd}")
        assert resolve_output(tmp_path / "link") == fd
        write_text_atomic(tmp_path / "link", "after")  # appended at the descriptor's offset
        os.write(fd, b"!")  # and the descriptor is still open
    assert file.read_bytes() == b"before after!"
    assert (tmp_path / "link").is_symlink()


def test_an_output_not_committed_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old", "utf-8")
    with writing(target) as output:
        output.handle.write(b"new")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_output_folder_follows_links(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to("real/packages")
    assert output_folder(tmp_path / "link") == tmp_path.resolve() / "real" / "packages"
    assert (tmp_path / "real" / "packages").is_dir()
    assert (tmp_path / "link").is_symlink()
    with pytest.raises(NotADirectoryError):
        output_folder(STDOUT)
