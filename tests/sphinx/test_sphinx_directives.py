"""The policy domain's directives, as a reader sees the built pages.

Test root: tests/roots/test-directives (a tiny guideline "north" with notes, a
form, glossary terms, and a clause whose texts are hostile markup).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from helpers.paths import PACKAGE, ROOTS

ROOT = ROOTS / "test-directives"
SPHINXEXT = PACKAGE / "sphinxext"
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")

GUIDELINE_CLAUSES = ["north-preamble-1", "north-1", "north-1-1", "north-1-1-i1", "north-1-1-i2", "north-2", "north-2-p1", "north-3"]


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def txt(element) -> str:
    """Visible text with whitespace runs collapsed (as a browser shows it)."""
    return " ".join(element.get_text().split())


def tab_labels(section) -> list:
    tabs = section.find("div", class_="policy-lang-tabs", recursive=False)
    return tabs.find_all("label", recursive=False)


@pytest.fixture(scope="module")
def ja(make_app_module):
    return make_app_module()


@pytest.fixture(scope="module")
def make_app_module(tmp_path_factory):
    """One Japanese build of the test root for the whole module (builds are the slow part)."""
    from sphinx.testing.util import SphinxTestApp

    apps = []

    def make(**confoverrides):
        lang = confoverrides.get("language", "ja")
        srcdir = tmp_path_factory.mktemp(f"directives-{lang}")
        shutil.copytree(ROOT, srcdir, dirs_exist_ok=True)
        app = SphinxTestApp("html", srcdir=srcdir, confoverrides=confoverrides)
        apps.append(app)
        app.build()
        return app

    yield make
    for app in reversed(apps):
        app.cleanup()


@pytest.fixture(scope="module")
def en(make_app_module):
    return make_app_module(language="en")


# ----------------------------------------------------------------------------- clauses


def test_every_clause_has_its_id_as_anchor_with_a_labelled_permalink(ja):
    html = page(ja, "guideline")
    for clause_id in GUIDELINE_CLAUSES:
        section = html.find(id=clause_id)
        assert section is not None and section.name == "section", clause_id
        link = section.find("a", class_="policy-permalink")
        assert link["href"] == f"#{clause_id}"
        assert link["title"] == "この条項へのリンク"
        assert link["aria-label"] == "この条項へのリンク"


def test_clauses_nest_as_published(ja):
    html = page(ja, "guideline")
    item = html.find(id="north-1-1-i1")
    assert [p.get("id") for p in item.find_parents("section", class_="policy-clause")] == ["north-1-1", "north-1"]
    assert "policy-level-item" in item["class"]
    # markers as printed, heading in the page language
    heading = html.find(id="north-1").find(class_="policy-clause-heading")
    assert heading["role"] == "heading" and heading["aria-level"] == "2"
    assert heading.find(class_="policy-marker").get_text() == "1．"
    assert heading.find(class_="policy-heading-text").get_text() == "返信"


def test_japanese_site_shows_japanese_first_and_english_one_tab_away_with_lang(ja):
    section = page(ja, "guideline").find(id="north-1-1")
    labels = tab_labels(section)
    assert [label.get_text(strip=True) for label in labels] == ["日本語", "English"]
    assert [label["data-sync-group"] for label in labels] == ["policy-lang", "policy-lang"]
    assert [label["data-sync-id"] for label in labels] == ["ja", "en"]
    assert labels[1].find("span")["lang"] == "en"
    inputs = section.find("div", class_="policy-lang-tabs").find_all("input", recursive=False)
    assert inputs[0].has_attr("checked") and not inputs[1].has_attr("checked")
    contents = section.find("div", class_="policy-lang-tabs").find_all("div", class_="sd-tab-content", recursive=False)
    assert contents[0].get_text(strip=True) == "意見には返信しない。公式アカウントでも公的アカウントでも同じ。"
    english = contents[1].find("div", lang="en")
    assert txt(english) == "Staff do not reply to comments on an official account."


def test_english_site_shows_english_first_and_marks_every_japanese_passage(en):
    html = page(en, "guideline")
    section = html.find(id="north-1-1")
    labels = tab_labels(section)
    assert [label.get_text(strip=True) for label in labels] == ["English", "日本語"]
    assert labels[1].find("span")["lang"] == "ja"
    contents = section.find("div", class_="policy-lang-tabs").find_all("div", class_="sd-tab-content", recursive=False)
    assert txt(contents[0]) == "Staff do not reply to comments on an official account."
    assert contents[1].find("div", lang="ja").get_text(strip=True).startswith("意見には返信しない。")
    assert section.find(class_="policy-meta-label").get_text() == "Kind"
    # Japanese quoted in an English text is marked too
    note = section.find(class_="policy-note-text")
    assert [span.get_text() for span in note.find_all("span", lang="ja")] == ["返信", "「返進」"]
    assert txt(note) == "The published text misspells 返信 as 「返進」."
    # Japanese outside a lang="ja" element would be read out as English: there must be none.
    for block in html.select(".policy-guideline-meta, .policy-clause"):
        for element in block.find_all(lang="ja"):
            element.decompose()
        leftover = CJK.findall(block.get_text())
        assert not leftover, (block.get("id"), "".join(leftover))


def test_kind_and_topics_are_badges_actors_are_labels_in_the_page_language(ja, en):
    meta = page(ja, "guideline").find(id="north-1-1").find("p", class_="policy-clause-meta", recursive=False)
    kind = meta.find(class_="policy-kind").find(class_="sd-badge")
    assert kind.get_text() == "義務"
    assert "policy-badge-duty" in kind["class"]
    topic = meta.find(class_="policy-topics").find(class_="sd-badge")
    assert topic.get_text() == "返信" and "policy-badge-topic" in topic["class"]
    assert meta.find(class_="policy-actors").get_text() == "関係者 職員、管理者"
    meta_en = page(en, "guideline").find(id="north-1-1").find("p", class_="policy-clause-meta", recursive=False)
    assert meta_en.find(class_="policy-actors").get_text() == "Actors staff, account administrator"
    assert meta_en.find(class_="policy-kind").find(class_="sd-badge").get_text() == "Duty"


def test_editorial_notes_are_a_separate_labelled_block_never_in_the_text(ja):
    section = page(ja, "guideline").find(id="north-1-1")
    notes = section.find_all("div", class_="policy-note", recursive=False)
    assert len(notes) == 1
    note = notes[0]
    assert "policy-note-typo" in note["class"]
    assert note["role"] == "note"
    assert note["aria-label"] == "編集注: 原文の誤り"
    assert note.find(class_="policy-note-label").get_text() == "編集注 原文の誤り"
    assert note.find(class_="policy-note-text").get_text() == "原文では「返進」と誤記されている。"
    for text in section.find_all(class_="policy-text"):
        assert "返進" not in text.get_text()


def test_cited_form_is_linked(ja):
    forms = page(ja, "guideline").find(id="north-2-p1").find(class_="policy-forms")
    link = forms.find("a")
    assert link["href"] == "forms.html#north-form-1"
    assert link.get_text() == "別紙1"


def test_guideline_metadata_box_in_both_languages(ja, en):
    fields = page(ja, "guideline").find(class_="policy-guideline-meta")
    pairs = {dt.get_text().rstrip(":"): txt(dt.find_next_sibling("dd")) for dt in fields.find_all("dt")}
    assert pairs["自治体"] == "福岡県北市"
    assert pairs["名称"] == "北市ソーシャルメディア指針"
    assert pairs["所管"] == "広報課"
    assert pairs["制定日"] == "令和元年5月1日"
    assert pairs["改定日"] == "令和4年4月1日 （原文に記載なし）"
    assert pairs["適用範囲"] == "全職員に適用する。"
    assert pairs["問合せ先"] == "広報課（電話 0942-00-0000 内線123）"
    assert fields.find("a", href="tel:0942000000") is not None
    fields_en = page(en, "guideline").find(class_="policy-guideline-meta")
    pairs = {dt.get_text().rstrip(":"): txt(dt.find_next_sibling("dd")) for dt in fields_en.find_all("dt")}
    assert pairs["Municipality"] == "North City, Fukuoka Prefecture"
    assert pairs["Enacted"] == "1 May 2019"
    assert pairs["Revised"] == "1 April 2022 (not printed in the published text)"
    assert pairs["Official title (Japanese)"] == "北市ソーシャルメディア指針"
    assert pairs["Contact"] == "Public Relations Division (Tel. 0942-00-0000, ext. 123)"


def test_markup_in_the_data_is_shown_as_text_and_stays_inert(ja):
    raw = (ja.outdir / "guideline.html").read_text(encoding="utf-8")
    html = page(ja, "guideline")
    section = html.find(id="north-3")
    assert section.find(class_="policy-heading-text").get_text() == "<b>太字</b>の見出し"
    assert section.find(class_="policy-text").get_text() == (
        "<script>alert(1)</script> と {raw}`html` と [リンク](javascript:alert(1)) は文字のまま。"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert section.find("b") is None
    assert not any("alert" in (s.string or "") for s in html.find_all("script"))
    assert not html.select('a[href^="javascript"]')
    # the source URL (http(s) only: the loader refuses any other scheme) is a link
    published = [dt for dt in html.find_all("dt") if dt.get_text().startswith("原文")][0]
    link = published.find_next_sibling("dd").find("a")
    assert link["href"] == link.get_text() == "https://www.city.example.lg.jp/north/guideline.pdf"


def test_a_copy_marked_no_index_has_no_anchor_and_no_duplicate_warning(ja):
    html = page(ja, "topic")
    copy = html.find("section", class_="policy-clause")
    assert not copy.has_attr("id") and copy.find(id=True, class_="policy-clause") is None
    assert copy.find("a", class_="policy-permalink") is None
    assert "duplicate" not in ja.warning.getvalue()


# ----------------------------------------------------------------------------- glossary


def test_glossary_is_a_sphinx_glossary_and_clause_terms_link_to_it(ja):
    glossary = page(ja, "glossary").find("dl", class_="glossary")
    terms = {dt["id"]: dt.contents[0].strip() for dt in glossary.find_all("dt")}
    assert terms["term-official-account"] == "公式アカウント"
    other = glossary.find(id="term-official-account").find_next_sibling("dd")
    assert other.find(class_="policy-term-other").find("span", lang="en").get_text() == "official account"
    assert "公的アカウント" in other.find(class_="policy-term-variants").get_text()

    text = page(ja, "guideline").find(id="north-1-1").find(class_="policy-text")
    links = text.find_all("a")
    # first occurrence only: the variant 公的アカウント of the same term is not linked again
    assert [(a.get_text(), a["href"]) for a in links] == [("公式アカウント", "glossary.html#term-official-account")]
    english = page(ja, "guideline").find(id="north-2-p1").find("div", lang="en")
    assert [a.get_text() for a in english.find_all("a")] == ["official account", "account administrator"]


def test_term_role_reaches_glossary_terms_by_either_language(ja):
    refs = page(ja, "refs")
    hrefs = {a.get_text(): a["href"] for a in refs.find_all("a", class_="reference")}
    assert hrefs["公式アカウント"] == "glossary.html#term-official-account"
    assert hrefs["official account"] == "glossary.html#term-official-account"


# ----------------------------------------------------------------------------- forms


def test_form_is_a_printable_table(ja):
    form = page(ja, "forms").find(id="north-form-1")
    assert txt(form.find(class_="policy-form-heading")) == "別紙1 利用届出書¶"
    assert form.find(class_="policy-form-addressee").get_text() == "広報課長　様"
    assert form.find(class_="policy-form-header").get_text() == "届出日 必須：令和　　年　　月　　日"
    cells = [tr.find_all("td") for tr in form.find("table").find("tbody").find_all("tr")]
    rows = [[label.get_text(), entry.find("p").get_text()] for label, entry in cells]
    assert rows == [
        ["アカウント名 必須", ""],
        ["サービス 必須", "☐ エックス　☐ その他（　　　　　　）"],
        ["表現の硬軟度合い", "硬い 5  4  3  2  1 柔らかい （市公式 Web サイトは 5）"],
    ]
    assert [th.get_text() for th in form.find("thead").find_all("th")] == ["項目", "記入欄"]


def test_a_form_fields_editorial_note_is_shown_apart_from_what_the_form_offers(ja, en):
    # the choices stay as printed (エックス), the note says what changed since
    service = page(ja, "forms").find(id="north-form-1").find("table").find_all("tr")[2].find_all("td")[1]
    note = service.find(class_="policy-note")
    assert note["role"] == "note" and note["aria-label"].startswith("編集注")
    assert note.find(class_="policy-note-text").get_text() == "エックスは旧ツイッター。"
    assert "エックスは旧ツイッター" not in service.find("p").get_text()
    english = page(en, "forms").find(id="north-form-1").select_one(".policy-note .policy-note-text")
    assert english.get_text() == "X was formerly Twitter."


# ----------------------------------------------------------------------------- domain


def test_objects_inv_lists_clauses_and_forms_by_id(ja):
    with open(ja.outdir / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "https://example.invalid", lambda base, uri: f"{base}/{uri}")
    data = inventory.data if hasattr(inventory, "data") else inventory
    clauses = data["policy:clause"]
    assert sorted(clauses) == sorted(GUIDELINE_CLAUSES)
    item = clauses["north-1-1"]
    uri = item.uri if hasattr(item, "uri") else item[2]
    assert uri == "https://example.invalid/guideline.html#north-1-1"
    assert list(data["policy:form"]) == ["north-form-1"]


def test_clause_index_page_groups_clauses_by_guideline_in_document_order(ja):
    index = page(ja, "policy-clauseindex")
    assert index.find("h1").get_text() == "条項索引"
    assert [s.get_text(strip=True) for s in index.select("tr.cap strong")] == ["北市"]
    links = [(a["href"], a.get_text()) for a in index.select("table.indextable a")]
    assert [href for href, _ in links] == [f"guideline.html#{c}" for c in GUIDELINE_CLAUSES]
    assert links[1][1] == "1 返信"
    assert links[2][1] == "1(1) 意見には返信しない。公式アカウントでも公…"
    assert links[-1][1].startswith("3 <b>太字</b>の見出し — <script>")


def test_clause_index_in_english_has_english_labels_only(en):
    index = page(en, "policy-clauseindex")
    assert index.find("h1").get_text() == "Clause index"
    labels = [a.get_text() for a in index.select("table.indextable a")]
    assert labels[0] == "Preamble This guideline governs the use of social media."
    assert labels[3] == "1(1)\u00b71 Nor to questions."
    assert not [label for label in labels if CJK.search(label)]


def test_clause_location_api_for_the_json_export(ja):
    domain = ja.env.domains["policy"]
    assert domain.location("clause", "north-1-1") == ("guideline", "north-1-1")
    assert domain.location("clause", "north-9-9") is None
    assert list(domain.locations("clause")) == sorted(GUIDELINE_CLAUSES)


def test_text_builder_renders_the_texts_without_html_only_parts(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    shutil.copytree(ROOT, tmp_path / "src")
    app = SphinxTestApp("text", srcdir=tmp_path / "src")
    try:
        app.build()
        text = (app.outdir / "guideline.txt").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    assert "意見には返信しない。" in text
    assert "Staff do not reply to comments" in text
    assert "編集注" in text
    assert "¶" not in text


# ----------------------------------------------------------------------------- warnings


def test_duplicate_anchors_are_reported_where_the_copy_is(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "again.md").write_text(
        "# もう一度\n\n```{policy:clause} north-2-p1\n```\n\n```{policy:clause} north-2-p1\n```\n", encoding="utf-8"
    )
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8").replace("refs\n", "refs\nagain\n"), encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        warnings = app.warning.getvalue()
        html = page(app, "again")
    finally:
        app.cleanup()
    again = src / "again.md"
    assert (
        f"{again}:6: WARNING: clause north-2-p1 is shown twice on this page (first at line 3): "
        "the second copy has no anchor; add :no-index: to it [policy.duplicate]"
    ) in warnings
    assert (
        f"{again}:3: WARNING: clause north-2-p1 is also shown with its anchor in again, where links to it go: "
        "add :no-index: to this copy [policy.duplicate]"
    ) not in warnings  # "again" sorts first: it is the home, the guideline page is the copy
    guideline = src / "guideline.md"
    assert (
        f"{guideline}:3: WARNING: clause north-2-p1 is also shown with its anchor in again, where links to it go: "
        "add :no-index: to this copy [policy.duplicate]"
    ) in warnings
    assert len(html.find_all(id="north-2-p1")) == 1


def test_clause_directive_shows_the_sub_clauses_unless_asked_not_to(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "topic.md").write_text(
        "# 返信\n\n```{policy:clause} north-1\n:no-index:\n```\n\n```{policy:clause} north-1\n:no-index:\n:no-children:\n```\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        html = page(app, "topic")
    finally:
        app.cleanup()
    whole, alone = html.find_all("section", class_="policy-level-section")
    assert len(whole.find_all("section", class_="policy-clause")) == 3  # 1(1) and its two items
    assert alone.find("section") is None
    assert alone.find(class_="policy-clause-heading").get_text() == "1．返信"


def test_unknown_ids_in_directives_are_warnings_at_the_directive(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "topic.md").write_text("# 無い\n\n```{policy:clause} north-7\n```\n\n```{policy:form} north-form-9\n```\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    topic = src / "topic.md"
    assert f"{topic}:3: WARNING: policy:clause: no clause with ID 'north-7' [policy.ref]" in warnings
    assert f"{topic}:6: WARNING: policy:form: no form with ID 'north-form-9' [policy.ref]" in warnings


def test_invalid_policy_is_reported_at_each_line_and_fails_a_strict_build_cleanly(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    north = src / "policy" / "north.yaml"
    good = north.read_text(encoding="utf-8")
    bad = good.replace("kind: procedure", "kind: procedur")
    north.write_text(bad, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, warningiserror=True)
    try:
        app.build()  # no exception: Sphinx 9 would print a crash report for any
        warnings = app.warning.getvalue()
        status = app.statuscode
        placeholder = page(app, "guideline").find(class_="policy-unavailable")
    finally:
        app.cleanup()
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "kind: procedur" in text)
    assert re.search(rf"policy/north\.yaml:{line}:\d+: WARNING: .*'procedur'.* \[policy\.reference\]", warnings), warnings
    assert warnings.count("unknown kind 'procedur'") == 1  # reported once, not by every directive
    assert status == 1
    assert placeholder.get_text().startswith("この部分は表示できません。")

    # Fixed data: the pages that could not show it are read again.
    north.write_text(good, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        html = page(app, "guideline")
        refs = page(app, "refs")
    finally:
        app.cleanup()
    assert html.find(class_="policy-unavailable") is None
    assert html.find(id="north-2-p1") is not None
    assert refs.select_one('a[href="guideline.html#north-1-1"]') is not None


# ----------------------------------------------------------------------------- translations


def _ui_strings() -> set[str]:
    """Every literal passed to _() or lazy() in the extension's Sphinx modules."""
    found = set()
    for path in SPHINXEXT.rglob("*.py"):
        if not re.search(r"from \.+i18n import", path.read_text(encoding="utf-8")):
            continue  # another catalog (comparison tables, site)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "lazy")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_ui_string_has_a_japanese_translation():
    with open(SPHINXEXT / "locale" / "ja" / "LC_MESSAGES" / "policy_handbook.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    strings = _ui_strings()
    assert len(strings) > 30
    missing = sorted(s for s in strings if s not in translated)
    assert not missing


def test_catalog_compiles_to_the_same_bytes_every_time(tmp_path):
    from policy_handbook.sphinxext.i18n import compile_catalog

    outputs = []
    for name in ("a", "b"):
        shutil.copytree(SPHINXEXT / "locale", tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        compile_catalog(tmp_path / name)
        outputs.append((tmp_path / name / "ja" / "LC_MESSAGES" / "policy_handbook.mo").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"POT-Creation-Date: 2026-01-01 00:00+0000" in outputs[0]  # not the time of compiling


def test_japanese_pages_carry_no_english_ui_strings(ja):
    for name in ("guideline", "forms", "glossary"):
        html = page(ja, name)
        for block in html.select(".policy-clause, .policy-guideline-meta, .policy-form, dl.glossary"):
            for element in block.find_all(lang="en"):
                element.decompose()
            for element in block.select(".policy-heading-text, .policy-text"):
                element.decompose()
            text = block.get_text(" ")
            # hostile fixture text, the source URL and the phone number aside, nothing Latin remains
            text = text.replace("https://www.city.example.lg.jp/north/guideline.pdf", "")
            leftover = re.findall(r"[A-Za-z]{2,}", text.replace("javascript:alert", "").replace("Web", ""))
            assert not leftover, (name, leftover)


# ----------------------------------------------------------------------------- search


def search_index(app) -> dict:
    text = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def test_search_results_name_clauses_and_forms_in_the_page_language_only(ja, en):
    """The search page shows "<objnames entry>, in <page>": no "Policy 条項" mix."""
    names_ja = {(d, t): name for d, t, name in search_index(ja)["objnames"].values()}
    assert names_ja[("policy", "clause")] == "ガイドラインの条項"
    assert names_ja[("policy", "form")] == "ガイドラインの様式"
    names_en = {(d, t): name for d, t, name in search_index(en)["objnames"].values()}
    assert names_en[("policy", "clause")] == "Guideline clause"
    assert names_en[("policy", "form")] == "Guideline form"
    # the clause objects do point at these names
    objtypes = search_index(ja)["objtypes"]
    assert sorted(objtypes.values()) == ["policy:clause", "policy:form"]


# ----------------------------------------------------------------------------- gettext


def pot_messages(directory: Path) -> dict[str, set[str]]:
    """page (relative .pot path without suffix) -> its msgids. Not sphinx.pot: the templates'
    strings (the search page's), English in the source, the theme's catalog (as po_update)."""
    out = {}
    for pot in sorted(p for p in directory.rglob("*.pot") if p.name != "sphinx.pot"):
        with pot.open("rb") as f:
            out[pot.relative_to(directory).with_suffix("").as_posix()] = {m.id for m in read_po(f) if m.id}
    return out


def test_gettext_templates_hold_only_what_the_page_author_wrote(tmp_path):
    """Generated text (field names, tab labels, glossary terms, clause texts) never
    becomes a msgid: the English site takes it from the policy data."""
    from sphinx.testing.util import SphinxTestApp

    shutil.copytree(ROOT, tmp_path / "src")
    app = SphinxTestApp("gettext", srcdir=tmp_path / "src")
    try:
        app.build()
        messages = pot_messages(app.outdir)
    finally:
        app.cleanup()
    assert messages["guideline"] == {"北市"}
    assert messages["forms"] == {"様式"}
    assert messages["glossary"] == {"用語集"}
    assert messages["topic"] == {"返信について"}


def test_make_gettext_on_the_real_docs_adds_nothing_to_the_english_catalogs(tmp_path, project_root):
    """`make gettext` must not add 自治体, 日本語, 炎上（えんじょう）… to docs/locales/en."""
    import subprocess
    import sys

    out = tmp_path / "gettext"
    subprocess.run(
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
            "gettext",
            "-d",
            str(tmp_path / "doctrees"),
            "docs",
            str(out),
        ],
        cwd=project_root,
        env={**os.environ, "PYTHONPATH": str(project_root / "extensions")},
        check=True,
        capture_output=True,
        text=True,
    )
    messages = pot_messages(out)
    generated = {"自治体", "名称", "所管", "適用範囲", "日本語", "English", "炎上（えんじょう）", "管理者（かんりしゃ）"}
    for page_name, msgids in messages.items():
        assert not msgids & generated, page_name
        with open(project_root / "docs" / "locales" / "en" / "LC_MESSAGES" / f"{page_name}.po", "rb") as f:
            translated = {m.id for m in read_po(f) if m.id}
        assert msgids <= translated, (page_name, sorted(msgids - translated))
    # and no clause text of the guideline pages
    from policy_handbook.loader import load_policy

    clause_texts = {c.text.ja for g in load_policy(project_root / "policy").guidelines for c in g.clauses if c.text}
    assert not clause_texts & set().union(*messages.values())


# ----------------------------------------------------------------------------- glossary links


def test_a_term_inside_a_longer_name_is_not_linked_in_the_real_policy(policy_dir):
    """管理者 in 当該ソーシャルメディア管理者 is the service's operator, not the glossary's account administrator."""
    from sphinx.addnodes import pending_xref

    from policy_handbook.loader import load_policy
    from policy_handbook.sphinxext.render import Renderer

    policy = load_policy(policy_dir)

    def linked(clause_id: str, lang: str) -> dict[str, str]:
        tabs = Renderer(policy, lang, "guideline").clause_text(policy.clause(clause_id).text)
        return {x.astext(): x["reftarget"] for x in tabs.findall(pending_xref)}

    for clause_id in ("chikugo-6-3-i1", "yanagawa-6-3"):  # 6(3)・1 and 6(3)
        assert "当該ソーシャルメディア管理者" in policy.clause(clause_id).text.ja
        ja = linked(clause_id, "ja")
        assert "管理者" not in ja and "ソーシャルメディア" not in ja, clause_id
        assert ja["成りすまし"] == "成りすまし"  # the other terms still are
        assert "social media" not in linked(clause_id, "en")  # "the operator of the social media service"
    # where 管理者 is the account administrator, it is linked
    assert linked("yanagawa-4-1-p1", "ja")["管理者"] == "管理者"


# ----------------------------------------------------------------------------- colour contrast


@pytest.mark.browser
def test_badges_and_labels_reach_wcag_aa_contrast_in_furo_light_and_dark(tmp_path):
    """axe's color-contrast rule, as the accessibility check runs it, on everything
    the directives render, in furo's light mode, dark mode and automatic dark mode;
    badges of every colour the renderer can choose are added to the page."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright
    from sphinx.testing.util import SphinxTestApp

    from policy_handbook.sphinxext.render import BADGE_TONES, badge_classes

    shutil.copytree(ROOT, tmp_path / "src")
    app = SphinxTestApp("html", srcdir=tmp_path / "src", confoverrides={"html_theme": "furo"})
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = app.outdir
    for html in outdir.glob("*.html"):  # sphinx-design's own colours (some fail AA) are not used
        assert not re.search(r"\bsd-(bg|text|outline)-", html.read_text(encoding="utf-8")), html.name

    every_tone = "".join(f'<span class="{" ".join(badge_classes(tone))}">{tone} 種類</span> ' for tone in BADGE_TONES)
    context = {"include": [[".policy-clause"], [".policy-form"], [".policy-guideline-meta"], [".policy-glossary"]]}
    modes = {"light": ("light", "light"), "dark": ("light", "dark"), "auto, system dark": ("dark", "auto")}
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail(f"{chromium} is missing: run `.venv/bin/python tests/browser_setup.py` as root", pytrace=False)
    axe = Axe()
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            for mode, (scheme, theme) in modes.items():
                page_ = browser.new_page(color_scheme=scheme)
                for name in ("guideline", "forms", "glossary", "topic"):
                    page_.goto((outdir / f"{name}.html").as_uri())
                    # furo animates colour changes: settle them before measuring
                    page_.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
                    page_.evaluate("theme => { document.body.dataset.theme = theme; }", theme)
                    if name == "guideline":
                        added = page_.evaluate(
                            """html => { const p = document.createElement("p");
                                p.className = "policy-clause-meta"; p.innerHTML = html;
                                document.getElementById("north-1-1").append(p);
                                return p.querySelectorAll(".policy-badge").length; }""",
                            every_tone,
                        )
                        assert added == len(BADGE_TONES)
                    checked = page_.evaluate("document.querySelectorAll('.policy-badge').length")
                    assert name != "guideline" or checked > len(BADGE_TONES)
                    result = axe.run(page_, context=context, options={"runOnly": ["color-contrast"]})
                    for violation in result.response["violations"]:
                        for node in violation["nodes"]:
                            problems.append((mode, name, node["target"], node["failureSummary"]))
                page_.close()
        finally:
            browser.close()
    assert not problems
