"""Per-pair comparisons (policy/comparisons/*.yaml): loading, checks, suggested rows, the JSON API."""

from __future__ import annotations

import json

import jsonschema

from policy_handbook import export
from policy_handbook.api import load_schema

# The minimal policy's two guidelines judged as a pair, south against north as the reference;
# the second row a machine proposed.
PAIR = """\
type: comparison
documents: [north, south]
topics:
  - topic: purpose
    relation: equivalent
    summary: {ja: 同じ。, en: The same.}
    rows:
      - north: [north-preamble-1]
        south: [south-1-p1]
        suggested: true
        similarity: 0.82
  - topic: replies
    relation: only
    summary: {ja: 北のみ。, en: North only.}
    rows:
      - north: [north-1-1-i1, north-1-1-i2]
      - north: [north-1-1]
  - topic: contact
    relation: different
    summary: {ja: 異なる。, en: They differ.}
    rows:
      - north: [north-2-p1]
        south: [south-2]
"""


def with_pair(minimal_policy, text=PAIR, name="south.yaml"):
    (minimal_policy.dir / "comparisons").mkdir(exist_ok=True)
    minimal_policy.write(f"comparisons/{name}", text)
    return minimal_policy


def test_a_pair_file_loads_beside_the_comparison_with_its_suggested_rows(minimal_policy):
    policy = with_pair(minimal_policy).load()
    assert policy.comparison.documents == ("north", "south")  # comparison.yaml: unchanged meaning
    (pair,) = policy.pairs
    assert pair.pair == ("north", "south")
    first = pair.topics[0].rows[0]
    assert (first.suggested, first.similarity) == (True, 0.82)
    assert first.clauses_of("south") == ("south-1-p1",)  # the flags are not documents
    reviewed = pair.topics[2].rows[0]
    assert (reviewed.suggested, reviewed.similarity) == (False, None)


def test_a_pair_missing_a_clause_is_reported_at_the_clause(minimal_policy):
    with_pair(minimal_policy, PAIR.replace("        south: [south-1-p1]\n", ""))
    problems = minimal_policy.problems()
    assert any("south-1-p1 is not in the comparison" in p and p.startswith("policy/south.yaml:") for p in problems), problems


def test_a_pair_file_of_three_documents_or_a_pair_twice_is_an_error(minimal_policy):
    with_pair(minimal_policy, PAIR.replace("[north, south]", "[north, south, west]"))
    assert any("exactly two documents" in p for p in minimal_policy.problems())
    with_pair(minimal_policy, PAIR)
    with_pair(minimal_policy, PAIR.replace("[north, south]", "[south, north]"), name="again.yaml")
    problems = minimal_policy.problems()
    assert any(
        p.startswith("policy/comparisons/south.yaml:") and "already compared in policy/comparisons/again.yaml" in p for p in problems
    ), problems


def test_only_comparisons_go_in_the_pairs_directory(minimal_policy):
    (minimal_policy.dir / "comparisons").mkdir()
    minimal_policy.write("comparisons/glossary.yaml", minimal_policy.read("glossary.yaml"))
    (minimal_policy.dir / "glossary.yaml").unlink()
    assert any("comparisons/ holds comparison files only" in p for p in minimal_policy.problems())


def test_a_row_flag_of_the_wrong_type_is_a_schema_error(minimal_policy):
    with_pair(minimal_policy, PAIR.replace("suggested: true", "suggested: yes please"))
    problems = minimal_policy.problems()
    assert any(p.startswith("policy/comparisons/south.yaml:10:") for p in problems), problems


def test_the_api_carries_the_pairs_and_the_review_state(minimal_policy):
    policy = with_pair(minimal_policy).load()
    files = export.render_api(policy)
    schema = load_schema()
    data = {path: json.loads(body) for path, body in files.items() if path != "policy.schema.json"}
    for path, content in data.items():
        jsonschema.validate(content, schema), path
    index = data["comparison.json"]["pairs"]
    assert index == [{"documents": ["north", "south"], "file": "comparisons/north--south.json"}]
    pair = data["comparisons/north--south.json"]
    assert pair["type"] == "pair"
    row = pair["comparison"]["topics"][0]["rows"][0]
    assert row == {"clauses": {"north": ["north-preamble-1"], "south": ["south-1-p1"]}, "suggested": True, "suggested_similarity": 0.82}
    # comparison.yaml's rows say they are reviewed
    assert all(not r["suggested"] for t in data["comparison.json"]["comparison"]["topics"] for r in t["rows"])


def test_a_pair_file_of_a_removed_pair_is_deleted_on_the_next_write(minimal_policy, tmp_path):
    api = tmp_path / "api"
    export.write_api(api, export.render_api(with_pair(minimal_policy).load()))
    assert (api / "comparisons" / "north--south.json").is_file()
    (minimal_policy.dir / "comparisons" / "south.yaml").unlink()
    export.write_api(api, export.render_api(minimal_policy.load()))
    assert not (api / "comparisons" / "north--south.json").exists()


def test_a_similarity_out_of_range_is_a_schema_error(minimal_policy):
    with_pair(minimal_policy, PAIR.replace("similarity: 0.82", "similarity: 1.5"))
    problems = minimal_policy.problems()
    assert any(p.startswith("policy/comparisons/south.yaml:11:") and "1.5" in p for p in problems), problems


def test_a_tiny_similarity_in_the_yaml_is_written_as_json_dumps_wrote_it(minimal_policy):
    """orjson alone would write 0.00001: the same number, other bytes for a consumer diffing files."""
    policy = with_pair(minimal_policy, PAIR.replace("similarity: 0.82", "similarity: 0.00001")).load()
    raw = export.render_api(policy)["comparisons/north--south.json"]
    assert b'"suggested_similarity": 1e-05\n' in raw
    assert raw == (json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
