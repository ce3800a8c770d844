"""The site around the policy pages, as a reader sees it: language switcher,
alternate links, the clause index in the navigation, furo's labels in Japanese,
dates in each language.

Test root: tests/roots/test-site (furo; a nested page guidelines/north; the
project's own templates and theme catalog from docs/ via confoverrides).
"""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from helpers.site_root import SITE_ROOT, build_site

ROOT = SITE_ROOT


def site_in(tmp_path_factory, lang: str):
    """Build the test root in `lang` once; returns the app (its warnings must be empty)."""
    srcdir = tmp_path_factory.mktemp(f"site-{lang}")
    shutil.copytree(ROOT, srcdir, dirs_exist_ok=True)
    return build_site(srcdir, language=lang)


@pytest.fixture(scope="module")
def ja(tmp_path_factory):
    return site_in(tmp_path_factory, "ja")


@pytest.fixture(scope="module")
def en(tmp_path_factory):
    return site_in(tmp_path_factory, "en")


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def switch_links(soup: BeautifulSoup):
    return soup.select("nav.policy-lang-switch a")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_builds_without_warnings(lang, request):
    app = request.getfixturevalue(lang)
    assert app.warning.getvalue() == ""


def test_switcher_on_a_nested_japanese_page_links_to_the_same_english_page(ja):
    soup = page(ja, "guidelines/north")
    (link,) = switch_links(soup)
    # ja/guidelines/north.html -> en/guidelines/north.html
    assert link["href"] == "../../en/guidelines/north.html"
    assert link["hreflang"] == "en"
    assert link["lang"] == "en"
    assert link.get_text(strip=True) == "English"
    assert link.find_parent("nav")["aria-label"] == "言語"


def test_switcher_on_the_english_site_says_nihongo_in_japanese(en):
    soup = page(en, "guidelines/north")
    (link,) = switch_links(soup)
    assert link["href"] == "../../ja/guidelines/north.html"
    assert link["hreflang"] == "ja"
    assert link["lang"] == "ja"
    assert link.get_text(strip=True) == "日本語"
    assert link.find_parent("nav")["aria-label"] == "Language"


def test_switcher_on_top_level_pages(ja, en):
    assert switch_links(page(ja, "index"))[0]["href"] == "../en/index.html"
    assert switch_links(page(en, "dates"))[0]["href"] == "../ja/dates.html"
    # Generated pages have twins too.
    assert switch_links(page(ja, "search"))[0]["href"] == "../en/search.html"
    assert switch_links(page(ja, "policy-clauseindex"))[0]["href"] == "../en/policy-clauseindex.html"


def test_switcher_is_a_real_link_beside_the_theme_toggle_visible_at_every_width(ja):
    """Not only in the sidebar (hidden on phones): in furo's content icon bar."""
    soup = page(ja, "guidelines/north")
    nav = soup.select_one("nav.policy-lang-switch")
    assert nav.find_parent(class_="content-icon-container") is not None
    assert nav.find_parent(class_="sidebar-drawer") is None
    link = nav.find("a")
    assert link.has_attr("href") and not link.has_attr("tabindex")  # keyboard reachable as any link


def test_alternate_links_in_the_head(ja, en):
    head = page(ja, "guidelines/north").head
    alternates = {tag["hreflang"]: tag["href"] for tag in head.find_all("link", rel="alternate")}
    assert alternates == {"ja": "north.html", "en": "../../en/guidelines/north.html"}
    head = page(en, "index").head
    alternates = {tag["hreflang"]: tag["href"] for tag in head.find_all("link", rel="alternate")}
    assert alternates == {"en": "index.html", "ja": "../ja/index.html"}


def test_html_lang_and_site_title_per_language(ja, en):
    assert page(ja, "index").html["lang"] == "ja"
    assert page(en, "index").html["lang"] == "en"
    assert page(ja, "dates").title.get_text() == "日付 - 北市ハンドブック"
    # policy_site_overrides: the English site does not carry the Japanese title.
    assert page(en, "dates").title.get_text() == "日付 - North Handbook"
    assert page(en, "index").select_one(".sidebar-brand-text").get_text(strip=True) == "North Handbook"


def test_clause_index_is_in_the_navigation(ja, en):
    for app, title in ((ja, "条項索引"), (en, "Clause index")):
        soup = page(app, "dates")
        link = soup.select_one(".policy-nav-links a")
        assert link["href"] == "policy-clauseindex.html"
        assert link.get_text(strip=True) == title
    current = page(ja, "policy-clauseindex").select_one(".policy-nav-links li")
    assert "current-page" in current["class"]


def test_furo_labels_are_japanese_on_the_japanese_site(ja):
    soup = page(ja, "guidelines/north")
    labels = {el["aria-label"] for el in soup.find_all(attrs={"aria-label": True})}
    assert "サイトのナビゲーションを開閉" in labels
    assert "配色の切り替え（ライト／ダーク／自動）" in labels
    assert not {label for label in labels if label.startswith("Toggle")}
    assert soup.select_one("a.skip-to-content").get_text(strip=True) == "本文へ移動"
    assert soup.select_one("a.back-to-top").get_text(strip=True) == "ページの先頭へ"
    assert page(ja, "dates").select_one(".toc-title").get_text(strip=True) == "このページの内容"
    assert soup.select_one(".policy-made-with").get_text(" ", strip=True) == "Sphinx と Furo で作成"
    svg_titles = {t.get_text() for t in soup.select("svg symbol title")}
    assert "ライトモード" in svg_titles and "Light mode" not in svg_titles
    search = page(ja, "search")
    assert search.select_one("input.sidebar-search")["placeholder"] == "検索"


def test_furo_labels_stay_english_on_the_english_site(en):
    soup = page(en, "guidelines/north")
    assert soup.select_one("a.skip-to-content").get_text(strip=True) == "Skip to content"
    assert soup.find(attrs={"aria-label": "Toggle site navigation sidebar"}) is not None
    assert soup.select_one(".policy-made-with").get_text(" ", strip=True) == "Made with Sphinx and Furo"


def test_navigation_headings_have_a_level(ja):
    """Sphinx writes toctree captions as role="heading" without aria-level (an axe error)."""
    headings = page(ja, "dates").select('.sidebar-tree [role="heading"]')
    assert [h.get_text(strip=True) for h in headings] == ["ページ"]
    assert all(h.get("aria-level") == "2" for h in headings)


def test_next_previous_labels_translated(ja):
    soup = page(ja, "guidelines/north")
    assert soup.select_one(".next-page .context").get_text(strip=True) == "次へ"
    assert soup.select_one(".prev-page .context").get_text(strip=True) == "前へ"
    assert soup.select_one(".prev-page .title").get_text(strip=True) == "ホーム"


def test_search_page_strings_translated_for_javascript(ja, en):
    """Strings Sphinx's Japanese translations.js leaves empty, loaded after it."""
    js = (ja.outdir / "_static" / "site-translations.js").read_text(encoding="utf-8")
    assert '"Search finished, found one page matching the search query.": [' in js
    assert "検索が終わりました。${resultCount} 件見つかりました。" in js
    search = page(ja, "search")
    scripts = [s["src"].split("?")[0] for s in search.find_all("script", src=True)]
    # Over HTTP the search page runs its own search and loads Sphinx's search scripts only for
    # its file:// fallback (policy-search.js), in this order.
    fallback = json.loads(search.select_one("#policy-search-config").string)["fallback"]
    scripts += [src.split("?")[0] for src in fallback]
    assert scripts.index("_static/site-translations.js") > scripts.index("_static/translations.js")
    # Nothing to add on the English site.
    assert not (en.outdir / "_static" / "site-translations.js").exists()


def test_dates_in_japanese(ja):
    times = page(ja, "dates").select("time.policy-date")
    assert [(t["datetime"], t.get_text()) for t in times] == [
        ("2022-04-01", "令和4年4月1日"),
        ("2022-04-01", "令和4年4月1日"),  # {policy:date}`north`: the latest revision, from the metadata
        ("2019-05-01", "令和元年5月1日"),
    ]


def test_dates_in_english(en):
    times = page(en, "dates").select("time.policy-date")
    assert [t.get_text() for t in times] == ["1 April 2022", "1 April 2022", "1 May 2019"]


def test_quoted_other_language_words_carry_lang(ja):
    span = page(ja, "dates").find("span", lang="en")
    assert span.get_text() == "English"


def test_japanese_in_code_examples_is_marked_on_the_english_site(ja, en):
    pre = page(en, "dates").find("pre")
    (marked,) = pre.find_all(lang="ja")
    assert marked.get_text() == "当市アカウントの成りすまし"
    assert "impersonation" not in marked.get_text()
    # On the Japanese site the page language already says it.
    assert page(ja, "dates").find("pre").find(lang=True) is None


def test_unknown_date_target_is_a_warning_at_the_role(tmp_path):
    shutil.copytree(ROOT, tmp_path, dirs_exist_ok=True)
    (tmp_path / "dates.md").write_text("# 日付\n\n改定日：{policy:date}`nowhere`\n", encoding="utf-8")
    app = build_site(tmp_path)
    warnings = app.warning.getvalue()
    assert "dates.md:3" in warnings
    assert "'nowhere' is neither a date (YYYY-MM-DD) nor a guideline ID" in warnings
    assert page(app, "dates").find("time") is None
