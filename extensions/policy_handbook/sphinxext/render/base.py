"""The renderer's shared state and small pieces (labels, badges, notes, links).

The directives decide which anchors a page gives out and note what it depends
on while the page is read (directives.py); a renderer builds the nodes when the
page is written (deferred.py), giving an anchor where ``claim`` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx_design.badges_buttons import sd_badge

from ...model import Entry, Form, FormField, Policy, Text, editorial_reason
from ..i18n import _
from ..nodes import policy_lang_inline, policy_note, policy_permalink
from .draft_marks import pending_label
from .terms import TermLinker
from .text import badge_classes, other_language, policy_xref


class RendererBase:
    """Builds the nodes of one directive.

    ``claim(kind, id)`` is asked before an anchor is given out: it returns False
    when the object already has its anchor on this page (then the second copy is
    shown without one, and the caller has warned).
    """

    def __init__(
        self,
        policy: Policy,
        lang: str,
        docname: str,
        *,
        claim: Callable[[str, str], bool] = lambda kind, object_id: True,
        heading_level: int = 2,
    ):
        self.policy = policy
        self.lang = lang
        self.other = other_language(lang)
        self.docname = docname
        self.claim = claim
        self.heading_level = heading_level
        self._linkers: dict[str, TermLinker] = {}

    # -- small pieces

    def phrase(self, text: str, lang: str) -> list[nodes.Node]:
        """Text known to be in ``lang``: marked with lang= when it is not the page's."""
        if lang == self.lang:
            return [nodes.Text(text)]
        return [policy_lang_inline(text, text, lang=lang)]

    def permalink(self, target: str, title: str) -> policy_permalink:
        return policy_permalink("", target=target, title=title, classes=["headerlink", "policy-permalink"])

    def label(self, text: str) -> nodes.inline:
        return nodes.inline(text, text, classes=["policy-meta-label"])

    def joined(self, parts: Iterable[list[nodes.Node]]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.Text(_(", ")))
            out.extend(part)
        return out

    def entry_badge(self, entry: Entry | None, entry_id: str, tone: str) -> nodes.Node:
        text = entry.label.get(self.lang) if entry else entry_id
        badge = sd_badge(text, text, classes=badge_classes(tone))
        if entry and entry.description:
            badge["tooltip"] = entry.description.get(self.lang)
        return badge

    def linker(self, lang: str) -> TermLinker:
        if lang not in self._linkers:
            self._linkers[lang] = TermLinker(self.policy, lang)
        return self._linkers[lang]

    def pending_mark(self, text: Text) -> list[nodes.Node]:
        """ " Translation pending" after a text the English site shows in Japanese."""
        if self.lang != "en" or not text.pending:
            return []
        return [nodes.Text(" "), pending_label()]

    def note(self, note_type: str, text: Text) -> policy_note:
        label = _("Editorial note")
        type_labels = {
            "typo": _("mistake in the published text"),
            "outdated": _("out of date"),
            "editorial": _("remark"),
            "translation": _("about the translation"),
            "printed": _("printed in the published text"),
        }
        type_label = type_labels.get(note_type, note_type)
        head = nodes.paragraph(
            "",
            "",
            nodes.strong(label, label),
            nodes.Text(" "),
            nodes.inline(type_label, type_label, classes=["policy-note-type"]),
            classes=["policy-note-label"],
        )
        body = nodes.paragraph("", "", nodes.Text(text.get(self.lang)), *self.pending_mark(text), classes=["policy-note-text"])
        return policy_note("", head, body, classes=["policy-note", f"policy-note-{note_type}"], label=f"{label}: {type_label}")

    def form_ref(self, form_id: str) -> list[nodes.Node]:
        form = self.policy.form(form_id)
        text = form.label.get(self.lang) if form else form_id
        return [policy_xref("form", form_id, nodes.inline(text, text, classes=["xref", "policy", "policy-form"]), refdoc=self.docname)]

    # -- guidelines

    def editorial_marker(self, owner: object, field: str) -> list[nodes.Node]:
        """After a value the published text does not print: say so, and why."""
        reason = editorial_reason(owner, field)
        if reason is None:
            return []
        label = _("editorial, not printed in the published text")
        text = f" ({label}: {reason.en})" if self.lang == "en" else f"（{label}：{reason.ja}）"
        return [nodes.inline(text, text, classes=["policy-editorial", "policy-unpublished"])]

    def editorial_notes(self, owner: Form | FormField) -> list[nodes.Node]:
        """Editorial notes saying which of a form's values are not printed on it, and why."""
        return [self.note("editorial", e.reason) for e in owner.editorial]

    def guideline_ref(self, guideline, *, refwarn: bool = True) -> addnodes.pending_xref:
        """A link to the page that shows ``guideline``, its title as the text."""
        title = guideline.title.get(self.lang)
        return policy_xref("guideline", guideline.id, nodes.inline(title, title), refwarn=refwarn, refdoc=self.docname)
