"""The project's one error type: every problem found, each with file:line:col."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .characters import sanitise
from .model import Location

# Problems reported per file (and per kind of problem while reading one); more only add noise.
MAX_PROBLEMS_PER_FILE = 20
LIMIT_CODE = "policy.limit"  # the "... and N more" lines: not counted against the cap


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the policy files."""

    location: Location | None
    message: str
    code: str = "policy.invalid"  # e.g. policy.yaml, policy.schema, policy.reference, policy.coverage

    def __post_init__(self) -> None:
        # Messages quote the data: never let a byte of it act on a terminal or a log.
        object.__setattr__(self, "message", sanitise(self.message))

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


def _file_of(problem: Problem) -> str:
    return problem.location.file if problem.location else ""


def cap_per_file(problems: list[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """Sorted by file:line:col, at most ``limit`` problems per file, then one line counting the rest."""
    ordered = sorted(
        problems,
        key=lambda p: (_file_of(p), p.code == LIMIT_CODE, p.location.line, p.location.column) if p.location else ("", False, 0, 0),
    )
    out: list[Problem] = []
    counts: dict[str, int] = {}
    dropped: dict[str, list] = {}  # file -> [count, first dropped problem]
    for p in ordered:
        file = _file_of(p)
        if p.code == LIMIT_CODE:
            out.append(p)
            continue
        n = counts.get(file, 0)
        if n < limit:
            counts[file] = n + 1
            out.append(p)
        else:
            dropped.setdefault(file, [0, p])[0] += 1
    if not dropped:
        return out
    # One counting line at the end of each file's block.
    result: list[Problem] = []
    for i, p in enumerate(out):
        result.append(p)
        file = _file_of(p)
        last_of_file = i + 1 == len(out) or _file_of(out[i + 1]) != file
        if last_of_file and file in dropped:
            count, first = dropped.pop(file)
            result.append(Problem(first.location, f"... and {count} more problem(s) in this file", LIMIT_CODE))
    return result


class PolicyError(Exception):
    """Raised with every problem found, not only the first (at most MAX_PROBLEMS_PER_FILE per file)."""

    def __init__(self, problems: list[Problem]):
        self.problems = cap_per_file(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found")
        return "\n".join(lines)


# --- message helpers: how a message quotes the data -------------------------------------


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_repr(value: Any, limit: int = 50) -> str:
    return shorten(repr(value), limit)


def unknown_message(kind: str, value: str, known: Iterable[str]) -> str:
    """ "unknown kind 'dutty': did you mean 'duty'?" (or every known value when none is close)."""
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=1)
    return f"unknown {kind} '{value}'" + (f": did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})")


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose error line is escaped like every other message (characters.sanitise):
    "unrecognized arguments: …" quotes what was typed, terminal escapes included."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, sanitise(f"{self.prog}: error: {message}") + "\n")
