"""What ``import`` (command.py) and ``align`` (align_command.py) share: loading the
existing policy as a refusal at file:line, and writing a file atomically."""

from __future__ import annotations

from pathlib import Path

from ..files import write_atomic
from .errors import ImportProblem, ImportRefused

__all__ = ["load_existing_policy", "write_atomic"]  # an interrupted command leaves no half-written file


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
