"""Pieces every renderer shares: language marking, gettext exclusion, badges, labels.

Everything from the YAML files goes into the doctree as ``nodes.Text`` (or as an
attribute that the HTML writer escapes): it is data, never parsed as MyST, RST or
HTML, so a clause reading ``<script>`` or ``{raw}`` shows exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx import addnodes

from ...citations import number_in
from ...comparison import ClauseView
from ...model import Clause, Form, Policy
from ..i18n import _
from ..nodes import policy_lang_block, policy_lang_inline

LANG_NAMES = {"ja": "日本語", "en": "English"}  # each language named in itself
SYNC_GROUP = "policy-lang"

# Badge colours: the kinds of clause with a colour of their own, every other kind
# "other", topics "topic". The colours are policy.css's (class policy-badge-<tone>),
# not sphinx-design's sd-bg-*: several of those fail WCAG AA contrast (white on
# #28a745 is 3.1:1), and none has a dark-mode variant.
COLOURED_KINDS = ("prohibition", "duty", "procedure", "principle", "exception")
BADGE_TONES = (*COLOURED_KINDS, "other", "topic")


def badge_classes(tone: str) -> list[str]:
    """sphinx-design's badge shape (``sd-badge``) with the handbook's own colours."""
    return ["sd-sphinx-override", "sd-badge", "policy-badge", f"policy-badge-{tone}"]


def kind_tone(kind_id: str) -> str:
    return kind_id if kind_id in COLOURED_KINDS else "other"


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_CJK_RUN = re.compile(_CJK.pattern + "+")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def mark_japanese(roots: Iterable[nodes.Node], page_lang: str) -> None:
    """Wrap every Japanese run inside English text in ``lang="ja"``.

    English texts quote Japanese (「時宜に適った」, 一般職); screen readers need to
    know to switch voice, and the English site must have no Japanese outside
    ``lang="ja"``. Works on the finished nodes, so nothing building them can forget.
    """
    for root in roots:
        _mark(root, page_lang == "en")


def not_for_gettext(roots: Iterable[nodes.Node]) -> None:
    """Keep generated text out of the pages' translation catalogs (``make gettext``).

    Clause texts, field names (自治体), tab labels (日本語), glossary terms: the
    English site takes them from the policy data and the extension's catalog,
    never from docs/locales. Sphinx extracts a block-level text element that has
    a source (it gives field names, rubrics and terms their parent's) unless it
    carries ``translatable = False``. Inline elements are never extracted, and
    must not get the attribute: Sphinx strips every inline carrying
    ``translatable`` (RemoveTranslatableInline), text and all.
    """
    for root in roots:
        if not isinstance(root, nodes.Element):
            continue
        for element in root.findall(nodes.TextElement):
            if not isinstance(element, nodes.Inline):
                element["translatable"] = False


def finish_generated(roots: list[nodes.Node], page_lang: str) -> list[nodes.Node]:
    """The last step for nodes made from the policy: Japanese runs in English text
    get lang="ja", and nothing goes to the pages' translation catalogs."""
    mark_japanese(roots, page_lang)
    not_for_gettext(roots)
    return roots


def _mark(node: nodes.Node, english: bool) -> None:
    if isinstance(node, (policy_lang_block, policy_lang_inline)):
        english = node["lang"] == "en"
        if not english:
            return
    if not isinstance(node, nodes.Element):
        return
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            if english and has_cjk(child):
                node.replace(child, _split_japanese(str(child)))
        else:
            _mark(child, english)


def _split_japanese(text: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    pos = 0
    for run in _CJK_RUN.finditer(text):
        if run.start() > pos:
            out.append(nodes.Text(text[pos : run.start()]))
        out.append(policy_lang_inline(run.group(), run.group(), lang="ja"))
        pos = run.end()
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def policy_xref(kind: str, target: str, content: nodes.Node, *, refwarn: bool = True, **attributes: Any) -> addnodes.pending_xref:
    """A link to a clause, form, guideline, topic or situation, resolved by the policy domain
    (only ``content`` when no page shows it); ``attributes``: refdoc, refanchor."""
    return addnodes.pending_xref(
        "", content, refdomain="policy", reftype=kind, reftarget=target, refexplicit=True, refwarn=refwarn, **attributes
    )


def other_language(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def japanese_text(text: str, lang: str) -> nodes.Node:
    """Published markers and numbers ("1．", "2(1)・3") as one node, marked lang="ja" on
    the English site when they contain Japanese."""
    if lang == "en" and has_cjk(text):
        return policy_lang_inline(text, text, lang="ja")
    return nodes.Text(text)


def first_words(text: str, lang: str) -> str:
    """The start of a text for link labels: 20 characters (ja) or 8 words (en)."""
    text = " ".join(text.split())
    if lang == "ja":
        return text if len(text) <= 20 else text[:20] + "…"
    words = text.split(" ")
    return text if len(words) <= 8 else " ".join(words[:8]) + "…"


def display_number(clause: Clause | ClauseView, lang: str) -> str:
    """The citation number to show: "6(3)", "2(1)・3", or "Preamble" (前文).

    English pages write the item separator ・ (a Japanese character) as the
    Latin middle dot: "2(1)·3" looks the same and is not Japanese text.
    """
    if clause.level == "preamble":
        return _("Preamble")
    return number_in(clause.number, lang)


def clause_title(clause: Clause, lang: str) -> str:
    """What names a clause after its number: its heading, else its first words."""
    if clause.heading is not None:
        return clause.heading.get(lang)
    if clause.text is not None:
        return first_words(clause.text.get(lang), lang)
    return ""


def clause_label(clause: Clause, lang: str) -> str:
    """Default text of a link to a clause: "6(3) heading" or "6(3) first words…"."""
    return f"{display_number(clause, lang)} {clause_title(clause, lang)}".strip()


def subtree(policy: Policy, clause: Clause) -> list[Clause]:
    """The clause and its sub-clauses, in the order the page shows them (depth first)."""
    out = [clause]
    for child_id in clause.children:
        child = policy.clause(child_id)
        if child is not None:
            out.extend(subtree(policy, child))
    return out


def form_label(form: Form, lang: str) -> str:
    return f"{form.label.get(lang)} {form.title.get(lang)}"
