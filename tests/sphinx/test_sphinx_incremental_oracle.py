"""Incremental equals clean: after each edit, every page of an incremental build is
byte for byte the page a clean build of the same sources writes (html and dirhtml).

Test root: tests/roots/test-oracle with tests/fixtures/minimal-policy and the
situations of tests/unit/test_situations.py. Pages: index (the situation list, the
comparison matrix and every topic's table), topic (the topic "replies" again),
north (the whole guideline and its form), south-a and south-b (one clause of
South each), refs (links to south-2 and the form, North's part of each situation), guides/new-account,
guides/comment and guides/comment-2 (a second guide page for "comment").

An object shown on several pages (a topic, a situation) has its links on the
first of them in name order; when that page stops showing it, the links go to
the next one, whichever pages the incremental build reads again.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.search import js_index
from sphinx.testing.util import SphinxTestApp

from helpers.paths import MINIMAL_POLICY, ROOTS
from helpers.situations import SITUATIONS

ROOT = ROOTS / "test-oracle"


def make_source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    shutil.copytree(MINIMAL_POLICY, src / "policy")
    north = src / "policy" / "north.yaml"
    scope = "scope: {ja: 全職員に適用する。, en: The guideline applies to all staff.}\n"
    contact = "contact:\n  department: {ja: 広報課, en: Public Relations Division}\n  phone: 000-0000\n"
    north.write_text(north.read_text(encoding="utf-8").replace(scope, scope + contact), encoding="utf-8")
    (src / "policy" / "situations.yaml").write_text(SITUATIONS, encoding="utf-8")
    return src


class Site:
    """One source tree; an incremental build directory kept across edits, a fresh one per clean build."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.src = make_source(tmp_path)
        self.clean_builds = 0

    def build(self, builder: str, builddir: Path) -> tuple[Path, str]:
        app = SphinxTestApp(builder, srcdir=self.src, builddir=builddir, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        return Path(app.outdir), app.warning.getvalue()

    def incremental(self, builder: str) -> tuple[Path, str]:
        return self.build(builder, self.tmp / "incremental")

    def clean(self, builder: str) -> tuple[Path, str]:
        self.clean_builds += 1
        return self.build(builder, self.tmp / f"clean-{self.clean_builds}")

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.src / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.src / name).write_text(text, encoding="utf-8")


def output_files(outdir: Path) -> dict[str, bytes]:
    files = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }
    files["searchindex.js"] = _without_empty_words(files["searchindex.js"])
    return files


def _without_empty_words(index: bytes) -> bytes:
    """Sphinx's search index after an incremental build keeps the words no page has
    any more, with an empty list of pages ("対照表": []): Sphinx's own pruning
    (IndexBuilder.prune), harmless to a search. Everything else must be equal."""
    data = js_index.loads(index.decode("utf-8"))
    for key in ("terms", "titleterms"):
        data[key] = {word: pages for word, pages in data[key].items() if pages != []}
    return js_index.dumps(data).encode("utf-8")


def page(outdir: Path, builder: str, name: str) -> BeautifulSoup:
    path = outdir / (f"{name}.html" if builder == "html" else ("index.html" if name == "index" else f"{name}/index.html"))
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# Only a title (an untitled page in a toctree is a warning of its own).
EMPTY_PAGE = "# 準備中\n"


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


# --- the two bugs incremental builds had, as a reader sees them -----------------------


def test_removing_the_tables_from_a_page_keeps_the_matrix_linked_to_the_topics_other_page(site):
    """The topic "replies" has its table on index and on topic; index (first in name
    order) stops showing the tables: the matrix links to topic's table."""
    site.incremental("html")
    site.edit("index.md", "## 対照表\n\n```{policy:comparison-tables}\n```\n", "")
    out, warnings = site.incremental("html")
    assert warnings == ""
    links = {a.get_text(): a["href"] for a in page(out, "html", "index").select(".policy-comparison-matrix tbody th a")}
    assert links == {"返信": "topic.html#comparison-replies"}  # the other topics' tables are nowhere now


def test_emptying_one_guide_page_links_the_situation_list_to_the_other(site):
    site.incremental("html")
    site.write("guides/comment.md", EMPTY_PAGE)
    out, warnings = site.incremental("html")
    assert warnings == ""  # was: "situation 'comment' has no guide page"
    hrefs = [a["href"] for a in page(out, "html", "index").select(".policy-situation-list a") if "comment" in a["href"]]
    assert hrefs and all(href.startswith("guides/comment-2.html") for href in hrefs)


def test_a_json_build_between_two_html_builds_does_not_hide_a_moved_guide(site):
    """`make json` reads the Japanese site's doctrees: the guide page it read again must
    still make the next HTML build write the list on refs (no toctree parent of the
    guide, so Sphinx would not write it) that links to it (homes per builder)."""
    site.incremental("html")
    site.write("guides/comment.md", EMPTY_PAGE)
    site.incremental("policyjson")
    out, warnings = site.incremental("html")
    assert warnings == ""
    hrefs = [a["href"] for a in page(out, "html", "refs").select(".policy-situation-list a") if "comment" in a["href"]]
    assert hrefs == ["guides/comment-2.html#comment-north"]


# --- the oracle -----------------------------------------------------------------------

# Applied one after the other to the same sources (each edit also starts from the
# state the previous ones left, as an author's session does).
EDITS = [
    ("remove a directive", lambda s: s.edit("index.md", "## 対照表\n\n```{policy:comparison-tables}\n```\n", "")),
    ("empty a page", lambda s: s.write("guides/comment.md", EMPTY_PAGE)),
    (
        "move a clause between pages",
        lambda s: (
            s.edit("south-b.md", "```{policy:clause} south-2\n```\n", ""),
            s.edit(
                "south-a.md", "```{policy:clause} south-1\n```\n", "```{policy:clause} south-1\n```\n\n```{policy:clause} south-2\n```\n"
            ),
        ),
    ),
    ("edit a clause", lambda s: s.edit("policy/south.yaml", "企画課に問い合わせる。", "企画課に電話で問い合わせる。")),
    ("edit a topic", lambda s: s.edit("policy/comparison.yaml", "summary: {ja: 北のみ。", "summary: {ja: 北市だけが定める。")),
    ("edit a situation", lambda s: s.edit("policy/situations.yaml", "{ja: アカウントを作る,", "{ja: アカウントを開設する,")),
    (
        "edit the taxonomy",
        lambda s: s.edit("policy/taxonomy.yaml", "label: {ja: 返信, en: Replies}", "label: {ja: 返信の仕方, en: Replies}"),
    ),
]


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_page_of_an_incremental_build_equals_a_clean_build(site, builder):
    out, warnings = site.incremental(builder)
    assert warnings == ""
    for name, apply in EDITS:
        apply(site)
        incremental, incremental_warnings = site.incremental(builder)
        clean, clean_warnings = site.clean(builder)
        assert incremental_warnings == clean_warnings == "", name
        got, want = output_files(incremental), output_files(clean)
        assert sorted(got) == sorted(want), name
        differing = [path for path in want if got[path] != want[path]]
        assert differing == [], f"after {name!r}: these files differ from a clean build"
