"""The search page in Chromium on a phone (390 px): the real two-city site and a generated
national one (40 municipalities, so that topics gather more clauses than a list shows).

Results come grouped (situation guides, then topics and comparisons, guidelines, other
pages, then clauses by topic), land on clause anchors, the box works from the keyboard,
the page is axe-clean and logs no console error; on the national site a topic gives
how many municipalities have a matching clause, per prefecture, and a link to the
topic's page instead of every clause; from file://
the page says why the fast search is off and still finds the clause.
"""

from __future__ import annotations

import re
import sys
import urllib.parse

import pytest

from .pagecheck import PHONE, ROOT, axe_violations, horizontal_overflow
from .sitebuild import LocalServer, build_html

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

NATIONAL = 40


def done(page) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results p.search-summary'); return s && s.textContent.trim(); }"
    )


def group_headings(page) -> list[str]:
    return page.eval_on_selector_all("#search-results .policy-search-group > h2", "els => els.map(e => e.textContent)")


@pytest.mark.parametrize(
    ("lang", "query", "guide"),
    [("ja", "乗っ取られた", "situations/account-hijacked.html"), ("en", "hijacked", "situations/account-hijacked.html")],
)
def test_guides_come_first_and_clauses_land_on_their_anchor(site, lang, query, guide):
    site.visit(f"{lang}/search.html?q={urllib.parse.quote(query)}", viewport=PHONE)
    page = site.page
    done(page)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs[0] == guide, hrefs
    assert "guidelines/yanagawa.html#yanagawa-6-4" in hrefs
    headings = group_headings(page)
    assert headings[0] == {"ja": "こんなときは（状況別ガイド）", "en": "Situation guides"}[lang], headings
    assert headings[-1] == {"ja": "条項（トピック別）", "en": "Clauses, by topic"}[lang], headings
    assert horizontal_overflow(page) is None
    assert axe_violations(page) == []
    assert not site.current.problems, site.current.problems


def test_search_box_works_from_the_keyboard(site):
    site.visit("ja/search.html", viewport=PHONE)
    page = site.page
    box = page.get_by_label("ハンドブックを検索")
    assert box.is_visible()
    box.focus()
    page.keyboard.type("著作権")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=%E8%91%97%E4%BD%9C%E6%A8%A9" in page.url
    done(page)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert "guidelines/chikugo.html#chikugo-4-3" in hrefs
    # 著作権 is 著作 + 作権: the clauses on 肖像権 or 権利 alone are not results.
    texts = page.eval_on_selector_all("#search-results .policy-search-topic ul.search li", "els => els.map(e => e.textContent)")
    assert texts and all("著作権" in t for t in texts), texts
    # Tab reaches the first result and Enter follows it.
    first = page.locator("#search-results ul.search li > a").first
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.closest('#search-results') !== null"):
            break
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == first.get_attribute("href")
    assert axe_violations(page) == []
    assert not site.current.problems, site.current.problems


def test_no_result_says_so(site):
    site.visit("ja/search.html?q=" + urllib.parse.quote("存在しない語句"), viewport=PHONE)
    done(site.page)
    assert "ありません" in site.page.inner_text("#search-results p.search-summary")
    assert site.page.locator("#search-results ul.search li").count() == 0


def test_the_search_page_does_not_load_sphinx_index(browser, server):
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(server + "ja/search.html?q=" + urllib.parse.quote("炎上"), wait_until="load")
        done(page)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not [u for u in requests if "searchindex.js" in u]
    # Snippets come from the site data and the listings, not from fetching each result page.
    assert not [u for u in requests if re.search(r"/guidelines/[^/]+\.html", u)], requests


def test_from_a_file_the_page_says_why_and_still_finds(browser, built_site):
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # No request the browser refuses from a file (a preload link in the head logged one).
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        url = (built_site / "ja" / "search.html").as_uri() + "?q=" + urllib.parse.quote("成りすまし")
        page.goto(url, wait_until="load")
        note = page.locator("#policy-search-note")
        assert note.is_visible()
        assert "make serve" in note.inner_text()
        done(page)
        hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
        assert any("#chikugo-6" in h or "#yanagawa-" in h for h in hrefs), hrefs
        assert errors == []
    finally:
        context.close()


# --- a national site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    base = tmp_path_factory.mktemp("national-search")
    project = generate.generate_project(NATIONAL, base / "project")
    build_html(project, base / "html", base / "doctrees")
    server = LocalServer(base / "html")
    yield base / "html", server.url
    server.stop()


@pytest.fixture
def phone(browser, national):
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.problems = []
    page.requests = []
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("requestfinished", lambda r: page.requests.append(r.url))
    page.base = national[1]
    yield page
    context.close()


def test_national_topic_group_counts_instead_of_every_clause(phone):
    page = phone
    page.goto(page.base + "ja/search.html?q=" + urllib.parse.quote("乗っ取り"), wait_until="load")
    done(page)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs[0] == "situations/account-hijacked.html", hrefs
    heading = page.locator("#search-results .policy-search-topic h3", has_text="「乗っ取り」").first
    text = heading.inner_text()
    match = re.search(r"自治体: (\d+)", text)
    assert match, text
    count = int(match.group(1))
    assert 10 < count <= NATIONAL
    group = heading.locator("xpath=..")
    # Opened from the keyboard, the list counts the municipalities per prefecture.
    group.locator(".policy-search-prefectures summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(el) => el.dataset.done", arg=group.locator(".policy-search-prefectures").element_handle())
    per_prefecture = group.locator(".policy-search-prefectures li").all_inner_texts()
    assert per_prefecture and sum(int(t.rsplit(" ", 1)[1]) for t in per_prefecture) == count
    assert group.locator("a", has_text="全自治体").get_attribute("href").startswith("national/topics/")
    # A few pages, not a row per clause.
    assert len(hrefs) <= 12, hrefs
    assert len(page.requests) <= 40, page.requests
    assert axe_violations(page) == []
    assert page.problems == []


def test_a_host_that_decodes_gz_files_itself_gives_the_same_counts(browser, national, phone):
    """Some hosts send .gz files as Content-Encoding: gzip, so the page gets the clause
    table's JSON already decoded; the counts are the same as from a plain host."""

    def counts(page, base: str) -> list[str]:
        page.goto(base + "ja/search.html?q=" + urllib.parse.quote("乗っ取り"), wait_until="load")
        done(page)
        return page.locator("#search-results .policy-search-topic h3").all_inner_texts()

    plain = counts(phone, phone.base)
    server = LocalServer(national[0], gz_as_encoding=True)
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        decoded = counts(page, server.url)
        summary = page.inner_text("#search-results p.search-summary")
    finally:
        context.close()
        server.stop()
    assert plain and decoded == plain, (decoded, summary)
    assert problems == []


def test_national_english_search(phone):
    page = phone
    page.goto(page.base + "en/search.html?q=hijacked", wait_until="load")
    done(page)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs[0] == "situations/account-hijacked.html", hrefs
    assert (
        page.locator("#search-results .policy-search-topic h3", has_text="municipalities have every word in their clauses on").count() >= 1
    )
    assert page.problems == []


# --- a dirhtml build ---------------------------------------------------------------------


def sphinx_dirhtml_command(lang, out, doctrees):
    from .sitebuild import sphinx_html_command

    argv = sphinx_html_command(lang, out, doctrees)
    argv[argv.index("-b") + 1] = "dirhtml"
    return argv


@pytest.fixture(scope="module")
def dirhtml_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("dirhtml-search")
    build_html(ROOT, base / "html", base / "doctrees", langs=("ja",), command=sphinx_dirhtml_command)
    server = LocalServer(base / "html")
    yield base / "html", server.url
    server.stop()


def test_dirhtml_results_link_to_the_pages(browser, dirhtml_site):
    """On a dirhtml site the search page is search/index.html: the results' links, relative
    to the site's root in the index, must not resolve under search/."""
    out, base = dirhtml_site
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(base + "ja/search/?q=" + urllib.parse.quote("乗っ取り"), wait_until="load")
        done(page)
        links = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    finally:
        context.close()
    assert any("#yanagawa-6-4" in link for link in links), links
    missing = []
    for link in links:
        path = out / urllib.parse.unquote(urllib.parse.urlsplit(link).path).lstrip("/")
        if not (path / "index.html" if link.split("#")[0].endswith("/") else path).is_file():
            missing.append(link)
    assert missing == []


def test_japanese_words_on_the_english_site(site):
    """The English pages show Japanese terms (the glossary's 炎上); the index spells them
    as bigrams on the English site too, so the query must be split the same way."""
    site.visit("en/search.html?q=" + urllib.parse.quote("炎上"), viewport=PHONE)
    done(site.page)
    hrefs = site.page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")
    assert "glossary.html" in hrefs, hrefs
    assert not site.current.problems, site.current.problems


def test_a_word_of_the_guidelines_name_with_a_clause_word(site):
    """福岡県 is in the guidelines' names (their prefecture), not in their clauses: 福岡県 炎上
    finds the Fukuoka guidelines and their clauses on 炎上, as 炎上 alone does here."""

    def found(query: str) -> list[str]:
        site.visit("ja/search.html?q=" + urllib.parse.quote(query), viewport=PHONE)
        done(site.page)
        return site.page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))")

    alone = found("炎上")
    with_prefecture = found("福岡県 炎上")
    assert {"guidelines/chikugo.html", "guidelines/yanagawa.html"} <= set(with_prefecture), with_prefecture
    clauses = [h for h in alone if "#" in h]
    assert "guidelines/chikugo.html#chikugo-6-2" in clauses
    assert [h for h in with_prefecture if "#" in h] == clauses
    assert not site.current.problems, site.current.problems


def test_national_clauses_on_no_topic_are_counted_too(phone):
    """守秘義務 is in clauses on no topic (a heading of rules of conduct) of many guidelines:
    the list says their clauses are counted below, so they must be."""
    page = phone
    page.goto(page.base + "ja/search.html?q=" + urllib.parse.quote("守秘義務"), wait_until="load")
    done(page)
    assert page.locator("#search-results p", has_text="条項は下にトピックごとに数えています").count() == 1
    heading = page.locator("#search-results .policy-search-topic h3", has_text="トピックのない条項にすべての語がある自治体")
    assert heading.count() == 1
    assert int(re.search(r"自治体: (\d+)", heading.inner_text()).group(1)) > 4
    assert page.problems == []
