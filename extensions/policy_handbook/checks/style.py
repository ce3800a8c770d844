"""House rules for modality: the English of a clause says what its Japanese obliges.

A Japanese sentence ending in one of these forms needs the matching English modal
somewhere in the clause's English (sentences are not aligned one to one, so the
check asks for the modal, not for its position):

  〜しなければならない, 〜する必要がある      must
  〜こととする, 〜すること, 〜ものとする       shall
  〜してはならない                           must not
  〜に努める                                 endeavour to
  〜が望ましい                               should

A clause whose English rightly departs from these rules says why in a note with
``waives: [style]``; there are no exceptions in code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ..errors import Problem
from ..model import Guideline
from .texts import waived


class Rule(NamedTuple):
    name: str  # the English modal, for messages
    ending: re.Pattern[str]  # the Japanese sentence ending
    english: re.Pattern[str]  # the modal in the English


# Most specific first: してはならない must not fall under the ならない of must.
RULES: tuple[Rule, ...] = (
    Rule("must not", re.compile(r"(?:ては|では)ならない$"), re.compile(r"\bmust not\b|\bmustn't\b", re.I)),
    Rule("must", re.compile(r"(?:なければ|なれば|なくては)ならない$|必要がある$"), re.compile(r"\bmust\b(?!\s+not\b)", re.I)),
    Rule("shall", re.compile(r"(?:こととする|ものとする|こと)$"), re.compile(r"\bshall\b", re.I)),
    Rule("endeavour to", re.compile(r"努める$"), re.compile(r"\bendeavou?r to\b", re.I)),
    Rule("should", re.compile(r"望ましい$"), re.compile(r"\bshould\b", re.I)),
)

# A sentence ends at 。 (or the end of the text); closing brackets after it do not count.
_SENTENCE = re.compile(r"[^。]+(?:。|$)")
_TRAILING = "。．.」』）)\u3000 "


def sentence_modals(ja: str) -> list[tuple[str, Rule]]:
    """(sentence, rule) for every sentence of ``ja`` that ends in a form of the house rules."""
    found = []
    for m in _SENTENCE.finditer(ja):
        sentence = m.group().strip()
        end = sentence.rstrip(_TRAILING)
        for rule in RULES:
            if rule.ending.search(end):
                found.append((sentence, rule))
                break
    return found


def guideline_modality_warnings(g: Guideline, locate: Callable[..., Any]) -> list[Problem]:
    warnings = []
    for c in g.clauses:
        if c.text is None or c.text.en is None or waived(c.notes, "style"):  # pending: nothing to check yet
            continue
        missing: dict[str, str] = {}  # modal -> the first Japanese sentence that needs it
        for sentence, rule in sentence_modals(c.text.ja):
            if rule.name not in missing and not rule.english.search(c.text.en):
                missing[rule.name] = sentence
        for modal, sentence in missing.items():
            warnings.append(
                Problem(
                    locate(c, "text", "en"),
                    # what to do first: a long text is cut at the end of the message
                    f"{c.id} text: the Japanese calls for '{modal}' (house rules for modality) but the English "
                    "has none (or explain the exception in a note with `waives: [style]`): "
                    f'「{sentence}」 / "{c.text.en}"',
                    "policy.style",
                )
            )
    return warnings
