"""Incremental builds: an edit to the policy rebuilds exactly the pages that show it.

Test root: tests/roots/test-incremental. Pages: guideline (the whole guideline
"north"), topic (clause north-1-1 with its items, :no-index:), refs (a link
labelled from north-1-1 and a link with its own text to north-2-p1), forms (form
north-form-1), glossary, plain and index (no policy data).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.search import js_index
from sphinx.testing.util import SphinxTestApp

from helpers.paths import ROOTS
from policy_handbook.sphinxext import incremental

ROOT = ROOTS / "test-incremental"
GENERATED = {"genindex", "search", "policy-clauseindex"}  # Sphinx rewrites these on every build


@dataclass
class Build:
    app: SphinxTestApp
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def html(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    apps = []

    class Project:
        path = src

        def build(self, builder: str = "html") -> Build:
            app = SphinxTestApp(builder, srcdir=src)  # every builder shares _build/doctrees
            apps.append(app)
            result = Build(app)
            app.connect("env-before-read-docs", lambda app, env, docnames: result.read.extend(docnames))
            app.connect(
                "html-page-context",
                lambda app, pagename, template, context, doctree: result.written.append(pagename) if doctree is not None else None,
            )
            app.build()
            result.read.sort()
            result.written.sort()
            return result

        def edit(self, name: str, old: str, new: str, count: int = 1) -> None:
            path = src / name
            text = path.read_text(encoding="utf-8")
            assert text.count(old) >= count, (name, old)
            path.write_text(text.replace(old, new, count), encoding="utf-8")

        def page_mtimes(self, outdir: Path) -> dict[str, int]:
            return {p.name: p.stat().st_mtime_ns for p in outdir.glob("*.html") if p.stem not in GENERATED}

    yield Project()
    for app in reversed(apps):
        app.cleanup()


def test_first_build_reads_everything(project):
    first = project.build()
    assert first.read == ["forms", "glossary", "guideline", "index", "plain", "refs", "topic"]


def test_rebuild_without_change_reads_and_writes_nothing(project):
    first = project.build()
    before = project.page_mtimes(first.app.outdir)
    second = project.build()
    assert second.read == []
    assert second.written == []
    assert project.page_mtimes(second.app.outdir) == before


def test_editing_a_clause_text_writes_only_the_pages_showing_it_without_reading_them(project):
    project.build()
    project.edit("policy/north.yaml", "text: {ja: 緊急時は除く。", "text: {ja: 災害時は除く。")
    second = project.build()
    # The text is rendered when a page is written (deferred.py): nothing to read again.
    assert second.read == []
    # Sphinx also rewrites the page whose toctree lists a written page (its title may have changed)
    assert second.written == ["guideline", "index", "topic"]
    assert "災害時は除く。" in second.html("topic").get_text()
    assert "災害時は除く。" in second.html("guideline").find(id="north-1-1-i2").get_text()
    third = project.build()
    assert third.read == [] and third.written == []


def test_lines_moved_in_the_yaml_read_and_write_nothing(project):
    """A page's fingerprints leave out file positions: comment lines above every
    clause move them all down the file without changing what any page shows."""
    project.build()
    project.edit("policy/north.yaml", "clauses:\n", "clauses:\n  # reviewed\n  # again\n")
    second = project.build()
    assert second.read == [] and second.written == []


def test_editing_a_translation_writes_the_pages_showing_it(project):
    """The fingerprint looks inside nested model objects (a clause's Text)."""
    project.build()
    project.edit("policy/north.yaml", "en: This guideline governs the use of social media.", "en: This guideline governs social media.")
    second = project.build()
    assert second.read == []
    assert "guideline" in second.written


def test_renaming_a_kind_writes_the_pages_showing_its_clauses(project):
    """A clause's fingerprint covers the labels of its kind and topics (each serialised once)."""
    project.build()
    project.edit("policy/taxonomy.yaml", "label: {ja: 義務, en: Duty}", "label: {ja: 責務, en: Duty}")
    second = project.build()
    assert second.read == []
    assert {"guideline", "topic"} <= set(second.written)
    assert "責務" in second.html("topic").get_text()


def test_another_builder_sharing_the_doctrees_does_not_hide_an_edit_from_the_html(project):
    """`make json` reuses the Japanese site's doctrees: after an edit, a JSON build
    between two HTML builds must not leave the HTML page with the old text."""
    project.build()
    project.edit("policy/north.yaml", "text: {ja: 緊急時は除く。", "text: {ja: 災害時は除く。")
    project.build("policyjson")
    second = project.build()
    assert second.written == ["guideline", "index", "topic"]
    assert "災害時は除く。" in second.html("guideline").find(id="north-1-1-i2").get_text()


def test_adding_a_clause_rereads_the_pages_that_give_it_an_anchor(project):
    project.build()
    project.edit(
        "policy/north.yaml",
        "            text: {ja: 緊急時は除く。, en: Except in an emergency.}\n",
        "            text: {ja: 緊急時は除く。, en: Except in an emergency.}\n"
        "          - id: north-1-1-i3\n"
        "            level: item\n"
        '            marker: "・"\n'
        "            kind: duty\n"
        "            topics: [replies]\n"
        "            text: {ja: 夜間も返信しない。, en: Nor at night.}\n",
    )
    second = project.build()
    # the guideline gives the new clause its anchor; topic shows north-1-1's items (:no-index:)
    assert second.read == ["guideline", "topic"]
    assert "夜間も返信しない。" in second.html("guideline").find(id="north-1-1-i3").get_text()
    assert "夜間も返信しない。" in second.html("topic").get_text()


def test_renumbering_rebuilds_the_pages_whose_links_show_the_number(project):
    project.build()
    project.edit("policy/north.yaml", 'marker: "1．"', 'marker: "4．"')
    second = project.build()
    # refs links to north-1-1 as "1(1) …", now "4(1) …" (made while reading); the link with
    # its own text to north-2-p1 is unaffected; the clauses themselves are only written again
    assert second.read == ["refs"]
    assert second.written == ["guideline", "index", "refs", "topic"]
    link = second.html("refs").select_one('a[href="guideline.html#north-1-1"]')
    assert link.get_text().startswith("4(1) ")


def test_a_link_with_its_own_text_does_not_depend_on_the_clause_text(project):
    project.build()
    project.edit("policy/north.yaml", "を作るときは管理者が別紙1で届け出る。", "を作るときは別紙1で届け出る。")
    second = project.build()
    assert second.read == []
    assert second.written == ["guideline", "index"]


def test_glossary_definitions_rebuild_the_glossary_and_new_variants_the_linked_texts(project):
    project.build()
    project.edit("policy/glossary.yaml", "双方向に情報をやりとりできるサービス。", "利用者どうしが双方向に情報をやりとりできるサービス。")
    second = project.build()
    assert second.read == ["glossary"]

    project.edit("policy/glossary.yaml", "variants: [公的アカウント]", "variants: [公的アカウント, 市のアカウント]")
    third = project.build()
    # the glossary page is made while reading; the clause texts link their terms when written
    assert third.read == ["glossary"]
    assert third.written == ["glossary", "guideline", "index", "topic"]


def test_editing_a_form_writes_only_the_form_page(project):
    project.build()
    project.edit("policy/north.yaml", "label: {ja: アカウント名, en: Account name}", "label: {ja: アカウントの名称, en: Account name}")
    second = project.build()
    assert second.read == []
    assert second.written == ["forms", "index"]
    assert "アカウントの名称" in second.html("forms").get_text()


def test_renaming_a_form_also_writes_the_clauses_citing_it(project):
    project.build()
    project.edit("policy/north.yaml", "label: {ja: 別紙1, en: Form 1}", "label: {ja: 別紙第1, en: Form 1}")
    second = project.build()
    assert second.read == []
    assert second.written == ["forms", "guideline", "index"]
    assert second.html("guideline").find(id="north-2-p1").find(class_="policy-forms").get_text() == "様式 別紙第1"


def test_when_a_clause_moves_to_another_page_the_links_to_it_are_rewritten(project):
    first = project.build()
    assert first.html("refs").select_one("a.reference")["href"] == "guideline.html#north-1-1"
    (project.path / "guideline.md").unlink()
    project.edit("index.md", "guideline\n", "")
    project.edit("topic.md", ":no-index:\n", "")
    second = project.build()
    assert "refs" not in second.read  # its text did not change: written again, not re-read
    assert "refs" in second.written
    assert second.html("refs").select_one("a.reference")["href"] == "topic.html#north-1-1"


def test_an_unknown_id_is_rebuilt_when_the_clause_appears(project):
    project.edit("refs.md", "{policy:clause}`north-1-1`", "{policy:clause}`north-1-3`")
    first = project.build()
    assert "no clause with ID 'north-1-3'" in first.app.warning.getvalue()
    project.edit("policy/north.yaml", "id: north-1-1-i2", "id: north-1-3")
    second = project.build()
    assert second.read == ["guideline", "refs", "topic"]
    assert "north-1-3" not in second.app.warning.getvalue()


def test_changed_extension_code_rereads_every_page(project, monkeypatch):
    """An edit to the extension's code reads every page again (as an env_version bump
    would): no page keeps what the old code rendered."""
    project.build()
    monkeypatch.setattr(incremental, "code_fingerprint", lambda: "edited renderer")
    second = project.build()
    assert second.read == ["forms", "glossary", "guideline", "index", "plain", "refs", "topic"]
    assert project.build().read == []


# ----------------------------------------------------------------------------- the extension's code and catalogs


PACKAGE = Path(incremental.__file__).resolve().parent.parent


def test_the_code_fingerprint_covers_every_module_catalog_and_static_file_of_the_package():
    files = set(incremental.package_files())
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules <= files
    assert {
        "sphinxext/date_role.py",
        "sphinxext/comparison_tables.py",
        "site/lang_roles.py",
        "upstream/table_ids.py",
        "validate.py",
        "glossary_match.py",
    } <= files
    assert {
        "sphinxext/locale/ja/LC_MESSAGES/policy_handbook.po",
        "sphinxext/static/policy-situations.js",
        "sphinxext/static/policy.css",
        "sphinxext/static/policy-comparison.css",
        "site/static/site-handbook.css",
        "api/policy.schema.json",
    } <= files
    # not the files made from them at build time
    assert not [f for f in files if f.endswith((".mo", ".pyc")) or "__pycache__" in f]


def test_editing_any_catalog_or_module_changes_the_fingerprint_and_build_products_do_not(tmp_path):
    copy = tmp_path / "policy_handbook"
    shutil.copytree(PACKAGE, copy)
    files = incremental.package_files(copy)
    before = incremental.files_fingerprint(copy, files)
    (copy / "sphinxext" / "__pycache__").mkdir(exist_ok=True)
    (copy / "sphinxext" / "__pycache__" / "domain.cpython-311.pyc").write_bytes(b"compiled")
    (copy / "sphinxext" / "locale" / "ja" / "LC_MESSAGES" / "policy_handbook.mo").write_bytes(b"compiled")
    assert incremental.package_files(copy) == files
    assert incremental.files_fingerprint(copy, incremental.package_files(copy)) == before
    for name in ("sphinxext/locale/ja/LC_MESSAGES/policy_handbook.po", "sphinxext/date_role.py"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# edited\n")
        assert incremental.files_fingerprint(copy, incremental.package_files(copy)) != before, name
        path.write_bytes(original)
    (copy / "sphinxext" / "new_feature.py").write_text("# a module added later\n", encoding="utf-8")
    assert incremental.files_fingerprint(copy, incremental.package_files(copy)) != before


THEME_PO = """msgid ""
msgstr ""
"Language: ja\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Quick search"
msgstr "{}"
"""


def test_a_changed_theme_catalog_rewrites_every_page(tmp_path):
    """docs/locales/ja/LC_MESSAGES/sphinx.po translates the labels of every page's
    template (here the basic theme's search box): all pages are written again."""
    import os
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('locale_dirs = ["locales"]\n')
    catalog = src / "locales" / "ja" / "LC_MESSAGES" / "sphinx.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(THEME_PO.format("サイト内検索"), encoding="utf-8")
    out = tmp_path / "html"

    def build() -> dict[str, str]:
        # A process per build, as `make html` runs: Python caches a catalog once read.
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"), str(src), str(out)],
            env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
            check=True,
            capture_output=True,
            text=True,
        )
        return {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.html") if p.stem not in GENERATED}

    first = build()
    assert all("サイト内検索" in html for html in first.values())
    catalog.write_text(THEME_PO.format("検索する"), encoding="utf-8")
    second = build()
    stale = sorted(name for name, html in second.items() if "検索する" not in html)
    assert not stale
    # and the build after that writes nothing
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html") if p.stem not in GENERATED}
    build()
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.html") if p.stem not in GENERATED} == mtimes


# ----------------------------------------------------------------------------- the search index


def _search_index(build: Build) -> bytes:
    return (build.app.outdir / "searchindex.js").read_bytes()


def test_an_incremental_build_writes_the_search_index_a_clean_build_writes(project):
    """Sphinx forgets the index entries of pages it does not write again (#12599):
    the clause anchors of a search for 返信 and the glossary's terms were lost."""
    first = project.build()
    clean = _search_index(first)
    entries = js_index.loads(clean.decode("utf-8"))["indexentries"]
    anchors = {anchor for places in entries.values() for _doc, anchor, _main in places}
    assert {"north-1-1", "term-official-account"} <= anchors  # a clause, a glossary term

    assert _search_index(project.build()) == clean  # nothing changed

    project.edit("policy/north.yaml", "text: {ja: 緊急時は除く。", "text: {ja: 災害時は除く。")
    edited = _search_index(project.build())
    shutil.rmtree(first.app.outdir.parent)  # _build: outputs and doctrees
    assert _search_index(project.build()) == edited
