"""Search results that land on the clause, not on the top of a long page.

Sphinx's full-text index only knows which *page* has a word. Its index entries,
though, carry an anchor, and the search page lists a matching entry as a link
to that anchor (above plain text matches) with the text around the anchor as
summary. So for every clause shown on a page this adds search-only index
entries pointing at the clause's anchor (its ID): the glossary terms that occur
in the clause (with variants: 当市アカウント also yields 公式アカウント) and the
labels of its topics, and the words of the situation guides citing it as a step,
in the page language. Searching 成りすまし on the Japanese
site or "impersonation" on the English site lists the clauses themselves.

The entries are added when a page is resolved for writing, after the general
index was collected at read time, so they do not appear on genindex.html.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..model import Clause, Policy
from ..sphinxext.config import page_language
from .search_records import clause_texts

_HIRAGANA = re.compile("[\u3041-\u309f]")


def _occurs(needle: str, haystack: str, lang: str) -> bool:
    if lang == "ja":
        return needle in haystack
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


def clause_search_terms(policy: Policy, clause: Clause, lang: str) -> list[str]:
    """The labels of the clause's topics, the words of the guides citing it, and the
    glossary terms found in those or in the clause, with all their forms (variants,
    and the reading in Japanese), page language, sorted."""
    terms: set[str] = set()
    for topic_id in clause.topics:
        topic = policy.topic(topic_id)
        if topic is not None:
            terms.add(topic.label.get(lang))
    terms.update(_situation_terms(policy, clause, lang))
    haystack = "\n".join([*clause_texts(clause, lang), *sorted(terms)])
    # English: the word-bounded regex only where the form is in the text at all (a
    # national build asks ~50 forms of each of 66,000 clauses; most are not there).
    lowered = haystack.lower()
    for entry in policy.glossary:
        # A clause with one form of a term is found by every form: 成りすまし by なりすまし
        # (its reading) too, 当市アカウント by 公式アカウント.
        forms = [entry.term.get(lang), *(entry.variants if lang == "ja" else entry.en_variants)]
        reading = entry.reading if lang == "ja" else None
        # A term with kana in it is often written all in kana (なりすまし, のっとり): a clause
        # written so is found by the term. Not a term of kanji only: its reading is more
        # often another word (服務's ふくむ is 含む).
        written = [*forms, reading] if reading and _HIRAGANA.search(forms[0]) else forms
        if any(form and form.lower() in lowered and _occurs(form, haystack, lang) for form in written):
            terms.update(forms)
            if reading:
                terms.add(reading)
    return sorted(t for t in terms if t)


def _situation_terms(policy: Policy, clause: Clause, lang: str) -> set[str]:
    """The title and search words of each situation guide with the clause as a step:
    readers search with their own words (乗っ取られた, hijacked), not the clause's."""
    return _situation_terms_by_step(policy, lang).get(clause.id, set())


_by_step_memo: tuple[Policy, str, dict[str, set[str]]] | None = None


def _situation_terms_by_step(policy: Policy, lang: str) -> dict[str, set[str]]:
    """clause ID -> the words of the situations that have it as a step, computed once per
    policy and language: looking each clause's guide up among a situation's guides (one
    per municipality) made the build quadratic in municipalities."""
    global _by_step_memo
    memo = _by_step_memo
    if memo is not None and memo[0] is policy and memo[1] == lang:
        return memo[2]
    by_step: dict[str, set[str]] = {}
    for situation in policy.situations.situations if policy.situations else ():
        words = {situation.title.get(lang)}
        if situation.search_terms is not None:
            words.update(situation.search_terms.get(lang).split())
        seen: set[str] = set()
        for guide in situation.guides:
            if guide.document in seen:  # Situation.guide(): the first guide of a document counts
                continue
            seen.add(guide.document)
            for step in guide.steps:
                clause = policy.clause(step.clause)
                if clause is not None and clause.document == guide.document:
                    by_step.setdefault(step.clause, set()).update(words)
    _by_step_memo = (policy, lang, by_step)
    return by_step


def clauses_in(doctree: nodes.document, policy: Policy) -> Iterable[Clause]:
    """Each clause whose anchor (element id == clause ID) is on the page, once, in page order."""
    seen: set[str] = set()
    for element in doctree.findall(nodes.Element):
        for node_id in element.get("ids", ()):
            if node_id in seen:
                continue
            clause = policy.clause(node_id)
            if clause is not None:
                seen.add(node_id)
                yield clause


def _add_entries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    builder = app.builder
    if builder.format != "html" or not getattr(builder, "search", False):
        return
    from ..sphinxext.data import PolicyDataError, get_policy  # the policy as the directives rendered it

    try:
        policy = get_policy(app.env)
    except PolicyDataError:
        return  # bad data: already reported as warnings, the build fails on them
    lang = page_language(app.config)
    entries = [
        ("single", term, clause.id, "main", None)
        for clause in clauses_in(doctree, policy)
        for term in clause_search_terms(policy, clause, lang)
    ]
    if entries:
        doctree.append(addnodes.index(entries=entries, inline=False, classes=["policy-search-anchor"]))


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", _add_entries)
