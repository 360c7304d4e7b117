"""write_text_atomic: the file is the old one or the new one, and no temporary file is left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ogi_report.fileio import write_text_atomic


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
