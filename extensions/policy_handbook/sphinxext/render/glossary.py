"""The glossary as a Sphinx glossary, in the page language with the other one beside."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes

from ...model import GlossaryTerm
from ..i18n import _
from .base import RendererBase


class GlossaryRendering(RendererBase):
    def glossary_entries(self) -> list[GlossaryTerm]:
        if self.lang == "ja":
            return sorted(self.policy.glossary, key=lambda t: (t.reading or t.term.ja, t.id))
        return sorted(self.policy.glossary, key=lambda t: (t.term.get("en").casefold(), t.id))

    def glossary(self, make_term: Callable[[list[str], str, str | None], nodes.term]) -> addnodes.glossary:
        """The glossary as a Sphinx glossary. ``make_term(names, node_id, index_key)`` gives
        the term node of the first name with its index entry (sphinx's make_glossary_term),
        a cross-reference target under all the names (both languages, variants)."""
        items = []
        for t in self.glossary_entries():
            primary = t.term.get(self.lang)
            index_key = (t.reading or primary)[:1] if self.lang == "ja" else None
            names = [primary, t.term.get(self.other), *t.variants]
            term = make_term(list(dict.fromkeys(names)), f"term-{t.id}", index_key)
            if self.lang == "ja" and t.reading:  # after the text, before the index entry
                term.insert(1, nodes.inline("", f"（{t.reading}）", classes=["policy-reading"]))

            definition = nodes.definition("", nodes.paragraph("", "", nodes.Text(t.definition.get(self.lang))))
            other = t.term.get(self.other)
            if self.lang == "ja":
                definition += nodes.paragraph(
                    "",
                    "",
                    self.label(_("English")),
                    nodes.Text(" "),
                    *self.phrase(other, "en"),
                    classes=["policy-term-other"],
                )
            else:
                reading = f" ({t.reading})" if t.reading else ""
                definition += nodes.paragraph(
                    "",
                    "",
                    self.label(_("Japanese")),
                    nodes.Text(" "),
                    *self.phrase(other + reading, "ja"),
                    classes=["policy-term-other"],
                )
            if t.variants:
                definition += nodes.paragraph(
                    "",
                    "",
                    self.label(_("Also written")),
                    nodes.Text(" "),
                    *self.joined(self.phrase(v, "ja") for v in t.variants),
                    classes=["policy-term-variants"],
                )
            items.append(nodes.definition_list_item("", term, definition))
        dlist = nodes.definition_list("", *items, classes=["glossary", "policy-glossary"])
        return addnodes.glossary("", dlist, sorted=False, support_smartquotes=False)
