"""Workarounds for upstream behaviour: ``extensions = [..., "policy_handbook.upstream"]``.

Each module names the upstream version and issue it works around, and
tests/sphinx/test_upstream.py has a test that fails once upstream is fixed, so the
workaround can then be deleted:

- ``myst_settings``: myst-parser builds docutils' option parser for every
  parse (slow for Sphinx's per-message translation parsing);
- ``read_settings``: Sphinx builds docutils' option parser for every page it
  reads (slow for sites of many small pages: 1,741 guideline pages);
- ``search_index_entries``: Sphinx drops the search index's ``indexentries``
  on an incremental build (sphinx-doc/sphinx#12599);
- ``table_ids``: furo's table wrapper copies the table's ID (duplicate IDs);
- ``index_escape``: Sphinx's index templates print group headings and anchors
  unescaped. Connected by the policy extension itself (its clause index
  groups by municipality, from the data), so a host project is safe without
  this extension.
- ``singlehtml_links``: Sphinx 9's singlehtml links ``#document-x#anchor``
  (sphinx-doc/sphinx#14221) and to an index and search page it never writes,
  and repeats IDs of the pages it joins.
- ``xhtml_inputs``: sphinx-design writes its tab inputs unclosed, which makes
  every EPUB chapter with tabs ill-formed XHTML.
- ``toctree_captions``: Sphinx writes toctree captions as ``role="heading"``
  without the ``aria-level`` that role requires.
- ``page_chrome``: Sphinx does not write a page again when the theme catalog
  (``sphinx.po``) or a static file changes, so pages keep old labels and old
  ``?v=`` checksums. Connected by the policy extension itself, like
  ``index_escape``.

Loaded by ``policy_handbook.site``; a host project may load it on its own.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from . import myst_settings, read_settings, search_index_entries, singlehtml_links, table_ids, toctree_captions, xhtml_inputs


def setup(app: Sphinx) -> dict:
    myst_settings.setup_myst_settings(app)
    read_settings.setup_read_settings(app)
    search_index_entries.setup(app)
    table_ids.setup(app)
    singlehtml_links.setup(app)
    xhtml_inputs.setup(app)
    toctree_captions.setup(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
