"""Policy data -> docutils nodes, in the page language with the other one a click away.

One module per thing rendered (clauses, guidelines, forms, glossary) on a shared
base; ``Renderer`` is all of them. Everything from the YAML files goes into the
doctree as ``nodes.Text`` (or as an attribute the HTML writer escapes): data,
never markup.
"""

from __future__ import annotations

from .forms import FormRendering
from .glossary import GlossaryRendering
from .guidelines import GuidelineRendering
from .terms import TermLinker
from .text import (
    BADGE_TONES,
    COLOURED_KINDS,
    LANG_NAMES,
    SYNC_GROUP,
    badge_classes,
    clause_label,
    clause_title,
    display_number,
    finish_generated,
    first_words,
    form_label,
    has_cjk,
    japanese_text,
    kind_tone,
    mark_japanese,
    not_for_gettext,
    other_language,
    policy_xref,
    subtree,
)


class Renderer(GuidelineRendering, FormRendering, GlossaryRendering):
    """Builds the nodes of one directive (see base.RendererBase for ``claim``)."""


__all__ = [
    "BADGE_TONES",
    "COLOURED_KINDS",
    "LANG_NAMES",
    "SYNC_GROUP",
    "Renderer",
    "TermLinker",
    "badge_classes",
    "clause_label",
    "clause_title",
    "display_number",
    "finish_generated",
    "first_words",
    "form_label",
    "has_cjk",
    "japanese_text",
    "kind_tone",
    "mark_japanese",
    "not_for_gettext",
    "other_language",
    "policy_xref",
    "subtree",
]
