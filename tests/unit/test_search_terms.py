"""The glossary's words a clause is found by (site/search_anchors.clause_search_terms)."""

from __future__ import annotations

import dataclasses

from helpers.paths import PROJECT_ROOT
from policy_handbook.loader import load_policy
from policy_handbook.model import Text
from policy_handbook.site.search_anchors import clause_search_terms
from policy_handbook.site.search_records import clause_texts


def clauses_found_by(policy, word: str, lang: str) -> set[str]:
    """The clauses whose text or search terms contain `word`."""
    found = set()
    for guideline in policy.guidelines:
        for clause in guideline.clauses:
            text = " ".join(clause_texts(clause, lang))
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


def test_a_clause_that_writes_the_reading_is_found_by_the_term():
    """Many guidelines write なりすまし in kana (the glossary's reading of 成りすまし): a
    search for 成りすまし finds such a clause too, whatever its topics."""
    policy = load_policy(PROJECT_ROOT / "policy")
    written = policy.guidelines[0].clauses[-1]
    clause = dataclasses.replace(written, id="kana-1", heading=None, text=Text(ja="職員は、なりすましに注意すること。"), topics=())
    assert "成りすまし" in clause_search_terms(policy, clause, "ja")
    # Not a term of kanji only: ふくむ (服務's reading) in kana is 含む.
    other = dataclasses.replace(clause, text=Text(ja="職員は、別表をふくむ手順に従うこと。"))
    assert "服務" not in clause_search_terms(policy, other, "ja")


def test_a_situation_guide_is_found_by_its_steps_text_within_the_page_limit():
    """Its steps are rendered when the page is written, after the doctree the index
    reads: 削除 found the account-hijacked guide's clauses, not the guide."""
    from policy_handbook.site.search_index import guide_text
    from policy_handbook.site.search_records import PAGE_CHARS

    policy = load_policy(PROJECT_ROOT / "policy")
    situation = next(s for s in policy.situations.situations if s.id == "account-hijacked")
    text = " ".join(guide_text(policy, situation, "ja"))
    step = policy.clause("yanagawa-6-4").text.ja
    assert "柳川市" in text and step in text
    many = type(situation)(**{**{f: getattr(situation, f) for f in situation.__dataclass_fields__}, "guides": situation.guides * 200})
    assert len(" ".join(guide_text(policy, many, "ja"))) < PAGE_CHARS + len(step) + 20
