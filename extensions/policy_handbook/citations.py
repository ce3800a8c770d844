"""How a clause is cited: its number in the page's language, and, where two clauses
shown together share a number (the unnumbered paragraphs of 4(3)), which paragraph.

Free of Sphinx: the guides, the comparison page and the checks use the same
functions, so the check of distinct citations tests what the site prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Clause, Policy

# English pages write the item separator ・ (a Japanese character) as the Latin
# middle dot: "2(1)·3" reads the same and is not Japanese text.
ITEM_SEPARATOR = {"ja": "・", "en": "\u00b7"}

_EN_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def number_in(number: str, lang: str) -> str:
    """A published number ("6(2)・1") as the page in ``lang`` writes it."""
    return number.replace("・", ITEM_SEPARATOR["en"]) if lang == "en" else number


def paragraph_of(policy: Policy, clause: Clause) -> int | None:
    """1-based position of the clause among its siblings that share its number, or None
    when no sibling shares it (the number alone cites it)."""
    parent = policy.clause(clause.parent) if clause.parent else None
    if parent is not None:
        siblings = [policy.clause(c) for c in parent.children]
    elif clause.level == "preamble":  # no parent, but the preamble's paragraphs share one number (前文)
        guideline = policy.guideline(clause.document)
        siblings = [c for c in guideline.clauses if c.level == "preamble" and c.parent is None] if guideline else []
    else:
        siblings = []
    same = [s.id for s in siblings if s is not None and s.number == clause.number]
    return same.index(clause.id) + 1 if len(same) > 1 and clause.id in same else None


def paragraph_words(ordinal: int, lang: str) -> str:
    if lang == "en":
        word = _EN_ORDINALS[ordinal - 1] if ordinal <= len(_EN_ORDINALS) else f"{ordinal}th"
        return f"{word} paragraph"
    return f"第{ordinal}段落"


def with_paragraph(number: str, ordinal: int | None, lang: str) -> str:
    """ "4(3), second paragraph" / "4(3)第2段落"; the number alone when ``ordinal`` is None."""
    if ordinal is None:
        return number
    sep = ", " if lang == "en" else ""
    return f"{number}{sep}{paragraph_words(ordinal, lang)}"


def shown_citations(policy: Policy, clause_ids: Iterable[str], lang: str, preamble: str) -> dict[str, str]:
    """Clause ID -> its citation among the clauses shown together (one guide): the number
    in ``lang``, with the paragraph added where two of them would otherwise read the same.
    ``preamble`` is the page's word for a preamble's number."""
    clauses = [c for cid in dict.fromkeys(clause_ids) if (c := policy.clause(cid)) is not None]

    def base(c: Clause) -> str:
        return preamble if c.level == "preamble" else number_in(c.number, lang)

    counts = Counter(base(c) for c in clauses)
    out = {}
    for c in clauses:
        text = base(c)
        out[c.id] = with_paragraph(text, paragraph_of(policy, c), lang) if counts[text] > 1 else text
    return out
