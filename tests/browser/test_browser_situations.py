"""Situation guides in Chromium: reached from the home page on a phone, every step
linked to its clause, the municipality choice remembered, the role filter by
keyboard and announced, search, axe, and one printed A4 page per guide."""

from __future__ import annotations

import re

import pytest

from .pagecheck import PHONE, ROOT, axe_violations, horizontal_overflow, open_role_filter
from .test_browser_site import search_results

pytestmark = pytest.mark.browser


def situations():
    from policy_handbook.loader import load_policy

    policy = load_policy(ROOT / "policy")
    assert policy.situations is not None
    return policy


def guide_paths() -> list[str]:
    return [f"situations/{s.id}.html" for s in situations().situations.situations]


def tap(page, locator) -> None:
    """A tap as a phone makes it, then wait for the page it leads to."""
    locator.scroll_into_view_if_needed()
    with page.expect_navigation(wait_until="load"):
        locator.tap()


@pytest.fixture(scope="module")
def phone_page(browser, server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("document", ["chikugo", "yanagawa"])
def test_hijacking_steps_of_either_city_within_two_taps_on_a_phone(phone_page, server, lang, document):
    page = phone_page
    page.goto(server + f"{lang}/index.html", wait_until="load")
    page.evaluate("() => localStorage.clear()")
    page.reload(wait_until="load")
    # One tap: the municipality's link beside "account hijacked" in the home page's list.
    link = page.locator(f'article a[href$="situations/account-hijacked.html#account-hijacked-{document}"]')
    assert link.count() == 1, "the home page has no link to this city's hijacking steps"
    tap(page, link)
    assert page.url.endswith(f"situations/account-hijacked.html#account-hijacked-{document}")
    city = page.locator(f"#account-hijacked-{document}")
    steps = city.locator(".policy-situation-step")
    assert steps.count() >= 1
    assert steps.first.is_visible()
    # The steps are on the screen the tap leads to, not somewhere below it (the theme
    # scrolls smoothly: wait for the scroll to end, as a reader does).
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= -5 && r.top < innerHeight; }",
        arg=f"account-hijacked-{document}",
        timeout=5000,
    )
    box = city.bounding_box()
    assert box is not None and -5 <= box["y"] < PHONE["height"], f"the city's part starts at {box}"
    assert not horizontal_overflow(page), "the guide scrolls sideways on a 390 px phone"


ITEMS = """(selector) => [...document.querySelectorAll(selector)].map(item => ({
  href: item.querySelector('.policy-situation-cite a').getAttribute('href'),
  quote: item.querySelector('.policy-situation-quote').innerText.trim(),
}))"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_step_links_to_its_clause(site, lang):
    policy = situations()
    for situation in policy.situations.situations:
        site.visit(f"{lang}/situations/{situation.id}.html")
        for guide in situation.guides:
            items = site.page.evaluate(ITEMS, f"#{situation.id}-{guide.document} .policy-situation-item")
            expected = [
                {"href": f"../guidelines/{guide.document}.html#{cid}", "quote": policy.clause(cid).text.get(lang).strip()}
                for cid in guide.clause_ids()
            ]
            assert items == expected, f"{situation.id} {guide.document}: steps not linked to, or not quoting, their clauses"
        assert not site.current.problems, site.current.problems


def test_chikugo_contact_details_are_on_its_steps(site):
    site.visit("ja/situations/account-hijacked.html")
    text = site.page.locator("#account-hijacked-chikugo").inner_text()
    assert "0942-65-7004" in text and "内線 142" in text


def test_forms_are_linked_from_the_opening_and_closing_guides(site):
    for path, form in (("opening-account", "yanagawa-form-1"), ("closing-account", "yanagawa-form-2")):
        site.visit(f"ja/situations/{path}.html")
        link = site.page.locator(f'#{path}-yanagawa a[href$="forms.html#{form}"]')
        assert link.count() == 1, f"{path}: no link to {form}"


def test_municipality_choice_is_remembered(site):
    site.visit("ja/situations/flaming.html")
    page = site.page
    chikugo, yanagawa = page.locator("#flaming-chikugo"), page.locator("#flaming-yanagawa")
    assert chikugo.is_visible() and yanagawa.is_visible(), "both cities are shown by default"
    page.locator("label[for='municipality-yanagawa']").click()
    assert yanagawa.is_visible() and not chikugo.is_visible()
    site.visit("ja/situations/emergency.html")  # another guide, same browser
    assert page.locator("#emergency-yanagawa").is_visible()
    assert not page.locator("#emergency-chikugo").is_visible(), "the choice was not remembered"
    # A link to the other city's part still shows it.
    page.goto(site.url("ja/situations/emergency.html#emergency-chikugo"), wait_until="load")
    assert page.locator("#emergency-chikugo").is_visible()
    page.locator("label[for='municipality-all']").click()
    assert page.locator("#emergency-yanagawa").is_visible() and page.locator("#emergency-chikugo").is_visible()


def test_role_filter_on_a_guideline_page_with_the_keyboard(site):
    site.visit("ja/guidelines/yanagawa.html")
    page = site.page
    status = page.locator(".policy-role-status")
    assert status.get_attribute("aria-live") == "polite"
    first = page.locator(".policy-role-choice input").first
    first.focus()
    page.keyboard.press("ArrowRight")  # 職員 (all staff)
    page.keyboard.press("ArrowRight")  # 所属長
    assert page.evaluate("document.activeElement.value") == "division-head"
    # Only the clauses naming 所属長 keep their text; 4(1) 届出 does, 5(3) does not.
    assert page.locator("#yanagawa-4-1-p2 .policy-text").first.is_visible()
    assert not page.locator("#yanagawa-5-3").is_visible()
    announced = status.inner_text()
    assert "所属長" in announced and "件" in announced, announced
    assert "すべての人に当てはまります" in announced
    page.locator("label[for='role-yanagawa-all']").click()
    assert page.locator("#yanagawa-5-3").is_visible()
    assert status.inner_text() == "すべてを表示しています。"


def test_role_filter_without_javascript_is_a_list_of_links(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "ja/guidelines/yanagawa.html", wait_until="load")
    assert not page.locator(".policy-role-choice").is_visible(), "the radio group needs JavaScript"
    jump = page.locator(".policy-role-jump a[href='#roles-yanagawa-division-head']")
    assert jump.is_visible()
    targets = page.eval_on_selector_all("#roles-yanagawa-division-head a", "els => els.map(e => e.getAttribute('href'))")
    assert "#yanagawa-4-1-p2" in targets and "#yanagawa-5-3" not in targets
    context.close()


def test_role_filter_on_a_guide(site):
    site.visit("ja/situations/closing-account.html")
    page = site.page
    assert not page.locator(".policy-role-choice").is_visible(), "the filter starts collapsed"
    open_role_filter(page)
    page.locator("label[for='role-closing-account-division-head']").click()
    # 柳川 4(1): the head of division notifies; Chikugo 3 and 7 are everyone's (all staff).
    assert page.locator("#closing-account-yanagawa-step-1").is_visible()
    assert page.locator("#closing-account-chikugo-step-1").is_visible()
    assert "3" in page.locator(".policy-role-status").inner_text()
    page.locator("label[for='role-closing-account-contractor']").click()
    assert not page.locator("#closing-account-yanagawa-step-1").is_visible()
    assert not page.locator("#closing-account-chikugo-step-1").is_visible(), "Chikugo's guideline is for its staff"


ROLE_ITEMS = """(box) => Object.fromEntries([...box.querySelectorAll('.policy-role-list')].map(list => [
  list.dataset.role,
  [...list.querySelectorAll('a[href^="#"]')].map(a => decodeURIComponent(a.getAttribute('href').slice(1))),
]))"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_role_filter_shows_the_steps_for_that_role(site, lang):
    """Issue 21 A4: choosing a role never hides a step addressed to it, and no role the
    guideline's scope covers meets an empty guide."""
    policy = situations()
    roles = [r.id for r in policy.situations.roles]
    for situation in policy.situations.situations:
        site.visit(f"{lang}/situations/{situation.id}.html")
        page = site.page
        open_role_filter(page)
        listed = page.eval_on_selector(".policy-role-filter", ROLE_ITEMS)
        for role in roles:
            page.locator(f"label[for='role-{situation.id}-{role}']").click()
            shown = page.eval_on_selector_all(".policy-situation-item", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")
            assert sorted(shown) == sorted(listed[role]), (situation.id, role)
            for document in ("chikugo", "yanagawa"):
                covered = {r.id for r in policy.situations.covered_roles(document)}
                guide = situation.guide(document)
                if role in covered and guide.unaddressed_reason(role) is None:
                    assert any(i.startswith(f"{situation.id}-{document}-") for i in shown), (situation.id, document, role)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("choice", ["chikugo", "yanagawa", "all"])
def test_the_first_screen_of_a_guide_on_a_phone_shows_the_first_step(phone_page, server, lang, choice):
    """Issue 21: an employee whose account was just hijacked sees the first step of the
    chosen city without scrolling; the controls are collapsed above it."""
    page = phone_page
    for path in guide_paths():
        page.goto(server + f"{lang}/{path}", wait_until="load")
        page.evaluate(f"() => localStorage.setItem('policy-handbook-municipality', '{choice}')")
        page.reload(wait_until="load")
        city = page.locator(".policy-situation-city:not([hidden])").first
        step = city.locator(".policy-situation-step").first
        box = step.bounding_box()
        who = step.locator(".policy-situation-who").bounding_box()
        assert box is not None and who is not None
        assert who["y"] + who["height"] <= PHONE["height"], f"{lang}/{path} ({choice}): first step at {box}"
        assert not page.locator(".policy-role-choice").is_visible(), "the role filter is collapsed"
        assert not horizontal_overflow(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize(("lang", "query"), [("ja", "乗っ取られた"), ("en", "hijacked")])
def test_search_lands_on_the_guide(site, lang, query):
    hrefs = search_results(site, lang, query)
    pages = {h.split("#", 1)[0].split("?", 1)[0] for h in hrefs}
    assert "situations/account-hijacked.html" in pages, f"{query!r}: {hrefs}"
    # ... and on the clause with the steps, though its text says 乗っ取り / hijacking.
    assert "guidelines/yanagawa.html#yanagawa-6-4" in hrefs, f"{query!r}: {hrefs}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_axe_violations_with_the_controls_in_use(site, lang):
    """Every page is checked as loaded by test_browser_every_page; here, with a role
    chosen and one municipality shown (the states JavaScript makes)."""
    site.visit(f"{lang}/situations/account-hijacked.html")
    page = site.page
    page.locator("label[for='municipality-yanagawa']").click()
    open_role_filter(page)
    page.locator("label[for='role-account-hijacked-division-head']").click()
    assert axe_violations(page) == []
    site.visit(f"{lang}/guidelines/yanagawa.html")
    page.locator("label[for='role-yanagawa-division-head']").click()
    assert axe_violations(page) == []
    assert not site.current.problems, site.current.problems


def test_the_every_page_crawl_covers_the_guides(pages):
    for lang in ("ja", "en"):
        for path in ["situations/index.html", *guide_paths()]:
            assert f"{lang}/{path}" in pages


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_guide_prints_on_one_a4_page(site, lang):
    for path in guide_paths():
        site.visit(f"{lang}/{path}")
        page = site.page
        page.emulate_media(media="print")
        try:
            assert page.locator(".policy-tickbox").first.is_visible(), "no tick boxes in print"
            assert not page.locator(".policy-role-filter").is_visible()
            pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
        finally:
            page.emulate_media(media="screen")
        assert pdf_pages(pdf) == 1, f"{lang}/{path} prints on {pdf_pages(pdf)} pages"
