"""Toctree captions with the ``aria-level`` their role requires.

Sphinx 9.0.4 writes a toctree's caption (furo's navigation headings) as
``<p class="caption" role="heading">`` (``HTML5Translator.visit_title``): WAI-ARIA's
``heading`` role requires ``aria-level``, and axe reports its absence as an error.
The caption is written with level 2, as a heading just below the page title.
Every HTML builder's translator is changed (``add_node`` handlers), whatever its
class: titles that are not toctree captions are left to it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


def _visit_title(self: Any, node: nodes.title) -> None:
    if not (isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree")):
        type(self).visit_title(self, node)
        return
    # What Sphinx writes for a caption, with the level.
    self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **{"aria-level": "2"}))
    self.body.append('<span class="caption-text">')
    self.context.append("</span></p>\n")


def setup(app: Sphinx) -> None:
    app.add_node(nodes.title, override=True, html=(_visit_title, None))
