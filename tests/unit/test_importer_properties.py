"""Whatever text comes in, the importer refuses it cleanly or writes YAML that loads."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_handbook.importer.errors import ImportRefused
from policy_handbook.importer.pipeline import import_text
from policy_handbook.importer.yaml_out import render_yaml
from policy_handbook.loader import load_guideline_from_string

PIECES = [
    "1 ",
    "2．",
    "(1)",
    "（２）",
    "第1条 ",
    "第2章 ",
    "（趣旨）",
    "ア ",
    "①",
    "・",
    "- ",
    "※",
    "(注1)",
    "別紙1",
    "目次",
    "- 3 -",
    "・・・・ 4",
    "令和4年4月1日 改定",
    "平成25年3月29日訓令第5号",
    "附 則",
    "■ ",
    "Ⅰ ",
    "職員は、",
    "発信してはならない",
    "。",
    "、",
    "ソーシャルメディア",
    "Face-",
    "book",
    " ",
    "\u3000",
    "「",
    "」",
    "{",
    "}",
    "[",
    "]",
    ":",
    "#",
    "&a",
    "*b",
    "!tag",
    "'",
    '"',
    "\\",
    "<script>",
    "\t",
]

lines = st.lists(st.sampled_from(PIECES), min_size=0, max_size=8).map("".join)
documents = st.lists(lines, min_size=1, max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_import_refuses_cleanly_or_writes_valid_yaml(text):
    try:
        imported = import_text(text, "fuzz", "fuzz.txt")
    except ImportRefused as exc:
        assert all(p.file == "fuzz.txt" and p.line >= 1 for p in exc.problems)
        return
    suggestions = {c.id: ("duty", ["scope"]) for c in imported.clauses() if c.text is not None}
    yaml_text = render_yaml(
        imported, municipality="試験市", prefecture="試験県", source_file="sources/fuzz.txt", suggestions=suggestions, review=["x"]
    )
    guideline = load_guideline_from_string(yaml_text, "policy/fuzz.yaml")
    printed = "".join((c.heading.ja if c.heading else "") + (c.text.ja if c.text else "") for c in guideline.clauses)
    assert printed == "".join((c.heading or "") + (c.text or "") for c in imported.clauses())
