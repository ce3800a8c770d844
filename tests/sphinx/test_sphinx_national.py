"""The national views' directives in a Sphinx test root (two guidelines; one renamed hostile)."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import sphinx.locale
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from helpers.paths import ROOTS

ROOT = ROOTS / "test-national"
HOSTILE = '<script>alert(1)</script>"&乙'
# A clause marker becomes the clause's number on the topic page (no digit: the number is the whole marker).
HOSTILE_MARKER = '<b x="y">'  # markers are at most 10 characters


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    sphinx.locale.translators.clear()
    srcdir = tmp_path_factory.mktemp("national") / "src"
    shutil.copytree(ROOT, srcdir)
    beta = srcdir / "policy" / "beta.yaml"
    text = beta.read_text(encoding="utf-8")
    # Beta's municipality: markup in the data (quoted for YAML) and another prefecture.
    text = text.replace(
        "municipality: {ja: 乙市, en: Beta City}", f"municipality: {{ja: {json.dumps(HOSTILE)}, en: {json.dumps(HOSTILE)}}}"
    )
    text = text.replace("prefecture: {ja: 福岡県, en: Fukuoka Prefecture}", "prefecture: {ja: 北海道, en: Hokkaido}")
    text = text.replace('marker: "1"', f"marker: {json.dumps(HOSTILE_MARKER)}")
    beta.write_text(text, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    yield app
    app.cleanup()


def page(app, name):
    return BeautifulSoup((app.outdir / f"{name}.html").read_text("utf-8"), "html.parser")


def test_builds_without_warnings(app):
    assert app._warning.getvalue() == ""


def test_the_topic_page_groups_municipalities_by_prefecture_in_national_order(app):
    soup = page(app, "topic")
    groups = soup.select("section.policy-national-group")
    assert [g["id"] for g in groups] == ["prefecture-hokkaido", "prefecture-fukuoka"]  # JIS order
    assert "2団体中2団体" in soup.get_text()
    links = [a["href"] for a in groups[1].select("ul.policy-national-list a")]
    assert links[0].startswith("guidelines/alpha.html") and any("#alpha-" in href for href in links[1:])
    assert "（目的）" in groups[1].get_text()  # the clause's kind


def test_policy_text_never_becomes_markup(app):
    for name in ("topic", "overview", "compare", "fukuoka", "prefectures"):
        html = (app.outdir / f"{name}.html").read_text("utf-8")
        assert "<script>alert" not in html and HOSTILE_MARKER not in html, name
    overview = page(app, "overview")
    assert HOSTILE in [th.get_text() for th in overview.select(".policy-coverage tbody th")]
    compare = page(app, "compare")
    assert HOSTILE in [o.get_text() for o in compare.select("#policy-compare-a option")]
    topic = page(app, "topic")
    assert HOSTILE in [a.get_text() for a in topic.select("ul.policy-national-list a")]
    assert HOSTILE_MARKER in [a.get_text() for a in topic.select("ul.policy-national-list a")]  # the clause's number


def test_the_overview_counts_each_topic(app):
    soup = page(app, "overview")
    rows = {tr.th.get_text(): tr.select("td")[0].get_text() for tr in soup.select(".policy-share tbody tr")}
    assert rows["策定の目的"] == "2" and rows["アカウントの届出と審査"] == "1"
    assert soup.select_one(".policy-national-status")["aria-live"] == "polite"


def test_the_prefecture_pages_link_and_offer_a_comparison(app):
    index = page(app, "prefectures")
    # Only Fukuoka has a page here: Hokkaido is listed without a link.
    assert [a["href"] for a in index.select(".policy-prefecture-index a")] == ["fukuoka.html"]
    assert [li.get_text() for li in index.select(".policy-prefecture-index li")] == ["北海道 (1)", "福岡県 (1)"]
    fukuoka = page(app, "fukuoka")
    assert fukuoka.select_one(".policy-compare-links a")["href"] == "compare.html?a=alpha"


def test_the_compare_page_knows_where_the_api_is_and_works_without_script(app):
    root = page(app, "compare").select_one(".policy-compare")
    assert root["data-api"] == "api/"
    # The API's one writer, -b policyjson, run into that folder as `make html` does.
    api = SphinxTestApp("policyjson", srcdir=app.srcdir, builddir=app.srcdir / "_api", status=StringIO(), warning=StringIO())
    try:
        api.build()
        shutil.copytree(api.outdir, app.outdir / "api")
    finally:
        api.cleanup()
    assert (app.outdir / "api" / "documents" / "alpha.json").is_file()
    assert "JavaScript" in root.noscript.get_text()


def test_only_pages_with_the_views_load_their_scripts(app):
    assert "policy-compare.js" in (app.outdir / "compare.html").read_text("utf-8")
    assert "policy-compare.js" not in (app.outdir / "guidelines" / "alpha.html").read_text("utf-8")


def test_each_guideline_page_offers_to_compare_it_with_another(app):
    soup = page(app, "guidelines/alpha")
    entry = soup.select_one(".policy-compare-with")
    # Right under the metadata box, before the clauses.
    assert entry.find_previous_sibling(class_="policy-guideline-meta") is not None
    # Without JavaScript: a link to the compare page with this municipality chosen.
    assert entry.select_one(".policy-compare-with-link a")["href"] == "../compare.html?a=alpha"
    assert entry.select_one(".policy-compare-with-link a").get_text() == "甲市を他の自治体と比較する"
    # With it: a GET form to compare.html?a=alpha&b=<chosen>, labelled, its list fetched on demand.
    form = entry.select_one("form.policy-compare-with-form")
    assert form["action"] == "../compare.html" and form["method"] == "get"
    assert form.select_one("input[name=a]")["value"] == "alpha"
    select = form.select_one("select[name=b]")
    assert form.select_one(f"label[for={select['id']}]").get_text() == "比較する自治体"
    assert not select.select("option")  # no list of every municipality on every page
    assert json.loads(entry["data-labels"])["choose"] == "自治体を選んでください"
    assert entry.select_one("[role=status]")["aria-live"] == "polite"
    # Only this small script, not the compare page's.
    html = (app.outdir / "guidelines" / "alpha.html").read_text("utf-8")
    assert "policy-compare-with.js" in html and "policy-compare.js" not in html


def test_the_hostile_municipality_name_stays_text_in_its_compare_entry(app):
    entry = page(app, "guidelines/beta").select_one(".policy-compare-with")
    assert entry.select_one(".policy-compare-with-link a").get_text() == f"{HOSTILE}を他の自治体と比較する"
    assert "<script>alert" not in (app.outdir / "guidelines" / "beta.html").read_text("utf-8")


def test_without_a_compare_page_guideline_pages_have_no_compare_entry(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('policy_compare_page = "compare"', "policy_compare_page = None"), encoding="utf-8"
    )
    sphinx.locale.translators.clear()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        html = (app.outdir / "guidelines" / "alpha.html").read_text("utf-8")
        assert "policy-compare-with" not in html and "policy-national.css" not in html
    finally:
        app.cleanup()


def test_under_dirhtml_every_link_of_the_views_lands_on_a_page(tmp_path):
    """Links come from the builder: dirhtml writes topic/index.html, whose link to alpha's
    page is ../guidelines/alpha/ (not guidelines/alpha.html, which does not exist)."""
    from helpers.output_links import broken_links

    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    sphinx.locale.translators.clear()
    app = SphinxTestApp("dirhtml", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        assert app.warning.getvalue() == ""
        out = Path(app.outdir)

        def soup(name):
            return BeautifulSoup((out / name / "index.html").read_text("utf-8"), "html.parser")

        topic = [a["href"] for a in soup("topic").select("ul.policy-national-list a")]
        assert topic[0] == "../guidelines/alpha/" and any(h.startswith("../guidelines/alpha/#alpha-") for h in topic)
        assert [a["href"] for a in soup("prefectures").select(".policy-prefecture-index a")] == ["../fukuoka/"]
        assert soup("fukuoka").select_one(".policy-compare-links a")["href"] == "../compare/?a=alpha"
        compare_with = soup("guidelines/alpha").select_one(".policy-compare-with-link a")
        assert compare_with["href"] == "../../compare/?a=alpha"
        assert soup("compare").select_one(".policy-compare")["data-api"] == "../api/"
        assert broken_links(out) == []
    finally:
        app.cleanup()


def test_english_topic_pages_cite_clauses_without_japanese_punctuation(tmp_path):
    """An item's number "1(1)・1" reads "1(1)·1" on the English site, the preamble's
    "前文" reads "Preamble" (as the guides cite them); the Japanese site keeps both."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "topic.md").write_text(
        "# Topics\n\n```{policy:topic-across} purpose\n```\n\n```{policy:topic-across} replies\n```\n", encoding="utf-8"
    )
    cited = {}
    for lang in ("en", "ja"):
        sphinx.locale.translators.clear()
        app = SphinxTestApp(
            "html", srcdir=srcdir, builddir=tmp_path / lang, confoverrides={"language": lang}, status=StringIO(), warning=StringIO()
        )
        try:
            app.build()
            soup = BeautifulSoup((Path(app.outdir) / "topic.html").read_text("utf-8"), "html.parser")
            cited[lang] = [a.get_text() for a in soup.select("ul.policy-national-list a[href*='#alpha-']")]
        finally:
            app.cleanup()
    assert cited["en"] == ["Preamble", "1(1)\u00b71", "1(1)\u00b72"]
    assert cited["ja"] == ["前文", "1(1)・1", "1(1)・2"]
