"""Directives of the policy domain: guideline, clause, form, guideline-list, glossary.

While a page is read, each one gives anchors through the domain, records what
the page uses (incremental.py) and leaves a placeholder; the clauses and forms
are rendered (render.py) when the page is written (deferred.py). The glossary
is rendered while reading (its terms are link targets). An unknown ID is a
warning at the directive's line, never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment

from ..model import Clause, Policy
from .base import PolicyDirective  # also national.py's base, imported from here
from .config import page_language
from .deferred import register, setup_deferred
from .incremental import note_policy_usage
from .nodes import policy_pending, setup_nodes
from .render import Renderer, finish_generated, mark_japanese, subtree

if TYPE_CHECKING:
    from .domain import PolicyDomain


class ObjectDirective(PolicyDirective):
    """A guideline, clause or form: its anchors (unless ``:no-index:``) and its placeholder."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"no-index": directives.flag, "noindex": directives.flag}

    @property
    def index(self) -> bool:
        return "no-index" not in self.options and "noindex" not in self.options

    def claim(self, kind: str, object_ids: list[str]) -> list[str]:
        """Give these objects their anchors on this page (unless :no-index:); the IDs that got one."""
        if not self.index:
            return []
        domain = cast("PolicyDomain", self.env.domains["policy"])
        docname = self.env.docname
        return [i for i in object_ids if domain.claim(kind, i, docname, self.lineno)]


def _note_clauses_shown(
    env: BuildEnvironment, docname: str, policy: Policy, clauses: Sequence[Clause], **extra: Any
) -> None:
    """The content the page renders at write time for these clauses."""
    note_policy_usage(
        env,
        docname,
        clause_ids=[c.id for c in clauses],
        form_refs=sorted({f for c in clauses for f in c.forms}),
        glossary_terms=any(c.text is not None for c in clauses),
        deferred=True,
        policy=policy,
        **extra,
    )


class GuidelineDirective(ObjectDirective):
    """A whole guideline: its metadata box, then every clause in order, nested."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        document = self.arguments[0].strip()
        env, docname = self.env, self.env.docname
        note_policy_usage(env, docname, anchors=[f"guideline:{document}"], policy=policy)
        guideline = policy.guideline(document)
        if guideline is None:
            return self.unknown("guideline", document)
        anchors = self.claim("clause", [c.id for c in guideline.clauses])  # document order, as rendered
        _note_clauses_shown(env, docname, policy, guideline.clauses, guidelines=[document])
        from .national import note_compare_with  # national.py builds on this module

        note_compare_with(env, docname)
        return [self.pending("guideline", target=document, anchors=anchors)]


class ClauseDirective(ObjectDirective):
    """One clause, with its sub-clauses unless ``:no-children:``."""

    option_spec: ClassVar[dict] = {**ObjectDirective.option_spec, "no-children": directives.flag}

    def plan(self, policy: Policy) -> list[nodes.Node]:
        clause_id = self.arguments[0].strip()
        children = "no-children" not in self.options
        env, docname = self.env, self.env.docname
        what = "clause" if children else "clause-alone"
        note_policy_usage(env, docname, anchors=[f"{what}:{clause_id}"], policy=policy)
        clause = policy.clause(clause_id)
        if clause is None:
            return self.unknown("clause", clause_id)
        clauses = subtree(policy, clause) if children else [clause]
        anchors = self.claim("clause", [c.id for c in clauses])
        _note_clauses_shown(env, docname, policy, clauses)
        return [self.pending("clause", target=clause_id, anchors=anchors, children=children)]


class FormDirective(ObjectDirective):
    """A form (別紙) as a printable table."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        form_id = self.arguments[0].strip()
        env, docname = self.env, self.env.docname
        note_policy_usage(env, docname, anchors=[f"form:{form_id}"], policy=policy)
        if policy.form(form_id) is None:
            return self.unknown("form", form_id)
        anchors = self.claim("form", [form_id])
        note_policy_usage(env, docname, forms=[form_id], deferred=True, policy=policy)
        return [self.pending("form", target=form_id, anchors=anchors)]


class GuidelineListDirective(PolicyDirective):
    """Every guideline of the policy in one table (by guideline ID), each linked to its page."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        env, docname = self.env, self.env.docname
        note_policy_usage(
            env,
            docname,
            guideline_list=True,
            clause_links=[g.roots[0].id for g in policy.guidelines if g.roots],  # where each page is
            deferred=True,
            policy=policy,
        )
        return [self.pending("guideline-list")]


class GlossaryDirective(PolicyDirective):
    """policy/glossary.yaml as a Sphinx glossary: ``{term}`` links reach its terms.

    Rendered while reading, unlike the others: its terms are cross-reference
    targets and index entries, which Sphinx collects from the doctree it reads.
    """

    def plan(self, policy: Policy) -> list[nodes.Node]:
        renderer = Renderer(policy, page_language(self.config), self.env.docname, heading_level=self.heading_level)
        document = self.state.document
        source, line = self.get_source_info()

        def make_term(names: list[str], node_id: str, index_key: str | None) -> nodes.term:
            term = make_glossary_term(self.env, [nodes.Text(names[0])], index_key, source, line, node_id, document)
            document.note_explicit_target(term)
            # A target under every other name too (the other language, variants), so that
            # {term}`公式アカウント` and {term}`official account` both work on both sites;
            # the terms made for them only register them.
            for name in names[1:]:
                make_glossary_term(self.env, [nodes.Text(name)], None, source, line, node_id, document)
            return term

        node = renderer.glossary(make_term)
        mark_japanese([node], renderer.lang)
        note_policy_usage(self.env, self.env.docname, glossary=True, policy=policy)
        return [node]


# ----------------------------------------------------------------------------- rendering at write time


def _renderer(env: BuildEnvironment, policy: Policy, node: policy_pending) -> Renderer:
    anchors = set(node.get("anchors", ()))
    return Renderer(
        policy,
        page_language(env.config),
        node["docname"],
        claim=lambda kind, object_id: object_id in anchors,
        heading_level=node["heading_level"],
    )


def render_guideline(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    guideline = policy.guideline(node["target"])
    if guideline is None:  # cannot happen: a changed structure re-reads the page
        return []
    from .national import compare_with  # national.py builds on this module

    renderer = _renderer(env, policy, node)
    meta, *clauses = finish_generated(renderer.guideline(guideline), renderer.lang)
    # "Compare with…" under the metadata box, when the site has the national views.
    return [meta, *compare_with(env, guideline, node["docname"]), *clauses]


def render_clause(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    clause = policy.clause(node["target"])
    if clause is None:
        return []
    renderer = _renderer(env, policy, node)
    return finish_generated([renderer.clause(clause, children=node["children"])], renderer.lang)


def render_guideline_list(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    renderer = _renderer(env, policy, node)
    return finish_generated([renderer.guideline_list(policy.guidelines)], renderer.lang)


def render_form(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    form = policy.form(node["target"])
    if form is None:
        return []
    renderer = _renderer(env, policy, node)
    return finish_generated([renderer.form(form)], renderer.lang)


# ----------------------------------------------------------------------------- setup


def setup_directives(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")  # tab sets and badges
    setup_nodes(app)
    setup_deferred(app)
    register("guideline", render_guideline)
    register("clause", render_clause)
    register("form", render_form)
    register("guideline-list", render_guideline_list)
