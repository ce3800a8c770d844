"""The JSON API in Sphinx builds: the ``policyjson`` builder, the one writer of the API.

``sphinx-build -b policyjson SRC OUT`` reads the documents (the clause URLs
come from where the pages render each clause, through the policy domain) and,
in ``finish()``, writes only the API (policy_handbook.export), into OUT itself,
as sphinx-needs' ``needs`` builder writes needs.json. ``make html`` runs it as a
third job beside the ja and en builds, into ``_build/staging/api/v1``, and
publishes the three together (policy_handbook/publish.py): a failed job
publishes nothing, so the API never outlives or runs ahead of its sites.

HTML builds write no API; their ``{policy:api}`` links point at
``policy_api_dir`` (relative to their output directory). The clause URLs are
those of the pages of ``policy_api_pages`` (``html``, ``dirhtml`` or
``singlehtml``) and are computed for both languages from docnames (the ja and
en sites have the same pages).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole

from ..export import Locations, remove_api, render_api, write_api
from .config import get_config
from .data import policy_domain, policy_or_none

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

DEFAULT_API_DIR = "api/v1"


class PolicyJSONBuilder(Builder):
    """Reads the documents like an HTML build, writes only the JSON API (into outdir)."""

    name = "policyjson"
    format = ""  # no document output
    epilog = "The JSON API is in %(outdir)s."
    allow_parallel = True

    def get_outdated_docs(self) -> str:
        return "the JSON API"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        """The URI of the page of ``policy_api_pages`` that shows the document."""
        pages = get_config(self.config).api_pages
        if pages == "singlehtml":  # every page is a part of the root document's file
            return self.config.root_doc + link_suffix(self.config)
        if pages == "dirhtml":  # as sphinx.builders.dirhtml: an index page is its folder
            if docname == "index" or docname.endswith("/index"):
                return docname[: -len("index")]
            return docname + "/"
        return docname + link_suffix(self.config)

    def write_documents(self, docnames: Set[str]) -> None:
        pass  # nothing per page: the API is written by finish()

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        outdir = Path(self.outdir)
        policy = policy_or_none(self.env)
        if policy is None:  # problems already reported at file:line; no stale API either
            remove_api(outdir)
            return
        files = render_api(policy, self.clause_locations(), link_suffix="")
        written = write_api(outdir, files)
        logger.info("policy API: %d file(s) in %s, %d rewritten", len(files), outdir, len(written))

    def clause_locations(self) -> Locations:
        """(page URI, anchor) of every clause and form some page renders, by ID."""
        domain = policy_domain(self.env)
        # Clause and form IDs are unique across both (the loader checks it).
        locations = {**domain.locations("clause"), **domain.locations("form")}
        return {key: (unquote(self.get_target_uri(docname)), anchor) for key, (docname, anchor) in locations.items()}


def link_suffix(config: Config) -> str:
    """The suffix the html builder gives page links (html_link_suffix, else html_file_suffix)."""
    for value in (config.html_link_suffix, config.html_file_suffix):
        if value is not None:
            return value
    return ".html"


# Builders whose pages link to the API (it is published beside them).
SITE_BUILDERS = ("html", "dirhtml", "singlehtml")


class ApiLinkRole(ReferenceRole):
    """``{policy:api}`policy.schema.json``` -> a link to that API file from the current page.

    The href is relative (``../api/v1/policy.schema.json`` on ``ja/api.html``),
    so the site works wherever it is hosted.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # With the html hook off ("" or None), link to the default place anyway.
        directory = get_config(self.config).api_dir or DEFAULT_API_DIR
        target = posixpath.normpath(posixpath.join(directory, self.target))
        here = posixpath.dirname(self.env.docname) or "."
        uri = posixpath.relpath(target, here)
        title = self.title if self.has_explicit_title else self.target
        node = nodes.reference(self.rawtext, "", nodes.literal(title, title), refuri=uri, classes=["policy-api-link"])
        node["policy_api_target"] = target  # for point_api_links, once the builder is known
        return [node], []


def point_api_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point ``{policy:api}`` links at the API from the file this builder writes the page to.

    A dirhtml page ``api`` is ``api/index.html``, one folder deeper than the html
    builder's ``api.html``; a singlehtml build puts every page in ``index.html``
    (and resolves them all as its root document). Builders that publish no API
    (EPUB, text…) keep the file name, unlinked: a link there would lead out of
    the book to nothing.
    """
    links = [node for node in doctree.findall(nodes.reference) if "policy_api_target" in node]
    if not links:
        return
    if app.builder.name not in SITE_BUILDERS:
        for node in links:
            node.replace_self(node.children)
        return
    for node in links:
        node["refuri"] = relative_to_page(app.builder, docname, node["policy_api_target"])


def relative_to_page(builder: Builder, docname: str, target: str) -> str:
    """``target`` (a path in the output directory) relative to the file the builder writes
    the page to (a builder without files: relative to the docname's folder)."""
    outfile = getattr(builder, "get_outfilename", None)  # the HTML builders'
    page = Path(outfile(docname)).relative_to(builder.outdir).as_posix() if outfile else docname
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def setup_json_export(app: Sphinx) -> None:
    # policy_api_dir and policy_api_pages: config.py. This handbook's conf.py sets
    # policy_api_dir = "../api/v1": `make html` builds the API into _build/staging/api/v1.
    app.add_builder(PolicyJSONBuilder)
    # The policy domain is registered by setup_domain, which runs first.
    app.add_role_to_domain("policy", "api", ApiLinkRole())
    app.connect("doctree-resolved", point_api_links)
