"""Roles ``{policy:clause}`` and ``{policy:form}``: links by ID, labelled in the page language.

``{policy:clause}`chikugo-6-3``` reads "6(3) <heading>" (or the first words of a
clause without heading); ``{policy:clause}`this rule <chikugo-6-3>``` keeps the
given text. The label is made while reading, from the policy, and the page
records what the label was made of (incremental.py), so renaming a heading
rebuilds the pages that link to it. An unknown ID is reported at the role's
line and its text stays visible.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from ..model import Policy
from .config import page_language
from .data import PolicyDataError, get_policy
from .incremental import Uses, note_uses, register_fingerprint
from .render import Renderer, clause_title, display_number, first_words, form_label, japanese_text, mark_japanese

logger = logging.getLogger(__name__)


class _PolicyRefRole(SphinxRole):
    kind = ""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        has_explicit, title, target = split_explicit_title(self.text)
        target = target.strip()
        broken = [nodes.inline(self.rawtext, title if has_explicit else target, classes=["policy-ref-broken"])]
        try:
            policy = get_policy(self.env)
        except PolicyDataError:  # already reported; keep the text, read the page again next time
            self.env.note_reread()
            return broken, []
        lang = page_language(self.config)
        docname = self.env.docname
        # What the page takes: the label's parts, or (own text) only that the clause exists.
        uses = "formref" if self.kind == "form" else "refx" if has_explicit else "ref"
        note_uses(self.env, docname, Uses(uses, target), policy=policy)
        if (policy.form(target) if self.kind == "form" else policy.clause(target)) is None:
            logger.warning(
                "policy:%s: no %s with ID '%s'",
                self.kind,
                self.kind,
                target,
                type="policy",
                subtype="ref",
                location=self.get_location(),
            )
            return broken, []
        if has_explicit:
            content: list[nodes.Node] = [nodes.Text(title)]
        else:
            content = self.label(Renderer(policy, lang, docname), target)
        xref = pending_xref(
            self.rawtext,
            nodes.inline("", "", *content, classes=["xref", "policy", f"policy-{self.kind}"]),
            refdomain="policy",
            reftype=self.kind,
            reftarget=target,
            refexplicit=has_explicit,
            refwarn=True,
            refdoc=docname,
        )
        mark_japanese([xref], lang)
        self.set_source_info(xref)
        return [xref], []

    def label(self, renderer: Renderer, target: str) -> list[nodes.Node]:
        raise NotImplementedError


class ClauseRole(_PolicyRefRole):
    kind = "clause"

    def label(self, renderer: Renderer, target: str) -> list[nodes.Node]:
        clause = renderer.policy.clause(target)
        assert clause is not None
        lang = renderer.lang
        rest = clause_title(clause, lang)
        out = [japanese_text(display_number(clause, lang), lang)]
        if rest:
            out.append(nodes.Text(" " + rest))
        return out


class FormRole(_PolicyRefRole):
    kind = "form"

    def label(self, renderer: Renderer, target: str) -> list[nodes.Node]:
        form = renderer.policy.form(target)
        assert form is not None
        return [nodes.Text(form_label(form, renderer.lang))]


# ----------------------------------------------------------------------------- what a link shows


def _ref_content(policy: Policy, clause_id: str, label: Any) -> Any:
    """A link labelled from the clause: what the label is made of (number, heading, first words)."""
    clause = policy.clause(clause_id)
    if clause is None:
        return None
    text = clause.text
    return {
        "number": clause.number,
        "level": clause.level,
        "heading": clause.heading,
        "start": None if text is None else [first_words(text.ja, "ja"), first_words(text.get("en"), "en")],
    }


def _link_content(policy: Policy, clause_id: str, label: Any) -> Any:
    """A link with a text of its own: only that the clause exists."""
    return policy.clause(clause_id) is not None or None


def _form_ref_content(policy: Policy, form_id: str, label: Any) -> Any:
    form = policy.form(form_id)
    return None if form is None else {"label": form.label, "title": form.title}


def setup_roles(app: Sphinx) -> None:
    """The roles are the domain's (domain.py); what their links show is fingerprinted here."""
    register_fingerprint("ref", _ref_content)
    register_fingerprint("refx", _link_content)
    register_fingerprint("formref", _form_ref_content)
