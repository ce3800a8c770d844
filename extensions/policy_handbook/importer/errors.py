"""Refusals of the importer: every problem with file:line, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class ImportProblem:
    file: str
    line: int
    message: str
    page: int | None = None  # in a PDF: the page, which its owner can find (not a line of the extracted text)

    def __str__(self) -> str:
        if self.page:
            return f"{self.file}: page {self.page}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class ImportRefused(Exception):
    """The input cannot be imported; ``problems`` says where and why (capped)."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            shown.append(f"... and {len(self.problems) - MAX_REPORTED} more")
        return "\n".join(shown)
