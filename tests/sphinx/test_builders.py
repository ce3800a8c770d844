"""Builders other than html: dirhtml, singlehtml and EPUB give pages whose links work.

Test roots: tests/roots/test-site (furo with the site's templates, a nested page
guidelines/north; "North City" has a space) and tests/roots/test-json (the
policy extension alone, ``{policy:api}`` links on a top-level and a nested page).
Links to the other language's site (``hreflang``) go to a build these tests do
not make: their form is checked here, and that they land in
tests/sphinx/test_builders_real_docs.py, which builds both languages side by side.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.output_links import broken_links, page_files
from helpers.site_root import SITE_CONF
from policy_handbook.sphinxext.domain import index_group_key


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def links_within(out: Path) -> list[str]:
    """Broken internal links, leaving out those to the other language's site."""
    return [problem for problem in broken_links(out) if "/en/" not in problem and "/ja/" not in problem]


def built(app) -> Path:
    app.build()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def built_api(app, make_app, pages: str) -> None:
    """The API beside the pages, as `make html` adds it: -b policyjson, with these pages' URLs."""
    api = make_app("policyjson", srcdir=app.srcdir, builddir=app.srcdir / "_api", confoverrides={"policy_api_pages": pages})
    api.build()  # (its warnings: Sphinx's own about the node classes the page build registered)
    assert api.statuscode == 0
    shutil.copytree(api.outdir, Path(app.outdir) / "api" / "v1")


# --- dirhtml ------------------------------------------------------------------------


@pytest.mark.sphinx("dirhtml", testroot="site", srcdir="dirhtml-site", confoverrides=SITE_CONF)
def test_dirhtml_site_links_resolve_and_the_language_switch_names_folders(app):
    out = built(app)
    assert (out / "guidelines" / "north" / "index.html").is_file()
    assert links_within(out) == []
    page = soup_of(out / "guidelines" / "north" / "index.html")
    # guidelines/north/index.html -> up three folders to the sites' root, then en/guidelines/north/
    assert [a["href"] for a in page.select("nav.policy-lang-switch a")] == ["../../../en/guidelines/north/"]
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"]')}
    assert alternates == {"ja": "./", "en": "../../../en/guidelines/north/"}
    root = soup_of(out / "index.html")
    assert [a["href"] for a in root.select("nav.policy-lang-switch a")] == ["../en/"]


@pytest.mark.sphinx("dirhtml", testroot="json", srcdir="dirhtml-json")
def test_dirhtml_api_links_and_clause_urls_point_at_its_own_pages(app, make_app):
    out = built(app)
    built_api(app, make_app, "dirhtml")
    assert links_within(out) == []
    api_page = soup_of(out / "api" / "index.html")
    # api/index.html, beside the API's folder api/v1/
    assert [a["href"] for a in api_page.select("a.policy-api-link")] == ["v1/policy.json", "v1/policy.schema.json"]
    nested = soup_of(out / "guidelines" / "beta" / "index.html")
    assert [a["href"] for a in nested.select("a.policy-api-link")] == ["../../api/v1/documents/beta.json"]
    beta = json.loads((out / "api" / "v1" / "documents" / "beta.json").read_text(encoding="utf-8"))
    urls = {c["id"]: c["url"] for c in beta["guideline"]["clauses"]}
    assert urls["beta-2"] == {"ja": "ja/guidelines/beta/#beta-2", "en": "en/guidelines/beta/#beta-2"}
    assert soup_of(out / "guidelines" / "beta" / "index.html").find(id="beta-2") is not None


# --- singlehtml ---------------------------------------------------------------------


@pytest.mark.sphinx("singlehtml", testroot="site", srcdir="singlehtml-site", confoverrides=SITE_CONF)
def test_singlehtml_site_links_only_to_what_it_writes(app):
    out = built(app)
    assert [p.relative_to(out).as_posix() for p in page_files(out) if "_static" not in p.parts] == ["index.html"]
    assert links_within(out) == []
    page = soup_of(out / "index.html")
    assert [a["href"] for a in page.select("nav.policy-lang-switch a")] == ["../en/index.html"]
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    assert not [h for h in hrefs if h.count("#") > 1], "double fragments (sphinx-doc/sphinx#14221)"
    assert page.select('link[rel="index"], link[rel="search"]') == []


# The policy extension alone, plus the singlehtml workarounds (policy_handbook.upstream).
@pytest.mark.sphinx(
    "singlehtml",
    testroot="json",
    srcdir="singlehtml-json",
    confoverrides={"extensions": ["myst_parser", "sphinx_design", "policy_handbook.sphinxext", "policy_handbook.upstream"]},
)
def test_singlehtml_api_links_and_clause_urls_point_into_the_one_page(app, make_app):
    out = built(app)
    built_api(app, make_app, "singlehtml")
    assert links_within(out) == []
    page = soup_of(out / "index.html")
    assert [a["href"] for a in page.select("a.policy-api-link")] == [
        "api/v1/documents/beta.json", "api/v1/policy.json", "api/v1/policy.schema.json",
    ]  # fmt: skip
    policy = json.loads((out / "api" / "v1" / "policy.json").read_text(encoding="utf-8"))
    urls = [c["url"]["ja"] for g in policy["guidelines"] for c in g["clauses"] if c["url"]]
    assert urls and all(url.startswith("ja/index.html#") for url in urls)
    assert all(page.find(id=url.partition("#")[2]) is not None for url in urls)


# --- EPUB ---------------------------------------------------------------------------


def unpacked(out: Path, tmp_path: Path) -> Path:
    (book,) = out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        archive.extractall(tmp_path / "book")
    return tmp_path / "book"


@pytest.mark.sphinx(
    "epub",
    testroot="site",
    srcdir="epub-site",
    confoverrides={**SITE_CONF, "version": "1.0", "copyright": "2026, North", "epub_basename": "north"},
)
def test_epub_of_the_site_is_a_closed_book_without_furo_chrome(app, tmp_path):
    out = built(app)  # no "furo's page template changed" warning: EPUB is not furo
    book = unpacked(out, tmp_path)
    assert (out / "north.epub").is_file()
    assert broken_links(book) == []  # nothing leaves the book: no language switch, no alternates
    for page in page_files(book):
        text = page.read_text(encoding="utf-8")
        assert "policy-lang-switch" not in text and 'rel="alternate"' not in text, page.name
        assert "svg-arrow-right" not in text, page.name  # furo's footer markup stays out


@pytest.mark.sphinx("epub", testroot="json", srcdir="epub-json", confoverrides={"version": "1.0", "copyright": "2026, Alpha"})
def test_epub_shows_api_file_names_without_links_out_of_the_book(app, tmp_path):
    out = built(app)
    book = unpacked(out, tmp_path)
    assert broken_links(book) == []
    api_page = soup_of(book / "api.xhtml")
    assert api_page.select("a.policy-api-link") == []
    assert [code.get_text() for code in api_page.select("code")][:2] == ["policy.json", "the schema"]


# --- the clause index's group IDs ----------------------------------------------------


def test_index_group_keys_have_no_ascii_whitespace_but_read_the_same():
    assert index_group_key("North City") == "North\u00a0City"
    assert index_group_key("A \t\nB") == "A\u00a0B"
    assert index_group_key("北市") == "北市"


@pytest.mark.sphinx("html", testroot="site", srcdir="clauseindex-en", confoverrides={**SITE_CONF, "language": "en"})
def test_clause_index_group_ids_are_valid_and_the_jump_links_reach_them(app):
    out = built(app)
    page = soup_of(out / "policy-clauseindex.html")
    caps = page.select("tr.cap")
    assert [tr["id"] for tr in caps] == ["cap-North\u00a0City"]
    assert not any(ch in tr["id"] for tr in caps for ch in " \t\n\f\r")
    assert caps[0].get_text(strip=True).replace("\u00a0", " ") == "North City"
    assert [p for p in broken_links(out, [out / "policy-clauseindex.html"]) if "/ja/" not in p] == []
