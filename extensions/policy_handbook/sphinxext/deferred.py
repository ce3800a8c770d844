"""Directive output rendered when a page is written, not when it is read.

A directive that shows policy data (a guideline, a clause, a form, the
comparison) does only the cheap part while the page is read: it gives out the
anchors through the domain, records what the page shows (incremental.py), and
leaves a ``policy_pending`` node. The post-transform below replaces that node
with the rendered clauses when the page is resolved for writing, from the same
pinned policy.

Why: docutils and Sphinx run some thirty read-time transforms over every node of
a page (and the English build's translation pass walks them all again), and the
doctree is pickled and unpickled; none of that is needed for generated content.
And a clause's text is not part of a page's structure (its anchors, its table of
contents), so an edit to it makes the page be *written* again, not read again
(``deferred=True`` in ``note_uses``). The ``policyjson`` builder, which
writes no page, never renders clauses at all.

Renderers register under a name with ``register``; the node carries the name,
the page it was read on and whatever the renderer needs (IDs, anchors, heading
level), all plain data so the doctree pickles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..model import Policy
from .data import policy_or_none
from .i18n import _
from .nodes import policy_pending

Render = Callable[[Builder, Policy, policy_pending], list[nodes.Node]]

_renderers: dict[str, Render] = {}


def register(what: str, render: Render) -> None:
    """``render(builder, policy, pending_node)`` -> the nodes that replace it (links
    through ``builder.get_relative_uri`` or ``pending_xref``)."""
    _renderers[what] = render


def pending(what: str, docname: str, **attributes: Any) -> policy_pending:
    """The placeholder a directive returns; ``attributes`` must be plain data."""
    if what not in _renderers:
        raise ValueError(f"no deferred renderer registered for {what!r}")
    return policy_pending("", what=what, docname=docname, **attributes)


def unavailable() -> nodes.paragraph:
    """What a page shows instead of policy content when the data has errors."""
    text = _("This part cannot be shown: the policy data has errors (see the build warnings, or run make check).")
    return nodes.paragraph(text, text, classes=["policy-unavailable"])


class RenderPendingPolicy(SphinxPostTransform):
    """Replace every ``policy_pending`` node with its rendered content."""

    # Before the cross-reference resolvers (sphinx-design's stash at 5, myst's at 9,
    # Sphinx's ReferencesResolver at 10): the rendered content holds pending_xref
    # nodes (glossary terms, form and clause links). sphinx-design turns the tab
    # sets into HTML at 200.
    default_priority = 3

    def run(self, **kwargs: Any) -> None:
        found = list(self.document.findall(policy_pending))
        if not found:
            return
        policy = policy_or_none(self.env)  # the build's pinned snapshot
        builder = self.env._app.builder  # as Sphinx's own ReferencesResolver finds it
        for node in found:
            if policy is None:  # problems already reported at file:line
                content: list[nodes.Node] = [unavailable()]
            else:
                content = _renderers[node["what"]](builder, policy, node)
            for new in content:
                if isinstance(new, nodes.Element) and new.source is None:
                    new.source, new.line = node.source, node.line  # warnings point at the directive
            if content:
                node.replace_self(content)
            else:
                node.parent.remove(node)


def setup_deferred(app: Sphinx) -> None:
    app.add_post_transform(RenderPendingPolicy)
