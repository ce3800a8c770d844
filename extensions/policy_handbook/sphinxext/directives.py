"""Directives of the policy domain: guideline, clause, form, guideline-list, glossary.

While a page is read, each one gives anchors through the domain, records what
the page uses (incremental.py) and leaves a placeholder; the clauses and forms
are rendered (render.py) when the page is written (deferred.py). The glossary
is rendered while reading (its terms are link targets). An unknown ID is a
warning at the directive's line, never an exception.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment

from ..model import Clause, Policy
from .base import PolicyDirective
from .config import page_language
from .data import policy_domain
from .deferred import register, setup_deferred
from .incremental import Uses, each, note_uses, register_fingerprint
from .nodes import policy_pending, setup_nodes
from .render import Renderer, finish_generated, mark_japanese, subtree


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
        domain = policy_domain(self.env)
        docname = self.env.docname
        return [i for i in object_ids if domain.claim(kind, i, docname, self.lineno)]


def _note_clauses_shown(env: BuildEnvironment, docname: str, policy: Policy, clauses: Sequence[Clause], *extra: Uses) -> None:
    """The content the page renders at write time for these clauses."""
    note_uses(
        env,
        docname,
        *each("clause", [c.id for c in clauses]),
        *each("formref", sorted({f for c in clauses for f in c.forms})),
        *([Uses("glossary-terms")] if any(c.text is not None for c in clauses) else []),
        *extra,
        deferred=True,
        policy=policy,
    )


class GuidelineDirective(ObjectDirective):
    """A whole guideline: its metadata box, then every clause in order, nested."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        document = self.arguments[0].strip()
        env, docname = self.env, self.env.docname
        note_uses(env, docname, Uses("anchors", f"guideline:{document}"), policy=policy)
        guideline = policy.guideline(document)
        if guideline is None:
            return self.unknown("guideline", document)
        anchors = self.claim("clause", [c.id for c in guideline.clauses])  # document order, as rendered
        _note_clauses_shown(env, docname, policy, guideline.clauses, Uses("guideline", document))
        env.events.emit("policy-guideline-read", env, docname, document)
        return [self.pending("guideline", target=document, anchors=anchors)]


class ClauseDirective(ObjectDirective):
    """One clause, with its sub-clauses unless ``:no-children:``."""

    option_spec: ClassVar[dict] = {**ObjectDirective.option_spec, "no-children": directives.flag}

    def plan(self, policy: Policy) -> list[nodes.Node]:
        clause_id = self.arguments[0].strip()
        children = "no-children" not in self.options
        env, docname = self.env, self.env.docname
        what = "clause" if children else "clause-alone"
        note_uses(env, docname, Uses("anchors", f"{what}:{clause_id}"), policy=policy)
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
        note_uses(env, docname, Uses("anchors", f"form:{form_id}"), policy=policy)
        if policy.form(form_id) is None:
            return self.unknown("form", form_id)
        anchors = self.claim("form", [form_id])
        note_uses(env, docname, Uses("form", form_id), deferred=True, policy=policy)
        return [self.pending("form", target=form_id, anchors=anchors)]


class GuidelineListDirective(PolicyDirective):
    """Every guideline of the policy in one table (by guideline ID), each linked to its page."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        env, docname = self.env, self.env.docname
        note_uses(
            env,
            docname,
            Uses("guideline-list"),
            *each("refx", [g.roots[0].id for g in policy.guidelines if g.roots]),  # where each page is
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
        note_uses(self.env, self.env.docname, Uses("glossary"), policy=policy)
        return [node]


# ----------------------------------------------------------------------------- rendering at write time


def _renderer(builder: Builder, policy: Policy, node: policy_pending) -> Renderer:
    anchors = set(node.get("anchors", ()))
    return Renderer(
        policy,
        page_language(builder.config),
        node["docname"],
        claim=lambda kind, object_id: object_id in anchors,
        heading_level=node["heading_level"],
    )


def render_guideline(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    guideline = policy.guideline(node["target"])
    if guideline is None:  # cannot happen: a changed structure re-reads the page
        return []
    renderer = _renderer(builder, policy, node)
    meta, *clauses = finish_generated(renderer.guideline(guideline), renderer.lang)
    # What features add under the metadata box ("Compare with…" of the national views).
    added = builder.env.events.emit("policy-guideline-meta", builder, guideline, node["docname"])
    return [meta, *(new for nodes_of_one in added for new in nodes_of_one), *clauses]


def render_clause(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    clause = policy.clause(node["target"])
    if clause is None:
        return []
    renderer = _renderer(builder, policy, node)
    return finish_generated([renderer.clause(clause, children=node["children"])], renderer.lang)


def render_guideline_list(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    renderer = _renderer(builder, policy, node)
    return finish_generated([renderer.guideline_list(policy.guidelines)], renderer.lang)


def render_form(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    form = policy.form(node["target"])
    if form is None:
        return []
    renderer = _renderer(builder, policy, node)
    return finish_generated([renderer.form(form)], renderer.lang)


# ----------------------------------------------------------------------------- what the pages show


def _clause_content(policy: Policy, clause_id: str, label: Callable[[Any], Any]) -> Any:
    """A clause shown: its fields (not its file position), and the labels of its kind,
    topics, actors and cited forms (``label`` stands an entry in by its digest)."""
    clause = policy.clause(clause_id)
    if clause is None:
        return None
    forms = [policy.form(f) for f in clause.forms]
    return {
        "clause": clause,
        "kind": label(policy.kind(clause.kind)) if clause.kind else None,
        "topics": [label(policy.topic(t)) for t in clause.topics],
        "actors": [label(policy.actor(a)) for a in clause.actors],
        "forms": [(f.id, f.label) if f else None for f in forms],
        # suggested labels are shown too (as suggestions): their taxonomy labels count
        "suggested": [label(policy.kind(clause.suggested_kind)) if clause.suggested_kind else None]
        + [label(policy.topic(t)) for t in clause.suggested_topics],
    }


def _guideline_content(policy: Policy, document: str, label: object) -> Any:
    """A guideline's metadata box and its list of top-level clauses."""
    g = policy.guideline(document)
    if g is None:
        return None
    meta = {f.name: getattr(g, f.name) for f in dataclasses.fields(g) if f.name not in ("clauses", "forms", "location")}
    meta["roots"] = [c.id for c in g.roots]
    return meta


def _anchors_content(policy: Policy, name: str, label: object) -> Any:
    """``<what>:<id>``: the IDs a directive gives anchors to (``guideline``, ``clause``,
    ``clause-alone`` for ``:no-children:``, ``form``): the page's structure, so a clause
    added, removed or renamed re-reads it."""
    what, _, object_id = name.partition(":")
    if what == "guideline":
        g = policy.guideline(object_id)
        return None if g is None else [c.id for c in g.clauses]
    if what in ("clause", "clause-alone"):
        clause = policy.clause(object_id)
        if clause is None:
            return None
        return [clause.id] if what == "clause-alone" else [c.id for c in subtree(policy, clause)]
    if what == "form":
        return [object_id] if policy.form(object_id) is not None else None
    return None


def _guideline_list_content(policy: Policy, name: str, label: object) -> Any:
    """What the list of all guidelines shows of each."""
    return [
        [g.id, g.municipality, g.prefecture, g.lg_code, g.title, g.current_date, sum(c.text is not None for c in g.clauses)]
        for g in policy.guidelines
    ]


def _glossary_terms_content(policy: Policy, name: str, label: object) -> Any:
    """The terms and variants clause texts are linked by, and the actors' labels: a
    term inside one of them is not linked (glossary_match)."""
    return {"terms": [(t.id, t.term, t.variants) for t in policy.glossary], "longer names": [a.label for a in policy.actors]}


FINGERPRINTS = {
    "anchors": _anchors_content,
    "clause": _clause_content,
    "form": lambda policy, form_id, label: policy.form(form_id),
    "guideline": _guideline_content,
    "guideline-list": _guideline_list_content,
    "glossary": lambda policy, name, label: policy.glossary,
    "glossary-terms": _glossary_terms_content,
}


# ----------------------------------------------------------------------------- setup


def setup_directives(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")  # tab sets and badges
    # How features hook into a guideline's page (as todo.py's todo-defined), so that
    # this module imports none of them: (env, docname, guideline ID) while the page
    # is read; (builder, Guideline, docname) -> nodes under its metadata box.
    app.add_event("policy-guideline-read")
    app.add_event("policy-guideline-meta")
    setup_nodes(app)
    setup_deferred(app)
    for kind, content in FINGERPRINTS.items():
        register_fingerprint(kind, content)
    register("guideline", render_guideline)
    register("clause", render_clause)
    register("form", render_form)
    register("guideline-list", render_guideline_list)
