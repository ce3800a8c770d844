"""Situation guides on the site ("こんなときは"), from policy/situations.yaml.

Directives (in the ``policy`` domain):

``policy:situation <id>``
    A guide page: the situation's title as the page's title (made while the page
    is read: it is the page's contents), then the guide, rendered when the page
    is written (deferred.py): every guideline's steps side by side.
``policy:situation-list``
    Every situation, linked to its guide and to each municipality's part of it.
    ``:document: <id>``: only links to that guideline's part (for its page).
``policy:role-filter <document>``
    "What applies to me" on a guideline's page: per role, the clauses naming it.

The policy domain records every page showing a situation's guide; links to it
(``pending_xref``) go to the first of them in name order. Nothing here counts
municipalities: a guideline added to the policy is a column of every guide.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging

from ..model import Policy
from ..situations import Situations, role_clauses
from .assets import Files, add_files
from .base import PolicyDirective
from .config import get_config, page_language
from .data import policy_domain
from .deferred import register, unavailable
from .incremental import Uses, each, note_uses, register_fingerprint
from .render import clause_label, finish_generated
from .render.situations import SituationRendering
from .situation_nodes import setup_situation_nodes

logger = logging.getLogger(__name__)


class _SituationDirective(PolicyDirective):
    """A directive on policy/situations.yaml: override ``plan_situations``."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        if policy.situations is None:
            logger.warning(
                "the policy has no situations (policy/situations.yaml)",
                type="policy",
                subtype="situations",
                location=self.get_location(),
            )
            return [unavailable()]
        return self.plan_situations(policy, policy.situations)

    def plan_situations(self, policy: Policy, situations: Situations) -> list[nodes.Node]:
        raise NotImplementedError

    def note_rendered(self, policy: Policy, clause_ids: list[str], documents: list[str]) -> None:
        """What the write-time rendering shows: a change writes the page again."""
        forms = sorted({f for cid in clause_ids if (c := policy.clause(cid)) for f in c.forms})
        note_uses(
            self.env,
            self.env.docname,
            *each("clause", clause_ids),
            *each("refx", clause_ids),
            *each("formref", forms),
            *each("guideline", documents),
            Uses("guideline-list"),
            Uses("situations"),
            deferred=True,
            policy=policy,
        )


class SituationDirective(_SituationDirective):
    required_arguments = 1

    def plan_situations(self, policy: Policy, situations: Situations) -> list[nodes.Node]:
        situation_id = self.arguments[0].strip()
        # The title is read-time content: a changed title re-reads the page.
        note_uses(self.env, self.env.docname, Uses("situations"), policy=policy)
        situation = situations.situation(situation_id)
        if situation is None:
            known = ", ".join(s.id for s in situations.situations)
            logger.warning(
                f"policy:situation: no situation with ID {situation_id!r} (known: {known})",
                type="policy",
                subtype="ref",
                location=self.get_location(),
            )
            return []
        self.show_once("situation", situation_id, f"situation-{situation_id}", f"situation {situation_id!r} is shown twice on this page")
        lang = page_language(self.config)
        clause_ids = [cid for guide in situation.guides for cid in (*guide.clause_ids(), *(o.clause for o in guide.omitted))]
        self.note_rendered(policy, clause_ids, [g.id for g in policy.guidelines])
        section = nodes.section(ids=[f"situation-{situation_id}"], classes=["policy-situation"])
        title = situation.title.get(lang)
        section += nodes.title(title, title)
        section += self.pending("situation", target=situation_id)
        return finish_generated([section], lang)


class SituationListDirective(_SituationDirective):
    option_spec: ClassVar[dict[str, Any]] = {"document": directives.unchanged_required}

    def plan_situations(self, policy: Policy, situations: Situations) -> list[nodes.Node]:
        document = (self.options.get("document") or "").strip()
        if document and policy.guideline(document) is None:
            return self.unknown("guideline", document)
        self.note_rendered(policy, [], [g.id for g in policy.guidelines])
        # Links to every guide: written again when one moves to another page.
        policy_domain(self.env).note_link(self.env.docname, "situation")
        return [self.pending("situation-list", document=document)]


class RoleFilterDirective(_SituationDirective):
    required_arguments = 1

    def plan_situations(self, policy: Policy, situations: Situations) -> list[nodes.Node]:
        document = self.arguments[0].strip()
        guideline = policy.guideline(document)
        if guideline is None:
            return self.unknown("guideline", document)
        self.note_rendered(policy, [c.id for c in guideline.clauses], [document])
        return [self.pending("role-filter", target=document)]


# ----------------------------------------------------------------------------- rendering at write time


def _renderer(builder: Builder, policy: Policy, node: nodes.Element) -> SituationRendering:
    assert policy.situations is not None  # the directive left no placeholder otherwise
    return SituationRendering(
        policy,
        page_language(builder.config),
        node["docname"],
        heading_level=node["heading_level"],
        situations=policy.situations,
        written_only=get_config(builder.config).situations_written_only,
    )


def render_situation(builder: Builder, policy: Policy, node: nodes.Element) -> list[nodes.Node]:
    situation = policy.situations.situation(node["target"]) if policy.situations else None
    if situation is None:
        return []
    renderer = _renderer(builder, policy, node)
    return finish_generated(renderer.guide(situation), renderer.lang)


def render_situation_list(builder: Builder, policy: Policy, node: nodes.Element) -> list[nodes.Node]:
    if policy.situations is None:
        return []
    renderer = _renderer(builder, policy, node)
    return finish_generated([renderer.situation_list(node["document"] or None)], renderer.lang)


def render_role_filter(builder: Builder, policy: Policy, node: nodes.Element) -> list[nodes.Node]:
    guideline = policy.guideline(node["target"])
    if guideline is None or policy.situations is None:
        return []
    renderer = _renderer(builder, policy, node)
    entries = [
        (role, [(c.id, clause_label(c, renderer.lang)) for c in role_clauses(role, guideline.clauses)]) for role in policy.situations.roles
    ]
    return finish_generated([renderer.role_filter(guideline.id, entries, ".policy-clause")], renderer.lang)


def _situations_content(policy: Policy, name: str, label: object) -> Any:
    """The situation guides' data, with the actor labels they show."""
    return None if policy.situations is None else {"situations": policy.situations, "actors": policy.actors}


# ----------------------------------------------------------------------------- setup


DIRECTIVES = {
    "situation": SituationDirective,
    "situation-list": SituationListDirective,
    "role-filter": RoleFilterDirective,
}


def setup_situation_guides(app: Sphinx) -> None:
    setup_situation_nodes(app)
    for name, directive in DIRECTIVES.items():
        app.add_directive_to_domain("policy", name, directive)
    register_fingerprint("situations", _situations_content)
    register("situation", render_situation)
    register("situation-list", render_situation_list)
    register("role-filter", render_role_filter)
    add_files(app, Files(css=["policy-situations.css"], js=["policy-situations.js"]))
