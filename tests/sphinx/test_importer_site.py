"""An imported draft on the site and in the JSON: the translation is shown as pending,
suggested labels as suggestions, in both languages.

Test root: tests/roots/test-draft (the "north" guideline of the directives root as the
labelled examples); the draft is imported from its source.txt in each test run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup

from helpers.paths import ROOTS
from policy_handbook import export
from policy_handbook.api import load_schema
from policy_handbook.importer.command import main_import
from policy_handbook.loader import load_policy

ROOT = ROOTS / "test-draft"


@pytest.fixture(scope="module")
def srcdir(tmp_path_factory):
    src = tmp_path_factory.mktemp("draft")
    shutil.copytree(ROOT, src, dirs_exist_ok=True)
    status = main_import([str(src / "source.txt"), "--id", "draft", "--municipality", "大木町", "--policy", str(src / "policy")])
    assert status == 0
    return src


def build(srcdir: Path, tmp_path_factory, lang: str) -> tuple[BeautifulSoup, str]:
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp(f"draft-{lang}")
    shutil.copytree(srcdir, src, dirs_exist_ok=True)
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, confoverrides={"language": lang}, warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (app.outdir / "draft.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), warnings.getvalue()


@pytest.fixture(scope="module")
def en(srcdir, tmp_path_factory):
    return build(srcdir, tmp_path_factory, "en")


@pytest.fixture(scope="module")
def ja(srcdir, tmp_path_factory):
    return build(srcdir, tmp_path_factory, "ja")


def test_builds_without_warnings(en, ja):
    assert en[1] == "" and ja[1] == ""


def test_english_site_shows_the_japanese_marked_and_labelled(en):
    soup, _ = en
    clause = soup.find(id="draft-2-1")
    english_tab = clause.find("div", class_="policy-lang-tabs").find("div", class_="sd-tab-content")
    assert english_tab.find(class_="policy-translation-pending").get_text() == "Translation pending"
    text = english_tab.find("p", class_="policy-text")
    assert text.get_text() == "職員は、寄せられた意見に原則として返信しない。"
    assert text.find_parent(attrs={"lang": "ja"}) is not None
    # a heading without text says it under the heading
    section = soup.find(id="draft-1")
    own = section.find("p", class_="policy-pending", recursive=False)
    assert own is not None and own.get_text() == "Translation pending"


def test_japanese_site_labels_the_missing_english_in_japanese(ja):
    soup, _ = ja
    clause = soup.find(id="draft-2-1")
    tabs = clause.find("div", class_="policy-lang-tabs").find_all("div", class_="sd-tab-content")
    assert "英訳未作成" in tabs[1].get_text()
    assert tabs[1].find("p", class_="policy-text").find_parent(attrs={"lang": "ja"}) is not None
    assert "英訳未作成" not in tabs[0].get_text()


def test_suggested_labels_are_shown_as_suggestions(en, ja):
    for (soup, _), label in ((en, "Suggested topics (not confirmed)"), (ja, "トピックの候補（未確認）")):
        meta = soup.find(id="draft-2-1").find(class_="policy-suggested-topics")
        assert label in meta.get_text()
        assert meta.find(class_="policy-badge-suggested") is not None
        assert soup.find(id="draft-2-1").find(class_="policy-topics") is None  # nothing confirmed


def test_json_says_pending_and_suggested(srcdir):
    policy = load_policy(srcdir / "policy")
    files = export.build_api(policy)
    schema = load_schema()
    jsonschema.validate(files["documents/draft.json"], schema)
    clauses = {c["id"]: c for c in files["documents/draft.json"]["guideline"]["clauses"]}
    text = clauses["draft-2-1"]["text"]
    assert text == {
        "ja": "職員は、寄せられた意見に原則として返信しない。",
        "en": "職員は、寄せられた意見に原則として返信しない。",
        "translation_pending": True,
    }
    assert clauses["draft-2-1"]["topics"] == [] and clauses["draft-2-1"]["kind"] is None
    assert clauses["draft-2-1"]["suggested"]["topics"][0] == "replies"
    north = {c["id"]: c for c in files["documents/north.json"]["guideline"]["clauses"]}
    assert all("translation_pending" not in (c["text"] or {}) and "suggested" not in c for c in north.values())


def test_the_english_guideline_page_counts_what_awaits_translation_by_kind(en):
    """Issue 21: not only clauses. The draft's title, headings and clause texts are counted
    under the metadata, and its Japanese title is marked as pending."""
    soup, _ = en
    meta = soup.select_one(".policy-guideline-meta")
    text = " ".join(meta.get_text().split())
    assert "Translation pending" in text
    counts = text.split("Translation pending", 1)[1]
    assert "1 title" in counts and "clause texts" in counts and "headings" in counts, counts
    assert meta.find(class_="policy-translation-pending") is not None  # beside the Japanese title


def test_a_pending_note_is_marked_on_the_english_site(srcdir, tmp_path_factory):
    """Notes and form labels without English show the Japanese marked as pending, like clauses."""
    src = tmp_path_factory.mktemp("draft-note")
    shutil.copytree(srcdir, src, dirs_exist_ok=True)
    draft = src / "policy" / "draft.yaml"
    text = draft.read_text(encoding="utf-8")
    marker = "      - id: draft-2-1\n"
    assert marker in text
    lines = text.splitlines(keepends=True)
    start = lines.index(marker)
    indent = " " * 8
    insert = f"{indent}notes:\n{indent}  - type: editorial\n{indent}    text: {{ja: 編集の注。}}\n"
    lines.insert(start + 1, insert)
    draft.write_text("".join(lines), encoding="utf-8")
    soup, warnings = build(src, tmp_path_factory, "en")
    note = soup.find(id="draft-2-1").find(class_="policy-note-text")
    assert note is not None and "編集の注。" in note.get_text()
    assert note.find(class_="policy-translation-pending") is not None, warnings
