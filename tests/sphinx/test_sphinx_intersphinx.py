"""Another Sphinx project cites the handbook's clauses with a plain Sphinx setup (intersphinx).

The handbook side is the test-directives root, built here; the client is
tests/roots/test-intersphinx-client: only sphinx.ext.intersphinx, no policy
extension, pointed at the handbook build's objects.inv (a local file, no network).
"""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile
from test_sphinx_directives import ROOT as HANDBOOK_ROOT

HANDBOOK_URL = "https://handbook.example.invalid/ja/"


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("handbook")
    shutil.copytree(HANDBOOK_ROOT, srcdir, dirs_exist_ok=True)
    app = SphinxTestApp("html", srcdir=srcdir)
    app.build()
    yield app
    app.cleanup()


def _inventory(app):
    with open(app.outdir / "objects.inv", "rb") as f:
        return InventoryFile.load(f, HANDBOOK_URL, lambda base, uri: base + uri)


def test_clauses_and_forms_are_std_labels_with_display_names(handbook):
    data = _inventory(handbook)  # type -> name -> item (uri, display_name…)
    labels = data["std:label"]
    clause = labels["north-1-1"]
    assert clause.uri == HANDBOOK_URL + "guideline.html#north-1-1"
    assert clause.display_name.startswith("1(1) ")  # its number, then its first words
    assert labels["north-1"].display_name.endswith(" 返信")  # its number, then its heading
    assert labels["north-form-1"].uri == HANDBOOK_URL + "forms.html#north-form-1"
    # the policy domain's own entries stay named by ID (what the search page shows and finds)
    assert data["policy:clause"]["north-1-1"].uri == clause.uri


def test_a_plain_sphinx_project_links_to_clauses_by_id(handbook, rootdir, tmp_path):
    srcdir = tmp_path / "client"
    shutil.copytree(rootdir / "test-intersphinx-client", srcdir)
    inventory = str(handbook.outdir / "objects.inv")
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"intersphinx_mapping": {"handbook": (HANDBOOK_URL, inventory)}})
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "undefined label" not in warnings and "not found" not in warnings, warnings
    html = BeautifulSoup((srcdir / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in html.select("a.reference.external")}
    assert links[HANDBOOK_URL + "guideline.html#north-1-1"].startswith("1(1) ")
    assert links[HANDBOOK_URL + "guideline.html#north-1"].endswith("返信")
    assert links[HANDBOOK_URL + "forms.html#north-form-1"] == "届出書"


def test_a_page_label_of_the_same_name_wins_and_is_reported(make_app, rootdir, tmp_path):
    srcdir = tmp_path / "handbook"
    shutil.copytree(HANDBOOK_ROOT, srcdir)
    index = srcdir / "index.md"
    index.write_text("(north-2)=\n" + index.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "the label 'north-2' of index is also a clause or form ID" in app.warning.getvalue()
    assert app.env.domains.standard_domain.labels["north-2"][0] == "index"
