"""The JSON API in Sphinx builds: the ``policyjson`` builder and the HTML build hook.

Both write the same files (policy_handbook.export) byte for byte:

* ``sphinx-build -b policyjson SRC OUT`` reads the documents (the clause URLs
  come from where the pages render each clause) and writes only the API, into
  OUT itself;
* every ``html`` build writes them into ``OUT/<policy_api_dir>`` (default
  ``api/v1``; the bilingual site sets ``../api/v1`` so that both language
  builds, ``_build/html/ja`` and ``_build/html/en``, write ``_build/html/api/v1``).
  So do ``dirhtml`` and ``singlehtml`` builds (websites too), with clause URLs
  of their own pages (``guidelines/chikugo/#…``, ``index.html#…``); other
  builders (EPUB, text…) write no API, and ``{policy:api}`` there is the file
  name without a link.

Clause URLs are computed for both languages from docnames (the ja and en sites
have the same pages), so the bytes do not depend on which build wrote them.

Failure never leaves a valid-looking file: the API files are removed when a
build starts and written only when it has succeeded; a build that ends in an
exception, or with warnings under ``-W``, removes them again.
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
from .data import policy_or_none

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

DEFAULT_API_DIR = "api/v1"


class PolicyJSONBuilder(Builder):
    """Reads the documents like an HTML build, writes only the JSON API (into outdir)."""

    name = "policyjson"
    format = ""  # no document output
    epilog = "The JSON API is in %(outdir)s."
    allow_parallel = True

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> str:
        return "the JSON API"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname + link_suffix(self.config)

    def write_documents(self, docnames: Set[str]) -> None:
        pass  # nothing per page; the API is written at build-finished

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass


def link_suffix(config: Config) -> str:
    """The suffix the html builder gives page links (html_link_suffix, else html_file_suffix)."""
    for value in (config.html_link_suffix, config.html_file_suffix):
        if value is not None:
            return value
    return ".html"


# Builders whose output is a website the API is published beside.
SITE_BUILDERS = ("html", "dirhtml", "singlehtml")


def api_dir(app: Sphinx) -> Path | None:
    """Where this build writes the API, or None when it writes none."""
    if app.builder.name == PolicyJSONBuilder.name:
        return Path(app.outdir)
    if app.builder.name in SITE_BUILDERS and app.config.policy_api_dir:
        return (Path(app.outdir) / app.config.policy_api_dir).resolve()
    return None


def site_locations(app: Sphinx) -> tuple[Locations, str]:
    """The clause locations as URLs of this builder's pages, and the suffix page_urls adds."""
    locations = clause_locations(app.env)
    builder = app.builder
    if builder.name == "singlehtml":  # every page is a part of the root document's file
        page = {docname: app.config.root_doc for docname, _anchor in locations.values()}
        suffix = link_suffix(app.config)
    elif builder.name == "dirhtml":  # guidelines/chikugo/, an index page as its folder
        page = {docname: unquote(builder.get_target_uri(docname)) for docname, _anchor in locations.values()}
        suffix = ""
    else:
        return locations, link_suffix(app.config)
    return {key: (page[docname], anchor) for key, (docname, anchor) in locations.items()}, suffix


def clause_locations(env: BuildEnvironment) -> Locations:
    """(docname, anchor) of every clause and form some page renders, by ID."""
    domain = env.domains["policy"]
    # Clause and form IDs are unique across both (the loader checks it).
    return {**domain.clause_locations(), **domain.form_locations()}


def _build_failed(app: Sphinx) -> bool:
    # Since Sphinx 8.1, -W no longer raises on the first warning: the build runs
    # on and only its exit status says it failed. The warning count and the -W
    # flag are private attributes of Sphinx (no public accessor exists).
    return bool(getattr(app, "_fail_on_warnings", False) and getattr(app, "_warncount", 0))


def _remove(directory: Path, why: str) -> None:
    removed = remove_api(directory)
    if removed:
        logger.info("policy API: removed %d file(s) from %s (%s)", len(removed), directory, why)


def _on_builder_inited(app: Sphinx) -> None:
    directory = api_dir(app)
    if directory is not None:
        _remove(directory, "written again when the build succeeds")


def _on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    directory = api_dir(app)
    if directory is None:
        return
    if exception is not None or _build_failed(app):
        _remove(directory, "the build failed")
        return
    policy = policy_or_none(app)
    if policy is None:  # problems already reported at file:line (a build without -W)
        _remove(directory, "the policy data has errors")
        return
    try:
        locations, suffix = site_locations(app)
        files = render_api(policy, locations, link_suffix=suffix)
        written = write_api(directory, files)
    except BaseException:
        remove_api(directory)
        raise
    logger.info("policy API: %d file(s) in %s, %d rewritten", len(files), directory, len(written))


class ApiLinkRole(ReferenceRole):
    """``{policy:api}`policy.schema.json``` -> a link to that API file from the current page.

    The href is relative (``../api/v1/policy.schema.json`` on ``ja/api.html``),
    so the site works wherever it is hosted.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # With the html hook off ("" or None), link to the default place anyway.
        directory = self.config.policy_api_dir or DEFAULT_API_DIR
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
    builder = app.builder
    if builder.name not in SITE_BUILDERS:
        for node in links:
            node.replace_self(node.children)
        return
    page = Path(builder.get_outfilename(docname)).relative_to(builder.outdir).as_posix()
    page_dir = posixpath.dirname(page) or "."
    for node in links:
        node["refuri"] = posixpath.relpath(node["policy_api_target"], page_dir)


def setup_json_export(app: Sphinx) -> None:
    # Relative to the outdir of an html, dirhtml or singlehtml build; "" or None (the
    # default): they write no API, so a host project's output holds only what it asked
    # for. This handbook's conf.py sets "../api/v1"; `-b policyjson` always writes it.
    app.add_config_value("policy_api_dir", "", "env", types=frozenset({str, type(None)}))
    app.add_builder(PolicyJSONBuilder)
    app.connect("builder-inited", _on_builder_inited)
    # Late, so that warnings from other build-finished handlers are counted first.
    app.connect("build-finished", _on_build_finished, priority=900)
    # The policy domain is registered by setup_domain, which runs first.
    app.add_role_to_domain("policy", "api", ApiLinkRole())
    app.connect("doctree-resolved", point_api_links)
