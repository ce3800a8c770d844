"""Property tests: whatever bytes a file holds, the loader answers with PolicyError or a Policy,
never another exception; and the compiled schema check agrees with jsonschema."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.paths import MINIMAL_POLICY
from policy_handbook import schema as schema_module
from policy_handbook.errors import PolicyError
from policy_handbook.loader import load_policy
from policy_handbook.yamlio import read_yaml

MINIMAL = MINIMAL_POLICY
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like YAML: indentation, flow and block syntax, anchors, tags, quotes, Japanese.
yamlish = st.lists(
    st.sampled_from(
        [
            "type: guideline",
            "type: glossary",
            "id: a",
            "- ",
            "  ",
            "    ",
            ": ",
            "key:",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&a ",
            "*a",
            "!!str ",
            "!x ",
            "'",
            '"',
            "|",
            ">",
            "#",
            "---",
            "...",
            "? ",
            "\n",
            "\r\n",
            "\t",
            "no",
            "2022-04-01",
            "公式アカウント",
            "ja:",
            "en:",
            "\ufeff",
            "\x00",
            "%YAML 1.2",
            "\\",
            "0x1F",
            "-1",
            "1e3",
            "~",
            "null",
        ]
    ),
    max_size=60,
).map("".join)


def only_policy_errors(source) -> None:
    try:
        read_yaml(source, "policy/fuzz.yaml")
    except PolicyError as exc:
        assert exc.problems, "a PolicyError always says what is wrong"
        for problem in exc.problems:
            assert problem.location.file == "policy/fuzz.yaml"
            assert problem.location.line >= 1 and problem.location.column >= 1


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(raw):
    only_policy_errors(raw)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text(text):
    only_policy_errors(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(yamlish)
def test_yaml_like_text(text):
    only_policy_errors(text.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- whole loader


@pytest.fixture(scope="module")
def fuzz_policy(tmp_path_factory) -> Path:
    """One copy of the fixture for all examples (copying per example would be slow)."""
    policy = tmp_path_factory.mktemp("fuzz") / "policy"
    shutil.copytree(MINIMAL, policy)
    return policy


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["north.yaml", "comparison.yaml", "taxonomy.yaml"]),
    st.integers(min_value=0, max_value=4000),
    st.integers(min_value=0, max_value=40),
    yamlish,
)
def test_corrupting_a_fixture_file_gives_policy_error_or_a_policy(fuzz_policy, name, at, cut, insert):
    """Splice random YAML-ish text into a valid file: the loader reports, never crashes."""
    policy = fuzz_policy
    original = (MINIMAL / name).read_text(encoding="utf-8")
    at = min(at, len(original))
    (policy / name).write_text(original[:at] + insert + original[at + cut :], encoding="utf-8")
    try:
        load_policy(policy)
    except PolicyError as exc:
        assert all(p.location is not None and p.location.file.split("/")[0] == "policy" for p in exc.problems)
        # "could not load this file" is the loader's safety net for its own bugs
        assert not [p for p in exc.problems if p.code == "policy.internal"], exc.report()
    finally:
        (policy / name).write_text(original, encoding="utf-8")


# --------------------------------------------------------------------------- compiled schema check == jsonschema


def _guideline_data() -> dict:
    return read_yaml((MINIMAL / "north.yaml").read_bytes(), "north.yaml").data


GUIDELINE = _guideline_data()
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "Bad_ID", "duty", "2022-02-30", "(1)", "ja"]))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


PATHS = list(_paths(GUIDELINE))


@st.composite
def mutated_guidelines(draw):
    data = copy.deepcopy(GUIDELINE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent, node = None, data
        try:
            for step in path:
                parent, node = node, node[step]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, (dict, list)):  # an earlier mutation changed the shape
            continue
        action = draw(st.sampled_from(["replace", "delete", "add-key", "empty"]))
        if action == "replace":
            parent[path[-1]] = draw(scalars)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add-key" and isinstance(node, dict):
            node[draw(st.sampled_from(["extra", "en", "kind", "children", "stricter"]))] = draw(scalars)
        elif action == "empty":
            parent[path[-1]] = draw(st.sampled_from([{}, [], [[]], [{}]]))
    return data


@settings(max_examples=300, deadline=None)
@given(mutated_guidelines())
def test_the_fast_check_never_passes_what_jsonschema_rejects(data):
    """jsonschema-rs decides validity; it must be at least as strict as jsonschema, so
    no broken file passes for speed (it is stricter only on ECMA-262 regex anchors)."""
    checker = schema_module.file_schemas()["guideline"]
    if not checker.validator.is_valid(data):
        assert not checker.fast.is_valid(data)
        assert list(checker.iter_errors(data))


def test_an_id_ending_in_a_newline_is_rejected_with_its_location():
    """Python's re reads "$" as "end, or before a final newline"; the schema means ECMA-262's end."""
    data = copy.deepcopy(GUIDELINE)
    data["clauses"][0]["id"] = data["clauses"][0]["id"] + "\n"
    checker = schema_module.file_schemas()["guideline"]
    assert checker.validator.is_valid(data)  # jsonschema alone would let it through
    errors = list(checker.iter_errors(data))
    assert errors and list(errors[0].absolute_path) == ["clauses", 0, "id"]
