"""The Sphinx workaround policy_handbook.upstream.read_settings.

Sphinx 9.0.4 builds docutils' option parser for every page it reads; the
workaround builds the settings once and gives each page its own copy.
"""

from __future__ import annotations

import pytest
from docutils.parsers.rst import Parser
from docutils.readers import standalone

from policy_handbook.upstream import read_settings

DEFAULTS = {"traceback": True, "smartquotes_locales": [], "tab_width": 8}


@pytest.fixture
def counted(monkeypatch):
    """read_settings.cached around a stand-in for Sphinx's _get_settings that counts its calls."""
    from sphinx.util.docutils import _get_settings

    real = getattr(_get_settings, "__wrapped__", _get_settings)
    calls = []

    def original(*components, defaults, read_config_files=False):
        calls.append(components)
        return real(*components, defaults=defaults, read_config_files=read_config_files)

    monkeypatch.setattr(read_settings, "_built", {})
    return read_settings.cached(original), calls


def test_settings_are_built_once_for_many_pages(counted):
    get_settings, calls = counted
    pages = [get_settings(standalone.Reader, Parser(), defaults=DEFAULTS) for _ in range(50)]
    assert len(calls) == 1
    assert len({id(p) for p in pages}) == 50
    assert all(p.tab_width == 8 for p in pages)


def test_what_a_page_records_or_changes_does_not_reach_the_next(counted):
    get_settings, _calls = counted
    first = get_settings(standalone.Reader, Parser(), defaults=DEFAULTS)
    first.record_dependencies.add("included.md")
    first.smartquotes_locales.append("ja")
    first.tab_width = 99
    second = get_settings(standalone.Reader, Parser(), defaults=DEFAULTS)
    assert second.record_dependencies.list == []
    assert second.smartquotes_locales == []
    assert second.tab_width == 8


def test_other_defaults_build_other_settings(counted):
    get_settings, calls = counted
    get_settings(standalone.Reader, Parser(), defaults=DEFAULTS)
    other = get_settings(standalone.Reader, Parser(), defaults={**DEFAULTS, "tab_width": 4})
    assert other.tab_width == 4 and len(calls) == 2


def test_settings_holding_an_unknown_object_are_built_for_each_page(counted):
    get_settings, calls = counted
    defaults = {**DEFAULTS, "warning_stream": object()}
    get_settings(standalone.Reader, Parser(), defaults=defaults)
    get_settings(standalone.Reader, Parser(), defaults=defaults)
    assert len(calls) == 3  # built once for the cache, then afresh for each page


@pytest.mark.sphinx("html", testroot="read-settings", freshenv=True)
def test_each_page_of_a_build_depends_on_its_own_included_files_only(app):
    app.build()
    dependencies = {doc: sorted(str(p) for p in paths) for doc, paths in app.env.dependencies.items()}
    assert [p.endswith("shared.html") for p in dependencies.get("a-with-include", [])] == [True]
    assert "plain" not in dependencies and "index" not in dependencies
    html = (app.outdir / "a-with-include.html").read_text(encoding="utf-8")
    assert "Shared text." in html
