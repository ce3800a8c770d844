"""The real bilingual site in Chromium: home, search, language switcher, clause tabs, comparison, phone layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .pagecheck import PHONE, ROOT, horizontal_overflow

pytestmark = pytest.mark.browser

TITLES = {"ja": "SNS利用ガイドライン", "en": "Social Media Guidelines Handbook"}
SWITCH_TO = {"ja": "en", "en": "ja"}
LANG_GROUP = "policy-lang"  # sphinx-design sync group of the clause language tabs


# --- home ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_renders_in_its_language(site, lang):
    visit = site.visit(f"{lang}/index.html")
    page = site.page
    assert page.evaluate("document.documentElement.lang") == lang
    assert TITLES[lang] in page.title()
    heading = page.locator("article h1").first
    assert heading.is_visible()
    # The home links to both guidelines.
    for doc in ("chikugo", "yanagawa"):
        assert page.locator(f'article a[href$="guidelines/{doc}.html"]').count() >= 1, f"no link to {doc}"
    assert not visit.problems, visit.problems


def test_root_page_leads_to_both_sites(site):
    site.visit("index.html")
    page = site.page
    for lang in ("ja", "en"):
        link = page.locator(f'a[href^="{lang}/"]').first
        assert link.is_visible(), f"no visible link to {lang}/"
        assert link.get_attribute("hreflang") == lang
    with page.expect_navigation():
        page.locator('a[href^="en/"]').first.click()
    assert site.path() in ("en/", "en/index.html")
    assert page.evaluate("document.documentElement.lang") == "en"


# --- search ----------------------------------------------------------------------------


def policy():
    from policy_handbook.loader import load_policy

    return load_policy(ROOT / "policy")


def clauses_containing(word: str, lang: str) -> dict[str, set[str]]:
    """Guideline page -> IDs of the clauses whose text (or heading) in `lang` contains `word`."""
    found: dict[str, set[str]] = {}
    for guideline in policy().guidelines:
        for clause in guideline.clauses:
            texts = [t.get(lang) for t in (clause.text, clause.heading) if t is not None]
            if any(word.lower() in t.lower() for t in texts):
                found.setdefault(f"guidelines/{guideline.id}.html", set()).add(clause.id)
    assert found, f"no clause contains {word!r} in {lang}: the search test needs one"
    return found


def search_results(site, lang: str, query: str, *, type_it: bool = False) -> list[str]:
    """The hrefs of the search results for `query` on one site, relative to that site's root."""
    if type_it:
        site.visit(f"{lang}/index.html")
        box = site.page.locator('input[name="q"]:visible').first
        box.click()
        site.page.keyboard.type(query)
        site.page.keyboard.press("Enter")
        site.page.wait_for_url(re.compile(r"search\.html\?"))
    else:
        site.visit(f"{lang}/search.html?q={query}")
    summary = site.page.locator("#search-results p.search-summary")
    summary.wait_for(state="attached")
    site.page.wait_for_function(
        "() => { const s = document.querySelector('#search-results p.search-summary'); return s && s.textContent.trim(); }"
    )
    return site.page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize(
    ("lang", "query", "type_it"),
    [("ja", "成りすまし", True), ("ja", "炎上", False), ("ja", "第三者", False), ("en", "impersonation", False)],
)
def test_search_finds_the_clause(site, lang, query, type_it):
    expected = clauses_containing(query, lang)
    hrefs = search_results(site, lang, query, type_it=type_it)
    assert hrefs, f"no search results for {query!r} on the {lang} site"
    pages = {href.split("#", 1)[0].split("?", 1)[0] for href in hrefs}
    assert pages & set(expected), f"{query!r}: results {hrefs} link to none of {sorted(expected)}"
    anchored = [h for h in hrefs if "#" in h and h.split("#", 1)[1] in set().union(*expected.values())]
    assert anchored, f"{query!r}: no result links to a clause anchor containing it; results: {hrefs}"
    assert not site.current.problems, site.current.problems


# --- language switcher -------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the keyboard focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab ({limit} presses)")


@pytest.mark.parametrize("path", ["guidelines/chikugo.html", "comparison.html", "index.html"])
def test_language_switcher_keeps_the_page_with_the_keyboard(site, path):
    site.visit(f"ja/{path}")
    for lang in ("ja", "en"):
        other = SWITCH_TO[lang]
        switch = f'a[hreflang="{other}"]'
        link = site.page.locator(switch)
        assert link.count() >= 1, f"{lang}/{path}: no link with hreflang={other}"
        assert link.first.get_attribute("lang") == other
        tab_to(site.page, switch)
        site.page.keyboard.press("Enter")
        site.page.wait_for_url(re.compile(rf"/{other}/"))
        site.page.wait_for_load_state("load")
        assert site.path() == f"{other}/{path}"
        assert site.page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_language_switcher_is_visible_on_a_phone(site, lang):
    site.visit(f"{lang}/guidelines/chikugo.html", viewport=PHONE)
    link = site.page.locator(f'a[hreflang="{SWITCH_TO[lang]}"]:visible')
    assert link.count() >= 1, "the language switcher is hidden on a 390 px phone"
    box = link.first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"switcher off-screen: {box}"


# --- clause language tabs (sphinx-design sync group) -------------------------------------


TAB_STATE = """([group, id]) => {
  const labels = [...document.querySelectorAll(`.sd-tab-set > label[data-sync-group="${group}"][data-sync-id="${id}"]`)];
  return labels.map(label => {
    const input = document.getElementById(label.getAttribute('for'));
    const panel = label.nextElementSibling;
    return {checked: !!(input && input.checked), shown: !!panel && getComputedStyle(panel).display !== 'none'};
  });
}"""


def tab_states(page, sync_id: str) -> list[dict]:
    return page.evaluate(TAB_STATE, [LANG_GROUP, sync_id])


def assert_all_tabs(page, sync_id: str, how: str) -> None:
    states = tab_states(page, sync_id)
    assert len(states) >= 10, f"expected a language tab per clause, found {len(states)}"
    wrong = [i for i, s in enumerate(states) if not (s["checked"] and s["shown"])]
    assert not wrong, f"after {how}, {len(wrong)} of {len(states)} clause tabs do not show {sync_id!r}: {wrong[:10]}"


def test_one_clause_tab_switches_every_clause_on_the_page(site):
    site.visit("ja/guidelines/chikugo.html")
    page = site.page
    assert_all_tabs(page, "ja", "loading the Japanese page")
    page.locator(f'label[data-sync-group="{LANG_GROUP}"][data-sync-id="en"]').nth(3).click()
    assert_all_tabs(page, "en", "clicking one English tab")
    page.locator(f'label[data-sync-group="{LANG_GROUP}"][data-sync-id="ja"]').nth(5).click()
    assert_all_tabs(page, "ja", "clicking one 日本語 tab")


def test_clause_tabs_work_with_the_keyboard(site):
    site.visit("ja/guidelines/chikugo.html")
    page = site.page
    # Tab reaches the first clause's tab set (its checked radio), arrows select the other language.
    tab_to(page, ".sd-tab-set > input")
    assert page.evaluate("document.activeElement.nextElementSibling.dataset.syncId") == "ja"
    page.keyboard.press("ArrowRight")
    assert_all_tabs(page, "en", "ArrowRight on one tab")
    page.keyboard.press("ArrowLeft")
    assert_all_tabs(page, "ja", "ArrowLeft on one tab")
    # The focused tab shows a visible focus indicator (keyboard users see where they are).
    outline = page.evaluate(
        "() => { const l = document.activeElement.nextElementSibling; const s = getComputedStyle(l);"
        " return s.outlineStyle + ' ' + s.outlineWidth; }"
    )
    assert not outline.startswith("none"), f"no focus outline on the focused tab label: {outline}"


# --- comparison --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_comparison_marks_differences_with_a_legend(site, lang):
    visit = site.visit(f"{lang}/comparison.html")
    page = site.page
    ins, dels = page.locator("ins").count(), page.locator("del").count()
    assert ins > 0 and dels > 0, f"expected <ins> and <del> marks, found {ins} and {dels}"
    legend = page.locator(".policy-comparison-legend").first
    assert legend.is_visible(), "the legend explaining the marks is not visible"
    assert legend.locator("ins").count() >= 1 and legend.locator("del").count() >= 1
    # The legend comes before the first marked table, where a reader meets the marks.
    first_mark = page.locator("table ins").first
    assert legend.bounding_box()["y"] < first_mark.bounding_box()["y"], "the legend is below the marked tables"
    # Not colour alone: inserted text is underlined, deleted text struck through.
    deco = page.evaluate(
        "() => [getComputedStyle(document.querySelector('article ins')).textDecorationLine,"
        " getComputedStyle(document.querySelector('article del')).textDecorationLine]"
    )
    assert "underline" in deco[0] and "line-through" in deco[1], deco
    assert not visit.problems, visit.problems


# --- phone layout and screenshots -----------------------------------------------------------

KEY_PAGES = ["index.html", "guidelines/chikugo.html", "guidelines/yanagawa.html", "forms.html",
             "comparison.html", "glossary.html"]  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", KEY_PAGES)
def test_no_horizontal_scrolling_on_a_phone(site, lang, path):
    site.visit(f"{lang}/{path}", viewport=PHONE)
    overflow = horizontal_overflow(site.page)
    assert overflow is None, f"{lang}/{path} scrolls sideways at 390 px: {overflow}"


SCREENSHOTS = [
    ("home-ja", "ja/index.html", None),
    ("home-en", "en/index.html", None),
    ("chikugo-ja", "ja/guidelines/chikugo.html", None),
    ("chikugo-en", "en/guidelines/chikugo.html", None),
    ("comparison-ja", "ja/comparison.html", None),
    ("forms-ja", "ja/forms.html", None),
    ("phone-home-ja", "ja/index.html", PHONE),
    ("phone-chikugo-ja", "ja/guidelines/chikugo.html", PHONE),
    ("phone-comparison-ja", "ja/comparison.html", PHONE),
]


def test_screenshots_of_key_pages(site):
    """Saved to tests/artifacts/ (git-ignored) for a person to look at."""
    for name, path, viewport in SCREENSHOTS:
        site.visit(path, viewport=viewport)
        shot: Path = site.screenshot(name, full_page=viewport is None)
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


# --- forms -------------------------------------------------------------------------------


def test_a_printed_form_leaves_the_editorial_notes_on_the_screen(site):
    """柳川市's 利用届出書 offers ツイッター as printed; the note that it is X now is for
    the reader of the page, not for the person filling in the paper form."""
    site.visit("ja/forms.html")
    page = site.page
    note = page.locator("#yanagawa-form-1 .policy-form-table .policy-note")
    choices = page.locator("#yanagawa-form-1 .policy-form-table .policy-choice").first
    assert note.count() == 1 and "X（エックス）" in note.inner_text()
    assert note.is_visible() and choices.is_visible()
    try:
        page.emulate_media(media="print")
        assert not note.is_visible()
        assert choices.is_visible()
    finally:
        page.emulate_media(media="screen")
