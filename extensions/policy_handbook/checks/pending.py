"""Translations still to do, counted by kind: not only clauses.

An imported draft awaits its English everywhere, and `make check` says how much
of each kind (information, not a warning). In a guideline whose clause texts are
all translated, a string left without English (the title's, say, removed by
mistake) is a warning at its line (``policy.pending``): before, only clauses were
counted and such a gap passed silently, while the English site showed Japanese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import Problem
from ..model import Choice, Clause, Contact, Editorial, Form, FormField, Guideline, Note, Scale
from .texts import Bilingual, guideline_strings

Locate = Callable[..., Any]

# Kinds in the order they are reported; each with its singular and plural.
KINDS = {
    "title": ("title", "titles"),
    "heading": ("heading", "headings"),
    "clause": ("clause text", "clause texts"),
    "note": ("note", "notes"),
    "form": ("form label", "form labels"),
    "metadata": ("metadata value", "metadata values"),
}


def kind_of(s: Bilingual) -> str:
    owner = s.owner
    if isinstance(owner, Guideline):
        return "title" if s.path == ("title",) else "metadata"
    if isinstance(owner, Clause):
        return "heading" if s.path == ("heading",) else "clause"
    if isinstance(owner, Note):
        return "note"
    if isinstance(owner, (Form, FormField, Choice, Scale)):
        return "form"
    if isinstance(owner, (Contact, Editorial)):
        return "metadata"
    return "metadata"


def pending_strings(g: Guideline) -> dict[str, list[Bilingual]]:
    """Kind -> the guideline's strings without English, in document order."""
    found: dict[str, list[Bilingual]] = {}
    for s in guideline_strings(g):
        if s.text.pending:
            found.setdefault(kind_of(s), []).append(s)
    return {k: found[k] for k in KINDS if k in found}


def count_line(g: Guideline, locate: Locate | None = None) -> str | None:
    """ "kensho: translation pending: 1 title, 5 clause texts, 2 notes" (None: nothing pending)."""
    found = pending_strings(g)
    if not found:
        return None
    parts = []
    for kind, strings in found.items():
        one, many = KINDS[kind]
        parts.append(f"{len(strings)} {one if len(strings) == 1 else many}")
    return f"{g.id}: translation pending: {', '.join(parts)}"


def pending_warnings(g: Guideline, locate: Locate) -> list[Problem]:
    """In a guideline whose clause texts are all translated, each string still without English."""
    found = pending_strings(g)
    if not found or "clause" in found:  # a draft: counted, not warned about
        return []
    out = []
    for kind, strings in found.items():
        for s in strings:
            out.append(
                Problem(
                    locate(s.owner, *s.path),
                    f"{s.where}: no English ({KINDS[kind][0]}): the English site shows the Japanese, marked "
                    "as a pending translation, though every clause of this guideline is translated",
                    "policy.pending",
                )
            )
    return out


def pending_kinds(g: Guideline) -> list[tuple[str, int]]:
    """(kind's name, count) for the English site's 'Translation pending' line."""
    return [(KINDS[k][0 if len(v) == 1 else 1], len(v)) for k, v in pending_strings(g).items()]


__all__ = ("KINDS", "count_line", "kind_of", "pending_kinds", "pending_strings", "pending_warnings")
