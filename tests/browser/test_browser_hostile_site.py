"""The whole real site built from hostile data: no page of either language runs a script from it.

tests/hostile_policy.py puts a payload into every free-text field of a copy of
policy/ (municipality, titles, clauses, notes, forms, taxonomy, glossary,
comparison summaries…). The real docs/ are built from it with the real conf.py,
both languages, and every page is checked twice: its HTML holds no payload as
markup, and Chromium, opening it, is asked for no alert().
"""

from __future__ import annotations

import sys

import pytest
from bs4 import BeautifulSoup

from .hostile_policy import RAW_MARKERS, assert_loads, write_hostile_policy
from .pagecheck import ROOT
from .sitebuild import LANGS, LocalServer, build_html, site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-site")
    policy_dir = write_hostile_policy(base / "policy")
    assert_loads(policy_dir)

    def command(lang, out, doctrees):
        # No -W: the glossary checks warn about the changed terms, on purpose.
        return [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-q", "-b", "html",
                "-D", f"language={lang}", "-D", f"policy_dir={policy_dir}",
                "-d", str(doctrees / lang), str(ROOT / "docs"), str(out / lang)]  # fmt: skip

    out = base / "html"
    build_html(base, out, base / "doctrees", command=command)
    return out


def test_every_page_shows_the_data_as_text(hostile_site):
    pages = [p for p in site_pages(hostile_site) if p != "index.html"]
    assert len(pages) >= 2 * 10, pages  # both sites, every page (clause index, genindex, search…)
    for lang in LANGS:
        assert f"{lang}/policy-clauseindex.html" in pages
    raw = {}
    for page in pages:
        html = (hostile_site / page).read_text(encoding="utf-8")
        found = [marker for marker in RAW_MARKERS if marker in html]
        if found:
            raw[page] = found
    assert not raw, f"data became markup on {raw}"
    # and the payloads are there, as text (else this test would prove nothing)
    index = (hostile_site / "ja" / "policy-clauseindex.html").read_text(encoding="utf-8")
    assert "&lt;img src=&#34;x-hostile&#34;" in index or "&lt;img src=&quot;x-hostile&quot;" in index
    # The clauses a topic leaves out of its table, with their reasons, under that table.
    for lang in LANGS:
        soup = BeautifulSoup((hostile_site / lang / "comparison.html").read_text(encoding="utf-8"), "html.parser")
        shown = " ".join(box.get_text() for box in soup.select(".policy-comparison-excluded"))
        assert f'.excluded[0].reason.{lang}")</script>' in shown, f"{lang}: no excluded reason as text"


def test_no_page_runs_a_script_in_chromium(browser, hostile_site):
    pages = [p for p in site_pages(hostile_site) if p != "index.html"]
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    try:
        for path in pages:
            page.goto((hostile_site / path).as_uri(), wait_until="load")
            # Show the other language's panels too, where the page has them.
            labels = page.locator(".sd-tab-set > label[data-sync-id]")
            if labels.count():
                labels.last.click()
            assert page.locator('img[src="x-hostile"]').count() == 0, path
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert not dialogs, f"payloads ran: {dialogs[:10]}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_search_list_shows_the_data_as_text(browser, hostile_site, lang):
    """Over HTTP the search page builds its list from the search table's files: page
    titles and excerpts, guideline titles, clause labels and excerpts, topic labels.
    "hostile" is in every payload, so every kind of result is in the list."""
    server = LocalServer(hostile_site)
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{server.url}{lang}/search.html?q=hostile", wait_until="load")
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results p.search-summary'); return s && s.textContent.trim(); }"
        )
        page.wait_for_timeout(200)
        results = page.locator("#search-results")
        assert page.locator('img[src="x-hostile"]').count() == 0
        assert page.locator("#search-results script").count() == 0
        text = results.inner_text()
        # Found, and shown as text: a situation guide, a guideline and clauses grouped by topic.
        assert '<img src="x-hostile"' in text, text[:500]
        assert results.locator("section.policy-search-group").count() >= 3
        assert results.locator(".policy-search-topic h3").count() >= 1
    finally:
        context.close()
        server.stop()
    assert not dialogs, f"payloads ran: {dialogs[:10]}"
