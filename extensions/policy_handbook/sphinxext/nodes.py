"""Custom doctree nodes of the policy handbook and how each builder writes them.

Every node subclasses a standard docutils node, so a builder without a visitor
of its own (text, LaTeX, man, texinfo, gettext…) falls back to the parent
class's visitor through Sphinx's MRO dispatch and just renders the children.
The HTML visitors add what only HTML can carry: ``lang`` attributes on the
other-language passages, ``<section>`` and heading roles for clauses,
``role="note"`` for editorial notes, and labelled permalinks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


class policy_clause(nodes.container):  # noqa: N801
    """One clause with its head, text, metadata, notes and nested sub-clauses."""


class policy_form(nodes.container):  # noqa: N801
    """A form (別紙) as a printable table."""


class policy_heading(nodes.paragraph):  # noqa: N801
    """A clause or form heading: ``role="heading"`` with ``aria-level`` in HTML.

    Not a docutils title: clauses are not document sections (they must not fill
    the page's table of contents), but screen readers should still list them.
    """


class policy_lang_block(nodes.container):  # noqa: N801
    """A passage in another language than the page's: ``<div lang="..">``."""


class policy_lang_inline(nodes.inline):  # noqa: N801
    """A phrase in another language than the page's: ``<span lang="..">``."""


class policy_note(nodes.container):  # noqa: N801
    """An editorial note, kept apart from the official text: ``role="note"``."""


class policy_permalink(nodes.Inline, nodes.Element):  # noqa: N801
    """The ¶ link to a clause or form (HTML only: other builders skip it)."""


class policy_pending(nodes.Element):  # noqa: N801
    """Where a directive's output goes, rendered from the policy when the page is
    written (deferred.py). Never reaches a writer: the post-transform replaces it."""


# ----------------------------------------------------------------------------- HTML

Visitor = Callable[[Any, nodes.Element], None]


def element_visitors(tag: str, end: str = "", **attributes: str | Callable[[nodes.Element], str]) -> tuple[Visitor, Visitor]:
    """(visit, depart) writing the node as ``<tag …>…</tag>`` + ``end``. An attribute is a
    constant or taken from the node (``attributes[name](node)``); ``aria_level`` is
    ``aria-level``. ``starttag`` escapes the values and adds the node's ids and classes."""

    def visit(self: Any, node: nodes.Element) -> None:
        values = {name.replace("_", "-"): value if isinstance(value, str) else value(node) for name, value in attributes.items()}
        self.body.append(self.starttag(node, tag, "", **values))

    def depart(self: Any, node: nodes.Element) -> None:
        self.body.append(f"</{tag}>{end}")

    return visit, depart


def _lang(node: nodes.Element) -> str:
    return node["lang"]


def _visit_permalink(self: Any, node: nodes.Element) -> None:
    # starttag escapes attribute values; the target is an ID, the title a UI string.
    self.body.append(self.starttag(node, "a", "", href=f"#{node['target']}", title=node["title"], **{"aria-label": node["title"]}))
    self.body.append("¶</a>")
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


#: For a node only HTML shows: the other builders skip it (with its children).
SKIPPED_ELSEWHERE: dict[str, Any] = {name: (_skip, None) for name in ("latex", "text", "man", "texinfo")}


def setup_nodes(app: Sphinx) -> None:
    app.add_node(policy_clause, html=element_visitors("section", "\n"))
    app.add_node(policy_form, html=element_visitors("div", "\n"))
    heading = element_visitors("div", "\n", role="heading", aria_level=lambda node: str(node.get("level", 2)))
    app.add_node(policy_heading, html=heading)
    app.add_node(policy_lang_block, html=element_visitors("div", "\n", lang=_lang))
    app.add_node(policy_lang_inline, html=element_visitors("span", lang=_lang))
    app.add_node(policy_note, html=element_visitors("div", "\n", role="note", aria_label=lambda node: node["label"]))
    # Replaced before any writer sees it (deferred.py); skipped should one ever get through.
    app.add_node(policy_pending, html=(_skip, None), **SKIPPED_ELSEWHERE)
    app.add_node(policy_permalink, html=(_visit_permalink, None), **SKIPPED_ELSEWHERE)
