"""load_policy: the model it builds, and every problem it reports, with file:line:col."""

from __future__ import annotations

import shutil

import pytest

from helpers.paths import HOSTILE
from policy_handbook import loader
from policy_handbook.errors import PolicyError
from policy_handbook.loader import clause_number, load_guideline_from_string, load_policy

# --------------------------------------------------------------------------- the model


def test_minimal_policy_loads_into_the_model(minimal_policy):
    policy = minimal_policy.load()
    assert [g.id for g in policy.guidelines] == ["north", "south"]
    assert policy.files == (
        "policy/comparison.yaml",
        "policy/glossary.yaml",
        "policy/north.yaml",
        "policy/south.yaml",
        "policy/taxonomy.yaml",
    )
    north = policy.guideline("north")
    # flattened in document order, each with its derived citation number
    assert [(c.id, c.number, c.depth, c.parent) for c in north.clauses] == [
        ("north-preamble-1", "前文", 0, None),
        ("north-1", "1", 0, None),
        ("north-1-1", "1(1)", 1, "north-1"),
        ("north-1-1-i1", "1(1)・1", 2, "north-1-1"),
        ("north-1-1-i2", "1(1)・2", 2, "north-1-1"),
        ("north-2", "2", 0, None),
        ("north-2-p1", "2", 1, "north-2"),
    ]
    assert policy.clause("north-1-1").children == ("north-1-1-i1", "north-1-1-i2")
    assert str(policy.clause("north-1-1-i2").location) == "policy/north.yaml:40:13"
    assert policy.clause("north-2-p1").forms == ("north-form-1",)
    assert policy.form("north-form-1").fields[0].required is True
    assert north.history[-1].date == "2022-04-01" and north.current_date == "2022-04-01"
    assert policy.guideline("south").current_date is None
    assert [t.id for t in policy.topics] == ["purpose", "replies", "contact"]
    assert policy.actor("service-operator").label.en == "operator of the social media service"
    assert policy.glossary[1].variants == ("公的アカウント",)
    replies = policy.comparison.topics[1]
    assert (replies.topic, replies.relation) == ("replies", "only")
    assert replies.clauses_of("north") == ("north-1-1", "north-1-1-i1", "north-1-1-i2")
    assert replies.clauses_of("south") == ()


def test_real_policy_loads_with_derived_numbers(policy_dir):
    policy = load_policy(policy_dir)
    assert {g.id for g in policy.guidelines} >= {"chikugo", "yanagawa"}
    assert policy.clause("chikugo-6-3").number == "6(3)"
    assert policy.clause("chikugo-2-1-i3").number == "2(1)・3"
    assert all(c.number == "前文" for c in policy.guideline("chikugo").clauses if c.level == "preamble")
    assert policy.files[0].startswith("policy/")


@pytest.mark.parametrize(
    ("level", "marker", "parent", "ordinal", "number"),
    [
        ("preamble", None, "", 0, "前文"),
        ("section", "1．", "", 0, "1"),
        ("section", "１．", "", 0, "1"),
        ("section", "12", "", 0, "12"),
        ("paragraph", "(3)", "6", 0, "6(3)"),
        ("paragraph", "（３）", "6", 0, "6(3)"),
        ("paragraph", None, "4(1)", 0, "4(1)"),
        ("item", "・", "2(1)", 3, "2(1)・3"),
    ],
)
def test_clause_number(level, marker, parent, ordinal, number):
    assert clause_number(level, marker, parent, ordinal) == number


def test_comparison_is_optional(minimal_policy):
    (minimal_policy.dir / "comparison.yaml").unlink()
    policy = minimal_policy.load()
    assert policy.comparison is None
    assert "policy/comparison.yaml" not in policy.files


def test_schema_and_sources_directories_are_not_read(minimal_policy):
    (minimal_policy.dir / "schema").mkdir()
    (minimal_policy.dir / "schema" / "broken.yaml").write_text("type: [\n", encoding="utf-8")
    (minimal_policy.dir / "sources" / "notes.yaml").write_text("type: [\n", encoding="utf-8")
    assert minimal_policy.problems() == []


def test_locations_are_relative_to_root(minimal_policy):
    minimal_policy.edit("north.yaml", "kind: duty", "kind: dutty")
    with pytest.raises(PolicyError) as info:
        load_policy(minimal_policy.dir, root=minimal_policy.dir)
    assert str(info.value.problems[0]).startswith("north.yaml:29:15: ")


# --------------------------------------------------------------------------- hostile YAML files


HOSTILE_CASES = {
    "syntax-error.yaml": [
        "policy/syntax-error.yaml:5:15: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 4)"
    ],
    "duplicate-key.yaml": ["policy/duplicate-key.yaml:5:5: duplicate key 'id' (first at line 3)"],
    "anchor-alias.yaml": [
        "policy/anchor-alias.yaml:3:5: anchor '&term' is not allowed: write the value out in full",
        "policy/anchor-alias.yaml:7:5: alias '*term' is not allowed: write the value out in full",
    ],
    "yaml11-boolean.yaml": ["policy/yaml11-boolean.yaml:5:14: ambiguous YAML 1.1 boolean 'no': quote it or write true/false"],
    "python-tag.yaml": ["policy/python-tag.yaml:2:8: tag '!!python/object/apply:os.system' is not allowed: write a plain value"],
    "two-documents.yaml": ["policy/two-documents.yaml:3:1: only one YAML document per file (remove this '---')"],
    "deep-nesting.yaml": ["policy/deep-nesting.yaml:66:129: nested more than 64 levels deep"],
    "not-a-mapping.yaml": ["policy/not-a-mapping.yaml:1:1: a policy file must be a mapping with a 'type' key, not a list"],
    "unknown-type.yaml": [
        "policy/unknown-type.yaml:1:7: type: 'rules' is not one of: guideline, taxonomy, glossary, comparison, situations"
    ],
    "empty.yaml": ["policy/empty.yaml:1:1: file is empty"],
    "escaped-controls.yaml": [
        f"policy/escaped-controls.yaml:{where}: character U+{code} is not allowed (control, invisible or text-direction character)"
        for where, code in (("4:17", "001B"), ("4:22", "001B"), ("4:32", "0007"), ("4:42", "202E"), ("5:35", "200B"))
    ],
    "raw-invisible.yaml": [
        f"policy/raw-invisible.yaml:{where}: character U+{code} is not allowed (control, invisible or text-direction character)"
        for where, code in (("2:11", "202E"), ("4:27", "2028"))
    ],
    "glossary-twins.yaml": [
        "policy/glossary-twins.yaml:3:10: duplicate glossary term ID 'a' (also at policy/glossary-twins.yaml:4:10)",
        "policy/glossary-twins.yaml:4:10: duplicate glossary term ID 'a' (also at policy/glossary-twins.yaml:3:10)",
        "policy/glossary-twins.yaml:4:19: '語' is already a term of the glossary (a, line 3): merge the two entries or make it a variant of one",
        "policy/glossary-twins.yaml:5:19: 'Word' is already a term of the glossary (a, line 3): merge the two entries or make it a variant of one",
        "policy/glossary.yaml:1:1: a second glossary file (the first is policy/glossary-twins.yaml)",
    ],
}


def test_every_hostile_file_has_a_case():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted([*HOSTILE_CASES, "billion-laughs.yaml"])


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_hostile_file(minimal_policy, name):
    shutil.copy(HOSTILE / name, minimal_policy.dir / name)
    assert minimal_policy.problems() == HOSTILE_CASES[name]


def test_billion_laughs_fails_fast(minimal_policy):
    shutil.copy(HOSTILE / "billion-laughs.yaml", minimal_policy.dir / "billion-laughs.yaml")
    found = minimal_policy.problems()
    assert found[:3] == [
        "policy/billion-laughs.yaml:2:4: anchor '&a' is not allowed: write the value out in full",
        "policy/billion-laughs.yaml:3:4: anchor '&b' is not allowed: write the value out in full",
        "policy/billion-laughs.yaml:3:8: alias '*a' is not allowed: write the value out in full",
    ]
    assert found[-1] == "policy/billion-laughs.yaml:11:8: alias '*i' is not allowed: write the value out in full"


# --------------------------------------------------------------------------- bytes: encodings, BOM, CRLF, tabs, size


def test_utf8_bom_and_crlf_load_the_same_policy(minimal_policy, tmp_path):
    clean = minimal_policy.load()
    raw = (minimal_policy.dir / "north.yaml").read_bytes()
    minimal_policy.write("north.yaml", b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    assert minimal_policy.load() == clean


def test_non_utf8_bytes(minimal_policy):
    text = minimal_policy.read("south.yaml").replace("企画課に問い合わせる。", "企画課\udcffに問い合わせる。")
    minimal_policy.write("south.yaml", text.encode("utf-8", "surrogateescape"))
    assert minimal_policy.problems() == ["policy/south.yaml:28:19: invalid UTF-8 (byte 0xFF): save the file as UTF-8"]


def test_tab_indentation(minimal_policy):
    minimal_policy.edit("south.yaml", "    kind: procedure", "\tkind: procedure")
    assert minimal_policy.problems() == ["policy/south.yaml:26:1: tab character: indent with spaces and write tabs in text as spaces"]


def test_one_megabyte_string(minimal_policy):
    minimal_policy.edit("south.yaml", "en: Ask the Planning Division.", "en: " + "x" * 1_000_000)
    assert minimal_policy.problems() == ["policy/south.yaml:28:33: value is longer than 100,000 characters"]


# --------------------------------------------------------------------------- schema


def test_unknown_key_suggests_the_right_one(minimal_policy):
    minimal_policy.edit("north.yaml", "        actors: [staff]", "        actor: [staff]")
    assert minimal_policy.problems() == ["policy/north.yaml:31:9: clauses[1].children[0]: unknown key 'actor': did you mean 'actors'?"]


def test_comma_in_flow_mapping_text_is_explained(minimal_policy):
    minimal_policy.edit("south.yaml", "en: Ask the Planning Division.", "en: Ask the Planning Division, or the mayor.")
    assert minimal_policy.problems() == [
        "policy/south.yaml:28:60: clauses[1].text: unknown key 'or the mayor.': "
        "a comma inside { } ends the text before it: put the whole text in quotes"
    ]


def test_wrong_type(minimal_policy):
    minimal_policy.edit("north.yaml", 'marker: "(1)"', "marker: 1")
    assert minimal_policy.problems() == [
        "policy/north.yaml:28:17: clauses[1].children[0].marker: expected a string, got an integer (1): put it in quotes"
    ]


def test_missing_english_of_a_clause_is_a_pending_translation(minimal_policy):
    minimal_policy.edit("north.yaml", "heading: {ja: 返信, en: Replies}", "heading: {ja: 返信}")
    assert minimal_policy.problems() == []
    north = minimal_policy.load().guideline("north")
    heading = north.clauses[1].heading
    assert heading.pending and heading.get("en") == "返信"
    assert north.pending_translations == 1


def test_missing_english_outside_a_guideline_is_an_error(minimal_policy):
    text = (minimal_policy.dir / "taxonomy.yaml").read_text(encoding="utf-8")
    start = text.index("label: {ja: ")
    end = text.index("}", start)
    label = text[start : end + 1]
    ja = label[len("label: {ja: ") :].split(",")[0]
    minimal_policy.edit("taxonomy.yaml", label, "label: {ja: " + ja + "}")
    problems = minimal_policy.problems()
    assert len(problems) == 1 and problems[0].startswith("policy/taxonomy.yaml:") and "missing required key 'en'" in problems[0]


def test_empty_english(minimal_policy):
    minimal_policy.edit("north.yaml", "en: Nor to questions.", "en: ''")
    assert minimal_policy.problems() == ["policy/north.yaml:39:40: clauses[1].children[0].children[0].text.en: must not be empty"]


def test_every_schema_error_of_a_file_is_listed(minimal_policy):
    minimal_policy.edit("north.yaml", "level: preamble", "level: prologue")
    minimal_policy.edit("north.yaml", "id: north-1-1-i2", "id: North_1_1_i2")
    minimal_policy.edit("north.yaml", "required: true", 'required: "yes"')
    assert minimal_policy.problems() == [
        "policy/north.yaml:17:12: clauses[0].level: 'prologue' is not one of: preamble, section, paragraph, item",
        "policy/north.yaml:40:17: clauses[1].children[0].children[1].id: 'North_1_1_i2' is not a valid ID: "
        "use lower-case ASCII letters and digits joined by hyphens",
        "policy/north.yaml:66:19: forms[0].fields[0].required: expected true or false, got a string ('yes')",
    ]


def test_unquoted_date_stays_a_string(minimal_policy):
    minimal_policy.edit("north.yaml", 'date: "2022-04-01"', "date: 2022-04-01")
    assert minimal_policy.load().guideline("north").history[-1].date == "2022-04-01"


def test_impossible_date(minimal_policy):
    minimal_policy.edit("north.yaml", 'date: "2022-04-01"', 'date: "2022-02-30"')
    assert minimal_policy.problems() == [
        "policy/north.yaml:11:11: history[1].date: '2022-02-30' is not a calendar date (day is out of range for month)"
    ]


def test_date_in_the_wrong_format(minimal_policy):
    minimal_policy.edit("north.yaml", 'date: "2022-04-01"', "date: 令和4年4月1日")
    assert minimal_policy.problems() == [
        "policy/north.yaml:11:11: history[1].date: '令和4年4月1日' is not a date: write it as 'YYYY-MM-DD' in quotes"
    ]


# --------------------------------------------------------------------------- references and IDs


def test_duplicate_clause_id_reports_both_places(minimal_policy):
    minimal_policy.edit("north.yaml", "id: north-1-1-i2", "id: north-1-1-i1")
    minimal_policy.edit("comparison.yaml", "north-1-1-i1, north-1-1-i2", "north-1-1-i1")
    assert minimal_policy.problems() == [
        "policy/north.yaml:34:17: duplicate ID 'north-1-1-i1' (also at policy/north.yaml:40:17)",
        "policy/north.yaml:40:17: duplicate ID 'north-1-1-i1' (also at policy/north.yaml:34:17)",
    ]


def test_duplicate_id_across_guidelines(minimal_policy):
    minimal_policy.edit("south.yaml", "clauses:\n  - id: south-1\n", "clauses:\n  - id: north-1\n")
    minimal_policy.edit("south.yaml", "id: south-1-p1", "id: north-1-p1")
    minimal_policy.edit("comparison.yaml", "south: [south-1-p1]", "south: [north-1-p1]")
    assert minimal_policy.problems() == [
        "policy/north.yaml:21:9: duplicate ID 'north-1' (also at policy/south.yaml:12:9)",
        "policy/south.yaml:12:9: clause ID 'north-1' must start with 'south-'",
        "policy/south.yaml:12:9: duplicate ID 'north-1' (also at policy/north.yaml:21:9)",
        "policy/south.yaml:17:13: clause ID 'north-1-p1' must start with 'south-'",
    ]


def test_dangling_topic_actor_and_form(minimal_policy):
    minimal_policy.edit("north.yaml", "topics: [contact]", "topics: [contacts]")
    minimal_policy.edit("north.yaml", "actors: [staff]", "actors: [staff, mayor]")
    minimal_policy.edit("north.yaml", "forms: [north-form-1]", "forms: [north-form-2]")
    minimal_policy.edit("north.yaml", "kind: procedure", "kind: procedures")
    assert minimal_policy.problems() == [
        "policy/north.yaml:31:25: unknown actor 'mayor' (known: account-administrator, service-operator, staff)",
        "policy/north.yaml:53:15: unknown kind 'procedures': did you mean 'procedure'?",
        "policy/north.yaml:54:18: unknown topic 'contacts': did you mean 'contact'?",
        "policy/north.yaml:56:17: unknown form 'north-form-2' (forms of north: north-form-1)",
    ]


def test_unmapped_clause(minimal_policy):
    minimal_policy.edit("comparison.yaml", "north: [north-1-1-i1, north-1-1-i2]", "north: [north-1-1-i1]")
    assert minimal_policy.problems() == [
        "policy/north.yaml:40:13: clause north-1-1-i2 is not in the comparison: add it to a topic's rows (alone if it has no counterpart)"
    ]


def test_unknown_clause_in_comparison(minimal_policy):
    minimal_policy.edit("comparison.yaml", "south: [south-2]", "south: [south-2, south-3]")
    assert minimal_policy.problems() == ["policy/comparison.yaml:21:26: unknown clause 'south-3'"]


def test_several_errors_in_several_files_are_reported_at_once(minimal_policy):
    minimal_policy.edit("north.yaml", "kind: duty", "kind: dutty")
    minimal_policy.edit("south.yaml", "level: section", "level: chapter")
    minimal_policy.edit("glossary.yaml", "  - id: administrator\n", "  - id: administrator\n    id: admin\n")
    minimal_policy.write("notes.yaml", "type: glossary\nterms: [\n")
    assert minimal_policy.problems() == [
        "policy/glossary.yaml:11:5: duplicate key 'id' (first at line 10)",
        "policy/north.yaml:29:15: unknown kind 'dutty': did you mean 'duty'?",
        "policy/notes.yaml:3:1: YAML syntax error: did not find expected node content (while parsing a flow node)",
        "policy/south.yaml:13:12: clauses[0].level: 'chapter' is not one of: preamble, section, paragraph, item",
    ]


def test_second_taxonomy_file(minimal_policy):
    shutil.copy(minimal_policy.dir / "taxonomy.yaml", minimal_policy.dir / "zz-taxonomy.yaml")
    assert minimal_policy.problems() == ["policy/zz-taxonomy.yaml:1:1: a second taxonomy file (the first is policy/taxonomy.yaml)"]


def test_missing_source_file(minimal_policy):
    (minimal_policy.dir / "sources" / "south.txt").unlink()
    assert minimal_policy.problems() == ["policy/south.yaml:10:9: source file not found: policy/sources/south.txt"]


def test_no_policy_files(tmp_path):
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "policy")
    assert [str(p) for p in info.value.problems] == ["policy:1:1: no policy files (*.yaml) found"]


def test_a_bug_while_building_becomes_a_problem_not_a_traceback(minimal_policy, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(loader._Builder, "glossary", broken)
    assert minimal_policy.problems() == ["policy/glossary.yaml:1:1: could not load this file (RuntimeError: boom)"]


# --------------------------------------------------------------------------- one guideline from text


def test_load_guideline_from_string(minimal_policy):
    text = minimal_policy.read("north.yaml")
    guideline = load_guideline_from_string(text, "policy/north.yaml@HEAD~1")
    assert guideline.id == "north"
    assert [c.number for c in guideline.clauses][:4] == ["前文", "1", "1(1)", "1(1)・1"]


def test_load_guideline_from_string_checks_the_taxonomy_when_given(minimal_policy):
    policy = minimal_policy.load()
    text = minimal_policy.read("north.yaml").replace("topics: [contact]", "topics: [contacts]")
    assert load_guideline_from_string(text, "old/north.yaml").clauses[-1].topics == ("contacts",)
    with pytest.raises(PolicyError) as info:
        load_guideline_from_string(text, "old/north.yaml", taxonomy=policy)
    assert [str(p) for p in info.value.problems] == ["old/north.yaml:54:18: unknown topic 'contacts': did you mean 'contact'?"]


def test_load_guideline_from_string_refuses_other_files(minimal_policy):
    with pytest.raises(PolicyError) as info:
        load_guideline_from_string(minimal_policy.read("glossary.yaml"), "g.yaml")
    assert [str(p) for p in info.value.problems] == ["g.yaml:1:7: expected a guideline file, found type 'glossary'"]
