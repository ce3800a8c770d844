"""Custom doctree nodes of the policy handbook and how each builder writes them.

Every node subclasses a standard docutils node, so a builder without a visitor
of its own (text, LaTeX, man, texinfo, gettext…) falls back to the parent
class's visitor through Sphinx's MRO dispatch and just renders the children.
The HTML visitors add what only HTML can carry: ``lang`` attributes on the
other-language passages, ``<section>`` and heading roles for clauses,
``role="note"`` for editorial notes, and labelled permalinks.
"""

from __future__ import annotations

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


def _visit_section(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "section", ""))


def _depart_section(self: Any, node: nodes.Element) -> None:
    self.body.append("</section>\n")


def _visit_heading(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div", "", role="heading", **{"aria-level": str(node.get("level", 2))}))


def _depart_div(self: Any, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _visit_lang_block(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div", "", lang=node["lang"]))


def _visit_lang_inline(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def _depart_span(self: Any, node: nodes.Element) -> None:
    self.body.append("</span>")


def _visit_note(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div", "", role="note", **{"aria-label": node["label"]}))


def _visit_form(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div", ""))


def _visit_permalink(self: Any, node: nodes.Element) -> None:
    # starttag escapes attribute values; the target is an ID, the title a UI string.
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            href=f"#{node['target']}",
            title=node["title"],
            **{"aria-label": node["title"]},
        )
    )
    self.body.append("¶</a>")
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(policy_clause, html=(_visit_section, _depart_section))
    app.add_node(policy_form, html=(_visit_form, _depart_div))
    app.add_node(policy_heading, html=(_visit_heading, _depart_div))
    app.add_node(policy_lang_block, html=(_visit_lang_block, _depart_div))
    app.add_node(policy_lang_inline, html=(_visit_lang_inline, _depart_span))
    app.add_node(policy_note, html=(_visit_note, _depart_div))
    # Replaced before any writer sees it (deferred.py); skipped should one ever get through.
    app.add_node(policy_pending, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(
        policy_permalink,
        html=(_visit_permalink, None),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
