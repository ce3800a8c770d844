"""HTML elements docutils has no node for: form controls (fieldset, radio
inputs, select), <details>, list items with data attributes, live regions.

``block`` and ``inline`` are one docutils node per element (the situation guides,
the role filter). ``tree(element(...))`` is a whole tree of elements as one node,
for views of thousands of elements (the national views: a row per municipality),
which would otherwise cost every post-transform and the search indexer a walk
over each.

The tag name is always a constant of the code; attribute values and text (some
from the policy data, such as a role's ID or a municipality's name) go through
the HTML writer's ``starttag``, ``attval`` and ``encode``, which escape them.
Other builders render a block's children only, and skip a tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .nodes import SKIPPED_ELSEWHERE

BLOCK_TAGS = frozenset({"div", "fieldset", "legend", "details", "summary", "ol", "ul", "li", "nav", "p", "blockquote"})
INLINE_TAGS = frozenset({"span", "label", "input"})


class html_block(nodes.container):  # noqa: N801
    """``html_block(tag="fieldset", attrs={...})``: a block element with these attributes."""


class html_inline(nodes.inline):  # noqa: N801
    """``html_inline(tag="label", attrs={...})``; ``input`` is written as an empty element."""


def block(tag: str, *children: nodes.Node, classes: list[str] | None = None, ids: list[str] | None = None, **attrs: str) -> html_block:
    if tag not in BLOCK_TAGS:
        raise ValueError(f"not a block tag of the situation guides: {tag}")
    return html_block("", *children, tag=tag, attrs=dict(attrs), classes=classes or [], ids=ids or [])


def inline(tag: str, *children: nodes.Node, classes: list[str] | None = None, ids: list[str] | None = None, **attrs: str) -> html_inline:
    if tag not in INLINE_TAGS:
        raise ValueError(f"not an inline tag of the situation guides: {tag}")
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


TREE_TAGS = BLOCK_TAGS | INLINE_TAGS | frozenset(
    {"a", "button", "form", "select", "optgroup", "option", "noscript", "table", "caption", "thead", "tbody", "tr",
     "th", "td"}
)  # fmt: skip
_VOID_TAGS = frozenset({"input"})


@dataclass(frozen=True, slots=True)
class Element:
    """One element of an ``html_tree``: attribute values None are written bare (``hidden``)."""

    tag: str
    attrs: tuple[tuple[str, str | None], ...]
    children: tuple[Element | str, ...]


def element(tag: str, *children: Element | str, **attrs: str | None) -> Element:
    """``element("option", name, value=g.id)``; ``class_``/``for_`` for class/for, ``data_x`` for data-x."""
    if tag not in TREE_TAGS:
        raise ValueError(f"not a tag of these nodes: {tag}")
    return Element(tag, tuple((name.rstrip("_").replace("_", "-"), value) for name, value in attrs.items()), children)


class html_tree(nodes.General, nodes.Element):  # noqa: N801
    """``html_tree(roots=[element(...), ...])``: written in one go by its HTML visitor."""


def tree(*roots: Element) -> html_tree:
    return html_tree("", roots=list(roots))


def _visit_tree(self: Any, node: nodes.Element) -> None:
    out: list[str] = []

    def write(item: Element | str) -> None:
        if isinstance(item, str):
            out.append(self.encode(item))
            return
        out.append("<" + item.tag)
        for name, value in item.attrs:
            out.append(f" {name}" if value is None else f' {name}="{self.attval(value)}"')
        out.append(">")
        if item.tag in _VOID_TAGS:
            return
        for child in item.children:
            write(child)
        out.append(f"</{item.tag}>")

    for root in node["roots"]:
        write(root)
    self.body.append("".join(out))
    raise nodes.SkipNode


def setup_situation_nodes(app: Sphinx) -> None:
    app.add_node(html_block, html=(_visit, _depart))
    app.add_node(html_inline, html=(_visit, _depart))
    app.add_node(html_tree, html=(_visit_tree, None), **SKIPPED_ELSEWHERE)
