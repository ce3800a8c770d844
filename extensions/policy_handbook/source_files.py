"""The one way a guideline's published source (policy/sources/…) is read.

``source.file`` is data, and so is whatever ``policy/sources/`` holds: a link to a FIFO
would hang a reader, a link to /dev/zero would fill memory, a 300 MB file would be read
whole. So a source is read only when it is inside the policy folder (confined.source_path),
a regular file by fstat of what was opened (opened without blocking, so a FIFO is seen, not
waited on), and at most MAX_SOURCE_BYTES; it is hashed in chunks.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .files import NotRegularFile, open_regular

MAX_SOURCE_BYTES = 32 * 1024 * 1024  # a published guideline, PDF included, is a few MB
_CHUNK = 1024 * 1024


class SourceUnreadable(OSError):
    """Why the source is not read: missing, not a regular file, or too large (its message)."""


def _open(path: Path) -> int:
    try:
        fd, st = open_regular(path)
    except NotRegularFile as exc:
        raise SourceUnreadable(str(exc)) from None
    except FileNotFoundError:
        raise SourceUnreadable("not found") from None
    except OSError as exc:
        raise SourceUnreadable(f"cannot be read ({exc.strerror or exc})") from None
    if st.st_size > MAX_SOURCE_BYTES:
        os.close(fd)
        raise SourceUnreadable(f"is larger than {MAX_SOURCE_BYTES // 2**20} MB")
    return fd


def _chunks(path: Path):
    fd = _open(path)
    try:
        total = 0
        while chunk := os.read(fd, _CHUNK):
            total += len(chunk)
            if total > MAX_SOURCE_BYTES:  # grew since fstat
                raise SourceUnreadable(f"is larger than {MAX_SOURCE_BYTES // 2**20} MB")
            yield chunk
    finally:
        os.close(fd)


def problem(path: Path) -> str | None:
    """Why ``path`` would not be read ("not found", "is a FIFO, not a regular file"…), or None."""
    try:
        os.close(_open(path))
    except SourceUnreadable as exc:
        return str(exc)
    return None


def read_bytes(path: Path) -> bytes:
    """The source's bytes; SourceUnreadable (an OSError) if it is not a readable regular file within the cap."""
    return b"".join(_chunks(path))


def read_text(path: Path) -> str:
    return read_bytes(path).decode("utf-8")


def digest(path: Path) -> bytes:
    """SHA-256 of the source, read in chunks; SourceUnreadable as read_bytes."""
    h = hashlib.sha256()
    for chunk in _chunks(path):
        h.update(chunk)
    return h.digest()
