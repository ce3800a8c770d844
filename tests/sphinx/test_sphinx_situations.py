"""The situation guides, their list and the role filter, as a reader sees the built pages.

Test root: tests/roots/test-situations, with tests/fixtures/minimal-policy (North
and South cities) and the situations.yaml of tests/unit/test_situations.py, whose
title is made hostile here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.paths import MINIMAL_POLICY, ROOTS
from helpers.situations import SITUATIONS

ROOT = ROOTS / "test-situations"
HOSTILE_TITLE = "<script>alert(1)</script>{raw}`x` **意見**"


def make_source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    shutil.copytree(MINIMAL_POLICY, src / "policy")
    north = src / "policy" / "north.yaml"
    north.write_text(
        north.read_text(encoding="utf-8").replace(
            "scope: {ja: 全職員に適用する。, en: The guideline applies to all staff.}\n",
            "scope: {ja: 全職員に適用する。, en: The guideline applies to all staff.}\n"
            "contact:\n  department: {ja: 広報課, en: Public Relations Division}\n  phone: 000-0000\n  extension: '12'\n",
        ),
        encoding="utf-8",
    )
    situations = SITUATIONS.replace("{ja: 意見が来た,", "{ja: '" + HOSTILE_TITLE + "',")
    (src / "policy" / "situations.yaml").write_text(situations, encoding="utf-8")
    return src


def build(src: Path, language: str = "ja", *, freshenv: bool = False):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=src, confoverrides={"language": language}, freshenv=freshenv)
    app.build()
    return app


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = make_source(tmp_path_factory.mktemp("situations"))
    apps = {}
    for lang in ("ja", "en"):
        app = build(src if lang == "ja" else _copy(src, tmp_path_factory), lang)
        app.cleanup()  # the pages stay on disk; a second app in the process needs a clean registry
        apps[lang] = app
    return apps


def _copy(src: Path, factory) -> Path:
    other = factory.mktemp("situations-en") / "src"
    shutil.copytree(src, other, ignore=shutil.ignore_patterns("_build"))
    return other


def test_builds_without_warnings(built):
    for lang, app in built.items():
        assert app.warning.getvalue() == "", lang


def test_guide_shows_every_city_with_its_steps_quoted_and_linked(built):
    html = page(built["ja"], "guides/new-account")
    assert text(html.find("h1")).startswith("アカウントを作る")
    north = html.find(id="new-account-north")
    south = html.find(id="new-account-south")
    assert north is not None and south is not None
    step = north.find("li", class_="policy-situation-step")
    assert step["id"] == "new-account-north-step-1"
    assert text(step.find("blockquote")) == "公式アカウントを作るときは管理者が別紙1で届け出る。"
    link = step.find("p", class_="policy-situation-cite").find("a")
    assert link["href"] == "../north.html#north-2-p1"
    assert text(link) == "北市 2"
    # The form the clause cites, and who does the step.
    assert "別紙1" in text(step.find("p", class_="policy-situation-cite"))
    assert "管理者" in text(step.find("p", class_="policy-situation-who"))
    # The handbook says the order is its own.
    assert "このハンドブック" in text(html.find("p", class_="policy-situation-about"))
    assert "手順（順序はこのハンドブックによる）" in text(north)


def test_contact_details_of_the_guideline_on_the_owner_actor(built):
    html = page(built["ja"], "guides/new-account")
    who = html.find(id="new-account-north").find("p", class_="policy-situation-who")
    assert text(who) == "行う人： 管理者（電話 000-0000、内線 12）"
    assert "広報課" in text(html.find(id="new-account-north").find("p", class_="policy-situation-contact"))


def test_a_guideline_without_a_guide_says_so(built):
    html = page(built["ja"], "guides/comment")
    south = html.find(id="comment-south")
    assert "この場面についての条項がありません" in text(south)
    omitted = html.find(id="comment-north").find("div", class_="policy-situation-omitted")
    assert "緊急時のため。" in text(omitted)


def test_data_is_text_never_markup(built):
    for lang, app in built.items():
        raw = (Path(app.outdir) / "guides" / "comment.html").read_text(encoding="utf-8")
        if lang == "ja":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;{raw}`x` **意見**" in raw
        assert "<script>alert(1)" not in raw


def test_situation_list_links_to_guides_and_each_city(built):
    html = page(built["ja"], "index")
    hrefs = [a["href"] for a in html.find("ul", class_="policy-situation-list").find_all("a")]
    assert hrefs[:3] == [
        "guides/new-account.html",
        "guides/new-account.html#new-account-north",
        "guides/new-account.html#new-account-south",
    ]
    north = page(built["ja"], "north")
    hrefs = [a["href"] for a in north.find("ul", class_="policy-situation-list").find_all("a")]
    assert hrefs == ["guides/new-account.html#new-account-north", "guides/comment.html#comment-north"]


def test_role_filter_lists_the_clauses_naming_the_role(built):
    html = page(built["ja"], "north")
    box = html.find("div", class_="policy-role-filter")
    assert box["data-items"] == ".policy-clause"
    assert "行為者が書かれていない条項" in text(box.find("p", class_="policy-role-note"))
    team = box.find(id="roles-north-account-team")
    assert [a["href"] for a in team.find_all("a")] == ["#north-2-p1"]
    # The JS controls: hidden until the script runs, one labelled radio per role and "everything".
    choice = box.find("fieldset", class_="policy-role-choice")
    assert choice.has_attr("hidden")
    radios = choice.find_all("input", type="radio")
    assert [r["value"] for r in radios] == ["all", "account-team"]
    for radio in radios:
        assert choice.find("label", attrs={"for": radio["id"]}) is not None
    status = box.find("p", class_="policy-role-status")
    assert status["aria-live"] == "polite" and status["role"] == "status"


def test_english_site_uses_english_data_and_strings(built):
    html = page(built["en"], "guides/new-account")
    assert text(html.find("h1")).startswith("Opening an account")
    north = html.find(id="new-account-north")
    assert "Steps (in this handbook's order)" in text(north)
    assert text(north.find("blockquote")) == "When an official account is created, the account administrator notifies it on Form 1."
    assert "reference translation" in text(html.find("p", class_="policy-situation-about"))


def test_missing_guide_page_is_a_warning_and_the_lists_follow(tmp_path):
    src = make_source(tmp_path)
    app = build(src)
    app.cleanup()
    assert page(app, "index").find("a", href="guides/comment.html") is not None
    # The page goes: the lists, though nothing they show changed, are written again.
    (src / "guides" / "comment.md").unlink()
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8").replace("guides/comment\n", ""), encoding="utf-8")
    app = build(src)
    app.cleanup()
    warnings = app.warning.getvalue()
    assert "situation 'comment' has no guide page: add docs/situations/comment.md" in warnings
    assert page(app, "north").find("a", href="guides/comment.html#comment-north") is None


def test_an_edited_clause_rewrites_the_guide(tmp_path):
    src = make_source(tmp_path)
    app = build(src)
    app.cleanup()
    north = src / "policy" / "north.yaml"
    north.write_text(
        north.read_text(encoding="utf-8").replace("管理者が別紙1で届け出る。", "管理者が別紙1で速やかに届け出る。"), encoding="utf-8"
    )
    app = build(src)
    html = page(app, "guides/new-account")
    assert (
        text(html.find(id="new-account-north-step-1").find("blockquote")) == "公式アカウントを作るときは管理者が別紙1で速やかに届け出る。"
    )
    app.cleanup()
    situations = src / "policy" / "situations.yaml"
    situations.write_text(situations.read_text(encoding="utf-8").replace("アカウントを作る", "アカウントを新しく作る"), encoding="utf-8")
    app = build(src)
    assert text(page(app, "guides/new-account").find("h1")).startswith("アカウントを新しく作る")
    assert "アカウントを新しく作る" in text(page(app, "index").find("ul", class_="policy-situation-list"))
    app.cleanup()


def test_with_many_municipalities_only_written_guides_get_a_part(tmp_path):
    """policy_situations_written_only (a national site): South, with no guide for "comment", is only named."""
    from sphinx.testing.util import SphinxTestApp

    src = make_source(tmp_path)
    app = SphinxTestApp("html", srcdir=src, confoverrides={"language": "ja", "policy_situations_written_only": True})
    try:
        app.build()
        assert app.warning.getvalue() == ""
        html = page(app, "guides/comment")
        assert html.find(id="comment-north") is not None and html.find(id="comment-south") is None
        assert text(html.find("p", class_="policy-situation-unwritten")) == "この場面のガイドをまだ作っていない自治体（1）： 南市"
        assert "comment-south" not in str(html.find("div", class_="policy-municipality"))
        hrefs = [a["href"] for a in page(app, "index").find("ul", class_="policy-situation-list").find_all("a")]
        assert "guides/comment.html#comment-north" in hrefs and "guides/comment.html#comment-south" not in hrefs
        assert "guides/new-account.html#new-account-south" in hrefs  # South's written guide keeps its part
    finally:
        app.cleanup()
