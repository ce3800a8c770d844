"""Sphinx 9.0.4 does not write a page again when what its template is made with changes.

Sphinx rewrites a page when its source, its own catalog or a template changes,
not when the project's theme catalog (``<locale_dir>/<lang>/LC_MESSAGES/sphinx.po``:
furo's labels, the language switcher) or a static file changes: a page not
otherwise rebuilt keeps the old labels, and the old ``?v=`` checksums in its links
to the style sheets and scripts, so a browser keeps the old ones too.

The workaround does what Sphinx does for templates (``newest_template_mtime``):
at ``env-get-updated``, every page whose output file is older than the newest of
those files is written again. It keeps no state: each builder compares its own
output files. Canary: tests/sphinx/test_upstream.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def theme_catalogs(app: Sphinx) -> list[Path]:
    """``<locale_dir>/<lang>/LC_MESSAGES/sphinx.po`` (and the .mo made from it) of the project."""
    if not app.config.language:
        return []
    found = []
    for locale_dir in app.config.locale_dirs:
        messages = Path(app.srcdir) / locale_dir / app.config.language / "LC_MESSAGES"
        found += [path for path in (messages / "sphinx.po", messages / "sphinx.mo") if path.is_file()]
    return found


def static_files(app: Sphinx) -> Iterator[Path]:
    for entry in app.config.html_static_path:
        path = Path(app.confdir) / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for folder, _dirs, files in os.walk(path):
                yield from (Path(folder) / name for name in files)


def _pages_older_than_their_chrome(app: Sphinx, env: BuildEnvironment) -> list[str]:
    outfile = getattr(app.builder, "get_outfilename", None)  # the HTML builders'
    if outfile is None:
        return []
    newest = max((path.stat().st_mtime_ns for path in (*theme_catalogs(app), *static_files(app))), default=None)
    if newest is None:
        return []
    stale = []
    for docname in sorted(env.found_docs):
        try:
            if os.stat(outfile(docname)).st_mtime_ns < newest:
                stale.append(docname)
        except OSError:  # not written yet: Sphinx writes it anyway
            continue
    if stale:
        logger.info("[theme catalog or static files changed: %d page(s) to write again] ", len(stale), nonl=True)
    return stale


def setup_page_chrome(app: Sphinx) -> None:
    app.connect("env-get-updated", _pages_older_than_their_chrome)
