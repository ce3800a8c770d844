"""Marks for imported, not yet reviewed data: a pending translation and suggested labels.

Kept apart from the clause renderer: an imported guideline shows its Japanese on the English
site (lang="ja") under a visible "Translation pending" label, and the importer's
suggested kind and topics as dashed badges labelled "suggested", never as a
person's classification.
"""

from __future__ import annotations

from docutils import nodes
from sphinx_design.badges_buttons import sd_badge

from ...model import Clause
from ..i18n import _


def pending_label() -> nodes.inline:
    text = _("Translation pending")
    return nodes.inline(text, text, classes=["policy-translation-pending"])


def pending_paragraph() -> nodes.paragraph:
    """Above the Japanese shown in an English tab (on both sites, in the page's language)."""
    return nodes.paragraph("", "", pending_label(), classes=["policy-pending"])


def clause_pending(clause: Clause, lang: str) -> bool:
    """Whether the English site must say, under the head, that a heading is untranslated.

    A clause with text says it in its English tab instead.
    """
    if lang != "en" or clause.text is not None:
        return False
    return clause.heading is not None and clause.heading.pending


def suggested_badges(renderer, clause: Clause) -> list[tuple[str, list[nodes.Node], str]]:
    """(label, badges, class) for the clause's suggested kind and topics, if any."""
    out = []
    if clause.suggested_kind and not clause.kind:
        kind = renderer.policy.kind(clause.suggested_kind)
        out.append((_("Suggested kind"), [_badge(renderer, kind, clause.suggested_kind)], "policy-suggested-kind"))
    topics = [t for t in clause.suggested_topics if t not in clause.topics]
    if topics:
        badges: list[nodes.Node] = []
        for topic in topics:
            if badges:
                badges.append(nodes.Text(" "))
            badges.append(_badge(renderer, renderer.policy.topic(topic), topic))
        out.append((_("Suggested topics (not confirmed)"), badges, "policy-suggested-topics"))
    return out


def _badge(renderer, entry, entry_id: str) -> nodes.Node:
    text = entry.label.get(renderer.lang) if entry else entry_id
    return sd_badge(text, text, classes=["sd-badge", "policy-badge", "policy-badge-suggested"])
