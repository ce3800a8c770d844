"""singlehtml: no links to places the single page does not have.

Four things in Sphinx 9.0 (pinned 9.0.4) make a ``-b singlehtml`` page link to
nothing or to the wrong place; this module can go once Sphinx fixes them
(tests/sphinx/test_upstream_singlehtml.py fails then):

- a cross-reference into another document gets two fragments,
  ``#document-glossary#term-flaming``: ``get_relative_uri`` returns
  ``#document-glossary`` and the domain appends its anchor; the navigation's
  entries for sections of other documents get the same.
  ``SingleFileHTMLBuilder.fix_refuris`` cut these down to the last fragment,
  in the page and in the toctrees, until Sphinx 9 stopped calling it
  (sphinx-doc/sphinx#14221, open). The same cut is done here, in the page once
  every reference is resolved, and in every toctree the builder renders.
- the documents joined into the one page keep their own IDs, so two of them
  can both have ``id="id1"`` (Sphinx's own note in ``assemble_toc_secnumbers``:
  "current Sphinx has refid confliction in singlehtml mode"): a link to the
  second lands on the first. Such an ID is renamed ``<docname>-<id>`` in every
  document but the first to have it, and the links into that document follow.
- a reference to a page that is not a document (``{ref}`` to a domain index
  such as ``policy-clauseindex``) links to ``policy-clauseindex.html``, which
  singlehtml never writes (it writes no index pages: sphinx-doc/sphinx#592,
  #3631): such a reference keeps its text, without the link.
- ``hasdoc('genindex')`` and ``hasdoc('search')`` answer yes although the
  builder writes neither page, so themes put ``<link rel="index"
  href="genindex.html">`` and ``rel="search"`` in the page's head; here they
  answer no on singlehtml.
"""

from __future__ import annotations

import posixpath
import weakref

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

UNWRITTEN_PAGES = frozenset({"genindex", "search"})


def last_fragment(uri: str) -> str:
    """'#document-glossary#term-x' -> '#term-x'; anything with at most one '#' unchanged."""
    first = uri.find("#")
    if first < 0 or uri.find("#", first + 1) < 0:
        return uri
    return uri[uri.rfind("#") :]


def _singlehtml(app: Sphinx) -> SingleFileHTMLBuilder | None:
    """The running builder when it is singlehtml."""
    builder = app.builder
    return builder if builder.name == "singlehtml" and isinstance(builder, SingleFileHTMLBuilder) else None


def _written_pages(app: Sphinx, builder: SingleFileHTMLBuilder) -> set[str]:
    """The files a singlehtml build writes: the root document and html_additional_pages."""
    suffix = builder.out_suffix
    return {app.config.root_doc + suffix, *(name + suffix for name in app.config.html_additional_pages)}


# builder -> {(docname, id): the ID it has in the single page}
_renamed: weakref.WeakKeyDictionary[Builder, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()


def _elements_by_document(node: nodes.Element, docname: str):
    """(element, the document it came from) for every element of the joined tree."""
    if isinstance(node, addnodes.start_of_file):
        docname = node["docname"]
    yield node, docname
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield from _elements_by_document(child, docname)


def unique_ids(doctree: nodes.document, root_doc: str) -> dict[tuple[str, str], str]:
    """Rename IDs that more than one joined document has; returns (docname, old ID) -> new ID."""
    elements = list(_elements_by_document(doctree, root_doc))
    first_owner: dict[str, str] = {}
    for element, docname in elements:
        for node_id in element["ids"]:
            first_owner.setdefault(node_id, docname)
    renamed = {}
    for element, docname in elements:
        if not element["ids"]:
            continue
        new_ids = []
        for node_id in element["ids"]:
            if first_owner[node_id] != docname:
                renamed[docname, node_id] = f"{docname.replace('/', '-')}-{node_id}"
            new_ids.append(renamed.get((docname, node_id), node_id))
        element["ids"] = new_ids
    for reference, docname in elements:
        if isinstance(reference, nodes.reference) and (docname, reference.get("refid")) in renamed:
            reference["refid"] = renamed[docname, reference["refid"]]
    return renamed


def _single_page_uri(uri: str, renamed: dict[tuple[str, str], str]) -> str:
    """'#document-<doc>#<id>' -> '#<id as renamed in <doc>>'; other URIs by last_fragment."""
    if uri.startswith("#document-") and uri.count("#") == 2:
        docname, _, node_id = uri[len("#document-") :].partition("#")
        return "#" + renamed.get((docname, node_id), node_id)
    return last_fragment(uri)


def _one_fragment_per_link(tree: nodes.Node, renamed: dict[tuple[str, str], str]) -> None:
    for reference in tree.findall(nodes.reference):
        if "refuri" in reference:
            reference["refuri"] = _single_page_uri(reference["refuri"], renamed)


def fix_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    builder = _singlehtml(app)
    if builder is None:
        return
    renamed = _renamed[builder] = unique_ids(doctree, app.config.root_doc)
    _one_fragment_per_link(doctree, renamed)
    written = _written_pages(app, builder)
    suffix = builder.out_suffix
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri")
        if uri is None:
            continue
        page = uri.partition("#")[0]
        is_local_page = page.endswith(suffix) and "://" not in page and not posixpath.isabs(page)
        if is_local_page and not page.startswith("../") and page not in written:
            reference.replace_self(nodes.inline("", "", *reference.children, classes=reference["classes"]))


def _no_unwritten_pages(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name != "singlehtml" or "hasdoc" not in context:
        return
    hasdoc = context["hasdoc"]
    context["hasdoc"] = lambda name: name not in UNWRITTEN_PAGES and hasdoc(name)


def _fix_toctrees(app: Sphinx) -> None:
    """Cut the toctrees' links as fix_refuris did (Sphinx 8 called it on each toctree)."""
    builder = _singlehtml(app)
    if builder is None:
        return
    render_partial = builder.render_partial

    def render_fixed(node: nodes.Node | None) -> dict[str, str]:
        if node is not None:
            _one_fragment_per_link(node, _renamed.get(builder, {}))
        return render_partial(node)

    builder.render_partial = render_fixed  # type: ignore[method-assign]


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _fix_toctrees)
    # Late: after every handler that makes links (the policy domain's comparison
    # topic links are made at doctree-resolved too).
    app.connect("doctree-resolved", fix_links, priority=900)
    app.connect("html-page-context", _no_unwritten_pages)
