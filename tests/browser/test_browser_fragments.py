"""A malformed fragment in a link (#%, #%E0%A4%A) breaks nothing (issue 23, item 9).

decodeURIComponent throws URIError on malformed percent-encoding: unguarded, that
stopped policy-situations.js before it set up the role filter of a guide.
"""

from __future__ import annotations

import pytest

from .pagecheck import open_role_filter

pytestmark = pytest.mark.browser

MALFORMED = ["%", "%E0%A4%A", "%zz", "account-hijacked-yanagawa%"]


@pytest.fixture
def fresh_page(browser, server):
    """A page of its own (a fragment-only change of URL would not load the page again), with its errors."""
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(exc.message))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    yield page
    context.close()


@pytest.mark.parametrize("fragment", MALFORMED)
def test_a_guide_opened_with_a_malformed_fragment_has_working_controls(fresh_page, server, fragment):
    page = fresh_page
    page.goto(server + "ja/situations/account-hijacked.html#" + fragment, wait_until="load")
    assert page.evaluate("location.hash") == "#" + fragment  # the browser keeps it as written
    assert page.errors == []
    open_role_filter(page)  # collapsed on a guide (a <details>) until the reader opens it
    assert page.locator(".policy-role-choice").is_visible(), "the role filter was not set up"
    # Contractors: 柳川 3 covers them, 筑後 1 does not (policy/situations.yaml, applies_to).
    page.locator("label[for='role-account-hijacked-contractor']").click()
    assert page.locator("#account-hijacked-yanagawa-step-1").is_visible()
    assert not page.locator("#account-hijacked-chikugo-step-1").is_visible()
    assert "2" in page.locator(".policy-role-status").inner_text()
    page.locator("label[for='municipality-yanagawa']").click()
    assert not page.locator("#account-hijacked-chikugo").is_visible()
    # A malformed fragment arriving later (hashchange) breaks nothing either.
    page.evaluate("() => { location.hash = '%E0%A4%A'; }")
    page.wait_for_function("location.hash === '#%E0%A4%A'")
    page.locator("label[for='municipality-all']").click()
    assert page.locator("#account-hijacked-chikugo").is_visible()
    assert page.errors == []


@pytest.mark.parametrize("fragment", MALFORMED[:2])
def test_a_guideline_page_opened_with_a_malformed_fragment_has_a_working_role_filter(fresh_page, server, fragment):
    page = fresh_page
    page.goto(server + "ja/guidelines/yanagawa.html#" + fragment, wait_until="load")
    assert page.errors == []
    page.locator("label[for='role-yanagawa-division-head']").click()
    assert page.locator("#yanagawa-4-1-p2 .policy-text").first.is_visible()
    assert not page.locator("#yanagawa-5-3").is_visible()


def test_a_well_formed_encoded_fragment_still_shows_its_city(fresh_page, server):
    """The guard keeps decoding what decodes: a link to a city's part, percent-encoded."""
    page = fresh_page
    page.goto(server + "ja/situations/emergency.html", wait_until="load")
    page.locator("label[for='municipality-yanagawa']").click()  # remembered: chikugo hidden
    page.goto(server + "ja/situations/flaming.html#%66laming-chikugo", wait_until="load")
    assert page.locator("#flaming-chikugo").is_visible()
    assert page.errors == []
