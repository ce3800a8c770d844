"""Directives of the policy domain: guideline, clause, form, glossary.

Each one renders from the loaded policy (render.py), gives anchors through the
domain, and records what the page uses (incremental.py). An unknown ID is a
warning at the directive's line, never an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..model import GlossaryTerm, Policy
from .config import page_language
from .data import PolicyDataError, get_policy
from .i18n import CATALOG, _, compile_catalog
from .incremental import note_policy_usage
from .nodes import setup_nodes
from .render import Renderer, mark_japanese, not_for_gettext

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


class PolicyDirective(SphinxDirective):
    """Shared plumbing: the renderer for this page, and recording what was shown."""

    has_content = False
    required_arguments = 1
    option_spec: ClassVar[dict] = {"no-index": directives.flag, "noindex": directives.flag}

    @property
    def index(self) -> bool:
        return "no-index" not in self.options and "noindex" not in self.options

    def renderer(self, policy: Policy) -> Renderer:
        domain = self.env.domains["policy"]
        docname = self.env.docname
        section_level = getattr(self.state.memo, "section_level", 1) or 1

        def claim(kind: str, object_id: str) -> bool:
            return domain.claim(kind, object_id, docname, self.lineno)

        return Renderer(
            policy,
            page_language(self.config),
            docname,
            claim=claim,
            heading_level=max(2, min(6, section_level + 1)),
        )

    def record(self, renderer: Renderer) -> None:
        shown = renderer.shown
        note_policy_usage(
            self.env,
            self.env.docname,
            clause_ids=[clause_id for clause_id, _anchored in shown.clauses],
            forms=[form_id for form_id, _anchored in shown.forms],
            form_refs=sorted(shown.form_refs),
            guidelines=sorted(shown.guidelines),
            glossary=shown.glossary,
            glossary_terms=shown.linked_terms,
            policy=renderer.policy,
        )

    def run(self) -> list[nodes.Node]:
        try:
            policy = get_policy(self.env)
        except PolicyDataError:
            # Already reported at the files' lines; show that something is missing
            # here, and read this page again next time (the data may be fixed).
            self.env.note_reread()
            text = _("This part cannot be shown: the policy data has errors (see the build warnings, or run make check).")
            result: list[nodes.Node] = [nodes.paragraph(text, text, classes=["policy-unavailable"])]
        else:
            result = self.render(policy)
        not_for_gettext(result)  # generated text: not the page author's to translate
        return result

    def render(self, policy: Policy) -> list[nodes.Node]:
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


class GuidelineDirective(PolicyDirective):
    """A whole guideline: its metadata box, then every clause in order, nested."""

    def render(self, policy: Policy) -> list[nodes.Node]:
        document = self.arguments[0].strip()
        guideline = policy.guideline(document)
        if guideline is None:
            note_policy_usage(self.env, self.env.docname, guidelines=[document], policy=policy)
            return self.unknown("guideline", document)
        renderer = self.renderer(policy)
        result = renderer.guideline(guideline, index=self.index)
        mark_japanese(result, renderer.lang)
        self.record(renderer)
        return result


class ClauseDirective(PolicyDirective):
    """One clause, with its sub-clauses unless ``:no-children:``."""

    option_spec: ClassVar[dict] = {**PolicyDirective.option_spec, "no-children": directives.flag}

    def render(self, policy: Policy) -> list[nodes.Node]:
        clause_id = self.arguments[0].strip()
        clause = policy.clause(clause_id)
        if clause is None:
            note_policy_usage(self.env, self.env.docname, clause_ids=[clause_id], policy=policy)
            return self.unknown("clause", clause_id)
        renderer = self.renderer(policy)
        node = renderer.clause(clause, index=self.index, children="no-children" not in self.options)
        mark_japanese([node], renderer.lang)
        self.set_source_info(node)
        self.record(renderer)
        return [node]


class FormDirective(PolicyDirective):
    """A form (別紙) as a printable table."""

    def render(self, policy: Policy) -> list[nodes.Node]:
        form_id = self.arguments[0].strip()
        form = policy.form(form_id)
        if form is None:
            note_policy_usage(self.env, self.env.docname, forms=[form_id], policy=policy)
            return self.unknown("form", form_id)
        renderer = self.renderer(policy)
        node = renderer.form(form, index=self.index)
        mark_japanese([node], renderer.lang)
        self.set_source_info(node)
        self.record(renderer)
        return [node]


class GlossaryDirective(PolicyDirective):
    """policy/glossary.yaml as a Sphinx glossary: ``{term}`` links reach its terms."""

    required_arguments = 0
    option_spec: ClassVar[dict] = {}

    def render(self, policy: Policy) -> list[nodes.Node]:
        renderer = self.renderer(policy)
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
        self.record(renderer)
        return [node]


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
    setup_nodes(app)
    app.connect("config-inited", _add_catalog)
    app.connect("builder-inited", _add_static)
