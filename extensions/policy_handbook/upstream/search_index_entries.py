"""Keep the search index's entries of the pages a build does not write again.

Sphinx 9 loses them (sphinx-doc/sphinx#12599, open): ``IndexBuilder.load``
restores a page's words and titles from the previous ``searchindex.js`` but not
its ``indexentries``, which are what lets a search for 成りすまし or
"impersonation" land on the clause itself (search_anchors.py) and find the
glossary's terms. After any incremental build only the pages written in it kept
theirs; a no-change rebuild emptied the section, so the search got worse every
time a policy owner rebuilt to preview an edit.

Before the index is written (``html-collect-pages`` runs just before it), the
entries of every page not written in this build are taken back from the
previous ``searchindex.js``, and the pages are put in name order, as a clean
build feeds them. Words no page has any more (the old text of an edited clause)
are dropped too: Sphinx keeps them with an empty list of pages. So an
incremental build writes the same bytes as a clean one.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.search import js_index
from sphinx.util import logging

logger = logging.getLogger(__name__)

# builder -> the pages written (and so fed to the index) in this build
_written: weakref.WeakKeyDictionary[Builder, set[str]] = weakref.WeakKeyDictionary()

Entry = tuple[str, str, str]  # (entry, anchor, "main" or "") as IndexBuilder keeps them


def previous_entries(path: Path) -> dict[str, list[Entry]]:
    """docname -> index entries, from a searchindex.js; {} when there is none usable."""
    try:
        frozen = js_index.loads(path.read_text(encoding="utf-8"))
        docnames = frozen["docnames"]
        found: dict[str, list[Entry]] = {}
        for entry, places in frozen.get("indexentries", {}).items():
            for doc_index, anchor, main in places:
                found.setdefault(docnames[doc_index], []).append((entry, anchor, "main" if main else ""))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return {}
    # Not re-sorted: the file keeps each entry's places in the order the page listed
    # them ("Flaming" before "flaming", both stored as "flaming"); freezing them again
    # in that order gives the same bytes.
    return found


def _note_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    _written.setdefault(app.builder, set()).add(docname)


def _restore(app: Sphinx) -> list:
    builder = app.builder
    indexer = getattr(builder, "indexer", None)
    if not isinstance(builder, StandaloneHTMLBuilder):  # the builders with a search index
        return []
    # IndexBuilder's private state, as in Sphinx 9.0 (pinned); another shape: leave it be.
    if indexer is None or not all(hasattr(indexer, name) for name in ("_index_entries", "_titles", "_mapping", "_title_mapping")):
        return []
    entries: dict[str, list[Entry]] = indexer._index_entries  # no public accessor
    kept = set(indexer._titles) - _written.pop(builder, set())
    if kept:
        previous = previous_entries(Path(builder.outdir) / builder.searchindex_filename)
        for docname in kept:
            entries[docname] = previous.get(docname, [])
    # Only pages the index still has (a removed page would break its freeze), in name order.
    ordered = {docname: entries[docname] for docname in sorted(entries) if docname in indexer._titles}
    entries.clear()
    entries.update(ordered)
    for mapping in (indexer._mapping, indexer._title_mapping):
        for word in [word for word, docnames in mapping.items() if not docnames]:
            del mapping[word]
    return []


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", _note_written)
    app.connect("html-collect-pages", _restore)
