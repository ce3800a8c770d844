"""The comparison directives as a reader sees them: matrix, side-by-side tables, marks, legend.

The test root has three guidelines (north, south, east) listed in comparison.yaml:
the third column comes from the data alone.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
import sphinx.locale
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from helpers.paths import PACKAGE, ROOTS

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text("utf-8"), "html.parser")


def visible_text(element) -> str:
    """The text a sighted reader sees (screen-reader-only labels removed)."""
    element = BeautifulSoup(str(element), "html.parser")
    for hidden in element.select(".policy-comparison-sr"):
        hidden.decompose()
    return element.get_text()


@pytest.fixture(scope="module")
def ja(tmp_path_factory):
    app = build(tmp_path_factory, "html", language="ja")
    yield app
    app.cleanup()


@pytest.fixture(scope="module")
def en(tmp_path_factory):
    app = build(tmp_path_factory, "html", language="en")
    yield app
    app.cleanup()


def build(tmp_path_factory, builder: str, **confoverrides) -> SphinxTestApp:
    """Build a fresh copy of the test root (module-scoped: one build serves many tests)."""
    # Translators are cached per process and catalog: forget the other language's.
    sphinx.locale.translators.clear()
    srcdir = tmp_path_factory.mktemp("comparison") / "src"
    shutil.copytree(ROOTS / "test-comparison", srcdir)
    app = SphinxTestApp(builder, srcdir=srcdir, confoverrides=confoverrides, status=StringIO(), warning=StringIO())
    app.build()
    return app


def side_by_side(soup: BeautifulSoup, topic: str):
    return soup.select_one(f"section#comparison-{topic} table.policy-comparison-side-by-side")


def test_matrix_is_a_real_table_with_scoped_headers(ja):
    table = page(ja, "index").select_one("table.policy-comparison-matrix")
    assert table.caption.get_text(strip=True).startswith("トピック別の対応一覧")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["トピック", "関係", "北市", "南市", "東市"]
    assert {th["scope"] for th in table.select("thead th")} == {"col"}
    row_headers = table.select("tbody th")
    assert [th["scope"] for th in row_headers] == ["row"] * 4
    assert [th.get_text(strip=True) for th in row_headers] == ["目的", "返信", "成りすまし", "問合せ先"]


def test_matrix_badges_say_the_relation_in_the_page_language(ja):
    badges = [b.get_text() for b in page(ja, "index").select("table.policy-comparison-matrix .sd-badge")]
    assert badges == ["同等", "より厳格（北市）", "類似", "北市のみ"]


def test_matrix_cells_link_to_the_clauses_and_topics_to_their_tables(ja):
    table = page(ja, "index").select_one("table.policy-comparison-matrix")
    replies = table.select("tbody tr")[1]
    links = [a["href"] for a in replies.select("td a")]
    assert links == ["guidelines.html#north-2-1", "guidelines.html#south-2-p1", "guidelines.html#east-2-p1"]
    assert replies.th.a["href"] == "#comparison-replies"
    contact = table.select("tbody tr")[3]
    cells = contact.find_all("td")
    assert cells[1].a["href"] == "guidelines.html#north-3-p1"
    assert "該当する条項なし" in cells[2].get_text() and not cells[2].a
    # The anchors the links point at exist on the guideline page.
    guidelines = page(ja, "guidelines")
    assert guidelines.find(id="north-2-1") and guidelines.find(id="east-2-p1")


def test_legend_above_the_tables_explains_the_marks(ja):
    soup = page(ja, "index")
    legend = soup.select_one(".policy-comparison-legend")
    text = visible_text(legend)
    assert "表の見方" in text and "下線" in text and "取消線" in text and "類似度" in text
    assert legend.find("ins") and legend.find("del")
    first_table = soup.select_one("table.policy-comparison-side-by-side")
    assert legend.sourceline < first_table.sourceline


def test_side_by_side_table_has_a_column_per_document(ja):
    table = side_by_side(page(ja, "index"), "replies")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["北市", "南市", "東市"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    assert table.caption.get_text(strip=True).startswith("返信：条項の対照")
    section = table.find_parent("section")
    assert section.select_one(".policy-comparison-relation .sd-badge").get_text() == "より厳格（北市）"
    assert "北市は例外を設けない。" in section.select_one(".policy-comparison-summary").get_text()


def test_differences_are_marked_with_ins_and_del(ja):
    north, south, east = side_by_side(page(ja, "index"), "replies").select("tbody tr")[0].find_all("td")
    assert [visible_text(d) for d in north.find_all("del")] == ["原則として"]
    assert not north.find("ins")
    assert [visible_text(i) for i in south.find_all("ins")] == ["ただし、緊急時は除く。"]
    assert not south.find("del") and not east.find("del") and not east.find("ins")
    assert all("policy-diff-ins" in i["class"] for i in south.find_all("ins"))
    assert all("policy-diff-del" in d["class"] for d in north.find_all("del"))
    # The marked text reads in order, exactly as published.
    assert visible_text(south.select_one(".policy-comparison-text")) == "意見や質問には返信しない。ただし、緊急時は除く。"
    # Screen readers hear what the mark means.
    assert south.ins.select_one(".policy-comparison-sr").get_text() == "［挿入："
    assert north.find("del").select_one(".policy-comparison-sr").get_text() == "［削除："


def test_each_cell_cites_its_clause_and_gives_the_similarity(ja):
    north, south, east = side_by_side(page(ja, "index"), "replies").select("tbody tr")[0].find_all("td")
    assert north.select_one(".policy-comparison-clause-head a")["href"] == "guidelines.html#north-2-1"
    assert north.select_one(".policy-comparison-clause-head").get_text(" ", strip=True) == "2(1) 返信"
    assert not north.select(".policy-comparison-similarity")
    assert re.fullmatch(r"北市との類似度 \d{1,2}%", south.select_one(".policy-comparison-similarity").get_text())
    assert east.select_one(".policy-comparison-similarity").get_text() == "北市との類似度 71%"


def test_rows_without_the_first_document_compare_with_the_next(ja):
    north, south, east = side_by_side(page(ja, "index"), "impersonation").select("tbody tr")[0].find_all("td")
    assert north.get_text(strip=True) == "該当する条項なし"
    assert [visible_text(i) for i in east.find_all("ins")] == ["運営者に"]
    assert east.select_one(".policy-comparison-similarity").get_text().startswith("南市との類似度")


def test_clause_text_is_data_not_markup(ja):
    soup = page(ja, "index")
    cell = side_by_side(soup, "contact").select_one("tbody td")
    assert "<script>alert(1)</script>" in cell.get_text()
    assert not soup.select("table script")


def test_topic_directive_renders_one_topic_and_warns_on_unknown(ja):
    soup = page(ja, "topic")
    assert [s["id"] for s in soup.select("section.policy-comparison-topic")] == ["comparison-replies"]
    assert not soup.select(".policy-comparison-legend")  # :no-legend:
    warnings = strip_colors(ja.warning.getvalue())
    assert "topic.md:7: WARNING: unknown comparison topic 'nonexistent' (known: purpose, replies, impersonation, contact)" in warnings
    assert warnings.count("WARNING") == 1


def test_english_site_shows_english_texts_marks_and_labels(en):
    soup = page(en, "index")
    matrix = soup.select_one("table.policy-comparison-matrix")
    assert [th.get_text(strip=True) for th in matrix.select("thead th")] == ["Topic", "Relation", "North City", "South City", "East City"]
    assert [b.get_text() for b in matrix.select(".sd-badge")] == ["Equivalent", "Stricter: North City", "Similar", "North City only"]
    north, south, east = side_by_side(soup, "replies").select("tbody tr")[0].find_all("td")
    assert visible_text(north.select_one(".policy-comparison-text")) == "As a rule, staff do not reply to comments or questions."
    assert [visible_text(d) for d in north.find_all("del")] == ["As a rule, staff"]
    assert [visible_text(i) for i in south.find_all("ins")] == ["Staff", ", except in an emergency"]
    assert south.ins.select_one(".policy-comparison-sr").get_text() == "[inserted: "
    assert south.select_one(".policy-comparison-similarity").get_text().startswith("Similarity to North City: ")
    assert "How to read the tables" in soup.select_one(".policy-comparison-legend").get_text()
    # No Japanese anywhere in the generated tables and legend of the English site.
    for element in soup.select(".policy-comparison-legend, table.policy-comparison-table"):
        assert not JAPANESE.search(element.get_text()), JAPANESE.search(element.get_text())


def test_generated_text_stays_out_of_the_translation_catalogs(tmp_path_factory):
    app = build(tmp_path_factory, "gettext")
    try:
        pot = (app.outdir / "index.pot").read_text("utf-8")
    finally:
        app.cleanup()
    assert 'msgid "一覧"' in pot  # the page's own prose is translatable
    assert "意見や質問" not in pot and "トピック別の対応一覧" not in pot and "表の見方" not in pot


def test_every_ui_string_of_the_tables_has_a_japanese_translation():
    import ast

    from babel.messages.pofile import read_po

    module = PACKAGE / "sphinxext" / "comparison_tables.py"
    strings = {
        node.args[0].value
        for node in ast.walk(ast.parse(module.read_text("utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    po = module.parent / "locale" / "ja" / "LC_MESSAGES" / "policy_handbook.po"  # the one UI catalog
    with po.open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string and not m.fuzzy}
    assert len(strings) > 20
    assert sorted(strings - translated) == []


def test_marks_do_not_rely_on_colour(ja):
    """Underline for insertions, strike-through for deletions, labels hidden only visually."""
    soup = page(ja, "index")
    assert any("policy-comparison.css" in link.get("href", "") for link in soup.find_all("link"))
    css = (ja.outdir / "_static" / "policy-comparison.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    assert "text-decoration: underline" in rules["ins.policy-diff-ins"]
    assert "text-decoration: line-through" in rules["del.policy-diff-del"]
    assert "clip: rect(0, 0, 0, 0)" in rules[".policy-comparison-sr"]


def test_an_edited_text_rewrites_the_tables_of_its_language_only(tmp_path):
    """The tables are written again when what they show changes: a Japanese text
    edit changes the Japanese tables, not the English ones (nothing is re-read)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-comparison", src)

    def build(lang: str) -> tuple[list[str], list[str], SphinxTestApp]:
        sphinx.locale.translators.clear()
        app = SphinxTestApp(
            "html",
            srcdir=src,
            builddir=tmp_path / lang,
            confoverrides={"language": lang},
            status=StringIO(),
            warning=StringIO(),
        )
        read: list[str] = []
        written: list[str] = []
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
        app.connect("html-page-context", lambda app, name, t, c, doctree: written.append(name) if doctree else None)
        app.build()
        app.cleanup()
        return sorted(read), sorted(written), app

    for lang in ("ja", "en"):
        build(lang)
    north = src / "policy" / "north.yaml"
    north.write_text(north.read_text("utf-8").replace("意見や質問には原則として返信しない。", "意見や質問には返信しない。"), "utf-8")
    ja_read, ja_written, ja_app = build("ja")
    en_read, en_written, _ = build("en")
    assert ja_read == en_read == []
    assert "topic" in ja_written  # 返信だけ: the replies table
    assert "topic" not in en_written
    assert "guidelines" in en_written  # the clause itself, with its Japanese tab
    assert "意見や質問には返信しない。" in page(ja_app, "topic").get_text()


# ----------------------------------------------------------------------------- the list of guidelines


def test_guideline_list_links_every_guideline_to_its_page(ja):
    rows = page(ja, "list").select("table.policy-guideline-list tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    # municipality, title, date of enactment or revision, clauses with text (by guideline ID)
    assert [c[0] for c in cells] == ["福岡県東市", "福岡県北市", "福岡県南市"]
    assert cells[1][2] == "令和2年4月1日" and cells[0][2] == "—"
    assert all(c[3].isdigit() and int(c[3]) > 0 for c in cells)
    links = [row.select_one("a.reference")["href"] for row in rows]
    assert links == ["guidelines.html"] * 3  # the page that shows each one (no anchor: its top)


def test_guideline_list_in_english(en):
    table = page(en, "list").select_one("table.policy-guideline-list")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Municipality", "Title", "Enacted or revised", "Clauses"]
    north = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[1].select("td")]
    assert north[0] == "North City, Fukuoka Prefecture" and north[2] == "1 April 2020"


def test_a_clause_left_out_of_its_topic_table_is_listed_under_it_with_the_reason(tmp_path):
    """excluded: a reader looking for North 3 under impersonation finds why it is not in that table."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-comparison", srcdir)
    north = srcdir / "policy" / "north.yaml"
    north.write_text(north.read_text("utf-8").replace("topics: [contact]", "topics: [contact, impersonation]", 1), "utf-8")
    comparison = srcdir / "policy" / "comparison.yaml"
    exclusion = (
        "    excluded:\n"
        "      - clause: north-3-p1\n"
        "        reason: {ja: 問合せ先として<b>比較</b>する。, en: Compared as a <b>contact</b> point.}\n"
        "  - topic: contact\n"
    )
    comparison.write_text(comparison.read_text("utf-8").replace("  - topic: contact\n", exclusion, 1), "utf-8")
    texts = {}
    for lang in ("ja", "en"):
        sphinx.locale.translators.clear()
        app = SphinxTestApp("html", srcdir=srcdir, builddir=tmp_path / f"build-{lang}", confoverrides={"language": lang},
                            status=StringIO(), warning=StringIO())  # fmt: skip
        try:
            app.build()
        finally:
            app.cleanup()
        soup = page(app, "index")
        section = soup.select_one("section#comparison-impersonation")
        box = section.select_one(".policy-comparison-excluded")
        assert box is not None, f"{lang}: no list of left-out clauses under the impersonation table"
        assert box.find_previous_sibling("table") is not None  # after the table it explains
        (link,) = box.select("li a")
        assert link["href"].endswith("#north-3-p1") and link.get_text(strip=True) == "3"
        assert box.find("b") is None  # the reason is text, not markup
        texts[lang] = " ".join(box.get_text(" ", strip=True).split())
        assert len(soup.select(".policy-comparison-excluded")) == 1  # only under the topic that leaves one out
    assert texts["ja"] == "このトピックの条項のうち、表に並べていないもの 北市 3 ：問合せ先として<b>比較</b>する。"
    assert texts["en"] == "Clauses of this topic not in the table North City 3 : Compared as a <b>contact</b> point."
