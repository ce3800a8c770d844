"""What ``import`` (command.py) and ``align`` (align_command.py) share: loading the
existing policy as a refusal at file:line, and writing a file atomically, never
through a link and never outside the policy folder."""

from __future__ import annotations

from pathlib import Path

from ..confined import inside
from ..files import UnsafeWrite, write_atomic
from .errors import ImportProblem, ImportRefused


def load_existing_policy(policy_dir: Path, source: str):
    """The policy the command builds on; ImportRefused (at ``source``) when it does not load."""
    from ..errors import PolicyError  # the loader and its schema only when a command runs
    from ..loader import load_policy

    try:
        return load_policy(policy_dir, root=policy_dir.resolve().parent)
    except PolicyError as exc:
        raise ImportRefused(
            [ImportProblem(source, 1, f"the existing policy in {policy_dir} does not load; fix it first:\n{exc.report()}")]
        ) from None


def write_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Every file a command writes: atomic (an interrupted command leaves no half-written
    file), never through a link, never outside ``root`` (the policy folder); an existing
    file keeps its mode."""
    try:
        write_atomic(path, data, root=root)
    except UnsafeWrite as exc:
        raise ImportRefused([ImportProblem(str(path), 1, f"not written: {exc}")]) from None


def check_destination(path: Path, policy_dir: Path) -> None:
    """Refused before any work: a link where a file is to be written, or a path outside policy/."""
    if path.is_symlink():
        raise ImportRefused([ImportProblem(str(path), 1, "is a symbolic link: not written through it (remove the link)")])
    if not inside(path, policy_dir):
        raise ImportRefused([ImportProblem(str(path), 1, f"is outside the policy folder {policy_dir}: the importer writes only there")])
