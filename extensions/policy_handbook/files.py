"""Writing a project file: never half of it, never through a link, never outside its folder;
and opening one to read only when it is a regular file (``open_regular``).

Every file the project writes goes through ``write_atomic``. Policy data is untrusted and
so are the links in its folders: a link planted where a file will be written (a dangling
``policy/sources/x.txt`` -> ``../../.venv/…/x.pth``) must not make a write land elsewhere.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

DEFAULT_MODE = 0o644  # a new file is read by the site's readers and the other tools, like the files beside it
DIRECTORY_MODE = 0o755  # and a new folder listed by them


class NotRegularFile(OSError):
    """Opened, but a FIFO, a device or a folder (``kind`` says which): not read."""

    def __init__(self, kind: str):
        super().__init__(f"is {kind}, not a regular file")
        self.kind = kind


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """(a blocking fd, its fstat) of ``path`` if it is a regular file, else NotRegularFile.

    Opened with O_NONBLOCK (opening a FIFO would otherwise wait for a writer, forever), then
    checked with fstat on what was opened: no check-then-open race. The caller closes the fd.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(
                "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
            )
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


class UnsafeWrite(OSError):
    """The destination is a link, not a regular file, or outside the folder it must stay in."""


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _parent_inside(parent: Path, root: Path | None) -> str:
    """The real path of ``parent`` (created if missing) once checked to be inside ``root``."""
    real_root = os.path.realpath(root) if root is not None else None
    if real_root is not None:
        # Before creating anything: the nearest existing folder must already be inside root,
        # or mkdir would create folders through a link to elsewhere.
        existing = parent
        while not os.path.lexists(existing) and existing != existing.parent:
            existing = existing.parent
        if not _inside(os.path.realpath(existing), real_root):
            raise UnsafeWrite(f"{parent}: resolves outside {root}: not written")
    parent.mkdir(parents=True, exist_ok=True)
    real = os.path.realpath(parent)
    if real_root is not None and not _inside(real, real_root):
        raise UnsafeWrite(f"{parent}: resolves outside {root}: not written")
    return real


def write_atomic(path: Path | str, data: bytes, *, root: Path | str | None = None) -> None:
    """Write ``data`` to ``path`` through a new temporary file in the same folder and a rename:
    an interrupted write leaves the old file (or none), never a truncated one.

    Refused (UnsafeWrite) when ``path`` is a symbolic link (dangling or not) or anything but
    a regular file, or, with ``root``, when its folder resolves outside ``root``. The rename
    replaces the folder entry itself, so nothing is ever written through a link. An existing
    file keeps its mode; a new one is 0644.
    """
    path = Path(path)
    real_parent = _parent_inside(path.parent, Path(root) if root is not None else None)
    # Everything below is relative to the folder opened once: a folder swapped for a link
    # after the check above does not redirect the write.
    dir_fd = os.open(real_parent, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        mode = DEFAULT_MODE
        try:
            st = os.stat(path.name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISLNK(st.st_mode):
                raise UnsafeWrite(f"{path}: is a symbolic link: not written through it (remove the link)")
            if not stat.S_ISREG(st.st_mode):
                raise UnsafeWrite(f"{path}: is not a regular file: not written")
            mode = stat.S_IMODE(st.st_mode)
        tmp, fd = _create_temp(path.name, dir_fd, mode)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=dir_fd)
            except OSError:
                pass
            raise
    finally:
        os.close(dir_fd)


_CHUNK = 1 << 20


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` has exactly these bytes, read a chunk at a time
    (the API's policy.json is ~90 MB at 1,741 municipalities: not a second copy in memory)."""
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            return False
        view = memoryview(data)
        with path.open("rb") as f:
            return all(f.read(_CHUNK) == view[start : start + _CHUNK] for start in range(0, len(data), _CHUNK))
    except OSError:
        return False


def write_if_changed(path: Path, data: bytes) -> bool:
    """``write_atomic`` unless the file already holds ``data`` (its mtime then stays, so an
    unchanged rebuild writes nothing); whether it wrote."""
    if holds(path, data):
        return False
    write_atomic(path, data)
    return True


def _create_temp(name: str, dir_fd: int, mode: int) -> tuple[str, int]:
    """A new file beside ``name`` (its name and an open descriptor) that no link or other
    file could have stood in for (O_EXCL|O_NOFOLLOW)."""
    for _ in range(100):
        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dir_fd)
        except FileExistsError:
            continue
        os.fchmod(fd, mode)  # exactly the mode, whatever the umask
        return tmp, fd
    raise FileExistsError(f"{name}: no free temporary name")  # pragma: no cover - 100 collisions of 48 random bits


def replace_directory(target: Path, fill: Callable[[Path], None]) -> None:
    """Replace the directory ``target`` by one that ``fill`` writes into a fresh empty
    folder beside it: the old one stays whole until the new one is, and a failed
    ``fill`` leaves it as it was (and no temporary folder behind)."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    _remove(old)  # left by a build that was stopped between the two renames
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        # mkdtemp's 0700 would refuse the folder to a web server running as another user.
        os.chmod(fresh, DIRECTORY_MODE)
        fill(fresh)
        moved = target.is_symlink() or target.exists()
        if moved:
            target.rename(old)  # a link is moved, never followed
        try:
            fresh.rename(target)
        except BaseException:
            if moved:
                old.rename(target)
            raise
        _remove(old)
    finally:
        _remove(fresh)


def _remove(path: Path) -> None:
    """Remove a folder with what it holds, or a file or link (never followed)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # removes the links inside, never what they point to
    elif path.is_symlink() or path.exists():
        path.unlink()
