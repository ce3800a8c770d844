"""The JSON export (policy_handbook.export) on a small policy loaded by the real loader."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest

from helpers.paths import ROOTS
from policy_handbook import export
from policy_handbook import files as files_module  # the fixture "files" is the API's
from policy_handbook.api import load_schema, schema_version
from policy_handbook.loader import load_policy

FIXTURE = ROOTS / "test-json" / "policy"

# Where the fixture's pages would show things, as the policy domain reports it.
LOCATIONS = {
    "alpha-preamble-1": ("guidelines/alpha", "alpha-preamble-1"),
    "alpha-1-1-i1": ("guidelines/alpha", "alpha-1-1-i1"),
    "alpha-form-1": ("forms", "alpha-form-1"),
}


@pytest.fixture(scope="module")
def policy():
    return load_policy(FIXTURE)


@pytest.fixture(scope="module")
def files(policy):
    return export.render_api(policy, LOCATIONS)


@pytest.fixture(scope="module")
def data(files):
    return {path: json.loads(raw) for path, raw in files.items() if path != "policy.schema.json"}


def clause(data, clause_id):
    for guideline in data["policy.json"]["guidelines"]:
        for c in guideline["clauses"]:
            if c["id"] == clause_id:
                return c
    raise KeyError(clause_id)


def edited_policy(tmp_path, file, old, new):
    """The fixture policy with one string replaced in one YAML file, loaded again."""
    copy_dir = tmp_path / "policy"
    shutil.copytree(FIXTURE, copy_dir)
    path = copy_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_policy(copy_dir)


# --- files and format --------------------------------------------------------------


def test_the_api_has_one_file_per_guideline_plus_policy_comparison_and_schema(files):
    assert sorted(files) == [
        "comparison.json",
        "documents/alpha.json",
        "documents/beta.json",
        "policy.json",
        "policy.schema.json",
    ]


def test_the_schema_file_is_the_packaged_schema_with_the_taxonomy_ids_enumerated(files, policy):
    published = json.loads(files["policy.schema.json"])
    packaged = load_schema()
    enums = {name: published["$defs"][name].pop("enum") for name in ("topicId", "kindId", "actorId")}
    assert published == packaged  # nothing else differs, the version included
    assert enums == {
        "topicId": [t.id for t in policy.topics],
        "kindId": [k.id for k in policy.kinds],
        "actorId": [a.id for a in policy.actors],
    }


@pytest.mark.parametrize(
    ("path", "where", "key", "value"),
    [
        ("policy.json", ("guidelines", 0, "clauses", 1), "kind", "recommendation"),
        ("documents/alpha.json", ("guideline", "clauses", 1), "kind", "recommendation"),
        ("documents/alpha.json", ("guideline", "clauses", 1), "topics", ["no-such-topic"]),
        ("documents/beta.json", ("guideline", "clauses", 1), "actors", ["mayor"]),
        ("comparison.json", ("comparison", "topics", 0), "topic", "no-such-topic"),
    ],
)
def test_the_published_schema_rejects_an_id_the_taxonomy_does_not_have(files, data, path, where, key, value):
    """A well-formed ID that is not in the taxonomy passed the schema before 1.2.0's enums."""
    published = jsonschema_rs.validator_for(json.loads(files["policy.schema.json"]))
    document = copy.deepcopy(data[path])
    assert published.is_valid(document)
    target = document
    for step in where:
        target = target[step]
    assert target[key] != value
    target[key] = value
    errors = list(published.iter_errors(document))
    # at the changed value, or at the nullable object holding it (comparison.json's oneOf)
    assert errors and all(list(e.instance_path)[:1] == [where[0]] for e in errors)
    # the packaged schema is the same for every policy, so it cannot know
    assert jsonschema_rs.validator_for(load_schema()).is_valid(document)


def test_every_file_states_what_it_is_and_its_schema_version(data):
    kinds = {path: (d["type"], d["schema_version"], d["generator"]["name"]) for path, d in data.items()}
    version = schema_version()
    assert kinds == {
        "policy.json": ("policy", version, "policy-handbook"),
        "comparison.json": ("comparison", version, "policy-handbook"),
        "documents/alpha.json": ("guideline", version, "policy-handbook"),
        "documents/beta.json": ("guideline", version, "policy-handbook"),
    }


def test_two_exports_are_byte_identical(policy, files):
    again = export.render_api(load_policy(FIXTURE), dict(reversed(list(LOCATIONS.items()))))
    assert again == files


def stdlib_format(data) -> bytes:
    """The API's format since 1.0: what json.dumps wrote before orjson did the writing."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def test_every_file_is_byte_for_byte_what_json_dumps_wrote(policy, files):
    plain = {path: stdlib_format(data) for path, data in export.build_api(policy, LOCATIONS).items()}
    assert {path: raw for path, raw in files.items() if path != "policy.schema.json"} == plain


@pytest.mark.parametrize(
    "value",
    [
        "制御\x00\x01\x1f文字と\x7f",  # escaped as \\u0000 …, DEL left as is
        "改行\n復帰\rタブ\t\b\f",
        "\u2028\u2029 are not escaped",
        'quote " backslash \\ slash /',
        "絵文字 😀 and 𠮷",
        {"z": [], "a": {}, "m": [{}, []], "ｚ": 1, "Z": True, "é": None},
        [0.87, 1.0, 0.0, 0.0001, 0.3333, 1e16, 1e22, -0.0, 12345678901234567890, -7],
    ],
)
def test_hard_strings_and_numbers_are_written_as_json_dumps_wrote_them(value):
    assert export.serialise({"value": value}) == stdlib_format({"value": value})


def test_output_is_utf8_with_japanese_unescaped_sorted_keys_and_a_final_newline(files):
    raw = files["policy.json"]
    text = raw.decode("utf-8")
    assert "成りすまし" in text
    assert "\\u" not in text
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_no_timestamp_or_build_dependent_value_is_written(data):
    text = json.dumps(data, ensure_ascii=False)
    # The only dates are the policies' own (2019-05-01 and 2022-04-01 in the fixture).
    assert set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)) == {"2019-05-01", "2022-04-01"}
    assert str(FIXTURE.parent) not in text  # nor a path of the machine that built it


# --- schema --------------------------------------------------------------------------


def strict(schema):
    """The schema with additionalProperties: false wherever properties are listed.

    The published schema lets consumers' validators accept fields added in later
    1.x versions; here every emitted field must be documented.
    """
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                # Beside the file-type dispatch, the properties are spread over the branches.
                spread = "oneOf" in node or "allOf" in node
                node["unevaluatedProperties" if spread else "additionalProperties"] = False
            for key, value in node.items():
                if key != "if":  # a condition on `type`, not a description of the file
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("schema", [load_schema(), strict(load_schema())], ids=["published", "strict"])
def test_every_file_validates_against_the_schema(data, schema):
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path, document in data.items():
        errors = [f"{path}: {e.json_path}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == []


def test_the_schema_rejects_a_file_that_does_not_say_what_it_is(data):
    validator = jsonschema.Draft202012Validator(load_schema())
    broken = copy.deepcopy(data["documents/alpha.json"])
    broken["type"] = "policy"  # a guideline file claiming to be policy.json
    assert not validator.is_valid(broken)
    missing = copy.deepcopy(data["comparison.json"])
    del missing["comparison"]
    assert not validator.is_valid(missing)


def test_the_strict_check_catches_an_undocumented_field(data):
    validator = jsonschema.Draft202012Validator(strict(load_schema()))
    for path, where in [("documents/alpha.json", ("guideline", "clauses", 0)), ("policy.json", ())]:
        document = copy.deepcopy(data[path])
        target = document
        for key in where:
            target = target[key]
        target["undocumented"] = 1
        assert not validator.is_valid(document), path


def test_the_schema_rejects_a_clause_with_a_wrong_hash(data):
    validator = jsonschema.Draft202012Validator(load_schema())
    broken = copy.deepcopy(data["documents/alpha.json"])
    broken["guideline"]["clauses"][0]["sha256"] = "not-a-hash"
    assert not validator.is_valid(broken)


def test_schema_version_is_the_one_the_schema_declares():
    schema = load_schema()
    assert schema["x-schema-version"] == schema_version()
    major = schema_version().split(".")[0]
    assert f"/api/v{major}/" in schema["$id"]
    jsonschema.validate(schema_version(), schema["$defs"]["schemaVersion"])


# --- content -------------------------------------------------------------------------


def test_clauses_are_in_document_order_with_their_hierarchy_and_numbers(data):
    alpha = data["documents/alpha.json"]["guideline"]
    assert [(c["id"], c["number"], c["parent"], c["depth"]) for c in alpha["clauses"]] == [
        ("alpha-preamble-1", "前文", None, 0),
        ("alpha-1", "1", None, 0),
        ("alpha-1-1", "1(1)", "alpha-1", 1),
        ("alpha-1-1-i1", "1(1)・1", "alpha-1-1", 2),
        ("alpha-1-1-i2", "1(1)・2", "alpha-1-1", 2),
        ("alpha-1-p1", "1", "alpha-1", 1),
        ("alpha-2", "2", None, 0),
        ("alpha-2-p1", "2", "alpha-2", 1),
    ]
    section = clause(data, "alpha-1")
    assert section["children"] == ["alpha-1-1", "alpha-1-p1"]
    assert section["marker"] == "1．"
    assert section["text"] is None and section["kind"] is None and section["sha256"] is None
    assert section["heading"] == {"ja": "運用", "en": "Operation"}


def test_a_clause_carries_its_texts_classification_forms_and_notes(data):
    item = clause(data, "alpha-1-1-i2")
    assert item["text"] == {"ja": "緊急時はこの限りでない。", "en": "This does not apply in an emergency."}
    assert item["kind"] == "duty" and item["topics"] == ["replies"] and item["actors"] == []
    assert item["notes"] == [
        {"type": "editorial", "text": {"ja": "緊急時の範囲は定められていない。", "en": "The guideline does not define an emergency."}}
    ]
    assert clause(data, "alpha-2-p1")["forms"] == ["alpha-form-1"]
    assert clause(data, "beta-2-p1")["topics"] == ["impersonation", "replies"]


def test_clause_urls_point_at_both_sites_and_are_null_when_no_page_shows_the_clause(data):
    assert clause(data, "alpha-1-1-i1")["url"] == {
        "ja": "ja/guidelines/alpha.html#alpha-1-1-i1",
        "en": "en/guidelines/alpha.html#alpha-1-1-i1",
    }
    assert clause(data, "beta-2-p1")["url"] is None
    form = data["documents/alpha.json"]["guideline"]["forms"][0]
    assert form["url"] == {"ja": "ja/forms.html#alpha-form-1", "en": "en/forms.html#alpha-form-1"}


def test_page_urls_follow_the_html_link_suffix_and_quote_the_docname():
    assert export.page_urls(("guidelines/a b", "x"), "/") == {"ja": "ja/guidelines/a%20b/#x", "en": "en/guidelines/a%20b/#x"}
    assert export.page_urls(None) is None


def test_guideline_metadata_gives_dates_as_iso_and_in_the_japanese_era(data):
    alpha = data["documents/alpha.json"]["guideline"]
    assert alpha["history"] == [
        {
            "event": "enacted",
            "date": "2019-05-01",
            "date_text": {"ja": "令和元年5月1日", "en": "1 May 2019"},
            "era": {"name": "令和", "year": 1},
            "published": False,
        },
        {
            "event": "revised",
            "date": "2022-04-01",
            "date_text": {"ja": "令和4年4月1日", "en": "1 April 2022"},
            "era": {"name": "令和", "year": 4},
            "published": True,
        },
    ]
    assert alpha["current_date"] == "2022-04-01"
    assert alpha["contact"] == {
        "department": {"ja": "広報課", "en": "Public Relations Division"},
        "unit": None,
        "phone": "0942-00-0000",
        "extension": None,
    }
    assert alpha["source"] == {"file": "sources/alpha.txt", "url": "https://example.invalid/alpha.pdf"}
    beta = data["documents/beta.json"]["guideline"]
    assert (beta["history"], beta["current_date"], beta["contact"], beta["forms"]) == ([], None, None, [])


def test_forms_list_their_fields_with_choices_and_scales(data):
    form = data["documents/alpha.json"]["guideline"]["forms"][0]
    assert (form["id"], form["label"]["ja"], form["statement"]) == (
        "alpha-form-1",
        "別紙1",
        [{"ja": "次のとおり届け出ます。", "en": "We give notice as follows."}],
    )
    fields = {f["id"]: f for f in form["fields"]}
    assert list(fields) == ["date", "service", "tone"]
    assert [c["id"] for c in fields["service"]["choices"]] == ["x", "other"]
    assert fields["service"]["choices"][1]["free_text"] is True
    assert fields["tone"]["scale"]["order"] == "descending"
    assert fields["tone"]["hint"]["ja"] == "（市公式 Web サイトは 5）"
    assert fields["date"]["scale"] is None and fields["date"]["choices"] == []
    # editorial notes on a field, apart from what the printed form offers (since 1.1.0)
    assert fields["service"]["notes"] == [{"type": "outdated", "text": {"ja": "エックスは旧ツイッター。", "en": "X was formerly Twitter."}}]
    assert fields["tone"]["notes"] == []


def test_policy_json_has_guidelines_taxonomy_and_glossary_in_their_defined_order(data):
    policy = data["policy.json"]
    assert [g["id"] for g in policy["guidelines"]] == ["alpha", "beta"]
    assert [t["id"] for t in policy["taxonomy"]["topics"]] == ["purpose", "replies", "impersonation", "account-registration"]
    assert [k["id"] for k in policy["taxonomy"]["kinds"]] == ["purpose", "duty", "procedure"]
    assert policy["taxonomy"]["topics"][1]["description"] is None
    assert policy["glossary"] == [
        {
            "id": "impersonation",
            "term": {"ja": "成りすまし", "en": "impersonation"},
            "reading": "なりすまし",
            "variants": ["なりすまし"],
            "en_variants": [],
            "definition": {
                "ja": "他人が市のアカウントを装って発信すること。",
                "en": "Someone else posting while pretending to be a city account.",
            },
        }
    ]
    assert policy["guidelines"][0] == data["documents/alpha.json"]["guideline"]
    assert policy["comparison"] == data["comparison.json"]["comparison"]


def test_comparison_topics_follow_the_taxonomy_and_rows_list_every_document(data):
    comparison = data["comparison.json"]["comparison"]
    assert comparison["documents"] == ["alpha", "beta"]
    assert [t["topic"] for t in comparison["topics"]] == ["purpose", "replies", "impersonation", "account-registration"]
    replies = comparison["topics"][1]
    assert (replies["relation"], replies["stricter"]) == ("stricter", "beta")
    assert replies["rows"][0]["clauses"] == {"alpha": ["alpha-1-1-i1", "alpha-1-1-i2"], "beta": ["beta-2-p1"]}
    only = comparison["topics"][3]
    assert only["rows"] == [
        {"clauses": {"alpha": ["alpha-2-p1"], "beta": []}, "similarity": [], "suggested": False, "suggested_similarity": None}
    ]
    assert only["stricter"] is None


def test_similarity_of_an_aligned_pair_is_the_comparison_engines(policy, data):
    from policy_handbook.comparison import row_similarities

    impersonation = data["comparison.json"]["comparison"]["topics"][2]
    [pair] = impersonation["rows"][0]["similarity"]
    row = next(t for t in policy.comparison.topics if t.topic == "impersonation").rows[0]
    assert pair == {
        "base": "alpha",
        "other": "beta",
        "ja": round(row_similarities(policy, row, "ja")["beta"], 4),
        "en": round(row_similarities(policy, row, "en")["beta"], 4),
    }
    assert 0.3 < pair["ja"] < 1  # similar texts, not identical


def test_the_comparisons_column_order_orders_guidelines_and_picks_the_base(tmp_path):
    edited = edited_policy(tmp_path, "comparison.yaml", "documents: [alpha, beta]", "documents: [beta, alpha]")
    files = export.build_api(edited)
    assert [g["id"] for g in files["policy.json"]["guidelines"]] == ["beta", "alpha"]
    comparison = files["comparison.json"]["comparison"]
    assert comparison["documents"] == ["beta", "alpha"]
    impersonation = comparison["topics"][2]["rows"][0]
    assert [(s["base"], s["other"]) for s in impersonation["similarity"]] == [("beta", "alpha")]


def test_a_policy_without_comparison_exports_null(tmp_path):
    copy_dir = tmp_path / "policy"
    shutil.copytree(FIXTURE, copy_dir)
    (copy_dir / "comparison.yaml").unlink()
    files = export.render_api(load_policy(copy_dir))
    assert json.loads(files["comparison.json"])["comparison"] is None
    assert [g["id"] for g in json.loads(files["policy.json"])["guidelines"]] == ["alpha", "beta"]


# --- sha256 --------------------------------------------------------------------------


def test_the_hash_is_sha256_of_the_nfc_text_without_whitespace(data):
    expected = hashlib.sha256("緊急時はこの限りでない。".encode()).hexdigest()
    assert clause(data, "alpha-1-1-i2")["sha256"] == expected
    # Layout does not count: spaces (ideographic included), line breaks, decomposed kana.
    assert export.text_sha256("緊急時は\u3000この限り\nでない。 ") == expected
    assert export.text_sha256("か\u3099") == export.text_sha256("が")


def hashes(policy):
    files = export.build_api(policy)
    return {c["id"]: c["sha256"] for g in files["policy.json"]["guidelines"] for c in g["clauses"]}


def test_the_hash_changes_when_the_japanese_text_changes(policy, tmp_path):
    edited = edited_policy(tmp_path, "alpha.yaml", "緊急時はこの限りでない。", "災害時はこの限りでない。")
    before, after = hashes(policy), hashes(edited)
    assert before["alpha-1-1-i2"] != after["alpha-1-1-i2"]
    assert {k: v for k, v in before.items() if k != "alpha-1-1-i2"} == {k: v for k, v in after.items() if k != "alpha-1-1-i2"}


@pytest.mark.parametrize(
    "old, new",
    [
        ("This does not apply in an emergency.", "This does not apply in emergencies."),  # English only
        ("The guideline does not define an emergency.", "No definition of emergency."),  # a note
        ("緊急時の範囲は定められていない。", "緊急時の定義はない。"),  # the note's Japanese
        (
            "kind: duty\n            topics: [replies]\n            text: {ja: 緊急時",
            "kind: procedure\n            topics: [replies]\n            text: {ja: 緊急時",
        ),
    ],
    ids=["english", "note-english", "note-japanese", "classification"],
)
def test_the_hash_does_not_change_for_english_or_notes(policy, tmp_path, old, new):
    edited = edited_policy(tmp_path, "alpha.yaml", old, new)
    assert hashes(edited) == hashes(policy)


# --- writing -------------------------------------------------------------------------


def listing(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_write_api_writes_every_file_readable_by_all(files, tmp_path):
    api = tmp_path / "api" / "v1"
    written = export.write_api(api, files)
    assert sorted(written) == sorted(files)
    assert listing(api) == files
    assert all((api / rel).stat().st_mode & 0o777 == 0o644 for rel in files)


def test_an_unchanged_file_is_not_rewritten(files, tmp_path):
    api = tmp_path / "api"
    export.write_api(api, files)
    inode = (api / "policy.json").stat().st_ino
    os.utime(api / "policy.json", ns=(1, 1))
    changed = dict(files, **{"comparison.json": files["comparison.json"].replace(b"alpha", b"gamma")})
    assert export.write_api(api, changed) == ["comparison.json"]
    assert (api / "policy.json").stat().st_ino == inode
    assert (api / "policy.json").stat().st_mtime_ns == 1


def test_files_are_compared_a_chunk_at_a_time(files, tmp_path, monkeypatch):
    """policy.json is ~90 MB at 1,741 municipalities: compared with the old file piece by piece."""
    monkeypatch.setattr(files_module, "_CHUNK", 7)
    api = tmp_path / "api"
    export.write_api(api, files)
    assert export.write_api(api, files) == []
    last_byte_changed = dict(files, **{"policy.json": files["policy.json"][:-2] + b"]\n"})
    assert export.write_api(api, last_byte_changed) == ["policy.json"]
    assert (api / "policy.json").read_bytes() == last_byte_changed["policy.json"]


def test_files_of_a_removed_guideline_are_deleted(files, tmp_path):
    api = tmp_path / "api"
    export.write_api(api, files)
    (api / "notes.txt").write_text("not ours")
    without_beta = {k: v for k, v in files.items() if k != "documents/beta.json"}
    export.write_api(api, without_beta)
    assert not (api / "documents" / "beta.json").exists()
    assert (api / "notes.txt").read_text() == "not ours"


def test_a_failure_while_writing_leaves_every_file_whole_and_no_temp_file(files, tmp_path, monkeypatch):
    """Each file is replaced atomically: a failed write leaves it as it was (the
    publisher publishes nothing of a failed build, so no mix reaches readers)."""
    api = tmp_path / "api"
    old = {rel: b'{"old": true}\n' for rel in files}
    export.write_api(api, old)
    real_write = files_module.write_atomic
    calls = []

    def failing_write(path, data):
        calls.append(path)
        if len(calls) == 3:  # the disk fills up on the third file
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(files_module, "write_atomic", failing_write)
    with pytest.raises(OSError, match="No space left"):
        export.write_api(api, files)
    order = sorted(files)
    assert listing(api) == {rel: files[rel] if i < 2 else old[rel] for i, rel in enumerate(order)}


def test_remove_api_deletes_only_export_files_and_empty_directories(files, tmp_path):
    api = tmp_path / "site" / "api" / "v1"
    export.write_api(api, files)
    assert sorted(export.remove_api(api)) == sorted(files)
    assert not api.exists()
    export.write_api(api, files)
    (api / "README").write_text("keep me")
    export.remove_api(api)
    assert listing(api) == {"README": b"keep me"}
    assert export.remove_api(tmp_path / "nowhere") == []


def test_a_guideline_carries_its_national_code_or_null(tmp_path):
    """lg_code (since 1.3.0): the code the YAML gives, null without one; the schema holds it to six digits."""
    policy = edited_policy(
        tmp_path,
        "alpha.yaml",
        "municipality: {ja: 甲市, en: Alpha City}\n",
        'municipality: {ja: 筑後市, en: Chikugo City}\nlg_code: "402117"\n',
    )
    files = export.render_api(policy, LOCATIONS)
    alpha = json.loads(files["documents/alpha.json"])
    everything = json.loads(files["policy.json"])
    assert alpha["guideline"]["lg_code"] == "402117"
    assert [g["lg_code"] for g in everything["guidelines"]] == ["402117", None]
    validator = jsonschema_rs.validator_for(load_schema())
    assert validator.is_valid(alpha) and validator.is_valid(everything)
    for wrong in (402117, "40211", "４０２１１７"):
        broken = copy.deepcopy(alpha)
        broken["guideline"]["lg_code"] = wrong
        assert not validator.is_valid(broken), wrong
    del alpha["guideline"]["lg_code"]
    assert not validator.is_valid(alpha)  # always written, null when unknown
