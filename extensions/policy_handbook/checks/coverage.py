"""Comparison coverage by topic: rows and summaries agree with the clauses' topics.

- every clause tagged with a topic is in that topic's rows, or in its
  ``excluded`` list with a reason (an exclusion must name a clause of the topic
  that the rows leave out);
- a summary names, in both languages, every city with clauses in the topic's
  rows, and no city without any.

A city is named by its municipality's name without 市/町/村 (筑後) in Japanese and
without City/Town/Village (Chikugo) in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from ..model import Guideline, Policy, TopicAlignment

_JA_SUFFIX = re.compile(r"[市町村]$")
_EN_SUFFIX = re.compile(r"\s+(?:City|Town|Village)$", re.I)


def short_names(g: Guideline) -> tuple[str, str]:
    return _JA_SUFFIX.sub("", g.municipality.ja), _EN_SUFFIX.sub("", g.municipality.get("en"))


def named(summary: str, name: str, lang: str) -> bool:
    if lang == "ja":
        return bool(name) and name in summary
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", summary))


def coverage_warnings(policy: Policy, locate: Callable[..., Any]) -> list[Problem]:
    cmp = policy.comparison
    if cmp is None:
        return []
    guidelines = [g for d in cmp.documents if (g := policy.guideline(d)) is not None]
    warnings: list[Problem] = []
    for ta in cmp.topics:
        warnings += _rows_and_exclusions(policy, ta, guidelines, locate)
        warnings += _cities_in_summary(ta, guidelines, locate)
    return warnings


def _rows_and_exclusions(policy: Policy, ta: TopicAlignment, guidelines: list[Guideline], locate) -> list[Problem]:
    out = []
    in_rows = {cid for row in ta.rows for _, ids in row.cells for cid in ids}
    excluded = {x.clause for x in ta.excluded}
    for x in ta.excluded:
        clause = policy.clause(x.clause)
        if clause is None or ta.topic not in clause.topics:
            out.append(
                Problem(
                    locate(x, "clause"),
                    f"comparison {ta.topic}: excluded '{x.clause}' is not a clause tagged '{ta.topic}'",
                    "policy.coverage",
                )
            )
        elif x.clause in in_rows:
            out.append(
                Problem(locate(x, "clause"), f"comparison {ta.topic}: '{x.clause}' is both in the rows and excluded", "policy.coverage")
            )
    for g in guidelines:
        for c in g.clauses:
            if c.text is None or ta.topic not in c.topics or c.id in in_rows or c.id in excluded:
                continue
            out.append(
                Problem(
                    locate(c, "topics", c.topics.index(ta.topic)),
                    f"{c.id} is tagged '{ta.topic}' but is not in that topic's rows in the comparison: "
                    f"add it to a row, or to the topic's `excluded` with a reason (comparison.yaml line {ta.location.line})",
                    "policy.coverage",
                )
            )
    return out


def _cities_in_summary(ta: TopicAlignment, guidelines: list[Guideline], locate) -> list[Problem]:
    out = []
    with_clauses = {doc for row in ta.rows for doc, ids in row.cells if ids}
    for g in guidelines:
        names = short_names(g)
        for lang, name in zip(("ja", "en"), names):
            text = ta.summary.get(lang)
            is_named = named(text, name, lang)
            if g.id in with_clauses and not is_named:
                message = f"comparison {ta.topic} summary ({lang}) does not name {name}, which has clauses in the topic's rows"
            elif g.id not in with_clauses and is_named:
                message = f"comparison {ta.topic} summary ({lang}) names {name}, which has no clauses in the topic's rows"
            else:
                continue
            out.append(Problem(locate(ta, "summary", lang), message, "policy.coverage"))
    return out
