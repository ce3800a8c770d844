"""Refusals of the importer: every problem with file:line, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from ..characters import sanitise

MAX_REPORTED = 20


def printable(text: str) -> str:
    """``text`` safe for a terminal, line by line: the escaping `make check` uses
    (characters.sanitise), which would otherwise also escape the line breaks of a report."""
    return "\n".join(sanitise(line) for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class ImportProblem:
    file: str
    line: int
    message: str
    page: int | None = None  # in a PDF: the page, which its owner can find (not a line of the extracted text)

    def __str__(self) -> str:
        # File names and messages quote what the user gave and what the file holds: escaped.
        if self.page:
            return printable(f"{sanitise(self.file)}: page {self.page}: {self.message}")
        return printable(f"{sanitise(self.file)}:{self.line}: {self.message}")


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
