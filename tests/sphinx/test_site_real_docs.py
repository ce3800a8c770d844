"""The real handbook, built as `make html` builds it (both languages at once, -W).

What a reader of each site must never meet: Japanese prose on the English site
(outside passages marked lang="ja", such as the Japanese clause tabs), furo's
English labels on the Japanese site, a language link to a missing page, a
search for a compound word that finds nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from bs4.element import PreformattedString

from helpers.paths import PROJECT_ROOT
from policy_handbook.site.search_ja import split_query

PROJECT = PROJECT_ROOT
LOCALES = PROJECT / "docs" / "locales"
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
TEXT_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
# furo's and Sphinx's English UI strings (page chrome), none of which may stay
# English on the Japanese site.
FURO_ENGLISH = (
    "Skip to content",
    "Back to top",
    "On this page",
    "Made with",
    "Copyright",
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Light mode",
    "Dark mode",
    "Auto light/dark",
    "Contents",
    "Menu",
    "Expand",
    "Next",
    "Previous",
    "Home",
    "Search",
    "Link to this",
    "Edit this page",
    "View this page",
    "Index",
    "Please activate JavaScript",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """_build/html of a fresh `make html` (same commands, in a temporary directory)."""
    build = tmp_path_factory.mktemp("real-site")
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "extensions")}
    procs = {
        lang: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-c",
                ".",
                "-q",
                "-W",
                "--keep-going",
                "-b",
                "html",
                "-D",
                f"language={lang}",
                "-d",
                str(build / "doctrees" / lang),
                "docs",
                str(build / "html" / lang),
            ],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for lang in ("ja", "en")
    }
    failures = []
    for lang, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or err.strip():
            failures.append(f"{lang} build (exit {proc.returncode}):\n{err}")
    assert not failures, "\n".join(failures)
    shutil.copy(PROJECT / "docs" / "_root" / "index.html", build / "html" / "index.html")
    return build / "html"


def pages(site: Path, lang: str) -> list[Path]:
    return sorted((site / lang).rglob("*.html"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def language_of(element) -> str | None:
    for node in (element, *element.parents):
        if getattr(node, "attrs", None) and node.has_attr("lang"):
            return node["lang"]
    return None


def visible_strings(soup: BeautifulSoup):
    """(text, element, lang) of every text node and text attribute a reader may meet."""
    for text in soup.find_all(string=True):
        if isinstance(text, PreformattedString) or text.parent.name in ("script", "style"):
            continue
        yield str(text), text.parent, language_of(text.parent)
    for element in soup.find_all(True):
        for attribute in TEXT_ATTRIBUTES:
            if element.has_attr(attribute):
                yield element[attribute], element, language_of(element)


def test_english_site_has_no_japanese_outside_lang_ja(site):
    leftovers = []
    for path in pages(site, "en"):
        for text, _element, lang in visible_strings(soup_of(path)):
            if lang and lang.split("-")[0] == "ja":
                continue
            if JAPANESE.search(text):
                leftovers.append(f"{path.relative_to(site)}: {text.strip()[:80]!r}")
    assert not leftovers, f"{len(leftovers)} Japanese strings on the English site:\n" + "\n".join(leftovers[:40])


def test_japanese_site_has_no_furo_english(site):
    leftovers = []
    for path in pages(site, "ja"):
        for text, element, lang in visible_strings(soup_of(path)):
            if lang and lang.split("-")[0] != "ja":
                continue
            if element.find_parent(["pre", "code"]) or element.name in ("pre", "code"):
                continue
            for english in FURO_ENGLISH:
                if re.search(rf"(?<![\w/]){re.escape(english)}(?!\w)", text):
                    leftovers.append(f"{path.relative_to(site)}: {english!r} in {text.strip()[:60]!r}")
    assert not leftovers, "\n".join(sorted(set(leftovers))[:40])


def test_every_page_links_to_its_twin_in_the_other_language(site):
    for lang, other in (("ja", "en"), ("en", "ja")):
        for path in pages(site, lang):
            links = soup_of(path).select("nav.policy-lang-switch a")
            assert len(links) == 1, path
            target = (path.parent / links[0]["href"]).resolve()
            assert target == (site / other / path.relative_to(site / lang)).resolve()
            assert target.is_file(), f"{path} -> {links[0]['href']}"
            assert links[0]["hreflang"] == other and links[0]["lang"] == other


def test_guideline_page_switch_and_back(site):
    ja = soup_of(site / "ja" / "guidelines" / "chikugo.html")
    assert ja.select_one("nav.policy-lang-switch a")["href"] == "../../en/guidelines/chikugo.html"
    en = soup_of(site / "en" / "guidelines" / "chikugo.html")
    assert en.select_one("nav.policy-lang-switch a")["href"] == "../../ja/guidelines/chikugo.html"
    assert ja.html["lang"] == "ja" and en.html["lang"] == "en"


def test_root_page_leads_to_both_sites(site):
    root = soup_of(site / "index.html")
    assert root.html["lang"] == "ja"
    assert root.find("meta", attrs={"name": "viewport"}) is not None
    links = {a["hreflang"]: a for a in root.select("a[hreflang]")}
    assert set(links) == {"ja", "en"}
    for lang, link in links.items():
        assert link["lang"] == lang
        assert (site / link["href"]).resolve() == (site / lang / "index.html").resolve()
        assert (site / link["href"]).is_file()
    assert links["en"].get_text(" ", strip=True).startswith("English")
    assert links["ja"].get_text(" ", strip=True).startswith("日本語")
    # The English passages of this Japanese page say so.
    assert root.select_one('h1 [lang="en"]').get_text() == "Social Media Guidelines Handbook"
    assert "clause by clause" in root.find("p", lang="en").get_text()


@pytest.mark.parametrize("query", ["成りすまし", "炎上", "乗っ取り", "個人情報", "公式アカウント", "第三者"])
def test_japanese_search_finds_the_clauses(site, query):
    raw = (site / "ja" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[len("Search.setIndex(") : -1])
    docnames = index["docnames"]
    found = None
    for term in split_query(query):
        hit = index["terms"].get(term, [])
        docs = {hit} if isinstance(hit, int) else set(hit)
        found = docs if found is None else found & docs
    guideline_pages = {docnames[i] for i in found} & {"guidelines/chikugo", "guidelines/yanagawa"}
    assert guideline_pages, f"{query}: no guideline page has every piece {split_query(query)}"
    anchored = {
        (docnames[doc], anchor)
        for entry, hits in index["indexentries"].items()
        if query in entry and len(query) >= len(entry) / 2
        for doc, anchor, _main in hits
    }
    clause_hits = {(doc, anchor) for doc, anchor in anchored if doc.startswith("guidelines/")}
    assert clause_hits, f"{query}: no search result lands on a clause"
    for doc, anchor in clause_hits:
        assert f'id="{anchor}"' in (site / "ja" / f"{doc}.html").read_text(encoding="utf-8")


def test_english_search_lands_on_the_clause(site):
    raw = (site / "en" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[len("Search.setIndex(") : -1])
    hits = {(index["docnames"][d], a) for d, a, _m in index["indexentries"].get("impersonation", [])}
    assert ("guidelines/chikugo", "chikugo-6-3") in hits
    assert ("guidelines/yanagawa", "yanagawa-6-3") in hits


def test_english_catalogs_are_complete():
    """Every message of every page translated, none fuzzy (fuzzy ones are not used)."""
    problems = []
    catalogs = sorted((LOCALES / "en" / "LC_MESSAGES").rglob("*.po"))
    assert catalogs
    for po in catalogs:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale="en")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(f"{po.relative_to(PROJECT)}: {'fuzzy' if message.fuzzy else 'untranslated'} {message.id!r:.60}")
    assert not problems, "\n".join(problems)


def test_every_page_has_an_english_catalog():
    docs = PROJECT / "docs"
    for page in sorted(docs.rglob("*.md")):
        if "_" in page.relative_to(docs).parts[0][:1]:
            continue
        po = LOCALES / "en" / "LC_MESSAGES" / page.relative_to(docs).with_suffix(".po")
        assert po.is_file(), f"{page.relative_to(PROJECT)} has no English catalog {po.relative_to(PROJECT)}"


def test_theme_catalog_is_complete():
    with (LOCALES / "ja" / "LC_MESSAGES" / "sphinx.po").open("rb") as fh:
        catalog = read_po(fh, locale="ja")
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings) and not message.fuzzy, message.id


def test_every_id_on_every_page_is_unique(site):
    """Duplicate IDs break in-page links and fail WCAG 2.0 SC 4.1.1 (JIS X 8341-3:2016).
    furo copies a table's IDs onto the <div> it wraps the table in."""
    duplicated = {}
    for lang in ("ja", "en"):
        for path in pages(site, lang):
            ids = [element["id"] for element in soup_of(path).find_all(id=True)]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                duplicated[str(path.relative_to(site))] = twice[:5]
    assert not duplicated


@pytest.mark.parametrize(
    ("lang", "department", "marker", "reason"),
    [
        ("ja", "総務部企画課", "編集による補足、原文に記載なし", "推定した"),
        (
            "en",
            "Planning Division of the General Affairs Department",
            "editorial, not printed in the published text",
            "inferred from the division",
        ),
    ],
)
def test_values_not_printed_in_the_source_are_shown_as_editorial(site, lang, department, marker, reason):
    """柳川's department is an inference, the forms' 別紙 labels, 必須 flags and date label are not printed."""
    yanagawa = soup_of(site / lang / "guidelines" / "yanagawa.html")
    editorial = [" ".join(e.parent.get_text().split()) for e in yanagawa.select(".policy-editorial")]
    assert any(text.startswith(department) and marker in text and reason in text for text in editorial), editorial
    chikugo = soup_of(site / lang / "guidelines" / "chikugo.html")
    assert len(chikugo.select(".policy-editorial")) == 1  # its scope (a summary); its department is printed in 7
    forms = soup_of(site / lang / "forms.html")
    notes = [" ".join(n.get_text().split()) for n in forms.select(".policy-form .policy-note-editorial")]
    assert len(notes) == 6, notes  # per form: its label, the required flags, the date field's label
    assert sum(("別紙1" in n) for n in notes) == 1 and sum(("令和" in n) for n in notes) == 2


def test_the_english_date_blank_keeps_the_japanese_era(site):
    blanks = {b.get_text() for b in soup_of(site / "en" / "forms.html").select(".policy-blank") if b.get_text().strip()}
    assert blanks == {"Reiwa ____ (year) ____ (month) ____ (day)"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_common_words_of_the_glossary_are_not_linked_but_its_terms_are(site, lang):
    """職員 (link: false) is in the glossary for its one rendering, not linked in every clause; 協議 is linked."""
    chikugo = soup_of(site / lang / "guidelines" / "chikugo.html")
    targets = {a["href"].rpartition("#")[2] for a in chikugo.select("a[href*='glossary.html#term-']")}
    assert "term-consult" in targets and "term-staff" not in targets
    assert soup_of(site / lang / "glossary.html").select_one("#term-staff") is not None


@pytest.mark.parametrize(("lang", "label"), [("ja", "全国地方公共団体コード"), ("en", "Local government code")])
def test_the_guideline_pages_show_the_national_code(site, lang, label):
    for document, code in (("chikugo", "402117"), ("yanagawa", "402079")):
        meta = soup_of(site / lang / "guidelines" / f"{document}.html").select_one(".policy-guideline-meta")
        pairs = {dt.get_text().rstrip(":"): dt.find_next_sibling("dd").get_text().strip() for dt in meta.find_all("dt")}
        assert pairs[label] == code


def test_the_guides_say_who_acts_and_cite_each_clause_distinctly(site):
    """Issue 21: the English comparison writes 6(2)·1 (no Japanese ・ in a citation); two
    paragraphs of 4(3) on one guide are cited with their paragraph; 6(4), with no subject,
    is for everyone the guideline applies to and the Director it names; the 4(5) report
    on the hijacking guide is marked as the handbook's advice."""
    comparison = soup_of(site / "en" / "comparison.html")
    citations = [a.get_text() for a in comparison.select("a .policy-clause-ref, a.policy-clause-ref, .policy-comparison-matrix a")]
    assert citations and not [c for c in citations if "・" in c], citations
    assert any("6(2)·1" in c for c in citations)
    emergency = soup_of(site / "en" / "situations" / "emergency.html")
    cited = [" ".join(p.get_text().split()) for p in emergency.select("#emergency-yanagawa a")]
    assert "Yanagawa City 4(3), first paragraph" in cited and "Yanagawa City 4(3), second paragraph" in cited
    hijacked = soup_of(site / "en" / "situations" / "account-hijacked.html")
    steps = hijacked.select("#account-hijacked-yanagawa .policy-situation-step")
    who = " ".join(steps[0].select_one(".policy-situation-who").get_text().split())
    assert who == "Who: everyone the guideline applies to and the Director of the Planning Division of the General Affairs Department"
    note = " ".join(steps[1].select_one(".policy-situation-note").get_text().split())
    assert "the handbook's advice, based on 4(5)" in note
    ja = soup_of(site / "ja" / "situations" / "account-hijacked.html")
    assert "このハンドブックの助言" in ja.select("#account-hijacked-yanagawa .policy-situation-step")[1].get_text()
