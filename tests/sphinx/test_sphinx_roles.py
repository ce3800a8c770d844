"""Roles {policy:clause} and {policy:form}: link text, target, and broken IDs."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers.paths import ROOTS

ROOT = ROOTS / "test-directives"


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def links(app, name: str) -> list[tuple[str, str]]:
    """(text, href) of the policy links of a page, in order."""
    return [(a.get_text(), a["href"]) for a in page(app, name).select("a.reference:has(.xref.policy)")]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    apps = []

    def make(language: str = "ja", files: dict[str, str] | None = None, remove: tuple[str, ...] = ()) -> SphinxTestApp:
        src = tmp_path_factory.mktemp(f"roles-{language}")
        shutil.copytree(ROOT, src, dirs_exist_ok=True)
        for name, text in (files or {}).items():
            (src / name).write_text(text, encoding="utf-8")
        for name in remove:
            (src / name).unlink()
        app = SphinxTestApp("html", srcdir=src, confoverrides={"language": language})
        apps.append(app)
        app.build()
        return app

    yield make
    for app in reversed(apps):
        app.cleanup()


@pytest.fixture(scope="module")
def ja(build):
    return build("ja")


@pytest.fixture(scope="module")
def en(build):
    return build("en")


def test_clause_links_read_number_and_heading_or_first_words_in_the_page_language(ja, en):
    assert links(ja, "refs") == [
        ("1(1) 意見には返信しない。公式アカウントでも公…", "guideline.html#north-1-1"),
        ("この条項", "guideline.html#north-2-p1"),
        ("前文 この指針はソーシャルメディアの利用につい…", "guideline.html#north-preamble-1"),
        ("別紙1 利用届出書", "forms.html#north-form-1"),
    ]
    assert links(en, "refs") == [
        ("1(1) Staff do not reply to comments on an…", "guideline.html#north-1-1"),
        ("この条項", "guideline.html#north-2-p1"),
        ("Preamble This guideline governs the use of social media.", "guideline.html#north-preamble-1"),
        ("Form 1 Notification of use", "forms.html#north-form-1"),
    ]


def test_link_to_a_clause_with_a_heading_uses_the_heading(build):
    app = build("en", {"refs.md": "# Refs\n\nSee {policy:clause}`north-1` and {policy:clause}`north-1-1-i2`.\n"})
    assert links(app, "refs") == [
        ("1 Replies", "guideline.html#north-1"),
        ("1(1)\u00b72 Except in an emergency.", "guideline.html#north-1-1-i2"),
    ]
    # the item separator ・ is Japanese: English pages show the Latin middle dot instead
    assert page(app, "refs").find(lang="ja") is None


def test_link_on_the_same_page_is_a_fragment(build):
    app = build("ja", {"guideline.md": "# 北市\n\n{policy:clause}`north-3` を見よ。\n\n```{policy:guideline} north\n```\n"})
    assert links(app, "guideline")[0] == ("3 <b>太字</b>の見出し", "#north-3")


def test_unknown_clause_id_warns_at_the_role_and_keeps_the_text(ja):
    refs = ja.srcdir / "refs.md"
    line = next(i for i, text in enumerate(refs.read_text(encoding="utf-8").splitlines(), 1) if "north-9-9" in text)
    assert f"{refs}:{line}: WARNING: policy:clause: no clause with ID 'north-9-9' [policy.ref]" in ja.warning.getvalue()
    broken = page(ja, "refs").find(class_="policy-ref-broken")
    assert broken.get_text() == "north-9-9"
    assert broken.find_parent("a") is None


def test_clause_not_shown_anywhere_warns_at_the_role(build):
    app = build(
        "ja",
        {
            "index.md": "# テスト\n\n```{toctree}\nrefs\n```\n",
            "refs.md": "# 参照\n\n表示されない {policy:clause}`north-1-1`。\n",
        },
        remove=("guideline.md", "topic.md", "glossary.md"),
    )
    refs = app.srcdir / "refs.md"
    warnings = app.warning.getvalue()
    assert (
        f"{refs}:3: WARNING: clause north-1-1 is not shown on any page, so the link to it goes nowhere: "
        "show it with a policy:guideline directive [policy.ref]"
    ) in warnings
    html = page(app, "refs")
    assert "1(1) 意見には返信しない。" in html.get_text()
    assert not html.select("a.reference:has(.xref.policy)")


def test_any_role_finds_clauses_and_forms(build):
    app = build("ja", {"refs.md": "# 参照\n\n{any}`north-1-1` と {any}`north-form-1`。\n"})
    hrefs = [a["href"] for a in page(app, "refs").select("a.reference")]
    assert hrefs == ["guideline.html#north-1-1", "forms.html#north-form-1"]


def test_explicit_title_is_text_not_markup(build):
    app = build("ja", {"refs.md": "# 参照\n\n{policy:clause}`<b>x</b> <north-1-1>`\n"})
    link = page(app, "refs").select_one("a.reference")
    assert link.get_text() == "<b>x</b>"
    assert link.find("b") is None
