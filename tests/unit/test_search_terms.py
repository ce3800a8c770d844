"""The glossary's words a clause is found by (site/search_anchors.clause_search_terms)."""

from __future__ import annotations

from helpers.paths import PROJECT_ROOT
from policy_handbook.loader import load_policy
from policy_handbook.site.search_anchors import clause_search_terms


def clauses_found_by(policy, word: str, lang: str) -> set[str]:
    """The clauses whose text or search terms contain `word`."""
    found = set()
    for guideline in policy.guidelines:
        for clause in guideline.clauses:
            text = " ".join(t.get(lang) for t in (clause.heading, clause.text) if t is not None)
            if word in text or word in clause_search_terms(policy, clause, lang):
                found.add(clause.id)
    return found


def test_a_term_s_reading_finds_the_clauses_with_the_term():
    """なりすまし (the glossary's reading of 成りすまし) found 4 clauses, 成りすまし 7."""
    policy = load_policy(PROJECT_ROOT / "policy")
    written = clauses_found_by(policy, "成りすまし", "ja")
    assert len(written) >= 5
    assert clauses_found_by(policy, "なりすまし", "ja") >= written


def test_a_clause_with_one_form_is_found_by_every_form_of_the_term():
    policy = load_policy(PROJECT_ROOT / "policy")
    for entry in policy.glossary:
        forms = [entry.term.ja, *entry.variants]
        with_a_form = set().union(*(clauses_found_by(policy, form, "ja") for form in forms))
        for form in forms:
            assert clauses_found_by(policy, form, "ja") >= with_a_form, (entry.id, form)
