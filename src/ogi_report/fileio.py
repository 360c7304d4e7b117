"""Writing outputs where the user points them, and atomically where a file is replaced.

What a path names is found first (`resolve_output`): symbolic links are followed to their end (a
chain of them, or one to a path that does not exist yet), and a link to one of our own open
descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`) means that descriptor.

- A regular file, or a path where nothing exists yet, is written atomically: the new content goes to a
  temporary file beside it, named `.<target name>.<random>.tmp` (hidden, clearly temporary), which
  is then renamed over it; a link to it stays a link, its target is replaced. While its writer
  lives the temporary file is locked (flock); a writer killed outright (SIGKILL, power loss) cannot
  remove it, so every later write of the same target first removes the unlocked temporary files of
  that target: the leftovers of dead writers, never the file of one still writing.
- A device, a named pipe or a socket (or our own descriptor) is opened and written, as a shell's `>`
  would, but never truncated, renamed over or removed. A named pipe waits for its reader.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so leftovers are never swept (they stay hidden)
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"
STDOUT = "/dev/stdout"  # what `-o -` writes to: a link to our descriptor 1, written in place
_MAX_LINKS = 40  # as the kernel: a longer chain of links is a loop
_OWN_DESCRIPTOR = re.compile(r"/proc/(\d+)(?:/task/\d+)?/fd/(\d+)")


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


def resolve_output(path: str | Path) -> int | Path:
    """What writing to `path` writes to: the absolute path of the file it names, links followed to
    their end (for a dangling link, the path it points to: a new file is made there), or the number
    of one of this process's open descriptors (`/dev/stdout` -> 1). OSError ELOOP for a loop."""
    current = os.path.join(os.getcwd(), path)  # not abspath: '..' after a link is the link's parent
    for _ in range(_MAX_LINKS):
        # Folders on the way are resolved first, so that the last part alone may be a link.
        folder, name = os.path.split(current)
        current = os.path.join(os.path.realpath(folder), name)
        own = _OWN_DESCRIPTOR.fullmatch(current)
        if own and _ours(own[1]):  # a magic link: its target is no path to write
            return int(own[2])
        if not os.path.islink(current):
            return Path(current)
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def _ours(pid: str) -> bool:
    """True if /proc/PID is this process (/proc may come from another pid namespace)."""
    return int(pid) == os.getpid() or os.path.realpath("/proc/self") == f"/proc/{pid}"


def replaces_file(path: str | Path) -> bool:
    """True if writing to `path` replaces a regular file or makes a new one (links followed);
    False for a device, named pipe, socket or one of our own descriptors, which are written in place."""
    where = resolve_output(path)
    if isinstance(where, int):
        return False
    try:
        mode = os.stat(where).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return True
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _open_in_place(where: int | Path) -> int | None:
    """A new descriptor writing to `where` if it is one of our descriptors or an existing device,
    named pipe or socket; None for a regular file, a folder or nothing (written atomically)."""
    if isinstance(where, int):
        _flush_streams_over(where)
        return os.dup(where)
    try:
        mode = os.stat(where).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISSOCK(mode):  # open() cannot write to a socket: connect to it
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            client.connect(str(where))
        except BaseException:
            client.close()
            raise
        return client.detach()
    try:  # no O_CREAT, no O_TRUNC: a device or pipe is written as it is
        fd = os.open(where, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:  # removed since: a new file, then
        return None
    if stat.S_ISREG(os.fstat(fd).st_mode):  # replaced by a regular file since: write it atomically
        os.close(fd)
        return None
    return fd


def _flush_streams_over(fd: int) -> None:
    """Flush Python's buffered standard streams that write to `fd`, so that bytes keep their order."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, OSError, ValueError):
            if stream.fileno() == fd:
                stream.flush()


class Output:
    """One output open for writing (from `writing`): `handle` takes the bytes; `commit()` puts them
    in place. `replaces` says whether a temporary file is renamed over `target` on commit (a regular
    file or a new one) or the bytes went straight to it (a device, pipe, socket or descriptor)."""

    def __init__(self, handle: BinaryIO, target: int | Path, temporary: str | None) -> None:
        self.handle = handle
        self.target = target
        self.temporary = temporary

    @property
    def replaces(self) -> bool:
        return self.temporary is not None

    def remove_old(self) -> None:
        """Remove the regular file this output replaces, if any (never a device, pipe or socket)."""
        if self.temporary is not None and isinstance(self.target, Path):
            self.target.unlink(missing_ok=True)

    def commit(self) -> None:
        """Flush; for a regular file also fsync and rename the temporary file over the target."""
        self.handle.flush()
        if self.temporary is None:
            self.handle.close()
            return
        assert isinstance(self.target, Path)
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temporary, self.target)


@contextmanager
def writing(path: str | Path) -> Iterator[Output]:
    """An `Output` for what `path` names (see the module): a temporary file beside a regular (or new)
    file, renamed over it by `commit()` and removed if the block raises or ends without committing;
    or the device, pipe, socket or descriptor itself, opened for writing (never truncated)."""
    where = resolve_output(path)
    fd = _open_in_place(where)
    if fd is None:
        assert isinstance(where, Path)
        with temporary_beside(where) as (handle, name):
            output = Output(handle, where, name)
            yield output
            if not handle.closed:  # the block did not commit: nothing is replaced
                handle.close()
                Path(name).unlink(missing_ok=True)
        return
    handle = os.fdopen(fd, "wb")
    try:
        yield Output(handle, where, None)
    finally:
        with suppress(OSError):  # a reader gone: the error that matters was raised already
            handle.close()


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text (newlines kept as given) to what `path` names (see `write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to what `path` names: a regular or new file (links followed, kept) atomically
    through a temporary file in the same folder; a device, pipe, socket or descriptor in place.
    Returns `path` as given."""
    with writing(path) as output:
        output.handle.write(data)
        output.commit()
    return Path(path)


def output_folder(path: str | Path) -> Path:
    """The folder `path` names, links followed (made, with its parents, if missing; a dangling
    link makes its target): outputs are written inside it, the link kept."""
    where = resolve_output(path)
    if isinstance(where, int):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    where.mkdir(parents=True, exist_ok=True)
    return where
