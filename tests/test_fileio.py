"""write_text_atomic: the file is the old one or the new one, and no temporary file is left; the
leftovers of a killed writer are removed by the next write, those of a live one are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ogi_report.fileio import is_temp_of, sweep_stale_temps, temporary_beside, write_text_atomic


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
