"""One element per ID: furo's table wrappers keep the table's IDs off themselves.

furo puts every table in a ``<div class="table-wrapper">`` (so that a wide table
scrolls on a phone) and copies all the table's attributes onto it, IDs included
(``WrapTableAndMathInAContainerTransform``): every table with an ID, such as each
captioned table of the comparison, had it twice. Duplicate IDs break in-page
links and fail WCAG 2.0 SC 4.1.1, which JIS X 8341-3:2016 adopts. The IDs stay on
the table, where its permalink points.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class KeepIdsOnTheTable(SphinxPostTransform):
    formats = ("html",)
    default_priority = 501  # just after furo's wrapper (500)

    def run(self, **kwargs: Any) -> None:
        for wrapper in self.document.findall(nodes.container):
            if not wrapper["ids"] or not {"table-wrapper", "math-wrapper"} & set(wrapper["classes"]):
                continue
            wrapped = wrapper.children[0] if wrapper.children else None
            if isinstance(wrapped, nodes.Element):
                wrapper["ids"] = [i for i in wrapper["ids"] if i not in wrapped["ids"]]


def setup(app: Sphinx) -> None:
    app.add_post_transform(KeepIdsOnTheTable)
