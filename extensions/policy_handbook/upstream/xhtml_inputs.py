"""Well-formed XHTML in the EPUB: sphinx-design's tab inputs closed as ``<input … />``.

sphinx-design 0.8.0 writes each tab's radio button as ``<input …>``
(``visit_tab_input``, no ``empty=True``): right in HTML, where ``input`` is a void
element, but in the EPUB's XHTML, which is XML, everything after it nests
inside the input until the parser meets a ``</div>`` it cannot match. Every
guideline chapter (its clauses are Japanese/English tab sets) was then not
well-formed: the Nu checker stops with a fatal error, and strict reader apps
(Apple Books) refuse such a chapter. Only builders that write XHTML are changed;
the website keeps sphinx-design's bytes.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

XHTML_SUFFIX = ".xhtml"


def _closed_input(original):
    def visit(self: Any, node: Any) -> None:
        original(self, node)
        tag = self.body[-1]
        bare = tag.rstrip()  # starttag() ends the tag with a line break
        if bare.startswith("<input") and bare.endswith(">") and not bare.endswith("/>"):
            self.body[-1] = bare[:-1] + " />" + tag[len(bare) :]

    return visit


def _on_builder_inited(app: Sphinx) -> None:
    if getattr(app.builder, "out_suffix", None) != XHTML_SUFFIX or "sphinx_design" not in app.extensions:
        return
    from sphinx_design import tabs

    app.add_node(tabs.sd_tab_input, override=True, html=(_closed_input(tabs.visit_tab_input), tabs.depart_tab_input))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _on_builder_inited)
