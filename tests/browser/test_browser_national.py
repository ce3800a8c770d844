"""The national views in Chromium, on a generated site of six municipalities in five prefectures.

compare.html builds its table in the browser from the JSON API with a port of
textdiff.py: the same text pairs go through both and must give the same runs and
similarities; a pair no person aligned (rows by topic) and a declared one with
machine-suggested rows are both shown; everything works from the keyboard,
is announced, is axe-clean and logs no console error.
"""

from __future__ import annotations

import random
import sys

import pytest

from policy_handbook.comparison import pair_rows
from policy_handbook.loader import load_policy
from policy_handbook.textdiff import diff, percent, similarity_of

from .pagecheck import DESKTOP, PHONE, ROOT, axe_violations, horizontal_overflow
from .sitebuild import LocalServer, build_html, sphinx_api_command

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

pytestmark = pytest.mark.browser  # Chromium: runs with the browser tests

MUNICIPALITIES = 6


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    base = tmp_path_factory.mktemp("national")
    project = generate.generate_project(MUNICIPALITIES, base / "project")
    build_html(project, base / "html", base / "doctrees", api_command=sphinx_api_command)  # compare.html reads the API
    server = LocalServer(base / "html")
    yield project, base / "html", server.url
    server.stop()


@pytest.fixture(scope="module")
def policy(national):
    return load_policy(national[0] / "policy")


@pytest.fixture
def page(browser, national):
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.base = national[2]
    yield page
    context.close()


def open_page(page, path):
    page.goto(page.base + path, wait_until="load")


def shown(page, text):
    page.wait_for_function("(t) => document.querySelector('.policy-compare-status').textContent.includes(t)", arg=text)


def text_pairs(policy):
    """Corresponding clause texts of different municipalities (real rewordings), and edge cases."""
    rng = random.Random(7)
    clauses = [c for g in policy.guidelines for c in g.clauses if c.text is not None]
    pairs = []
    for _ in range(150):
        a, b = rng.sample(clauses, 2)
        lang = rng.choice(["ja", "en"])
        pairs.append([a.text.get(lang), b.text.get(lang), lang])
    by_suffix = {}
    for c in clauses:
        by_suffix.setdefault((c.id.split("-", 1)[1], c.text.ja[:3]), []).append(c)
    for group in by_suffix.values():
        for a, b in zip(group, group[1:]):
            pairs += [[a.text.ja, b.text.ja, "ja"], [a.text.en, b.text.en, "en"]]
    pairs += [
        ["", "", "ja"], ["", "あ", "ja"], ["本文。", "", "ja"],
        ["職員は、Twitterを使う。", "職員は、Instagramを使う。", "ja"],
        ["𠮷野家の𠮷を使う。", "𠮷野家を使う。ただし、𩸽。", "ja"],
        ["The staff of the city must post.", "The staff of the town may not post at all.", "en"],
        ["Re-wrapped\ntext  here.", "Re-wrapped text here.", "en"],
        ["全角　空白を含む。", "全角空白を含む。", "ja"],
    ]  # fmt: skip
    return pairs


def test_the_browser_diff_is_the_python_diff(page, policy):
    open_page(page, "ja/national/compare.html")
    pairs = text_pairs(policy)
    assert len(pairs) > 200
    got = page.evaluate(
        """(pairs) => pairs.map(([a, b, lang]) => {
             const runs = policyTextdiff.diff(a, b, lang);
             const s = policyTextdiff.similarityOf(runs);
             return [runs, s, policyTextdiff.percent(s)];
           })""",
        pairs,
    )
    for (a, b, lang), (runs, sim, pct) in zip(pairs, got):
        expected = diff(a, b, lang)
        assert [tuple(r) for r in runs] == expected, (a, b, lang)
        assert sim == similarity_of(expected) and pct == percent(similarity_of(expected)), (a, b, lang)
    assert not page.errors


def table_rows(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.policy-compare-table tbody tr')).map(tr => ({
             similarity: tr.dataset.similarity === undefined ? null : Number(tr.dataset.similarity),
             first: tr.cells[1].querySelector('.policy-compare-text')?.textContent ?? '',
             second: tr.cells[2].querySelector('.policy-compare-text')?.textContent ?? '',
             deleted: Array.from(tr.cells[1].querySelectorAll('del')).map(d => d.textContent),
             inserted: Array.from(tr.cells[2].querySelectorAll('ins')).map(d => d.textContent),
           }))"""
    )


def assert_rows_match_python(page, policy, a, b):
    expected = pair_rows(policy, a, b, "ja")
    rows = table_rows(page)
    assert len(rows) == len(expected) > 0
    for row, want in zip(rows, expected):
        assert row["similarity"] == want.similarity
        assert row["first"] == want.texts[0] and row["second"] == want.texts[1]
        assert row["deleted"] == [t for op, t in want.runs if op == "delete"]
        assert row["inserted"] == [t for op, t in want.runs if op == "insert"]


def test_a_pair_nobody_aligned_is_compared_topic_by_topic(page, policy):
    """m0003 (Chikugo-like) and m0004 (Yanagawa-like): no pair file, not 筑後 × 柳川."""
    open_page(page, "ja/national/compare.html?a=m0003&b=m0004")
    shown(page, policy.guideline("m0003").municipality.ja)  # 札幌市, from the national list
    assert "トピックごとに" in page.inner_text(".policy-compare-source")
    assert_rows_match_python(page, policy, "m0003", "m0004")
    assert not axe_violations(page)
    assert not page.errors


def test_a_declared_pair_shows_its_rows_and_which_are_suggested(page, policy):
    open_page(page, "ja/national/compare.html?a=m0003&b=chikugo")
    shown(page, policy.guideline("m0003").municipality.ja)  # 札幌市, from the national list
    assert "comparisons/chikugo--m0003.json" in page.inner_text(".policy-compare-source")
    assert page.locator(".policy-compare-suggested").count() > 0  # m0003's rows are machine-suggested
    assert_rows_match_python(page, policy, "chikugo", "m0003")
    # Clause numbers link to the clauses on the guideline pages.
    href = page.locator(".policy-compare-numbers a").first.get_attribute("href")
    assert "/ja/guidelines/chikugo.html#chikugo-" in href
    assert not page.errors


def test_the_real_pair_uses_the_hand_made_comparison(page, policy):
    open_page(page, "ja/national/compare.html?a=chikugo&b=yanagawa")
    shown(page, "筑後市")
    assert "comparison.json" in page.inner_text(".policy-compare-source")
    assert_rows_match_python(page, policy, "chikugo", "yanagawa")


def test_choosing_a_pair_with_the_keyboard_updates_the_url_and_is_announced(page, policy):
    open_page(page, "ja/national/compare.html?a=m0005")
    status = page.locator(".policy-compare-status")
    assert status.get_attribute("aria-live") == "polite"
    page.focus("#policy-compare-a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "policy-compare-b"
    page.select_option("#policy-compare-b", "m0006")  # a native select: arrow keys, as the browser implements it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    shown(page, policy.guideline("m0006").municipality.ja)
    assert page.url.endswith("?a=m0005&b=m0006")
    assert status.inner_text().endswith("行。")
    assert_rows_match_python(page, policy, "m0005", "m0006")
    assert not axe_violations(page)
    assert not page.errors


def test_without_javascript_the_compare_page_points_to_the_comparison(browser, national):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(national[2] + "ja/national/compare.html?a=m0003&b=m0004")
    assert page.locator(".policy-compare-form").is_hidden()
    notice = page.locator("noscript").inner_html()
    assert "JavaScript" in notice and "../comparison.html" in notice
    page.goto(national[2] + "ja/national/index.html")
    assert page.locator(".policy-coverage tbody tr:visible").count() == MUNICIPALITIES
    context.close()


def test_the_overview_filters_by_prefecture_and_name_and_announces_it(page, policy):
    open_page(page, "ja/national/index.html")
    rows = page.locator(".policy-coverage tbody tr")
    assert rows.count() == MUNICIPALITIES
    page.select_option("#policy-filter-prefecture", "fukuoka")
    status = page.locator(".policy-national-status")
    page.wait_for_function("() => document.querySelector('.policy-national-status').textContent !== ''")
    assert status.inner_text() == f"{MUNICIPALITIES}団体中2団体を表示"
    assert page.locator(".policy-coverage tbody tr:visible").count() == 2
    page.select_option("#policy-filter-prefecture", "")
    name = policy.guideline("m0005").municipality.ja  # a real municipality of the national list (松川町)
    page.fill("#policy-filter-name", name[:-1])
    page.wait_for_function("() => document.querySelector('.policy-national-status').textContent.startsWith('6団体中1')")
    assert page.locator(".policy-coverage tbody tr:visible th").inner_text() == name
    # The share chart is a table whose numbers are text.
    first = page.locator(".policy-share tbody tr").first
    n = sum(1 for g in policy.guidelines if any(c.text is not None and "purpose" in c.topics for c in g.clauses))
    assert first.locator("td").first.inner_text() == str(n)
    assert page.locator(".policy-coverage caption").inner_text().endswith("（●定めあり、–定めなし）")
    assert not axe_violations(page)
    assert not page.errors


@pytest.mark.parametrize(
    "path", ["ja/national/topics/impersonation.html", "ja/national/prefectures/fukuoka.html", "en/national/index.html"]
)
def test_the_other_national_pages_are_axe_clean(page, path):
    open_page(page, path)
    assert not axe_violations(page)
    assert not page.errors


def test_pages_without_the_views_load_none_of_their_files(national):
    html = national[1]
    forms = (html / "ja" / "forms.html").read_text(encoding="utf-8")
    assert "policy-compare" not in forms and "policy-national.css" not in forms
    # A guideline page has only "Compare with…": its small script, not the compare page's.
    guideline = (html / "ja" / "guidelines" / "chikugo.html").read_text(encoding="utf-8")
    assert "policy-compare-with.js" in guideline and "policy-compare.js" not in guideline and "policy-textdiff.js" not in guideline
    assert "policy-compare.js" in (html / "ja" / "national" / "compare.html").read_text(encoding="utf-8")


def name_of(policy, document, lang="ja"):
    return policy.guideline(document).municipality.get(lang)


def test_from_a_municipality_page_on_a_phone_choose_another_with_the_keyboard(browser, national, policy):
    """m0004 (Yanagawa-like) against m0006: neither is 筑後 or 柳川, and no person aligned them."""
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(national[2] + "ja/guidelines/m0004.html", wait_until="load")
    opener = page.locator(".policy-compare-with-open")
    assert opener.inner_text() == f"{name_of(policy, 'm0004')}を他の自治体と比較する"
    assert opener.get_attribute("aria-expanded") == "false"
    assert page.locator(".policy-compare-with-link").is_hidden()  # the button replaces the link
    box = opener.bounding_box()
    assert box["height"] >= 44  # a finger-sized target
    # Keyboard only: Tab reaches the button; Enter opens the form with its list, focus on it.
    opener.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "policy-compare-with-open"
    page.keyboard.press("Enter")
    select = page.locator(".policy-compare-with-form select")
    page.wait_for_function("() => document.activeElement.matches('.policy-compare-with-form select')")
    assert opener.get_attribute("aria-expanded") == "true"
    values = select.evaluate("s => Array.from(s.options).map(o => o.value)")
    assert values[0] == "" and "m0004" not in values  # a prompt, then everyone else
    assert sorted(values[1:]) == sorted(g.id for g in policy.guidelines if g.id != "m0004")
    groups = select.evaluate("s => Array.from(s.querySelectorAll('optgroup')).map(g => g.label)")
    assert "福岡県" in groups  # grouped by prefecture, as on the compare page
    assert not axe_violations(page)
    assert horizontal_overflow(page) is None
    page.keyboard.press("ArrowDown")  # a native select: the keys the browser gives it
    select.select_option("m0006")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "比較する"
    page.keyboard.press("Enter")
    page.wait_for_url("**/national/compare.html?a=m0004&b=m0006")
    page.wait_for_function("(t) => document.querySelector('.policy-compare-status').textContent.includes(t)", arg=name_of(policy, "m0006"))
    assert_rows_match_python(page, policy, "m0004", "m0006")
    assert not errors
    context.close()


def test_the_compare_entry_in_english_and_without_javascript(browser, national, policy):
    page = browser.new_context(viewport=DESKTOP).new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(national[2] + "en/guidelines/m0003.html", wait_until="load")
    page.click(".policy-compare-with-open")
    page.locator(".policy-compare-with-form select").select_option("chikugo")
    page.click(".policy-compare-with-form button[type=submit]")
    page.wait_for_url("**/en/national/compare.html?a=m0003&b=chikugo")
    page.wait_for_function("() => document.querySelector('.policy-compare-status').textContent.startsWith('Showing')")
    assert name_of(policy, "m0003", "en") in page.inner_text(".policy-compare-status")
    assert not errors
    page.context.close()
    # Without JavaScript: a link to the compare page with this municipality chosen first.
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(national[2] + "ja/guidelines/m0003.html")
    link = page.locator(".policy-compare-with-link a")
    assert link.is_visible() and page.locator(".policy-compare-with-form").is_hidden()
    assert link.get_attribute("href") == "../national/compare.html?a=m0003"
    context.close()


def test_when_the_list_cannot_be_loaded_the_link_is_offered(browser, national):
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    page.route("**/national/compare.html", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(national[2] + "ja/guidelines/m0005.html", wait_until="load")
    page.click(".policy-compare-with-open")
    status = page.locator(".policy-compare-with-status")
    page.wait_for_function("() => document.querySelector('.policy-compare-with-status').textContent !== ''")
    assert status.inner_text() == "自治体の一覧を読み込めませんでした。"
    assert page.locator(".policy-compare-with-form").is_hidden()
    assert page.locator(".policy-compare-with-link a").is_visible()
    context.close()
