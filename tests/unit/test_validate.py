"""Semantic checks (validate.py) as a policy owner meets them: one edit, the exact report."""

from __future__ import annotations

import dataclasses

from policy_handbook.model import Clause, Guideline, Location, Text
from policy_handbook.validate import policy_warnings, validate_guideline

# --------------------------------------------------------------------------- clauses


def test_text_without_kind_or_topics(minimal_policy):
    minimal_policy.edit("south.yaml", "    kind: procedure\n    topics: [contact]\n", "")
    assert minimal_policy.problems() == [
        "policy/south.yaml:22:5: clause south-2 has text but no kind: add kind (see taxonomy.yaml kinds)",
        "policy/south.yaml:22:5: clause south-2 has text but no topics: add at least one topic",
    ]


def test_clause_with_neither_text_nor_children(minimal_policy):
    minimal_policy.edit(
        "south.yaml",
        "    kind: procedure\n    topics: [contact]\n    text: {ja: 企画課に問い合わせる。, en: Ask the Planning Division.}\n",
        "",
    )
    minimal_policy.edit("comparison.yaml", "        south: [south-2]\n", "")
    minimal_policy.edit("comparison.yaml", "relation: different", "relation: only")
    assert minimal_policy.problems() == ["policy/south.yaml:22:5: clause south-2 has neither text nor children"]


def test_clause_id_must_start_with_the_document_id(minimal_policy):
    minimal_policy.edit("south.yaml", "id: south-2", "id: sth-2")
    minimal_policy.edit("comparison.yaml", "south: [south-2]", "south: [sth-2]")
    assert minimal_policy.problems() == ["policy/south.yaml:22:9: clause ID 'sth-2' must start with 'south-'"]


def test_blank_translation(minimal_policy):
    minimal_policy.edit("north.yaml", "en: Nor to questions.", "en: '   '")
    minimal_policy.edit("taxonomy.yaml", "label: {ja: 返信, en: Replies}", "label: {ja: '　', en: Replies}")
    assert minimal_policy.problems() == [
        "policy/north.yaml:39:40: text.en: English text is empty",
        "policy/taxonomy.yaml:7:17: label.ja: Japanese text is empty",
    ]


def test_blank_translation_in_a_note(minimal_policy):
    minimal_policy.edit(
        "south.yaml",
        "    text: {ja: 企画課に問い合わせる。, en: Ask the Planning Division.}",
        "    text: {ja: 企画課に問い合わせる。, en: Ask the Planning Division.}\n    notes:\n      - type: editorial\n        text: {ja: 注。, en: ' '}",
    )
    assert minimal_policy.problems() == ["policy/south.yaml:31:28: text.en: English text is empty"]


def test_every_text_field_of_a_clause_is_checked():
    """validate.py walks Clause's text fields by name, for speed: a new one must be added there."""
    texts = {f.name for f in dataclasses.fields(Clause) if "Text" in str(f.type) or "Note" in str(f.type)}
    assert texts == {"heading", "text", "notes"}


def test_history_must_be_oldest_first(minimal_policy):
    minimal_policy.edit("north.yaml", 'date: "2019-05-01"', 'date: "2023-05-01"')
    assert minimal_policy.problems() == [
        "policy/north.yaml:11:11: history[1].date: history must be oldest first (2022-04-01 comes after a later date)"
    ]


def test_validate_guideline_without_locations():
    """Usable on a model built by hand: problems fall back to the clause's own location."""
    where = Location("made.yaml", 3, 1)
    clause = Clause(
        id="other-1",
        document="made",
        level="section",
        marker="1",
        number="1",
        heading=None,
        text=Text("本文", ""),
        kind=None,
        topics=(),
        actors=(),
        forms=("made-form-9",),
        notes=(),
        parent=None,
        children=(),
        depth=0,
        location=where,
    )
    guideline = Guideline(
        id="made",
        municipality=Text("市", "City"),
        prefecture=Text("県", "Prefecture"),
        title=Text("題", "Title"),
        department=Text("課", "Division"),
        history=(),
        scope=Text("全員", "Everyone"),
        contact=None,
        source_file="sources/made.txt",
        source_url=None,
        clauses=(clause,),
        forms=(),
        location=Location("made.yaml", 1, 1),
    )
    assert [str(p) for p in validate_guideline(guideline)] == [
        "made.yaml:3:1: clause ID 'other-1' must start with 'made-'",
        "made.yaml:3:1: clause other-1 has text but no kind: add kind (see taxonomy.yaml kinds)",
        "made.yaml:3:1: clause other-1 has text but no topics: add at least one topic",
        "made.yaml:3:1: unknown form 'made-form-9' (forms of made: none)",
        "made.yaml:3:1: text.en: English text is empty",
    ]


# --------------------------------------------------------------------------- comparison


def test_unknown_document_in_comparison(minimal_policy):
    minimal_policy.edit("comparison.yaml", "documents: [north, south]", "documents: [north, south, west]")
    assert minimal_policy.problems() == ["policy/comparison.yaml:2:27: unknown document 'west' (known: north, south)"]


def test_comparison_needs_two_documents(minimal_policy):
    minimal_policy.edit("comparison.yaml", "documents: [north, south]", "documents: [north]")
    assert minimal_policy.problems() == ["policy/comparison.yaml:2:12: documents: needs at least 2 items"]


def test_row_key_outside_documents(minimal_policy):
    minimal_policy.edit(
        "comparison.yaml", "      - north: [north-preamble-1]\n", "      - north: [north-preamble-1]\n        east: [south-1-p1]\n"
    )
    assert minimal_policy.problems() == ["policy/comparison.yaml:9:9: row names 'east', which is not in documents (north, south)"]


def test_clause_in_the_wrong_column(minimal_policy):
    minimal_policy.edit("comparison.yaml", "north: [north-2-p1]\n        south: [south-2]", "north: [north-2-p1, south-2]")
    assert minimal_policy.problems() == [
        "policy/comparison.yaml:17:15: only north has clauses in topic 'contact': use relation 'only'",
        "policy/comparison.yaml:20:29: clause 'south-2' belongs to south, not north",
    ]


def test_topic_twice_and_unknown_topic(minimal_policy):
    minimal_policy.edit("comparison.yaml", "  - topic: contact", "  - topic: replies")
    minimal_policy.edit("comparison.yaml", "  - topic: purpose", "  - topic: purposes")
    assert minimal_policy.problems() == [
        "policy/comparison.yaml:4:12: unknown topic 'purposes': did you mean 'purpose'?",
        "policy/comparison.yaml:16:12: topic 'replies' appears twice in the comparison (first at line 10)",
        "policy/north.yaml:19:14: topic 'purpose' is used by clause north-preamble-1 but is not in the comparison",
        "policy/north.yaml:54:18: topic 'contact' is used by clause north-2-p1 but is not in the comparison",
    ]


def test_relation_only_must_match_the_rows(minimal_policy):
    minimal_policy.edit("comparison.yaml", "relation: only", "relation: similar")
    minimal_policy.edit("comparison.yaml", "relation: different", "relation: only")
    assert minimal_policy.problems() == [
        "policy/comparison.yaml:11:15: only north has clauses in topic 'replies': use relation 'only'",
        "policy/comparison.yaml:17:15: relation 'only' needs clauses of exactly one document, topic 'contact' has 2",
    ]


def test_stricter(minimal_policy):
    minimal_policy.edit("comparison.yaml", "relation: equivalent", "relation: stricter")
    assert minimal_policy.problems() == ["policy/comparison.yaml:4:5: topics[0]: missing required key 'stricter'"]
    minimal_policy.edit("comparison.yaml", "relation: stricter", "relation: stricter\n    stricter: west")
    assert minimal_policy.problems() == ["policy/comparison.yaml:6:15: stricter: 'west' is not one of the documents (north, south)"]
    minimal_policy.edit("comparison.yaml", "relation: stricter", "relation: similar")
    assert minimal_policy.problems() == ["policy/comparison.yaml:6:15: 'stricter' is only for relation 'stricter', not 'similar'"]
    minimal_policy.edit("comparison.yaml", "relation: similar\n    stricter: west", "relation: stricter\n    stricter: north")
    assert minimal_policy.problems() == []


def test_errors_elsewhere_do_not_cascade_into_the_comparison(minimal_policy):
    """A broken guideline is reported once, not again as 'unknown clause' for each of its clauses."""
    minimal_policy.edit("south.yaml", "level: section", "level: chapter")
    assert minimal_policy.problems() == [
        "policy/south.yaml:13:12: clauses[0].level: 'chapter' is not one of: preamble, section, paragraph, item"
    ]


# --------------------------------------------------------------------------- glossary (warnings only; more in test_content_checks.py)


def test_glossary_term_missing_from_the_english_is_a_warning(minimal_policy):
    minimal_policy.edit("north.yaml", "the account administrator notifies", "the head of division notifies")
    warnings: list = []
    policy = minimal_policy.load(warnings=warnings)
    assert [str(w).partition(" (glossary)")[0] for w in warnings] == [
        "policy/north.yaml:57:52: north-2-p1 text: the Japanese uses 管理者 but the English lacks 'account administrator'"
    ]
    assert all(w.code == "policy.terminology" for w in warnings)
    assert policy_warnings(policy)[0].location == policy.clause("north-2-p1").location


def test_glossary_variant_and_case(minimal_policy):
    minimal_policy.edit("north.yaml", "公式アカウントを作る", "公的アカウントを作る")
    minimal_policy.edit("north.yaml", "When an official account", "When an Official Account")
    warnings: list = []
    minimal_policy.load(warnings=warnings)
    assert warnings == []
    minimal_policy.edit("north.yaml", "When an Official Account", "When an account")
    minimal_policy.load(warnings=warnings)
    assert [w.message.partition(" (glossary)")[0] for w in warnings] == [
        "north-2-p1 text: the Japanese uses 公的アカウント but the English lacks 'official account'"
    ]


def test_term_inside_a_longer_name_is_not_checked(minimal_policy):
    """管理者 in 当該ソーシャルメディア管理者 (the service's operator) is not the account administrator."""
    minimal_policy.edit(
        "south.yaml",
        "text: {ja: 企画課に問い合わせる。, en: Ask the Planning Division.}",
        "text: {ja: 当該ソーシャルメディア管理者に問い合わせる。, en: Ask the operator of the social media service.}",
    )
    warnings: list = []
    minimal_policy.load(warnings=warnings)
    assert warnings == []


def test_an_id_used_three_times_lists_the_other_places(minimal_policy):
    minimal_policy.edit("north.yaml", "  - id: north-form-1", "  - id: north-2-p1")
    minimal_policy.edit("north.yaml", "forms: [north-form-1]", "forms: [north-2-p1]")
    minimal_policy.edit("south.yaml", "- id: south-2\n", "- id: north-2-p1\n")
    minimal_policy.edit("comparison.yaml", "south: [south-2]", "south: [north-2-p1]")
    found = [p for p in minimal_policy.problems() if "duplicate" in p]
    assert found == [
        "policy/north.yaml:51:13: duplicate ID 'north-2-p1' (also at policy/north.yaml:59:9, policy/south.yaml:22:9)",
        "policy/north.yaml:59:9: duplicate ID 'north-2-p1' (also at policy/north.yaml:51:13, policy/south.yaml:22:9)",
        "policy/south.yaml:22:9: duplicate ID 'north-2-p1' (also at policy/north.yaml:51:13, policy/north.yaml:59:9)",
    ]


# --------------------------------------------------------------------------- national code (lg_code)


def _with_code(policy, code: str, municipality: str = "{ja: 筑後市, en: Chikugo City}") -> None:
    policy.edit("north.yaml", "municipality: {ja: 北市, en: North City}", f"municipality: {municipality}")
    policy.edit(
        "north.yaml",
        "prefecture: {ja: 福岡県, en: Fukuoka Prefecture}\n",
        f'prefecture: {{ja: 福岡県, en: Fukuoka Prefecture}}\nlg_code: "{code}"\n',
    )


def test_lg_code_of_the_municipality_named_passes(minimal_policy):
    _with_code(minimal_policy, "402117")
    assert minimal_policy.problems() == []


def test_lg_code_with_a_wrong_check_digit(minimal_policy):
    _with_code(minimal_policy, "402118")
    assert minimal_policy.problems() == ["policy/north.yaml:5:10: lg_code '402118' has a wrong check digit: 402117 would be valid"]


def test_lg_code_of_another_municipality(minimal_policy):
    _with_code(minimal_policy, "402079")
    assert minimal_policy.problems() == [
        "policy/north.yaml:5:10: lg_code '402079' is the code of 福岡県柳川市, not of 福岡県筑後市; 福岡県筑後市's code is 402117"
    ]


def test_lg_code_of_a_municipality_in_another_prefecture(minimal_policy):
    _with_code(minimal_policy, "313891", municipality="{ja: 南部町, en: Nanbu Town}")  # 鳥取県's 南部町, named in 福岡県
    assert minimal_policy.problems() == ["policy/north.yaml:5:10: lg_code '313891' is the code of 鳥取県南部町, not of 福岡県南部町"]


def test_lg_code_that_no_local_government_has(minimal_policy):
    _with_code(minimal_policy, "409995")  # a valid check digit, an unused number
    assert minimal_policy.problems() == [
        "policy/north.yaml:5:10: lg_code '409995' is no local government's code (総務省, 全国地方公共団体コード)"
    ]


def test_lg_code_must_be_six_digits_in_quotes(minimal_policy):
    minimal_policy.edit(
        "north.yaml",
        "prefecture: {ja: 福岡県, en: Fukuoka Prefecture}\n",
        "prefecture: {ja: 福岡県, en: Fukuoka Prefecture}\nlg_code: 40211\n",
    )
    (problem,) = minimal_policy.problems()
    assert problem.startswith("policy/north.yaml:5:10: ") and "string" in problem
