"""Clauses: marker, heading, text in both languages (tabs), metadata and notes."""

from __future__ import annotations

from docutils import nodes
from sphinx_design.shared import create_component

from ...model import Clause, Text
from ..i18n import _
from ..nodes import policy_clause, policy_heading, policy_lang_block
from . import draft_marks
from .base import RendererBase
from .text import LANG_NAMES, SYNC_GROUP, display_number, japanese_text, kind_tone, other_language


class ClauseRendering(RendererBase):
    def clause(self, clause: Clause, *, children: bool = True, depth: int = 0) -> policy_clause:
        anchored = self.claim("clause", clause.id)
        node = policy_clause(
            classes=["policy-clause", f"policy-level-{clause.level}"],
            clause_id=clause.id,
            support_smartquotes=False,
        )
        if anchored:
            node["ids"].append(clause.id)
        head = self.clause_head(clause, anchored, depth)
        if head is not None:
            node += head
        if draft_marks.clause_pending(clause, self.lang):
            node += nodes.paragraph("", "", draft_marks.pending_label(), classes=["policy-pending"])
        if clause.text is not None:
            node += self.clause_text(clause.text)
        meta = self.clause_meta(clause)
        if head is None and anchored:
            # An unnumbered paragraph has no head line: its permalink ends the metadata line.
            if meta is None:
                meta = nodes.paragraph("", "", classes=["policy-clause-meta"])
            meta += self.permalink(clause.id, _("Link to this clause"))
        if meta is not None:
            node += meta
        for note in clause.notes:
            node += self.note(note.type, note.text)
        if children:
            for child_id in clause.children:
                child = self.policy.clause(child_id)
                if child is not None:
                    node += self.clause(child, children=True, depth=depth + 1)
        return node

    def clause_head(self, clause: Clause, anchored: bool, depth: int) -> nodes.Element | None:
        """Marker, heading and permalink; None for an unnumbered paragraph (nothing to show)."""
        if not clause.marker and clause.heading is None and clause.level != "preamble":
            return None
        parts: list[nodes.Node] = []
        if clause.marker:
            parts.append(nodes.inline("", "", japanese_text(clause.marker, self.lang), classes=["policy-marker"]))
        elif clause.level == "preamble":
            text = display_number(clause, self.lang)
            parts.append(nodes.inline(text, text, classes=["policy-marker", "policy-preamble"]))
        if clause.heading is not None:
            heading = clause.heading.get(self.lang)
            parts.append(nodes.inline(heading, heading, classes=["policy-heading-text"]))
        if anchored:
            parts.append(self.permalink(clause.id, _("Link to this clause")))
        if clause.heading is not None:
            level = min(6, self.heading_level + depth)
            return policy_heading("", "", *parts, classes=["policy-clause-heading"], level=level)
        return nodes.paragraph("", "", *parts, classes=["policy-clause-head"])

    def clause_text(self, text: Text) -> nodes.Element:
        """The text in both languages: a tab set synchronised across the site, page language first."""
        tab_set = create_component("tab-set", classes=["sd-tab-set", "policy-lang-tabs"])
        for lang in (self.lang, other_language(self.lang)):
            words = self.linker(lang).link(text.get(lang), self.docname)
            passage: nodes.Element = nodes.paragraph("", "", *words, classes=["policy-text"])
            shown = "ja" if lang == "en" and text.pending else lang  # untranslated: the Japanese
            if shown != self.lang:
                passage = policy_lang_block("", passage, lang=shown)
            label = nodes.rubric("", "", *self.phrase(LANG_NAMES[lang], lang), classes=["sd-tab-label"])
            label["sync_group"] = SYNC_GROUP
            label["sync_id"] = lang
            shown_first = [draft_marks.pending_paragraph()] if shown != lang else []
            content = create_component("tab-content", classes=["sd-tab-content"], children=[*shown_first, passage])
            tab_set += create_component(
                "tab-item",
                classes=["sd-tab-item"],
                selected=lang == self.lang,
                children=[label, content],
            )
        return tab_set

    def clause_meta(self, clause: Clause) -> nodes.Element | None:
        items: list[nodes.Node] = []

        def item(label: str, *content: nodes.Node, cls: str) -> None:
            if items:
                items.append(nodes.Text(" "))
            items.append(nodes.inline("", "", self.label(label), nodes.Text(" "), *content, classes=["policy-meta-item", cls]))

        if clause.kind:
            badge = self.entry_badge(self.policy.kind(clause.kind), clause.kind, kind_tone(clause.kind))
            item(_("Kind"), badge, cls="policy-kind")
        if clause.topics:
            badges: list[nodes.Node] = []
            for topic in clause.topics:
                if badges:
                    badges.append(nodes.Text(" "))
                badges.append(self.entry_badge(self.policy.topic(topic), topic, "topic"))
            item(_("Topics"), *badges, cls="policy-topics")
        for label, badges, cls in draft_marks.suggested_badges(self, clause):
            item(label, *badges, cls=cls)
        if clause.actors:
            actors = []
            for actor_id in clause.actors:
                actor = self.policy.actor(actor_id)
                actors.append([nodes.Text(actor.label.get(self.lang) if actor else actor_id)])
            item(_("Actors"), *self.joined(actors), cls="policy-actors")
        if clause.forms:
            item(_("Forms"), *self.joined(self.form_ref(form_id) for form_id in clause.forms), cls="policy-forms")
        if not items:
            return None
        return nodes.paragraph("", "", *items, classes=["policy-clause-meta"])
