"""A writable copy of a policy directory (the ``minimal_policy`` fixture of tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path


class PolicyCopy:
    """A writable copy of a policy directory, for tests that break one thing."""

    def __init__(self, path: Path):
        self.dir = path

    def edit(self, file: str, old: str, new: str, count: int = 1) -> None:
        """Replace ``old`` (which must occur) by ``new`` in one file."""
        path = self.dir / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def write(self, file: str, content: str | bytes) -> Path:
        path = self.dir / file
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def read(self, file: str) -> str:
        return (self.dir / file).read_text(encoding="utf-8")

    def load(self, **kwargs):
        from policy_handbook.loader import load_policy

        return load_policy(self.dir, **kwargs)

    def problems(self) -> list[str]:
        """Every problem reported, one 'file:line:col: message' string each ([] when it loads)."""
        from policy_handbook.errors import PolicyError

        try:
            self.load()
        except PolicyError as exc:
            return [str(p) for p in exc.problems]
        return []
