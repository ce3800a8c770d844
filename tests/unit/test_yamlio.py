"""The strict YAML reader: what it accepts, what it refuses and where it says the problem is."""

from __future__ import annotations

import time

import pytest

from policy_handbook import yamlio
from policy_handbook.errors import PolicyError
from policy_handbook.yamlio import read_yaml

FILE = "policy/x.yaml"


def problems(source: str | bytes) -> list[str]:
    with pytest.raises(PolicyError) as info:
        read_yaml(source.encode("utf-8") if isinstance(source, str) else source, FILE)
    return [str(p) for p in info.value.problems]


def data(source: str | bytes):
    return read_yaml(source.encode("utf-8") if isinstance(source, str) else source, FILE).data


# --------------------------------------------------------------------------- scalars


def test_scalars_follow_yaml_1_2_not_1_1():
    assert data(
        "t: true\nf: false\ni: 42\nneg: -7\nnull1: null\nnull2: ~\nnull3:\n"
        "date: 2022-04-01\noctal: 0755\nsexagesimal: 1:30\nfloat: 1.5\nquoted_no: 'no'\n"
        "phone: 0942-53-4111\nja: 令和4年4月1日\n"
    ) == {
        "t": True,
        "f": False,
        "i": 42,
        "neg": -7,
        "null1": None,
        "null2": None,
        "null3": None,
        "date": "2022-04-01",
        "octal": "0755",
        "sexagesimal": "1:30",
        "float": 1.5,
        "quoted_no": "no",
        "phone": "0942-53-4111",
        "ja": "令和4年4月1日",
    }


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF", "Y", "N"])
def test_yaml_1_1_booleans_are_an_error(word):
    assert problems(f"published: {word}\n") == [f"{FILE}:1:12: ambiguous YAML 1.1 boolean '{word}': quote it or write true/false"]


def test_yaml_1_1_boolean_words_inside_text_are_fine():
    assert data("a: no problem\nb: [yesterday, only]\n") == {"a": "no problem", "b": ["yesterday", "only"]}


# --------------------------------------------------------------------------- structure


def test_duplicate_key_names_both_lines():
    assert problems("id: a\nlevel: section\nid: b\n") == [f"{FILE}:3:1: duplicate key 'id' (first at line 1)"]


def test_duplicate_key_in_flow_mapping():
    assert problems("text: {ja: 一, en: one, ja: 二}\n") == [f"{FILE}:1:24: duplicate key 'ja' (first at line 1)"]


def test_unused_anchor_is_refused():
    assert problems("a: &x 1\nb: 2\n") == [f"{FILE}:1:4: anchor '&x' is not allowed: write the value out in full"]


def test_alias_is_refused_at_its_line():
    assert problems("a: &x [1]\nb: *x\n") == [
        f"{FILE}:1:4: anchor '&x' is not allowed: write the value out in full",
        f"{FILE}:2:4: alias '*x' is not allowed: write the value out in full",
    ]


def test_billion_laughs_fails_fast_without_expanding():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghijklmnopqrstuvwxy", "bcdefghijklmnopqrstuvwxyz"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    found = problems("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1.0
    assert found[0] == f"{FILE}:1:4: anchor '&a' is not allowed: write the value out in full"
    assert found[-1].endswith("too many problems: stopped reading this file")


def test_anchor_like_text_in_japanese_is_not_an_anchor():
    # '&' and '*' inside plain or quoted text are characters, not YAML syntax.
    assert data("a: 権利&義務 *注\nb: '&x *y'\n") == {"a": "権利&義務 *注", "b": "&x *y"}


def test_tags_are_refused():
    assert problems("cmd: !!python/object/apply:os.system [ls]\n") == [
        f"{FILE}:1:6: tag '!!python/object/apply:os.system' is not allowed: write a plain value"
    ]


def test_complex_key_is_refused():
    assert problems("? [a, b]\n: 1\n") == [f"{FILE}:1:3: a key must be a plain string, not a mapping or a list"]


def test_one_document_per_file():
    assert problems("a: 1\n---\nb: 2\n") == [f"{FILE}:2:1: only one YAML document per file (remove this '---')"]
    assert data("---\na: 1\n...\n") == {"a": 1}


def test_syntax_error_has_position_and_clean_message():
    assert problems("a:\n  - b\n c: 1\n") == [
        f"{FILE}:3:2: YAML syntax error: did not find expected key (while parsing a block mapping at line 1)"
    ]


def test_empty_file_is_none():
    assert data("") is None
    assert data("# only a comment\n") is None


# --------------------------------------------------------------------------- characters and encodings


def test_tab_indentation_is_refused():
    assert problems("a:\n\tb: 1\n") == [f"{FILE}:2:1: tab character: indent with spaces and write tabs in text as spaces"]


def test_tabs_are_reported_up_to_a_cap():
    found = problems("".join(f"k{i}: 'x\tx'\n" for i in range(30)))
    assert len(found) == yamlio.MAX_PROBLEMS_PER_FILE + 1
    assert found[0] == f"{FILE}:1:7: tab character: indent with spaces and write tabs in text as spaces"
    assert found[-1] == f"{FILE}:21:8: ... and 10 more tab characters"


def test_control_character_is_refused():
    assert problems("a: 'x\x07'\n") == [f"{FILE}:1:6: character U+0007 is not allowed (control, invisible or text-direction character)"]


def test_invalid_utf8_points_at_the_first_bad_byte():
    # column counts characters: 'a: ' plus one Japanese character before the bad byte
    assert problems("a: 日".encode() + b"\xff\nb: 1\n") == [f"{FILE}:1:5: invalid UTF-8 (byte 0xFF): save the file as UTF-8"]
    assert problems(b"a: 1\nb: \x82\xa0\n") == [f"{FILE}:2:4: invalid UTF-8 (byte 0x82): save the file as UTF-8"]


def test_shift_jis_is_refused():
    assert problems("a: 公式アカウント\n".encode("shift_jis")) == [f"{FILE}:1:4: invalid UTF-8 (byte 0x8C): save the file as UTF-8"]


@pytest.mark.parametrize(
    ("bom", "name"),
    [(b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32")],
)
def test_other_byte_order_marks_are_refused(bom, name):
    assert problems(bom + "a: 1\n".encode("utf-16-le")) == [f"{FILE}:1:1: file is encoded as {name}: save it as UTF-8"]


def test_utf8_bom_and_crlf_give_the_same_data_and_positions():
    clean = "type: glossary\nterms:\n  - id: a\n    term: {ja: 管理者, en: account administrator}\n"
    base = read_yaml(clean.encode(), FILE)
    for variant in (b"\xef\xbb\xbf" + clean.encode(), clean.replace("\n", "\r\n").encode(), clean.replace("\n", "\r").encode()):
        doc = read_yaml(variant, FILE)
        assert doc.data == base.data
        assert doc.locate(None, "terms", 0, "term", "en") == base.locate(None, "terms", 0, "term", "en")
        assert str(doc.locate(None, "terms", 0, "term", "en")) == f"{FILE}:4:25"


# --------------------------------------------------------------------------- limits


def test_long_scalar_is_refused():
    assert problems("a: " + "あ" * 1_000_000 + "\n") == [f"{FILE}:1:4: value is longer than 100,000 characters"]


def test_deep_nesting_is_refused():
    assert problems("a: " + "[" * 200 + "]" * 200 + "\n") == [f"{FILE}:1:67: nested more than 64 levels deep"]


def test_nesting_at_the_limit_is_accepted():
    value = data("[" * yamlio.MAX_DEPTH + "]" * yamlio.MAX_DEPTH)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == yamlio.MAX_DEPTH


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 1024 * 1024)
    assert problems(b"a: 1\n" * 300_000) == [f"{FILE}:1:1: file is larger than 1 MB"]


# --------------------------------------------------------------------------- positions


def test_positions_of_keys_values_and_items():
    doc = read_yaml(
        "type: guideline\nclauses:\n  - id: x-1\n    topics: [purpose, scope]\n    text:\n      ja: 公式アカウント\n      en: official\n".encode(),
        FILE,
    )
    clause = doc.data["clauses"][0]
    assert str(doc.locate()) == f"{FILE}:1:1"
    assert str(doc.locate(None, "clauses", 0)) == f"{FILE}:3:5"
    assert str(doc.locate(clause, "topics", 1)) == f"{FILE}:4:23"
    assert str(doc.locate(clause, "text", "en")) == f"{FILE}:7:11"
    assert str(doc.locate(clause, "text", key=True)) == f"{FILE}:5:5"
    assert str(doc.locate_key(clause, "topics")) == f"{FILE}:4:5"
    # a path that goes further than the data stops at the deepest known position
    assert str(doc.locate(clause, "topics", 7)) == f"{FILE}:4:13"
