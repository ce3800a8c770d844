"""Paths confined to the policy folder: every file the data names, and every policy
file, is read only once it resolves (symlinks followed) inside ``policy/``.

Shared by the loader, the content checks (provenance) and the check cache, which is
why it is a module of its own: the checks must not import the loader that runs them.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path
from typing import Any

# Directories resolved during one load_policy: every file is in one of two folders, and
# resolving each file's whole path again (a system call per component) was a third of a
# cached check at 1,741 municipalities. None outside a load: nothing is kept between loads.
_resolved_dirs: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("resolved_dirs", default=None)


@contextlib.contextmanager
def _resolving_once():
    token = _resolved_dirs.set({})
    try:
        yield
    finally:
        _resolved_dirs.reset(token)


def _resolve_dir(directory: str) -> str:
    cache = _resolved_dirs.get()
    if cache is None:
        return os.path.realpath(directory)
    found = cache.get(directory)
    if found is None:
        found = cache[directory] = os.path.realpath(directory)
    return found


def _resolve(path: str) -> str:
    """os.path.realpath(path), with its folder resolved once per load."""
    name = os.path.basename(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_resolve_dir(os.path.dirname(path)), name)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is in ``folder`` once every symlink is resolved."""
    try:
        real, base = _resolve(os.fspath(path)), _resolve_dir(os.fspath(folder))
    except (ValueError, OSError, RuntimeError):  # unreadable, or a symlink loop
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def source_path(policy_dir: Path, relative: Any) -> Path | None:
    """``policy_dir / relative`` when it stays inside policy_dir (symlinks resolved), else None.

    Every file the data names goes through here: data must not make the build read,
    or reveal the existence of, anything outside the policy folder.
    """
    if not isinstance(relative, str) or not relative or "\0" in relative or "\\" in relative or relative.startswith("/"):
        return None
    path = Path(policy_dir) / relative
    return path if inside(path, Path(policy_dir)) else None
