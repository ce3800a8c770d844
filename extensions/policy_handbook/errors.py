"""The project's one error type: every problem found, each with file:line:col."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Location


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the policy files."""

    location: Location | None
    message: str
    code: str = "policy.invalid"  # e.g. policy.yaml, policy.schema, policy.reference, policy.coverage

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


class PolicyError(Exception):
    """Raised with every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            problems,
            key=lambda p: (p.location.file, p.location.line, p.location.column) if p.location else ("", 0, 0),
        )
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found")
        return "\n".join(lines)
