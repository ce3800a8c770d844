"""policy_handbook.upstream: each workaround still works, and each canary says when it can go.

A canary asserts the upstream behaviour the workaround exists for. When an
upgrade fixes it upstream, the canary fails: delete the workaround (and the
canary), after checking the fix covers what the workaround did.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import furo
import myst_parser.mdit_to_docutils.base as myst_base
import sphinx
import sphinx.search
from markupsafe import Markup
from sphinx.domains import IndexEntry

from helpers.paths import EXTENSIONS
from policy_handbook.upstream.index_escape import escape_domain_index, escape_general_index

HOSTILE = '"><img src=x onerror=alert(1)>'


# -- index_escape: Sphinx 9.0.4 / furo 2025.12.19 print index group names and anchors raw


def _template(theme_dir: Path, name: str) -> str:
    return (theme_dir / name).read_text(encoding="utf-8")


def test_canary_index_templates_still_print_group_names_and_anchors_unescaped():
    basic = Path(sphinx.__file__).parent / "themes" / "basic"
    furo_theme = Path(furo.__file__).parent / "theme" / "furo"
    for theme in (basic, furo_theme):
        domainindex = _template(theme, "domainindex.html")
        assert "{{ letter }}" in domainindex and "#{{ anchor }}" in domainindex, theme
        assert "{{ key }}" in _template(theme, "genindex.html"), theme


def test_domain_index_headings_and_anchors_are_escaped_and_page_names_left_for_pathto():
    content = [(HOSTILE, [IndexEntry(HOSTILE, 0, "guidelines/x", HOSTILE, HOSTILE, HOSTILE, HOSTILE)])]
    [(letter, [entry])] = escape_domain_index(content)
    assert isinstance(letter, Markup) and "<img" not in letter and "&#34;&gt;&lt;img" in letter
    assert isinstance(entry, IndexEntry)
    assert entry.docname == "guidelines/x"  # pathto() needs it raw; the template escapes its result
    assert all("<img" not in field for field in (entry.name, entry.anchor, entry.extra, entry.qualifier, entry.descr))
    # a template that escapes (|e) leaves the escaped value as it is: no double escaping
    assert Markup("{}").format(letter) == letter
    assert escape_domain_index(escape_domain_index(content)) == escape_domain_index(content)


def test_general_index_keys_names_and_link_targets_are_escaped():
    entries = [(HOSTILE, [(HOSTILE, ([(True, f"x.html#{HOSTILE}")], [(HOSTILE, [(False, HOSTILE)])], None))])]
    [(key, [(name, (links, subitems, category))])] = escape_general_index(entries)
    assert "<img" not in key and "<img" not in name
    assert links[0][0] is True and "<img" not in links[0][1] and links[0][1].startswith("x.html#")
    assert "<img" not in subitems[0][0] and "<img" not in subitems[0][1][0][1]
    assert category is None


# -- myst_settings: myst-parser 5.2.0 builds docutils settings for every parse


def test_canary_myst_parser_still_makes_a_document_for_every_render():
    source = inspect.getsource(myst_base.DocutilsRenderer.setup_render)
    assert 'options.get("document", make_document())' in source


# -- search_index_entries: sphinx-doc/sphinx#12599, indexentries lost on incremental builds


def test_canary_sphinx_search_index_load_still_drops_indexentries():
    source = inspect.getsource(sphinx.search.IndexBuilder.load)
    assert "indexentries" not in source and "_index_entries" not in source


# -- table_ids: furo copies a table's attributes, IDs included, onto its wrapper


def test_canary_furo_still_copies_the_table_ids_onto_its_wrapper():
    source = inspect.getsource(furo.WrapTableAndMathInAContainerTransform.run)
    assert "update_all_atts(table_node)" in source


# -- read_settings: Sphinx 9.0.4 builds docutils' option parser for every page it reads


def test_canary_sphinx_still_builds_settings_for_every_page():
    from sphinx.util import docutils as sphinx_docutils

    assert "_get_settings(" in inspect.getsource(sphinx_docutils._parse_str_to_doctree)


# -- xhtml_inputs: sphinx-design 0.8.0 writes its tab inputs as unclosed <input …>


def test_canary_sphinx_design_still_writes_its_tab_inputs_unclosed():
    from sphinx_design import tabs

    source = inspect.getsource(tabs.visit_tab_input)
    assert 'starttag(node, "input", **attributes)' in source and "empty=True" not in source


# -- toctree_captions: Sphinx 9.0.4 writes toctree captions role="heading" without aria-level


def test_canary_sphinx_still_writes_toctree_captions_without_a_level():
    from sphinx.writers.html5 import HTML5Translator

    source = inspect.getsource(HTML5Translator.visit_title)
    assert "ROLE='heading'" in source and "aria-level" not in source


def test_toctree_captions_get_a_level_and_other_titles_stay_sphinx_s(tmp_path):
    from bs4 import BeautifulSoup
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["policy_handbook.upstream"]\nhtml_theme = "basic"\n', encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n\n.. toctree::\n   :caption: Pages\n\n   other\n", encoding="utf-8")
    (src / "other.rst").write_text("Other\n=====\n\nText.\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    captions = soup.select('p.caption[role="heading"]')
    assert [c.get_text() for c in captions] == ["Pages"] and captions[0]["aria-level"] == "2"
    assert soup.find("h1").get_text().startswith("Title")


# -- page_chrome: Sphinx 9.0.4 writes no page again when the theme catalog or a static file changes

CHROME_PO = 'msgid ""\nmsgstr ""\n"Language: ja\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Quick search"\nmsgstr "{}"\n'


def _build_chrome_project(tmp_path: Path, *, workaround: bool, label: str, css: str) -> str:
    """index.html of a plain Sphinx project (basic theme, a theme catalog, a style sheet),
    built in a process of its own as `make html` does: Python caches a catalog once read."""
    import os
    import subprocess
    import sys

    src = tmp_path / "src"
    catalog = src / "locales" / "ja" / "LC_MESSAGES" / "sphinx.po"
    catalog.parent.mkdir(parents=True, exist_ok=True)
    (src / "_static").mkdir(exist_ok=True)
    conf = (
        'language = "ja"\nlocale_dirs = ["locales"]\nhtml_theme = "basic"\nhtml_static_path = ["_static"]\nhtml_css_files = ["site.css"]\n'
    )
    if workaround:
        conf += "from policy_handbook.upstream.page_chrome import setup_page_chrome\n\ndef setup(app):\n    setup_page_chrome(app)\n"
    if not (src / "conf.py").exists():  # the page itself stays as it was
        (src / "conf.py").write_text(conf, encoding="utf-8")
        (src / "index.rst").write_text("Title\n=====\n\nText.\n", encoding="utf-8")
    catalog.write_text(CHROME_PO.format(label), encoding="utf-8")
    (src / "_static" / "site.css").write_text(css, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"), str(src), str(tmp_path / "html")],
        env={**os.environ, "PYTHONPATH": str(EXTENSIONS)},
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


def _css_link(html: str) -> str:
    return next(line for line in html.splitlines() if "site.css" in line)


def test_canary_sphinx_keeps_pages_with_an_old_theme_catalog_and_old_static_checksums(tmp_path):
    first = _build_chrome_project(tmp_path, workaround=False, label="サイト内検索", css="p { color: black }")
    second = _build_chrome_project(tmp_path, workaround=False, label="検索する", css="p { color: navy }")
    assert "サイト内検索" in second and "検索する" not in second
    assert _css_link(second) == _css_link(first)


def test_pages_are_written_again_with_the_new_catalog_and_checksums(tmp_path):
    first = _build_chrome_project(tmp_path, workaround=True, label="サイト内検索", css="p { color: black }")
    second = _build_chrome_project(tmp_path, workaround=True, label="検索する", css="p { color: navy }")
    assert "検索する" in second and "サイト内検索" not in second
    assert _css_link(second) != _css_link(first)
    assert _build_chrome_project(tmp_path, workaround=True, label="検索する", css="p { color: navy }") == second
