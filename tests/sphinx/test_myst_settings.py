"""The myst-parser workaround (policy_handbook.upstream.myst_settings).

myst-parser 5.2.0 builds a docutils option parser for every parse, including
each of the English site's ~330 translated messages; the workaround builds the
default settings once and gives each document its own copy.
"""

from __future__ import annotations

from myst_parser.mdit_to_docutils import base

from policy_handbook.upstream import myst_settings


def test_documents_are_made_from_settings_built_once(monkeypatch):
    myst_settings._patch()
    built = []
    real = myst_settings.get_default_settings
    monkeypatch.setattr(myst_settings, "get_default_settings", lambda cls: built.append(cls) or real(cls))
    myst_settings._default_settings.cache_clear()
    documents = [base.make_document(f"doc{i}") for i in range(50)]
    assert len(built) == 1
    assert [d["source"] for d in documents[:2]] == ["doc0", "doc1"]


def test_a_document_changing_its_settings_leaves_the_next_one_alone():
    myst_settings._patch()
    first, second = base.make_document(), base.make_document()
    first.settings.tab_width = 99
    assert second.settings.tab_width != 99
    assert base.make_document().settings.tab_width != 99


def test_patching_twice_wraps_once():
    myst_settings._patch()
    patched = base.make_document
    myst_settings._patch()
    assert base.make_document is patched
