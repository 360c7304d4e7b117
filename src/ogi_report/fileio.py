"""Atomic writes: a file is either the old one or the new one, never half of either.

The new content goes to a temporary file beside the target, named `.<target name>.<random>.tmp`
(hidden, clearly temporary), which is then renamed over the target. While its writer lives the
temporary file is locked (flock); a writer killed outright (SIGKILL, power loss) cannot remove it,
so every later write of the same target first removes the unlocked temporary files of that
target: the leftovers of dead writers, never the file of one still writing.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so leftovers are never swept (they stay hidden)
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"


def temp_prefix(target: Path) -> str:
    """What every temporary file of `target` is named with (then random hex and TEMP_SUFFIX)."""
    return f".{target.name}."


def is_temp_of(target: Path, name: str) -> bool:
    """True if `name` (a file name in the target's folder) is a temporary file of `target`."""
    prefix = temp_prefix(target)
    middle = name[len(prefix) : -len(TEMP_SUFFIX)]
    return name.startswith(prefix) and name.endswith(TEMP_SUFFIX) and len(middle) == 12 and _hex(middle)


def _hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def lock(path: str | Path, *, wait: bool = False) -> int | None:
    """An open descriptor of `path` (a file or a folder) holding its exclusive lock, released when
    the descriptor is closed or its process dies; None if another holds the lock (unless `wait`).
    Where there are no locks (not POSIX), always the descriptor."""
    fd = os.open(path, os.O_RDONLY)
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def sweep_stale_temps(target: str | Path) -> list[Path]:
    """Remove the temporary files of `target` left by writers that died; return them."""
    target = Path(target)
    if fcntl is None or not target.parent.is_dir():
        return []
    removed = []
    for entry in target.parent.iterdir():
        if not is_temp_of(target, entry.name):
            continue
        try:
            fd = lock(entry)
        except OSError:  # gone already, or not ours to open
            continue
        if fd is None:  # a live writer holds it
            continue
        try:
            entry.unlink(missing_ok=True)
            removed.append(entry)
        finally:
            os.close(fd)
    return removed


@contextmanager
def temporary_beside(target: str | Path) -> Iterator[tuple[BinaryIO, str]]:
    """(open file, name) of a new temporary file beside `target`, with the permissions a new file
    gets (umask). The block writes it, flushes, fsyncs and renames it into place (os.replace);
    the file is locked until the block ends and removed if the block raises.

    Stale temporary files of `target` are swept first. Should a sweep by a concurrent writer of
    the same target catch this file in the instant before it is locked, the rename fails with
    FileNotFoundError: the target is left as it was."""
    target = Path(target)
    sweep_stale_temps(target)
    while True:
        name = str(target.parent / f"{temp_prefix(target)}{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:  # name the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(target)) from None
    handle = os.fdopen(fd, "wb")
    held: int | None = None
    try:
        held = lock(name, wait=True)  # a separate open file: closing `handle` keeps the lock
        yield handle, name
    except BaseException:
        handle.close()
        Path(name).unlink(missing_ok=True)
        raise
    finally:
        handle.close()
        if held is not None:
            os.close(held)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text (newlines kept as given) atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes through a temporary file in the same folder, then os.replace it into place."""
    target = Path(path)
    with temporary_beside(target) as (handle, tmp):
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(tmp, target)
    return target
