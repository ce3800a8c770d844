"""The ``policy`` domain: where each clause, form, comparison topic and situation guide
is shown, links to them, the clause index. All the extension's cross-page state.

Domain data (pickled with the environment, merged after parallel reads):

``clauses`` / ``forms`` / ``topics`` / ``situations``
                         ID -> {docname: [anchor, line]}: every page showing the
                         object with its anchor. The *home* of an object (where
                         links and objects.inv point) is the first of those pages
                         in document-name order, i.e. the first one read in a
                         serial build: deterministic however the reading was split,
                         and when its page stops showing it, the next page is.
``anchored``             docname -> [[kind, ID], ...]: what the page gave anchors to
                         (so that clearing a page does not scan every object)
``links``                docname -> [[kind, ID], ...]: the topics and situations
                         the page links to (ID ``*``: every one of that kind), so
                         the page is written again when the home of one moves
``assets``               docname -> [name, ...]: the groups of script and style
                         files the page loads (national.py)
``homes``                builder name -> {"kind:ID": [docname, anchor]}: the homes
                         that builder's pages were last written with
``usage``, ``deferred``  docname -> {key: fingerprint}: see incremental.py.
``written``              builder name -> docname -> {key: fingerprint}: what each
                         builder last wrote of the ``deferred`` content
``code``                 the digest of the package's code the pages were read with
``neighbours``           builder name -> docname -> the titles its relation links
                         (up, previous, next) were last written with
``labels``               the std labels labels.py made of the shown clauses and forms

Clauses and forms are in objects.inv, the search index and ``:any:``; topics and
situations are link targets only. A second anchored copy of a clause or form on
another page is reported by ``check_consistency`` (after all pages are read, so
the same warning comes out of serial and parallel builds); a copy on the same
page is reported while reading and gets no anchor. Topics and situations may be
shown on several pages.

The Policy a build works from is held by the domain object of that build
(``pinned``), never by the module: see data.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ..model import Policy
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
from .incremental import setup_incremental
from .render import clause_label, first_words
from .roles import ClauseRole, FormRole, setup_roles

logger = logging.getLogger(__name__)

# Kinds of object in objects.inv, the search index and :any: links.
KINDS = ("clause", "form")
# Every kind of object the domain knows the pages of -> its domain data key.
SHOWN = {"clause": "clauses", "form": "forms", "topic": "topics", "situation": "situations"}


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
                home = domain.location("clause", clause.id)
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
        "topic": ObjType(lazy("comparison topic")),
        "situation": ObjType(lazy("situation")),
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
    initial_data: ClassVar[dict[str, Any]] = {
        "clauses": {},
        "forms": {},
        "topics": {},
        "situations": {},
        "anchored": {},
        "links": {},
        "assets": {},
        "homes": {},
        "usage": {},
        "deferred": {},
        "written": {},
        "neighbours": {},
        "code": None,
        "labels": [],
    }
    data_version = 8

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        if not primary:
            for name, objtype in self.object_types.items():
                if objtype is type and name in self.type_names:
                    return str(self.type_names[name])
        return super().get_type_name(type, primary)

    # -- the build's snapshot of the policy (data.py): on the domain object, which
    #    lives as long as one build's environment and is never pickled

    pinned: Policy | None = None
    reported: tuple[object, ...] = ()  # the PolicyErrors already logged in this build
    fingerprints: Any = None  # incremental.Fingerprints of the pinned policy

    # -- where things are shown

    def _shown(self, kind: str) -> dict[str, dict[str, list]]:
        return self.data[SHOWN[kind]]

    def claim(self, kind: str, object_id: str, docname: str, line: int | None) -> bool:
        """Give a clause or form its anchor on ``docname`` unless it already has one there."""
        if self.show(kind, object_id, docname, line, object_id):
            return True
        first_line = self._shown(kind)[object_id][docname][1]
        logger.warning(
            "%s %s is shown twice on this page (first at line %s): the second copy has no anchor; add :no-index: to it",
            kind,
            object_id,
            first_line,
            type="policy",
            subtype="duplicate",
            location=(docname, line),
        )
        return False

    def show(self, kind: str, object_id: str, docname: str, line: int | None, anchor: str) -> bool:
        """Record that ``docname`` shows the object at ``anchor``; False if it already does."""
        pages = self._shown(kind).setdefault(object_id, {})
        if docname in pages:
            return False
        pages[docname] = [anchor, line]
        self.data["anchored"].setdefault(docname, []).append([kind, object_id])
        return True

    def note_link(self, docname: str, kind: str, object_id: str = "*") -> None:
        """``docname`` links to this topic or situation (``*``: to every one of the kind)."""
        links = self.data["links"].setdefault(docname, [])
        if [kind, object_id] not in links:
            links.append([kind, object_id])

    def note_assets(self, docname: str, name: str) -> None:
        """``docname`` loads the script and style files of the group ``name``."""
        assets = self.data["assets"].setdefault(docname, [])
        if name not in assets:
            assets.append(name)

    def assets(self, docname: str) -> list[str]:
        return self.data["assets"].get(docname, [])

    def location(self, kind: str, object_id: str) -> tuple[str, str] | None:
        """(docname, anchor) of the object's home, where links to it go; None if not shown."""
        pages = self._shown(kind).get(object_id)
        if not pages:
            return None
        docname = min(pages)
        return docname, pages[docname][0]

    def locations(self, kind: str) -> dict[str, tuple[str, str]]:
        """Every shown object of the kind: ID -> (docname, anchor), sorted by ID."""
        out = {}
        for object_id in sorted(self._shown(kind)):
            location = self.location(kind, object_id)
            if location is not None:
                out[object_id] = location
        return out

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

    def moved_since_written(self, builder_name: str) -> set[tuple[str, str]]:
        """(kind, ID) of every object whose home is not where it was when this builder
        last wrote its pages; remembers the homes as they are now. Per builder:
        builders sharing the doctrees (``make json`` reuses the Japanese site's)
        each write their own pages."""
        now = {f"{kind}:{object_id}": list(where) for kind in SHOWN for object_id, where in self.locations(kind).items()}
        before = self.data["homes"].get(builder_name)
        self.data["homes"][builder_name] = now
        if before is None:  # this builder's first build: it writes every page anyway
            return set()
        moved = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
        return {tuple(key.split(":", 1)) for key in moved}

    def pages_linking_to(self, objects: Set[tuple[str, str]]) -> set[str]:
        """The pages that link (note_link) to one of these topics or situations."""
        kinds = {kind for kind, _id in objects}
        return {
            docname
            for docname, links in self.data["links"].items()
            if any((kind, object_id) in objects or (object_id == "*" and kind in kinds) for kind, object_id in links)
        }

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
        for key in ("links", "assets", "usage", "deferred"):
            self.data[key].pop(docname, None)
        for written in self.data["written"].values():
            written.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in SHOWN.values():
            shown = self.data[key]
            for object_id, pages in otherdata[key].items():
                for docname, where in pages.items():
                    if docname in docnames:
                        shown.setdefault(object_id, {})[docname] = where
        for key in ("anchored", "links", "assets", "usage", "deferred"):
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
                        "%s %s is also shown with its anchor in %s, where links to it go: add :no-index: to this copy",
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
        if typ in ("topic", "situation"):
            return self._resolve_shown(fromdocname, builder, typ, target, node, contnode)
        if typ not in KINDS:
            return None
        location = self.location(typ, target)
        if location is None:
            return None
        docname, anchor = location
        return make_refnode(builder, fromdocname, docname, anchor, contnode)

    def _resolve_shown(
        self, fromdocname: str, builder: Builder, kind: str, target: str, node: pending_xref, contnode: nodes.Element
    ) -> nodes.reference | None:
        """A comparison topic's table, or a situation's guide (its top, or ``refanchor``: a
        municipality's part); the link text only, when no page shows it."""
        location = self.location(kind, target)
        if location is None:
            return None
        docname, anchor = location
        if kind == "situation":  # the top of the guide's page, or the place refanchor names
            anchor = node.get("refanchor", "")
        uri = "" if docname == fromdocname else builder.get_relative_uri(fromdocname, docname)
        return nodes.reference("", "", *contnode.children, internal=True, refuri=(uri + (f"#{anchor}" if anchor else "")) or "#")

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
    if kind == "situation":
        situation = node["reftarget"]
        logger.warning(
            f"situation {situation!r} has no guide page: add docs/situations/{situation}.md with a policy:situation directive",
            type="policy",
            subtype="situations",
            location=node,
        )
        return True
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
    setup_roles(app)
