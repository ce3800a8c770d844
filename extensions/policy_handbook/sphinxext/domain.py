"""The ``policy`` domain: where each clause and form is shown, links to them, the clause index.

Domain data (pickled with the environment, merged after parallel reads):

``clauses`` / ``forms``  ID -> {docname: [anchor, line]}: every page showing the
                         object with its anchor. The *home* of an object (where
                         links and objects.inv point) is the first of those pages
                         in document-name order, i.e. the first one read in a
                         serial build: deterministic however the reading was split.
``anchored``             docname -> [[kind, ID], ...]: what the page gave anchors to
                         (so that clearing a page does not scan every object)
``usage``, ``deferred``  docname -> {key: fingerprint}: see incremental.py.
``written``              builder name -> docname -> {key: fingerprint}: what each
                         builder last wrote of the ``deferred`` content
``chrome``               builder name -> fingerprint of the catalogs and static files
``labels``               the std labels labels.py made of the shown clauses and forms

A second anchored copy on another page is reported by ``check_consistency``
(after all pages are read, so the same warning comes out of serial and parallel
builds); a copy on the same page is reported while reading and gets no anchor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .config import page_language
from .data import PolicyDataError, get_policy
from .directives import (
    ClauseDirective,
    FormDirective,
    GlossaryDirective,
    GuidelineDirective,
    GuidelineListDirective,
)
from .i18n import lazy
from .incremental import note_code_usage, setup_incremental
from .render import clause_label, first_words
from .roles import ClauseRole, FormRole

logger = logging.getLogger(__name__)

KINDS = ("clause", "form")


# HTML's "ASCII whitespace", which no ID may contain.
_ASCII_WHITESPACE = re.compile(r"[\t\n\f\r ]+")


class ClauseIndex(Index):
    """``policy-clauseindex.html``: every shown clause, grouped by guideline, in document order."""

    name = "clauseindex"
    localname = lazy("Clause index")
    shortname = lazy("clauses")

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: PolicyDomain = self.domain  # type: ignore[assignment]
        try:
            policy = get_policy(domain.env)
        except PolicyDataError:
            return [], False
        lang = page_language(domain.env.config)
        wanted = set(docnames) if docnames is not None else None
        content = []
        for guideline in policy.guidelines:
            entries = []
            for clause in guideline.clauses:
                home = domain.clause_location(clause.id)
                if home is None or (wanted is not None and home[0] not in wanted):
                    continue
                name = clause_label(clause, lang)
                if clause.heading is not None and clause.text is not None:
                    name += " — " + first_words(clause.text.get(lang), lang)
                if clause.depth == 0:
                    subtype = 1 if clause.children else 0
                else:
                    subtype = 2
                entries.append(IndexEntry(name, subtype, home[0], home[1], "", "", ""))
            if entries:
                content.append((index_group_key(guideline.municipality.get(lang)), entries))
        return content, False


def index_group_key(name: str) -> str:
    """A group name that can also be an ID: whitespace becomes no-break spaces.

    Sphinx's domainindex.html uses the key as the heading and as ``id="cap-<key>"``
    (and its ``#cap-<key>`` link); an ID must not contain ASCII whitespace
    ("Chikugo City"). U+00A0 is not ASCII whitespace and shows as a space.
    """
    return _ASCII_WHITESPACE.sub("\u00a0", name)


class PolicyDomain(Domain):
    name = "policy"
    label = "Policy"  # internal; readers see type_names
    object_types = {
        "clause": ObjType(lazy("clause"), "clause"),
        "form": ObjType(lazy("form"), "form"),
    }
    # What the search page calls a result ("ガイドラインの条項、筑後市 内"). Sphinx's
    # default, "<label> <type>" through its own "%s %s", mixes languages ("Policy 条項").
    type_names = {
        "clause": lazy("Guideline clause"),
        "form": lazy("Guideline form"),
    }
    directives = {
        "guideline": GuidelineDirective,
        "clause": ClauseDirective,
        "form": FormDirective,
        "guideline-list": GuidelineListDirective,
        "glossary": GlossaryDirective,
    }
    roles = {
        "clause": ClauseRole(),
        "form": FormRole(),
    }
    indices = [ClauseIndex]
    initial_data: dict[str, Any] = {
        "clauses": {},
        "forms": {},
        "anchored": {},
        "usage": {},
        "deferred": {},
        "written": {},
        "chrome": {},
        "labels": [],
    }
    data_version = 6

    # -- every policy: role and directive, other modules' too, makes the page follow the code

    def role(self, name: str) -> Any:
        cache = self.__dict__.setdefault("_recording_roles", {})
        if name not in cache:
            role = super().role(name)
            if role is None:
                return None
            env = self.env

            def recording_role(*args: Any, **kwargs: Any) -> Any:
                note_code_usage(env, env.docname)
                return role(*args, **kwargs)

            cache[name] = recording_role
        return cache[name]

    def directive(self, name: str) -> Any:
        cache = self.__dict__.setdefault("_recording_directives", {})
        if name not in cache:
            directive = super().directive(name)
            if directive is None:
                return None

            class RecordingDirective(directive):  # type: ignore[valid-type,misc]
                def run(self) -> list[nodes.Node]:
                    env = self.state.document.settings.env
                    note_code_usage(env, env.docname)
                    return super().run()

            cache[name] = RecordingDirective
        return cache[name]

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        if not primary:
            for name, objtype in self.object_types.items():
                if objtype is type and name in self.type_names:
                    return str(self.type_names[name])
        return super().get_type_name(type, primary)

    # -- where things are shown

    def _shown(self, kind: str) -> dict[str, dict[str, list]]:
        return self.data["clauses" if kind == "clause" else "forms"]

    def claim(self, kind: str, object_id: str, docname: str, line: int | None) -> bool:
        """Give ``object_id`` its anchor on ``docname`` unless it already has one there."""
        pages = self._shown(kind).setdefault(object_id, {})
        if docname in pages:
            first_line = pages[docname][1]
            logger.warning(
                "%s %s is shown twice on this page (first at line %s): the second copy has no anchor; "
                "add :no-index: to it",
                kind,
                object_id,
                first_line,
                type="policy",
                subtype="duplicate",
                location=(docname, line),
            )
            return False
        pages[docname] = [object_id, line]
        self.data["anchored"].setdefault(docname, []).append([kind, object_id])
        return True

    def location(self, kind: str, object_id: str) -> tuple[str, str] | None:
        pages = self._shown(kind).get(object_id)
        if not pages:
            return None
        docname = min(pages)
        return docname, pages[docname][0]

    def locations(self, kind: str) -> dict[str, tuple[str, str]]:
        out = {}
        for object_id in sorted(self._shown(kind)):
            location = self.location(kind, object_id)
            if location is not None:
                out[object_id] = location
        return out

    def clause_location(self, clause_id: str) -> tuple[str, str] | None:
        """(docname, anchor) of the page a link to this clause goes to; None if not shown."""
        return self.location("clause", clause_id)

    def clause_locations(self) -> dict[str, tuple[str, str]]:
        """Every shown clause: ID -> (docname, anchor), sorted by ID."""
        return self.locations("clause")

    def guideline_page(self, guideline_id: str) -> str | None:
        """The page that shows the guideline (its first clause); None if none does."""
        try:
            guideline = get_policy(self.env).guideline(guideline_id)
        except PolicyDataError:
            return None
        if guideline is None or not guideline.roots:
            return None
        location = self.location("clause", guideline.roots[0].id)
        return None if location is None else location[0]

    def form_location(self, form_id: str) -> tuple[str, str] | None:
        return self.location("form", form_id)

    def form_locations(self) -> dict[str, tuple[str, str]]:
        return self.locations("form")

    # -- environment bookkeeping

    def clear_doc(self, docname: str) -> None:
        # Through the page's own list: scanning every object for every page re-read
        # was quadratic (a minute for 1,000 guideline pages).
        for kind, object_id in self.data["anchored"].pop(docname, ()):
            shown = self._shown(kind)
            pages = shown.get(object_id)
            if pages is not None:
                pages.pop(docname, None)
                if not pages:
                    del shown[object_id]
        self.data["usage"].pop(docname, None)
        self.data["deferred"].pop(docname, None)
        for written in self.data["written"].values():
            written.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for kind in KINDS:
            shown = self._shown(kind)
            key = "clauses" if kind == "clause" else "forms"
            for object_id, pages in otherdata[key].items():
                for docname, where in pages.items():
                    if docname in docnames:
                        shown.setdefault(object_id, {})[docname] = where
        for key in ("anchored", "usage", "deferred"):
            for docname, record in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = record

    def check_consistency(self) -> None:
        for kind in KINDS:
            shown = self._shown(kind)
            for object_id in sorted(shown):
                pages = shown[object_id]
                if len(pages) < 2:
                    continue
                home = min(pages)
                for docname in sorted(pages)[1:]:
                    logger.warning(
                        "%s %s is also shown with its anchor in %s, where links to it go: "
                        "add :no-index: to this copy",
                        kind,
                        object_id,
                        home,
                        type="policy",
                        subtype="duplicate",
                        location=(docname, pages[docname][1]),
                    )

    # -- links

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        if typ == "guideline":  # its page: where its first clause is shown
            page = self.guideline_page(target)
            return None if page is None else make_refnode(builder, fromdocname, page, "", contnode)
        if typ not in KINDS:
            return None
        location = self.location(typ, target)
        if location is None:
            return None
        docname, anchor = location
        return make_refnode(builder, fromdocname, docname, anchor, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for kind in KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
            if ref is not None:
                results.append((f"policy:{kind}", ref))
        return results

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        # The display name stays the ID: Sphinx's search index shows and splits
        # (at ".") display names, and readers search for clause IDs. Named links
        # from other projects use the std:label entries (labels.py).
        for kind in KINDS:
            for object_id, (docname, anchor) in self.locations(kind).items():
                yield object_id, object_id, kind, docname, anchor, 1


def _warn_missing_reference(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """A known clause or form that no page shows (unknown IDs are reported while reading)."""
    if domain is None or domain.name != "policy":
        return None
    kind = node["reftype"]
    logger.warning(
        "%s %s is not shown on any page, so the link to it goes nowhere: show it with a policy:%s directive",
        kind,
        node["reftarget"],
        "form" if kind == "form" else "guideline",
        type="policy",
        subtype="ref",
        location=node,
    )
    return True


def setup_domain(app: Sphinx) -> None:
    app.add_domain(PolicyDomain)
    app.connect("warn-missing-reference", _warn_missing_reference)
    setup_incremental(app)
