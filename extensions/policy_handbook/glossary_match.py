"""Where glossary terms occur in a text: one rule for the site's links and the checks.

Matching is leftmost-longest over every glossary term and variant *and* every
longer name that merely contains one: the taxonomy's actor labels. A match inside
such a name is that name, not the term: 管理者 in 当該ソーシャルメディア管理者
(the operator of the service) is not the account administrator, so it is neither
linked to the glossary nor checked against the term's English. A longer glossary
term or variant wins over a shorter one in the same way.

Japanese matches anywhere (Japanese has no spaces between words); English
matches whole words only, as written or capitalised at a sentence start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import Entry, GlossaryTerm, Policy


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    surface: str  # the words as they stand in the text
    term: GlossaryTerm


class GlossaryMatcher:
    def __init__(self, glossary: Iterable[GlossaryTerm], masks: Iterable[Entry], lang: str):
        self.lang = lang
        self.term_of: dict[str, GlossaryTerm] = {}  # surface -> term (first term wins)
        for term in glossary:
            for surface in self._surfaces(term.term.get(lang), *(term.variants if lang == "ja" else ())):
                self.term_of.setdefault(surface, term)
        names = {*self.term_of, *self._surfaces(*(entry.label.get(lang) for entry in masks))}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)) if n)
        if not self.term_of:
            self.pattern = None
        elif lang == "ja":
            self.pattern = re.compile(alternatives)
        else:
            self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    @classmethod
    def of(cls, policy: Policy, lang: str) -> GlossaryMatcher:
        """The glossary of ``policy``, with its actors' labels as the longer names."""
        return cls(policy.glossary, policy.actors, lang)

    def _surfaces(self, *names: str) -> list[str]:
        if self.lang == "ja":
            return [n for n in names if n]
        return [s for n in names if n for s in (n, n[:1].upper() + n[1:])]

    def matches(self, text: str) -> Iterator[TermMatch]:
        """Every occurrence of a glossary term in ``text``, left to right."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            term = self.term_of.get(m.group())
            if term is not None:  # otherwise a longer name that only contains a term
                yield TermMatch(m.start(), m.end(), m.group(), term)
