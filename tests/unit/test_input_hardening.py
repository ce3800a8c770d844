"""Hostile values in policy/ (issue 15): each is refused by `make check` at its file:line,
and nothing of it reaches a terminal raw.

Everything in policy/ is untrusted. These checks do not depend on the schema in
policy/schema/ (which owners may edit): a loosened schema must not let them through.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers.paths import BENCH, POLICY
from policy_handbook import cli, export, yamlio
from policy_handbook.characters import MAX_MESSAGE_CHARS
from policy_handbook.errors import Problem
from policy_handbook.model import Location, Note, Text
from policy_handbook.validate import translation_problems

ESC = "\x1b"


def only(problems: list[str], needle: str) -> list[str]:
    return [p for p in problems if needle in p]


def check_output(policy, capsys) -> tuple[int, str]:
    """What `make check` prints (stdout + stderr) and its exit status."""
    status = cli.check(policy.dir)
    out = capsys.readouterr()
    return status, out.out + out.err


# --------------------------------------------------------------------------- item 2: patterns end at the end


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("north.yaml", "- id: north-1\n", '- id: "north-1\\n"\n', "policy/north.yaml:21:9: clauses[1].id: 'north-1\\n' is not a valid ID"),
        ("taxonomy.yaml", "- id: replies", '- id: "replies\\n"', "is not a valid ID"),
        (
            "north.yaml",
            'date: "2019-05-01"',
            'date: "2019-05-01\\n"',
            "policy/north.yaml:9:11: history[0].date: '2019-05-01\\n' is not a date",
        ),
        (
            "north.yaml",
            "source:\n",
            'contact: {department: {ja: 課, en: Division}, phone: "0944-00-0000\\n"}\nsource:\n',
            "contact.phone: '0944-00-0000\\n' is not a phone number",
        ),
        (
            "north.yaml",
            "source:\n",
            'contact: {department: {ja: 課, en: Division}, extension: "123\\n"}\nsource:\n',
            "contact.extension: '123\\n' is not an extension number",
        ),
    ],
)
def test_a_pattern_value_ending_in_a_newline_is_refused(minimal_policy, file, old, new, expected):
    minimal_policy.edit(file, old, new)
    problems = minimal_policy.problems()
    assert any(expected in p for p in problems), problems


def test_ids_are_checked_even_when_the_schema_is_loosened(minimal_policy, monkeypatch, tmp_path):
    # The folder's own schema/ copy is never used (tests/sphinx/test_host_project.py); here even the
    # schema the checks use is loosened, and the check in code still refuses the ID.
    from policy_handbook import loader

    schema_path = tmp_path / "loosened.schema.json"
    schema = json.loads((POLICY / "schema" / "policy.schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["id"] = {"type": "string"}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.setattr(loader, "DEFAULT_SCHEMA", schema_path)
    minimal_policy.edit("north.yaml", "- id: north-1\n", '- id: "north-1\\"><script>x</script>"\n')
    problems = minimal_policy.problems()
    assert only(problems, "policy/north.yaml:21:9: clause ID 'north-1\"><script>x</script>' is not a valid ID"), problems


# --------------------------------------------------------------------------- item 4: files the data names


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../etc/passwd", "sources/../../outside.txt", "/proc/self/environ"])
def test_source_file_outside_the_policy_folder_is_refused(minimal_policy, path):
    (minimal_policy.dir.parent / "outside.txt").write_text("SECRET=1\n", encoding="utf-8")
    minimal_policy.edit("north.yaml", "file: sources/north.txt", f"file: {path}")
    problems = minimal_policy.problems()
    assert problems == [f"policy/north.yaml:14:9: source.file: '{path}' is outside the policy folder: name a file in policy/sources/"]


def test_symlinked_source_file_pointing_outside_is_refused(minimal_policy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD=hunter2\n", encoding="utf-8")
    (minimal_policy.dir / "sources" / "north.txt").unlink()
    (minimal_policy.dir / "sources" / "north.txt").symlink_to(secret)
    problems = minimal_policy.problems()
    assert problems == [
        "policy/north.yaml:14:9: source.file: 'sources/north.txt' is outside the policy folder: name a file in policy/sources/"
    ]


def test_symlink_inside_the_policy_folder_is_fine(minimal_policy):
    (minimal_policy.dir / "sources" / "alias.txt").symlink_to("north.txt")
    minimal_policy.edit("north.yaml", "file: sources/north.txt", "file: sources/alias.txt")
    assert minimal_policy.problems() == []


def test_symlinked_yaml_pointing_outside_is_refused_without_echoing_it(minimal_policy, tmp_path, capsys):
    secret = tmp_path / "secret.yaml"
    secret.write_text("SECRET_TOKEN: abcdef0123456789\n", encoding="utf-8")
    (minimal_policy.dir / "evil.yaml").symlink_to(secret)
    status, output = check_output(minimal_policy, capsys)
    assert status == 1
    assert "policy/evil.yaml:1:1: links to a file outside the policy folder: policy files must be inside policy/" in output
    assert "SECRET" not in output and "abcdef" not in output


def test_symlinked_schema_pointing_outside_is_not_read(minimal_policy, tmp_path, capsys):
    secret = tmp_path / "secret.json"
    secret.write_text('{"SECRET": "abcdef0123456789"}', encoding="utf-8")
    (minimal_policy.dir / "schema").mkdir()
    (minimal_policy.dir / "schema" / "policy.schema.json").symlink_to(secret)
    # the folder's schema/ is an editor copy the checks never read (tests/sphinx/test_host_project.py)
    problems = minimal_policy.problems()
    assert not problems, problems
    status, output = check_output(minimal_policy, capsys)
    assert status == 0 and "outside the policy folder" in output and "SECRET" not in output


def test_errors_never_echo_more_than_a_short_excerpt(minimal_policy, capsys):
    # A file that is not a policy (e.g. a secret pasted by mistake) is not printed back.
    secret = "TOKEN_" + "x" * 5000
    minimal_policy.write("pasted.yaml", f"type: guideline\n{secret}: 1\n")
    status, output = check_output(minimal_policy, capsys)
    assert status == 1
    assert max(len(line) for line in output.splitlines()) <= MAX_MESSAGE_CHARS + 200
    assert "x" * 100 not in output


# --------------------------------------------------------------------------- item 5: numbers that drive output size


FORM_WITH_SCALE = """
      - id: rating
        label: {ja: 評価, en: Rating}
        type: scale
        required: true
        scale: {min: MIN, max: MAX, min_label: {ja: 低, en: low}, max_label: {ja: 高, en: high}}
"""


def with_scale(policy, low: str, high: str) -> None:
    policy.edit(
        "north.yaml",
        "        required: true\n",
        "        required: true\n" + FORM_WITH_SCALE.lstrip("\n").replace("MIN", low).replace("MAX", high),
    )


def test_a_reasonable_scale_loads(minimal_policy):
    with_scale(minimal_policy, "1", "5")
    assert minimal_policy.problems() == []


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("1", "20000000", "fields[1].scale.max: must be at most 100, not 20000000"),
        ("-5000000", "1", "fields[1].scale.min: must be at least -100, not -5000000"),
        ("-100", "100", "scale: -100 to 100 has more than 101 values"),
        ("5", "1", "scale: min (5) must be less than max (1)"),
        ("1.0", "5", "scale: min and max must be integers, not 1.0 and 5"),  # JSON Schema calls 1.0 an integer
        ("1", "5.0", "scale: min and max must be integers, not 1 and 5.0"),
        ("1", "1e400", "fields[1].scale.max: expected an integer, got a number (inf)"),
    ],
)
def test_a_scale_is_bounded_and_made_of_integers(minimal_policy, low, high, expected):
    with_scale(minimal_policy, low, high)
    problems = minimal_policy.problems()
    assert any(p.startswith("policy/north.yaml:") and expected in p for p in problems), problems


def test_a_huge_integer_is_a_problem_not_a_crash(minimal_policy):
    with_scale(minimal_policy, "1", "9" * 5000)
    problems = minimal_policy.problems()
    assert only(problems, "number with more than 18 digits"), problems


# --------------------------------------------------------------------------- item 6: capped, bounded


def test_schema_errors_are_capped_per_file(minimal_policy):
    minimal_policy.edit("north.yaml", "clauses:\n", "clauses:\n" + "  - {}\n" * 2000)
    problems = [p for p in minimal_policy.problems() if p.startswith("policy/north.yaml")]
    assert len(problems) == yamlio.MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].endswith("too many problems: stopped reporting this file")


def test_semantic_errors_are_capped_per_file(minimal_policy):
    clauses = "".join(
        f"  - {{id: wrong-{i}, level: item, kind: duty, topics: [replies], text: {{ja: 本文{i}, en: text {i}}}}}\n" for i in range(300)
    )
    minimal_policy.edit("north.yaml", "clauses:\n", "clauses:\n" + clauses)
    problems = [p for p in minimal_policy.problems() if p.startswith("policy/north.yaml")]
    assert len(problems) == yamlio.MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].endswith(" more problem(s) in this file")


def test_a_file_of_too_many_values_stops_early(minimal_policy, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 1000)
    minimal_policy.edit("north.yaml", "clauses:\n", "clauses:\n" + "  - {}\n" * 5000)
    problems = [p for p in minimal_policy.problems() if p.startswith("policy/north.yaml")]
    assert problems == ["policy/north.yaml:963:5: more than 1,000 values in one file: split it or remove what is repeated"]


def test_check_output_is_capped(minimal_policy, capsys):
    """`make check` on a hostile file prints a bounded report (bench/hostile.py times the big ones)."""
    import sys

    sys.path.insert(0, str(BENCH))
    import hostile

    for case in hostile.CASES:
        hostile.write_case(minimal_policy.dir, case, 300_000)
        status, output = check_output(minimal_policy, capsys)
        assert status == 1, case
        assert len(output.splitlines()) <= 2 * (yamlio.MAX_PROBLEMS_PER_FILE + 2), (case, output)


# --------------------------------------------------------------------------- item 7: invisible and control characters


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\0", "U+0000"),
        ("\\e", "U+001B"),
        ("\\x07", "U+0007"),
        ("\\uFFFE", "U+FFFE"),
        ("\\N", "U+0085"),
        ("\\L", "U+2028"),
        ("\\u202E", "U+202E"),
        ("\\u200B", "U+200B"),
        ("\\uFEFF", "U+FEFF"),
        ("\\U000E0041", "U+E0041"),
        ("\\t", "U+0009"),
    ],
)
def test_escaped_control_and_invisible_characters_are_refused_where_written(minimal_policy, escape, code):
    minimal_policy.edit("north.yaml", "en: Nor to questions.}", f'en: "Nor to{escape} questions."}}')
    problems = minimal_policy.problems()
    assert problems == [f"policy/north.yaml:39:47: character {code} is not allowed (control, invisible or text-direction character)"]


def test_escape_in_a_multi_line_value_is_located_on_its_line(minimal_policy):
    minimal_policy.edit("north.yaml", "en: Nor to questions.}", 'en: "Nor to\n              questions\\u202E."}')
    assert minimal_policy.problems() == [
        "policy/north.yaml:40:24: character U+202E is not allowed (control, invisible or text-direction character)"
    ]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\u202e", "\u200b", "\u2066"])
def test_raw_invisible_characters_are_reported_on_their_own_line(minimal_policy, char):
    minimal_policy.edit("north.yaml", "en: Nor to questions.}", f"en: Nor to{char} questions.}}")
    problems = minimal_policy.problems()
    assert problems == [
        f"policy/north.yaml:39:46: character U+{ord(char):04X} is not allowed (control, invisible or text-direction character)"
    ]


def test_bidi_override_in_a_comment_is_refused(minimal_policy):
    # Trojan Source: the file would read differently in review than it parses.
    minimal_policy.edit("north.yaml", "clauses:\n", "clauses:  # \u202eevil\n")
    assert minimal_policy.problems() == [
        "policy/north.yaml:15:13: character U+202E is not allowed (control, invisible or text-direction character)"
    ]


@pytest.mark.parametrize("blank", ["\u200b", "\u3164", " \u3000 ", "\u2800", "\u034f"])
def test_invisible_only_text_counts_as_empty(blank):
    problems = translation_problems(Note("editorial", Text("本文", blank)))
    assert [p.message for p in problems] == ["text.en: English text is empty"]


def test_invisible_only_english_in_yaml_is_empty(minimal_policy):
    minimal_policy.edit("north.yaml", "en: Nor to questions.}", 'en: "\u3164"}')
    assert only(minimal_policy.problems(), "policy/north.yaml:39:40: text.en: English text is empty")


def test_terminal_escapes_are_never_printed_raw(minimal_policy, capsys):
    minimal_policy.edit(
        "north.yaml", "level: preamble\n", 'level: preamble\n    "\\e[2J\\e]0;pwned\\a": 1\n    "\\e[2J\\e]0;pwned\\a": 2\n'
    )
    minimal_policy.write("\x1b[31mred.yaml", "type: nothing\n")
    status, output = check_output(minimal_policy, capsys)
    assert status == 1
    assert ESC not in output and "\x07" not in output
    assert "\\x1b[2J" in output  # shown, escaped, so the owner can find it


def test_problem_messages_are_sanitised_whatever_their_source():
    problem = Problem(Location("policy/\x1b[2Ja.yaml", 1, 1), "bad \x1b]0;x\x07 \u202e key " + "y" * 1000)
    text = str(problem)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    assert "\\x1b]0;x\\x07" in text and "\\u202e" in text
    assert len(text) <= MAX_MESSAGE_CHARS + 200


# --------------------------------------------------------------------------- item 8: glossary terms


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("{ja: 社交メディア, en: social media}", "'social media' is already a term of the glossary (social-media, line 3)"),
        ("{ja: 社交メディア, en: Social Media}", "'Social Media' is already a term of the glossary (social-media, line 3)"),
        ("{ja: 公式アカウント, en: city account}", "'公式アカウント' is already a term of the glossary (official-account, line 6)"),
        ("{ja: 公的アカウント, en: public account}", "'公的アカウント' is already a term of the glossary (official-account, line 6)"),
    ],
)
def test_a_glossary_term_used_twice_fails_at_its_yaml_line(minimal_policy, term, expected):
    text = minimal_policy.read("glossary.yaml") + f"  - id: twin\n    term: {term}\n    definition: {{ja: 重複。, en: A twin.}}\n"
    minimal_policy.write("glossary.yaml", text)
    problems = minimal_policy.problems()
    assert any(p.startswith("policy/glossary.yaml:14:11: ") and expected in p for p in problems), problems


# --------------------------------------------------------------------------- item 9: URLs


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/x",
        "https://",
        "//example.org/x",
        "https://exa mple.org/",
    ],
)
def test_source_url_must_be_http_or_https(minimal_policy, url):
    minimal_policy.edit("north.yaml", "file: sources/north.txt\n", f"file: sources/north.txt\n  url: '{url}'\n")
    problems = minimal_policy.problems()
    assert any(p.startswith("policy/north.yaml:15:8: source.url: ") and "is not an http(s) URL" in p for p in problems), problems


def test_an_https_source_url_loads(minimal_policy):
    minimal_policy.edit(
        "north.yaml", "file: sources/north.txt\n", "file: sources/north.txt\n  url: https://www.city.example.lg.jp/a/b.pdf?x=1#p2\n"
    )
    assert minimal_policy.problems() == []


def test_json_export_never_publishes_another_scheme(minimal_policy):
    import dataclasses

    policy = minimal_policy.load()
    north = dataclasses.replace(policy.guideline("north"), source_url="javascript:alert(1)")
    assert export.guideline_json(north, {})["source"]["url"] is None


def test_an_unexpected_error_is_printed_escaped_and_short(minimal_policy, monkeypatch, capsys):
    def explode(*args, **kwargs):
        raise ValueError("\x1b[2J" + "x" * 5000)

    monkeypatch.setattr("policy_handbook.loader.load_policy", explode)
    status, output = check_output(minimal_policy, capsys)
    assert status == 1
    assert ESC not in output and "\\x1b[2J" in output
    assert len(output) <= MAX_MESSAGE_CHARS + 200


def test_a_file_jsonschema_rs_rejects_is_never_accepted_silently(minimal_policy, monkeypatch):
    """Should jsonschema-rs and jsonschema ever disagree, the file fails rather than passes, with jsonschema-rs's error."""
    from policy_handbook import schema

    checker = schema.file_schemas(None)["glossary"]

    class AcceptsEverything:
        def iter_errors(self, data):
            return iter(())

    monkeypatch.setattr(checker, "validator", AcceptsEverything())
    minimal_policy.edit("glossary.yaml", "id: social-media", "id: Social-Media")
    problems = minimal_policy.problems()
    assert problems == [
        "policy/glossary.yaml:3:9: terms[0].id: 'Social-Media' is not a valid ID: use lower-case ASCII letters and digits joined by hyphens"
    ]
