"""Directives of the policy domain: guideline, clause, form, guideline-list, glossary.

While a page is read, each one gives anchors through the domain, records what
the page uses (incremental.py) and leaves a placeholder; the clauses and forms
are rendered (render.py) when the page is written (deferred.py). The glossary
is rendered while reading (its terms are link targets). An unknown ID is a
warning at the directive's line, never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..model import Clause, GlossaryTerm, Policy
from .config import page_language
from .data import PolicyDataError, get_policy
from .deferred import pending, register, setup_deferred, unavailable
from .i18n import CATALOG, compile_catalog
from .incremental import note_policy_usage
from .nodes import policy_pending, setup_nodes
from .render import Renderer, finish_generated, mark_japanese, not_for_gettext, subtree

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


class PolicyDirective(SphinxDirective):
    """Shared plumbing: anchors, the placeholder rendered at write time, what the page uses."""

    has_content = False
    required_arguments = 1
    option_spec: ClassVar[dict] = {"no-index": directives.flag, "noindex": directives.flag}

    @property
    def index(self) -> bool:
        return "no-index" not in self.options and "noindex" not in self.options

    @property
    def heading_level(self) -> int:
        section_level = getattr(self.state.memo, "section_level", 1) or 1
        return max(2, min(6, section_level + 1))

    def claim(self, kind: str, object_ids: list[str]) -> list[str]:
        """Give these objects their anchors on this page (unless :no-index:); the IDs that got one."""
        if not self.index:
            return []
        domain = self.env.domains["policy"]
        docname = self.env.docname
        return [i for i in object_ids if domain.claim(kind, i, docname, self.lineno)]

    def pending(self, what: str, **attributes: object) -> policy_pending:
        node = pending(what, self.env.docname, heading_level=self.heading_level, **attributes)
        self.set_source_info(node)
        return node

    def run(self) -> list[nodes.Node]:
        try:
            policy = get_policy(self.env)
        except PolicyDataError:
            # Already reported at the files' lines; show that something is missing
            # here, and read this page again next time (the data may be fixed).
            self.env.note_reread()
            result: list[nodes.Node] = [unavailable()]
        else:
            result = self.plan(policy)
        not_for_gettext(result)  # generated text: not the page author's to translate
        return result

    def plan(self, policy: Policy) -> list[nodes.Node]:
        raise NotImplementedError

    def unknown(self, what: str, object_id: str) -> list[nodes.Node]:
        logger.warning(
            "%s: no %s with ID '%s'",
            self.name,
            what,
            object_id,
            type="policy",
            subtype="ref",
            location=self.get_location(),
        )
        return []


def _note_clauses_shown(
    env: BuildEnvironment, docname: str, policy: Policy, clauses: Sequence[Clause], **extra: object
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


class GuidelineDirective(PolicyDirective):
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
        env.events.emit("policy-guideline-read", env, docname, document)
        return [self.pending("guideline", target=document, anchors=anchors)]


class ClauseDirective(PolicyDirective):
    """One clause, with its sub-clauses unless ``:no-children:``."""

    option_spec: ClassVar[dict] = {**PolicyDirective.option_spec, "no-children": directives.flag}

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


class FormDirective(PolicyDirective):
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

    required_arguments = 0
    option_spec: ClassVar[dict] = {}

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

    required_arguments = 0
    option_spec: ClassVar[dict] = {}

    def plan(self, policy: Policy) -> list[nodes.Node]:
        renderer = Renderer(policy, page_language(self.config), self.env.docname, heading_level=self.heading_level)
        std = self.env.domains.standard_domain
        document = self.state.document

        def register(term: nodes.term, entry: GlossaryTerm, names: list[str]) -> None:
            self.set_source_info(term)
            document.note_explicit_target(term)
            node_id = term["ids"][0]
            # Under every name (page language, other language, variants), so that
            # {term}`公式アカウント` and {term}`official account` both work on both sites.
            for name in names:
                std._note_term(name, node_id, location=term)

        node = renderer.glossary(register)
        mark_japanese([node], renderer.lang)
        note_policy_usage(self.env, self.env.docname, glossary=True, policy=policy)
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


# ----------------------------------------------------------------------------- setup


def _add_static(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    if str(STATIC_DIR) not in app.config.html_static_path:  # other modules share the directory
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("policy.css")


def _add_catalog(app: Sphinx, config) -> None:
    locale_dir = compile_catalog(fallback_dir=Path(app.doctreedir) / "policy_handbook_locale")
    # A process may build both languages one after the other (tests, autobuild):
    # start from a fresh translator, not the previous build's language.
    sphinx_locale.translators.pop(("general", CATALOG), None)
    app.add_message_catalog(CATALOG, locale_dir)


def setup_directives(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")  # tab sets and badges
    # How features hook into a guideline's page (as todo.py's todo-defined), so that
    # this module imports none of them: (env, docname, guideline ID) while the page
    # is read; (builder, Guideline, docname) -> nodes under its metadata box.
    app.add_event("policy-guideline-read")
    app.add_event("policy-guideline-meta")
    setup_nodes(app)
    setup_deferred(app)
    register("guideline", render_guideline)
    register("clause", render_clause)
    register("form", render_form)
    register("guideline-list", render_guideline_list)
    app.connect("config-inited", _add_catalog)
    app.connect("builder-inited", _add_static)
