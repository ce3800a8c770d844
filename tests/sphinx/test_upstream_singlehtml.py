"""policy_handbook.upstream.singlehtml_links against Sphinx's singlehtml builder.

The first test shows the upstream bugs in a plain project: it FAILS once Sphinx
fixes them (sphinx-doc/sphinx#14221 and the index/search links), and then the
workaround module can be deleted. The second shows the workaround mends them.
Test root: tests/roots/test-singlehtml-upstream (a glossary term used from
another document, references to the index and search pages, a "Notes" section
in two documents).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.output_links import broken_links
from policy_handbook.upstream.singlehtml_links import last_fragment


def page_of(app) -> BeautifulSoup:
    app.build()
    assert app.warning.getvalue() == ""
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.sphinx("singlehtml", testroot="singlehtml-upstream", srcdir="singlehtml-upstream-plain")
def test_sphinx_singlehtml_still_links_to_places_it_does_not_write(app):
    page = page_of(app)
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    assert "#document-terms#term-flaming" in hrefs  # sphinx-doc/sphinx#14221
    assert "#document-usage#replies" in hrefs  # the navigation: same bug
    assert len(page.select('[id="notes"]')) == 2  # both documents' "Notes" sections
    assert "genindex.html" in hrefs and "search.html" in hrefs
    assert page.select_one('link[rel="index"]')["href"] == "genindex.html"
    assert not (Path(app.outdir) / "genindex.html").exists()
    assert broken_links(Path(app.outdir))  # if this fails, upstream is fixed: delete the workaround


@pytest.mark.sphinx(
    "singlehtml",
    testroot="singlehtml-upstream",
    srcdir="singlehtml-upstream-fixed",
    confoverrides={"extensions": ["policy_handbook.upstream"]},
)
def test_the_workaround_leaves_only_links_that_resolve(app):
    page = page_of(app)
    assert broken_links(Path(app.outdir)) == []
    term = page.find("a", string="flaming") or page.select_one("a.reference.internal[href='#term-flaming']")
    assert term is not None and term["href"] == "#term-flaming"
    assert page.select('link[rel="index"], link[rel="search"]') == []
    # Each "Notes" section has its own ID, and the navigation reaches each one.
    assert len(page.select('[id="notes"]')) == 1
    usage_notes = page.select_one('[id="usage-notes"]')
    assert usage_notes is not None and "Keep it short." in usage_notes.get_text()
    assert "#usage-notes" in [a["href"] for a in page.find_all("a", href=True)]
    # the references to the unwritten pages keep their text
    assert "the index" in page.get_text() and "#document-usage#replies" not in str(page)


def test_last_fragment_keeps_single_fragments():
    assert last_fragment("#document-a#b") == "#b"
    assert last_fragment("#b") == "#b"
    assert last_fragment("page.html#b") == "page.html#b"
    assert last_fragment("https://example.org/x") == "https://example.org/x"
