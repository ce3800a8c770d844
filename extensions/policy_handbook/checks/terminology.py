"""One Japanese term, one English rendering: the glossary checked in every bilingual string.

Where the Japanese of a string uses a glossary term (or one of its Japanese
variants), its English must use the term's English or one of its declared
``en_variants``. English matches at the start of a word and may go on
(consult: consulted, consultation). Matching of the Japanese is the site's own
(glossary_match): a term inside a longer known name is that name, not the term.
A string whose English rightly departs says why in a note of its clause or form
field with ``waives: [terminology]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import Problem
from ..glossary_match import GlossaryMatcher
from ..model import GlossaryTerm, Policy
from .texts import Bilingual, waived


def _rendering(term: GlossaryTerm) -> re.Pattern[str]:
    names = sorted({term.term.get("en"), *term.en_variants}, key=len, reverse=True)
    words = "|".join(r"[\s-]+".join(map(re.escape, n.split())) for n in names)  # third party, third-party
    return re.compile(rf"(?<![\w-])(?:{words})", re.I)


class Terminology:
    """The glossary's matcher and renderings, built once per policy and used for any strings."""

    def __init__(self, policy: Policy) -> None:
        self.matcher = GlossaryMatcher.of(policy, "ja")
        self.renderings: dict[str, re.Pattern[str]] = {}

    def warnings(self, strings: Iterable[Bilingual], locate: Callable[..., Any]) -> list[Problem]:
        matcher, renderings = self.matcher, self.renderings
        warnings = []
        for s in strings:
            if s.text.en is None or waived(s.notes, "terminology"):  # no English yet
                continue
            done: set[str] = set()
            for m in matcher.matches(s.text.ja):
                term = m.term
                if term.id in done:
                    continue
                done.add(term.id)
                pattern = renderings.get(term.id) or renderings.setdefault(term.id, _rendering(term))
                if pattern.search(s.text.en):
                    continue
                accepted = " or ".join(f"'{n}'" for n in (term.term.en, *term.en_variants))
                warnings.append(
                    Problem(
                        locate(s.owner, *s.path, "en"),
                        f"{s.where}: the Japanese uses {m.surface} but the English lacks {accepted} (glossary): "
                        f'ja 「{s.text.ja}」 en "{s.text.en}"',
                        "policy.terminology",
                    )
                )
        return warnings
