"""HTML elements docutils has no node for, used by the situation guides, the
role filter and the national views: form controls (fieldset, radio inputs,
select), <details>, tables and list items with data attributes, live regions,
compact links.

The tag name is always a constant of the code; attribute values (some from the
policy data, such as a role's ID) go through the HTML writer's ``starttag``,
which escapes them. Other builders render the children only.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

BLOCK_TAGS = frozenset(
    {"div", "fieldset", "legend", "details", "summary", "ol", "ul", "li", "nav", "p", "blockquote", "form", "select",
     "optgroup", "option", "noscript", "table", "caption", "thead", "tbody", "tr", "th", "td"}
)  # fmt: skip
INLINE_TAGS = frozenset({"span", "label", "input", "a", "button"})


class html_block(nodes.container):  # noqa: N801
    """``html_block(tag="fieldset", attrs={...})``: a block element with these attributes."""


class html_inline(nodes.inline):  # noqa: N801
    """``html_inline(tag="label", attrs={...})``; ``input`` is written as an empty element."""


def block(tag: str, *children: nodes.Node, classes: list[str] | None = None, ids: list[str] | None = None, **attrs: str) -> html_block:
    if tag not in BLOCK_TAGS:
        raise ValueError(f"not a block tag of these nodes: {tag}")
    return html_block("", *children, tag=tag, attrs=dict(attrs), classes=classes or [], ids=ids or [])


def inline(tag: str, *children: nodes.Node, classes: list[str] | None = None, ids: list[str] | None = None, **attrs: str) -> html_inline:
    if tag not in INLINE_TAGS:
        raise ValueError(f"not an inline tag of these nodes: {tag}")
    return html_inline("", "", *children, tag=tag, attrs=dict(attrs), classes=classes or [], ids=ids or [])


def _attributes(node: nodes.Element) -> dict[str, str]:
    # Python keywords cannot be attribute names: data_items -> data-items, for_ -> for.
    return {name.rstrip("_").replace("_", "-"): value for name, value in node["attrs"].items()}


def _visit(self: Any, node: nodes.Element) -> None:
    tag = node["tag"]
    if tag == "input":
        self.body.append(self.starttag(node, "input", "", empty=True, **_attributes(node)))
        raise nodes.SkipNode
    self.body.append(self.starttag(node, tag, "", **_attributes(node)))


def _depart(self: Any, node: nodes.Element) -> None:
    self.body.append(f"</{node['tag']}>")


def setup_situation_nodes(app: Sphinx) -> None:
    app.add_node(html_block, html=(_visit, _depart))
    app.add_node(html_inline, html=(_visit, _depart))
