"""Character diff (Japanese), word diff (English), cleanup, similarity and the cost cap."""

from __future__ import annotations

import difflib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_handbook import textdiff
from policy_handbook.textdiff import diff, new_text, old_text, percent, similarity, similarity_of


def marked(runs, op):
    return [text for o, text in runs if o == op]


def test_identical_texts_are_one_equal_run():
    text = "誤りは直ちに認め、訂正しなればならない。"
    assert diff(text, text) == [("equal", text)]
    assert similarity(text, text) == 1.0


def test_empty_texts():
    assert diff("", "") == []
    assert similarity("", "") == 1.0
    assert diff("", "新しい条項。") == [("insert", "新しい条項。")]
    assert diff("削られた条項。", "") == [("delete", "削られた条項。")]
    assert similarity("", "新しい条項。") == 0.0


def test_japanese_is_compared_character_by_character():
    runs = diff("訂正しなければならない。", "訂正しなればならない。")
    assert runs == [("equal", "訂正しな"), ("delete", "け"), ("equal", "ればならない。")]


def test_japanese_reword_keeps_shared_words_and_marks_the_rest():
    old = "発信した情報に対する意見や質問に対しては、基本的に返信はしないこととする。"
    new = "発信した情報に寄せられた意見や質問に対しては、原則返信しない。"
    runs = diff(old, new)
    assert old_text(runs) == old and new_text(runs) == new
    assert marked(runs, "delete") == ["対する", "基本的に", "は", "こととする"]
    assert marked(runs, "insert") == ["寄せられた", "原則"]
    assert "返信" in marked(runs, "equal")


def test_many_no_characters_still_diff_right():
    """autojunk would treat の (over 1 % of a text longer than 200 characters) as junk."""
    base = "市の職員の皆さんの情報発信の手引きの案の" * 15  # 300 characters, の is 30 %
    old = base + "第一の条項の本文。"
    new = base + "第二の条項の本文。"
    # With autojunk (difflib's default) の would be "popular" and never matched.
    assert "の" in difflib.SequenceMatcher(None, old, new).bpopular
    runs = diff(old, new)
    assert runs == [("equal", base + "第"), ("delete", "一"), ("insert", "二"), ("equal", "の条項の本文。")]
    assert similarity_of(runs) > 0.99


def test_coincidental_single_characters_between_changes_are_folded():
    # Without cleanup the shared の and が would be shown as tiny unchanged islands.
    runs = diff("市の方針が変わる", "県の計画が決まる")
    assert runs == [("delete", "市の方針が変わ"), ("insert", "県の計画が決ま"), ("equal", "る")]


def test_english_is_compared_word_by_word():
    runs = diff("Staff must reply to comments.", "Staff must not reply to questions.", "en")
    assert runs == [
        ("equal", "Staff must "),
        ("insert", "not "),
        ("equal", "reply to "),
        ("delete", "comments"),
        ("insert", "questions"),
        ("equal", "."),
    ]


def test_english_function_words_between_changes_are_folded():
    runs = diff("The cat sat on the mat.", "A dog sat on the red mat!", "en")
    assert runs[0] == ("delete", "The cat") and runs[1] == ("insert", "A dog")
    # "the" between two changes is no match worth showing ...
    folded = diff("ask the operator", "tell the company", "en")
    assert folded == [("delete", "ask the operator"), ("insert", "tell the company")]
    # ... but a content word is.
    kept = diff("ask the operator now", "tell the operator later", "en")
    assert ("equal", " the operator ") in kept


def test_whole_clause_insertion_and_deletion():
    assert diff("", "Change the password.", "en") == [("insert", "Change the password.")]
    assert diff("Change the password.", "", "en") == [("delete", "Change the password.")]


def test_similarity_ignores_whitespace():
    assert similarity("Facebook や Twitter", "Facebookや\nTwitter") == 1.0
    assert similarity("a  b", "a b", "en") == 1.0


def test_similarity_definition():
    # 2 * matched / total non-whitespace characters of the displayed diff.
    runs = diff("訂正しなければならない。", "訂正しなればならない。")
    assert similarity_of(runs) == pytest.approx(2 * 11 / (12 + 11))


def test_percent_never_rounds_to_a_false_100_or_0():
    assert percent(1.0) == 100
    assert percent(0.996) == 99
    assert percent(0.0) == 0
    assert percent(0.004) == 1
    assert percent(0.874) == 87


def test_hostile_megabyte_texts_do_not_hang():
    old = "ab" * 500_000
    new = "ba" * 500_000
    start = time.perf_counter()
    runs = diff(old, new)
    assert time.perf_counter() - start < 2
    assert old_text(runs) == old and new_text(runs) == new


def test_above_the_cap_the_middle_is_one_replacement(monkeypatch):
    monkeypatch.setattr(textdiff, "MAX_DIFF_CELLS", 10)
    runs = diff("共通の前置き。甲乙丙丁戊己。共通の結び。", "共通の前置き。子丑寅卯辰巳。共通の結び。")
    assert runs == [
        ("equal", "共通の前置き。"),
        ("delete", "甲乙丙丁戊己"),
        ("insert", "子丑寅卯辰巳"),
        ("equal", "。共通の結び。"),
    ]


texts = st.text(alphabet=st.sampled_from(list("のはを市職員情報発信 、。ab")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts, lang=st.sampled_from(["ja", "en"]))
def test_runs_always_rebuild_both_texts(old, new, lang):
    runs = diff(old, new, lang)
    assert old_text(runs) == old
    assert new_text(runs) == new
    assert all(text for _, text in runs)
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:]))  # adjacent runs differ in op
    assert 0.0 <= similarity_of(runs) <= 1.0


def test_particles_between_pure_deletions_stay_unmarked():
    # Folding here would invent an insertion of には that the shorter text does not "add".
    runs = diff("意見や質問には原則として返信しない。", "意見には返信しない。")
    assert runs == [
        ("equal", "意見"),
        ("delete", "や質問"),
        ("equal", "には"),
        ("delete", "原則として"),
        ("equal", "返信しない。"),
    ]
