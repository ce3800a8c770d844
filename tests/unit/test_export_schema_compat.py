"""Compatibility guard of the published JSON API schema.

The checked-in copy tests/data/api-schema-v<N>.json is the schema as released
for major version N. Within a major version consumers may rely on every field
they have seen: a field must not disappear, stop being required, or change its
JSON type. Such a change needs a major version bump (x-schema-version, the
$id's /api/vN/ path and the API directory), then a new checked-in copy.
Additions are fine.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from helpers.paths import DATA
from policy_handbook.api import load_schema

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null", list: "array", dict: "object"}


def _resolve(root: dict, node: Any, seen: frozenset[str] = frozenset()) -> tuple[Any, frozenset[str]]:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            break
        seen = seen | {ref}
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node, seen


def _types(root: dict, node: Any, seen: frozenset[str]) -> frozenset[str]:
    node, seen = _resolve(root, node, seen)
    if not isinstance(node, dict):
        return frozenset({"any"})
    if "type" in node:
        declared = node["type"]
        return frozenset(declared if isinstance(declared, list) else [declared])
    if "const" in node:
        return frozenset({_JSON_TYPES[type(node["const"])]})
    if "enum" in node:
        return frozenset(_JSON_TYPES[type(v)] for v in node["enum"])
    branches = node.get("oneOf") or node.get("anyOf")
    if branches:
        return frozenset().union(*(_types(root, b, seen) for b in branches))
    return frozenset({"any"})


def _discriminator(root: dict, branch: Any, seen: frozenset[str]) -> str | None:
    """The `type` const that says which file a top-level branch describes."""
    branch, _ = _resolve(root, branch, seen)
    const = branch.get("properties", {}).get("type", {}).get("const") if isinstance(branch, dict) else None
    return const if isinstance(const, str) else None


def fields(schema: dict) -> dict[str, tuple[frozenset[str], bool]]:
    """Every field the schema describes: path -> (JSON types, required).

    Paths read like `(guideline).guideline.clauses[].sha256`: `(x)` is the
    branch of a oneOf (or the `then` of an if/then) told apart by its `type` const, `[]` an array's items,
    `{}` the values of a map. Nullable objects (oneOf [object, null]) are
    walked through.
    """
    out: dict[str, tuple[frozenset[str], bool]] = {}

    def walk(node: Any, path: str, seen: frozenset[str]) -> None:
        node, seen = _resolve(schema, node, seen)
        if not isinstance(node, dict):
            return
        required = set(node.get("required", ()))
        children = [(f"{path}.{name}" if path else name, sub, name in required) for name, sub in node.get("properties", {}).items()]
        for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
            if isinstance(node.get(key), dict):
                children.append((path + suffix, node[key], False))
        for sub_path, sub, is_required in children:
            old_types, old_required = out.get(sub_path, (frozenset(), False))
            out[sub_path] = (old_types | _types(schema, sub, seen), old_required or is_required)
            walk(sub, sub_path, seen)
        # 1.0.0 told the file types apart with a oneOf, later versions with an
        # allOf of if/then on `type`: both give the same `(type)` paths.
        branches = [*node.get("oneOf", ()), *node.get("anyOf", ())]
        branches += [rule["then"] for rule in node.get("allOf", ()) if isinstance(rule, dict) and "then" in rule]
        for branch in branches:
            tag = _discriminator(schema, branch, seen)
            walk(branch, f"({tag}){'.' + path if path else ''}" if tag else path, seen)

    walk(schema, "", frozenset())
    return out


def breaking_changes(old: dict, new: dict) -> list[str]:
    """What a consumer of `old` would find broken in `new` (empty: compatible)."""
    before, after = fields(old), fields(new)
    problems = []
    removed: list[str] = []
    for path, (types, required) in sorted(before.items()):
        if path not in after:
            if not any(path.startswith(r) and path[len(r)] in ".[{" for r in removed):
                problems.append(f"{path}: removed")  # its own fields are not listed again
                removed.append(path)
            continue
        new_types, new_required = after[path]
        if new_types != types:
            problems.append(f"{path}: type changed from {'|'.join(sorted(types))} to {'|'.join(sorted(new_types))}")
        if required and not new_required:
            problems.append(f"{path}: no longer required")
    return problems


def major(schema: dict) -> int:
    return int(schema["x-schema-version"].split(".")[0])


def baseline() -> dict:
    """The checked-in schema of the newest released major version."""
    copies = sorted(DATA.glob("api-schema-v*.json"), key=lambda p: int(re.search(r"v(\d+)", p.name)[1]))
    assert copies, "tests/data/api-schema-v1.json is missing"
    return json.loads(copies[-1].read_text(encoding="utf-8"))


def guard_failures(old: dict, new: dict) -> list[str]:
    """Why `new` may not be released after `old` (empty: it may)."""
    version = lambda schema: tuple(int(x) for x in schema["x-schema-version"].split("."))  # noqa: E731
    if version(new) < version(old):
        return [f"x-schema-version went back from {old['x-schema-version']} to {new['x-schema-version']}"]
    if major(new) > major(old):
        return []  # a new major version may break anything
    return breaking_changes(old, new)


# --- the guard -----------------------------------------------------------------------


def test_the_published_schema_keeps_every_field_of_the_released_one_or_bumps_major():
    failures = guard_failures(baseline(), load_schema())
    assert failures == [], (
        "breaking change to the JSON API without a major version bump:\n  "
        + "\n  ".join(failures)
        + "\nRestore the field, or bump x-schema-version's major (and /api/vN/) and check in tests/data/api-schema-vN.json."
    )


def test_the_checked_in_copy_is_a_released_schema():
    old = baseline()
    assert old["$id"].endswith(f"/api/v{major(old)}/policy.schema.json")
    assert major(load_schema()) >= major(old)


# --- the comparison itself -----------------------------------------------------------


@pytest.fixture
def schema():
    return load_schema()


def test_the_current_schema_is_compatible_with_itself(schema):
    assert breaking_changes(schema, copy.deepcopy(schema)) == []
    # and the walk sees deep fields through $refs, oneOf and items
    paths = fields(schema)
    assert paths["(guideline).guideline.clauses[].sha256"] == (frozenset({"string", "null"}), True)
    assert paths["(comparison).comparison.topics[].rows[].clauses{}"] == (frozenset({"array"}), False)
    assert paths["(policy).guidelines[].forms[].fields[].scale.order"] == (frozenset({"string"}), True)


def test_removing_a_field_is_breaking(schema):
    new = copy.deepcopy(schema)
    del new["$defs"]["clause"]["properties"]["sha256"]
    new["$defs"]["clause"]["required"].remove("sha256")
    assert breaking_changes(schema, new) == [
        "(guideline).guideline.clauses[].sha256: removed",
        "(policy).guidelines[].clauses[].sha256: removed",
    ]


def test_changing_a_type_is_breaking(schema):
    new = copy.deepcopy(schema)
    new["$defs"]["clause"]["properties"]["depth"] = {"type": "string"}
    problems = breaking_changes(schema, new)
    assert "(guideline).guideline.clauses[].depth: type changed from integer to string" in problems
    new = copy.deepcopy(schema)
    new["$defs"]["guideline"]["properties"]["current_date"] = {"$ref": "#/$defs/isoDate"}  # null no longer allowed
    assert "(policy).guidelines[].current_date: type changed from null|string to string" in breaking_changes(schema, new)


def test_making_a_required_field_optional_is_breaking(schema):
    new = copy.deepcopy(schema)
    new["$defs"]["form"]["required"].remove("url")
    assert breaking_changes(schema, new) == [
        "(guideline).guideline.forms[].url: no longer required",
        "(policy).guidelines[].forms[].url: no longer required",
    ]


def test_adding_a_field_is_not_breaking(schema):
    new = copy.deepcopy(schema)
    new["$defs"]["clause"]["properties"]["summary"] = {"$ref": "#/$defs/bilingualOrNull"}
    new["$defs"]["clause"]["required"].append("summary")
    assert breaking_changes(schema, new) == []


def test_a_breaking_change_passes_the_guard_only_with_a_major_bump(schema):
    new = copy.deepcopy(schema)
    del new["$defs"]["guideline"]["properties"]["scope"]
    assert guard_failures(schema, new) == [
        "(guideline).guideline.scope: removed",
        "(policy).guidelines[].scope: removed",
    ]
    new["x-schema-version"] = f"{major(schema)}.99.0"  # a minor bump is not enough
    assert len(guard_failures(schema, new)) == 2
    new["x-schema-version"] = f"{major(schema) + 1}.0.0"
    assert guard_failures(schema, new) == []


def test_the_version_may_not_go_back(schema):
    later = f"{major(schema)}.99.0"
    old = dict(copy.deepcopy(schema), **{"x-schema-version": later})
    assert guard_failures(old, schema) == [f"x-schema-version went back from {later} to {schema['x-schema-version']}"]
