"""Escape what Sphinx's index templates print raw.

Sphinx 9.0.4's ``domainindex.html`` (and furo 2025.12.19's copy) prints a
domain index's group headings and entry anchors unescaped
(``<strong>{{ letter }}</strong>``, ``id="cap-{{ letter }}"``,
``href="…#{{ anchor }}"``), and ``genindex.html`` does the same with its group
keys and link URIs. The clause index groups clauses by municipality, which
comes from policy data: a municipality named ``<img src=x onerror=…>`` ran
script on every site's clause index.

Escaping here, once, for every index page (not in the index that fills it)
covers any domain index and any theme that inherits these templates. The
values become ``markupsafe.Markup``: a template that already escapes them
(``|e``) leaves them as they are, so the fix stays correct once upstream
escapes too. tests/sphinx/test_upstream.py fails when upstream no longer needs it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx

INDEX_TEMPLATES = ("domainindex.html", "genindex.html", "genindex-single.html", "genindex-split.html")


def _text(value: Any) -> Any:
    return escape(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def escape_domain_index(content: list) -> list:
    """(letter, [IndexEntry(name, subtype, docname, anchor, extra, qualifier, descr)])."""
    out = []
    for letter, entries in content:
        escaped = []
        for entry in entries:
            name, subtype, docname, anchor, extra, qualifier, descr = entry
            # docname goes through pathto(), which needs it raw; its result is escaped there.
            fields = (_text(name), subtype, docname, _text(anchor), _text(extra), _text(qualifier), _text(descr))
            escaped.append(type(entry)(*fields) if hasattr(entry, "_fields") else fields)
        out.append((_text(letter), escaped))
    return out


def _links(links: list) -> list:
    return [(main, _text(uri)) for main, uri in links]


def escape_general_index(entries: list) -> list:
    """(key, [(entryname, (links, subitems, category_key))]) as IndexEntries.create_index makes it."""
    out = []
    for key, group in entries:
        escaped_group = []
        for entryname, (links, subitems, category_key) in group:
            subitems = [(_text(name), _links(sublinks)) for name, sublinks in subitems]
            escaped_group.append((_text(entryname), (_links(links), subitems, category_key)))
        out.append((_text(key), escaped_group))
    return out


def escape_index_context(pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if templatename not in INDEX_TEMPLATES:
        return
    if templatename == "domainindex.html" and "content" in context:
        context["content"] = escape_domain_index(context["content"])
    if "genindexentries" in context:
        context["genindexentries"] = escape_general_index(context["genindexentries"])


def setup_index_escape(app: Sphinx) -> None:
    app.connect("html-page-context", lambda app, *args: escape_index_context(*args), priority=900)
