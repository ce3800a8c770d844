"""The two JSON Schemas as editors and other validators see them.

The policy data schema (extensions/policy_handbook/schemas/, copied to
policy/schema/ for editors) and the published API schema
(extensions/policy_handbook/api/) are read by people: policy owners get each
property's description as they type, consumers of the JSON read the API schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from policy_handbook import schema as policy_schema
from policy_handbook.api import load_schema as load_api_schema
from policy_handbook.yamlio import read_yaml

POLICY_SCHEMA = policy_schema.DEFAULT_SCHEMA


def load_policy_schema() -> dict:
    return json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))


SCHEMAS = {"policy": load_policy_schema, "api": load_api_schema}


def subschemas(node: Any, path: str) -> Iterator[tuple[str, dict]]:
    """Every schema object inside node, with a readable path to it."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key, value in node.items():
        if key in ("properties", "$defs"):
            for name, sub in value.items():
                yield from subschemas(sub, f"{path}/{key}/{name}")
        elif key in ("items", "additionalProperties", "propertyNames", "then", "else"):  # not `if`: a condition, not a field
            yield from subschemas(value, f"{path}/{key}")
        elif key in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(value):
                yield from subschemas(sub, f"{path}/{key}/{i}")


def _described(schema: dict, node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    if isinstance(node.get("description"), str) and node["description"].strip():
        return True
    # {"$ref": "#/$defs/note"} shows the note's own description in editors
    ref = node.get("$ref", "")
    return ref.startswith("#/$defs/") and _described(schema, schema["$defs"].get(ref.removeprefix("#/$defs/")))


def undescribed_properties(schema: dict) -> list[str]:
    """Properties that an editor would show without any description."""
    missing = []
    for path, node in subschemas(schema, "#"):
        for name, sub in node.get("properties", {}).items():
            if not _described(schema, sub):
                missing.append(f"{path}/properties/{name}")
    return missing


def file_branches(schema: dict) -> dict[str, dict]:
    """The top-level dispatch: file type -> the definition its `then` refers to."""
    branches = {}
    for rule in schema.get("allOf", ()):
        file_type = rule["if"]["properties"]["type"]["const"]
        ref = rule["then"]["$ref"]
        assert ref.startswith("#/$defs/")
        branches[file_type] = schema["$defs"][ref.removeprefix("#/$defs/")]
    return branches


# --------------------------------------------------------------------------- descriptions and titles


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_has_a_description(name):
    assert undescribed_properties(SCHEMAS[name]()) == []


def test_the_walk_finds_a_missing_description():
    schema = load_policy_schema()
    del schema["$defs"]["clause"]["properties"]["notes"]["description"]
    schema["$defs"]["form"]["properties"]["fields"]["items"] = {"properties": {"x": {"$ref": "#/$defs/id"}, "y": {"type": "string"}}}
    assert undescribed_properties(schema) == [
        "#/$defs/clause/properties/notes",
        "#/$defs/form/properties/fields/items/properties/y",
    ]


@pytest.mark.parametrize(
    ("name", "types"),
    [("policy", {"guideline", "taxonomy", "glossary", "comparison", "situations"}), ("api", {"policy", "guideline", "comparison", "pair"})],
)
def test_the_file_type_decides_the_branch_and_every_branch_has_a_title(name, types):
    schema = SCHEMAS[name]()
    # no oneOf of file types: a validator would report every branch's errors
    assert "oneOf" not in schema and "anyOf" not in schema
    branches = file_branches(schema)
    assert set(branches) == types == set(schema["properties"]["type"]["enum"])
    for file_type, branch in branches.items():
        assert branch["properties"]["type"]["const"] == file_type
        assert branch.get("title", "").strip(), f"the {file_type} branch has no title"
    assert len({b["title"] for b in branches.values()}) == len(branches)


def test_the_loader_dispatches_on_the_same_file_types():
    assert set(file_branches(load_policy_schema())) == set(policy_schema.FILE_TYPES)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("name", SCHEMAS)
def test_iso_dates_are_format_date(name):
    """Editors and check-jsonschema assert `format`: a pattern alone accepts 2022-13-45."""
    schema = SCHEMAS[name]()
    assert schema["$defs"]["isoDate"]["format"] == "date"
    date_only = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/isoDate"}
    asserting = jsonschema_rs.validator_for(date_only, validate_formats=True)
    assert asserting.is_valid("2022-04-01")
    assert not asserting.is_valid("2022-13-45")
    assert not asserting.is_valid("2022-02-30")


def test_a_guideline_with_an_impossible_date_is_rejected_by_an_editors_validator(policy_dir):
    data = read_yaml((policy_dir / "chikugo.yaml").read_bytes(), "chikugo.yaml").data
    validator = jsonschema_rs.validator_for(load_policy_schema(), validate_formats=True)
    assert validator.is_valid(data)
    data["history"][0]["date"] = "2022-13-45"
    errors = list(validator.iter_errors(data))
    assert [list(e.instance_path) for e in errors] == [["history", 0, "date"]]


def test_the_check_rejects_an_impossible_date_at_its_line(minimal_policy):
    minimal_policy.edit("north.yaml", 'date: "2022-04-01"', 'date: "2022-13-45"')
    assert minimal_policy.problems() == [
        "policy/north.yaml:11:11: history[1].date: '2022-13-45' is not a calendar date (month must be in 1..12)"
    ]


# --------------------------------------------------------------------------- errors point at the right branch


TAXONOMY_WITH_A_BAD_KEY = {
    "type": "taxonomy",
    "topics": [{"id": "purpose", "label": {"ja": "目的", "en": "Purpose"}}],
    "kinds": [{"id": "duty", "label": {"ja": "義務", "en": "Duty"}}],
    "actors": [{"id": "staff", "label": {"ja": "職員", "en": "Staff"}}],
    "topicz": [],
}


def test_an_editors_validator_reports_a_taxonomy_error_against_the_taxonomy():
    """With a oneOf, jsonschema's best error was "not valid under any of the given schemas"
    and the editors listed the guideline branch's complaints (missing id, clauses...)."""
    schema = load_policy_schema()
    errors = list(Draft202012Validator(schema).iter_errors(TAXONOMY_WITH_A_BAD_KEY))
    assert [e.message for e in errors] == ["Additional properties are not allowed ('topicz' was unexpected)"]
    assert errors[0].schema["title"] == schema["$defs"]["taxonomyFile"]["title"]
    assert best_match(errors).message == errors[0].message
    rs_errors = list(jsonschema_rs.validator_for(schema).iter_errors(TAXONOMY_WITH_A_BAD_KEY))
    assert len(rs_errors) == 1 and "topicz" in rs_errors[0].message
    assert "guideline" not in rs_errors[0].message


def test_the_check_words_a_taxonomy_error_for_the_taxonomy(minimal_policy):
    minimal_policy.edit("taxonomy.yaml", "topics:", "topicz: []\ntopics:")
    assert minimal_policy.problems() == ["policy/taxonomy.yaml:3:1: file: unknown key 'topicz': did you mean 'topics'?"]


def test_a_file_with_an_unknown_type_gets_one_error_about_the_type():
    schema = load_policy_schema()
    errors = list(Draft202012Validator(schema).iter_errors({"type": "rules"}))
    assert [e.validator for e in errors] == ["enum"]


def test_the_editor_copy_is_the_packaged_schema(project_root: Path):
    assert (project_root / "policy" / "schema" / "policy.schema.json").read_bytes() == POLICY_SCHEMA.read_bytes()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_a_valid_draft_2020_12_schema(name):
    """`make check` no longer asks jsonschema at start-up (it is imported only to explain a
    broken file): an invalid schema must be caught here instead."""
    Draft202012Validator.check_schema(SCHEMAS[name]())
