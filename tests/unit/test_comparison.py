"""The comparison engine: rows, base column, marks per clause, similarity, N documents."""

from __future__ import annotations

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.comparison import build_comparison, missing_clauses, row_similarities
from policy_handbook.loader import load_policy

ROOT = PROJECT_ROOT
THREE_CITIES = ROOT / "tests" / "roots" / "test-comparison" / "policy"


@pytest.fixture(scope="module")
def real():
    return load_policy(ROOT / "policy")


@pytest.fixture(scope="module")
def three():
    return load_policy(THREE_CITIES)


def shown(runs, side_op):
    """The text a cell shows: equal runs plus its own marks."""
    return "".join(text for op, text in runs if op in ("equal", side_op))


def test_every_clause_with_text_of_both_guidelines_is_in_the_comparison(real):
    """Computed from the model, independently of the loader's own coverage check."""
    in_rows = {clause_id for topic in real.comparison.topics for row in topic.rows for _, ids in row.cells for clause_id in ids}
    missing = [
        clause.id
        for document in ("chikugo", "yanagawa")
        for clause in real.guideline(document).clauses
        if clause.text is not None and clause.id not in in_rows
    ]
    assert missing == [], f"add these clauses to a topic's rows in policy/comparison.yaml: {missing}"
    assert missing_clauses(real) == []
    assert real.comparison.documents == ("chikugo", "yanagawa")


def test_every_topic_used_by_a_clause_has_a_comparison_entry(real):
    used = {t for g in real.guidelines for c in g.clauses if c.text is not None for t in c.topics}
    compared = {t.topic for t in real.comparison.topics}
    assert used <= compared


def test_marks_are_cut_back_to_each_clause_exactly(real):
    """Each clause of every cell shows its own text, whole, in both languages."""
    for lang in ("ja", "en"):
        view = build_comparison(real, lang)
        for topic in view.topics:
            for row in topic.rows:
                for cell in row.cells:
                    if cell is None:
                        continue
                    side = "delete" if cell.is_base else "insert"
                    for clause in cell.clauses:
                        assert shown(clause.runs, side) == (clause.text or ""), (lang, clause.id)
                        assert all(op in ("equal", side) for op, _ in clause.runs)


def test_impersonation_row_pairs_two_chikugo_items_with_one_yanagawa_paragraph(real):
    topic = build_comparison(real, "ja").topic("impersonation")
    assert topic.relation == "equivalent"
    row = topic.rows[-1]
    chikugo, yanagawa = row.cells
    assert row.base == "chikugo" and chikugo.is_base and chikugo.similarity is None
    assert [c.id for c in chikugo.clauses] == ["chikugo-6-3-i1", "chikugo-6-3-i2"]
    assert [c.number for c in chikugo.clauses] == ["6(3)・1", "6(3)・2"]
    assert chikugo.clauses[0].heading == "トラブルが発生した場合（成りすましが発生した場合）"
    assert [c.id for c in yanagawa.clauses] == ["yanagawa-6-3"]
    assert 0.6 < yanagawa.similarity < 1.0  # nearly the same wording


def test_reply_rules_show_what_each_side_has_alone(real):
    chikugo, yanagawa = build_comparison(real, "ja").topic("replies").rows[0].cells
    deleted = [t for op, t in chikugo.clauses[0].runs if op == "delete"]
    inserted = [t for op, t in yanagawa.clauses[0].runs if op == "insert"]
    assert "基本的に" in deleted and "原則" in inserted
    assert any("細心の注意を払う" in t for t in inserted)


def test_only_topics_name_their_document_and_have_no_counterpart_cells(real):
    view = build_comparison(real, "ja")
    hijacking = view.topic("account-hijacking")
    assert (hijacking.relation, hijacking.only) == ("only", "yanagawa")
    assert all(row.cells[0] is None and row.base == "yanagawa" for row in hijacking.rows)
    assert view.topic("merits-and-demerits").only == "chikugo"
    assert view.topic("rights-and-privacy").stricter == "yanagawa"


def test_english_view_uses_english_texts_labels_and_word_diff(real):
    view = build_comparison(real, "en")
    assert [d.municipality for d in view.documents] == ["Chikugo City", "Yanagawa City"]
    topic = view.topic("impersonation")
    assert topic.label == "Impersonation"
    assert topic.summary.startswith("Chikugo and Yanagawa are almost word for word")
    chikugo, yanagawa = topic.rows[-1].cells
    assert chikugo.clauses[0].text.startswith("On discovering")
    inserted = [t for op, t in yanagawa.clauses[0].runs if op == "insert"]
    # Word diff: marks start and end on word boundaries.
    assert "to remove the impersonating account," in " ".join(inserted)


def test_a_third_document_is_a_third_column(three):
    view = build_comparison(three, "ja")
    assert [d.id for d in view.documents] == ["north", "south", "east"]
    assert all(len(row.cells) == 3 for topic in view.topics for row in topic.rows)


def test_first_document_is_the_base_and_identical_text_is_100_percent(three):
    north, south, east = build_comparison(three, "ja").topic("purpose").rows[0].cells
    assert north.is_base and not south.is_base and not east.is_base
    assert east.similarity == 1.0
    assert [t for op, t in south.clauses[0].runs if op == "insert"] == ["活"]
    # 利 is missing from south but east has it: the base marks only what no other cell has.
    assert north.clauses[0].runs == (("equal", north.clauses[0].text),)


def test_base_marks_what_no_other_document_has(three):
    north, south, east = build_comparison(three, "ja").topic("replies").rows[0].cells
    # 原則として is in neither south nor east; や質問 is in south.
    assert [t for op, t in north.clauses[0].runs if op == "delete"] == ["原則として"]
    assert [t for op, t in east.clauses[0].runs if op == "insert"] == []
    assert [t for op, t in south.clauses[0].runs if op == "insert"] == ["ただし、緊急時は除く。"]


def test_row_without_the_first_document_is_based_on_the_next(three):
    row = build_comparison(three, "ja").topic("impersonation").rows[0]
    north, south, east = row.cells
    assert north is None
    assert row.base == "south" and south.is_base and south.similarity is None
    assert [t for op, t in east.clauses[0].runs if op == "insert"] == ["運営者に"]
    assert row_similarities(three, three.comparison.topics[2].rows[0]) == {"east": east.similarity}


def test_stricter_and_only_relations(three):
    view = build_comparison(three, "en")
    assert view.topic("replies").stricter == "north"
    assert view.topic("contact").only == "north"
    assert view.topic("impersonation").only is None


def test_the_clauses_a_topic_leaves_out_come_with_their_citation_and_reason(real):
    for lang in ("ja", "en"):
        view = build_comparison(real, lang)
        excluded = {t.topic: t.excluded for t in view.topics if t.excluded}
        by_clause = {x.clause.id: (topic, x) for topic, xs in excluded.items() for x in xs}
        expected = {a.topic: [x.clause for x in a.excluded] for a in real.comparison.topics if a.excluded}
        assert {t: [x.clause.id for x in xs] for t, xs in excluded.items()} == expected
        _, chikugo = by_clause["chikugo-4-3"]
        assert (chikugo.document, chikugo.clause.number, chikugo.clause.text) == ("chikugo", "4(3)", None)
        assert chikugo.reason.startswith("著作権" if lang == "ja" else "Its duty to comply")
