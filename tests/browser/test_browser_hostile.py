"""Hostile policy texts are inert in a real browser: loading the pages runs none of them.

tests/sphinx/test_hostile_render.py checks the HTML; this loads the same test root's pages in
Chromium and listens for the alert() every payload would call.
"""

from __future__ import annotations

import shutil
import sys

import pytest

from .pagecheck import ROOT
from .sitebuild import build_html

pytestmark = pytest.mark.browser


def hostile_command(lang, out, doctrees):
    # The test root has its own conf.py; no -W: the data is odd on purpose.
    return [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", f"language={lang}",
            "-d", str(doctrees / lang), ".", str(out / lang)]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile") / "src"
    shutil.copytree(ROOT / "tests" / "roots" / "test-hostile", project)
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(ROOT / "policy" / name, project / "policy" / name)
    shutil.copytree(ROOT / "policy" / "schema", project / "policy" / "schema")
    out = project / "_build"
    build_html(project, out / "html", out / "doctrees", command=hostile_command)
    return out / "html"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_name", ["hostile.html", "forms.html"])
def test_no_payload_runs_in_the_browser(browser, hostile_site, lang, page_name):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto((hostile_site / lang / page_name).as_uri(), wait_until="load")
        # Show the other language of every clause too (hidden panels are part of the page).
        labels = page.locator(".sd-tab-set > label[data-sync-id]")
        if labels.count():
            labels.last.click()
        page.wait_for_timeout(200)
        assert page.locator("iframe").count() == 0, "an <iframe> was made from data"
        assert (
            page.evaluate(
                "() => [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length"
            )
            == 0
        )
    finally:
        context.close()
    assert not dialogs, f"payloads ran in {lang}/{page_name}: {dialogs}"
