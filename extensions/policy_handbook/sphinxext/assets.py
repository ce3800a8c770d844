"""The extension's CSS and scripts: one static folder (``static/``), one way to add its files.

``setup_assets`` gives every HTML page the extension's stylesheets. A feature adds
its own files with ``add_files``: on every page, or (``groups``) only on the pages
that noted a group while they were read (``PolicyDomain.note_assets``), so that
every other page stays byte-identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .data import policy_domain

STATIC_DIR = Path(__file__).resolve().parent / "static"
STYLESHEETS = ("policy.css", "policy-comparison.css")


@dataclass(frozen=True, slots=True)
class Files:
    """Stylesheets and scripts (deferred) of ``static/``, in the order a page loads them."""

    css: Sequence[str] = ()
    js: Sequence[str] = ()


def _add_static_dir(app: Sphinx) -> None:
    """Put ``static/`` on the HTML builders' static path (once, whoever asks first)."""
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def _add(app: Sphinx, files: Files) -> None:
    for name in files.css:
        app.add_css_file(name)
    for name in files.js:
        app.add_js_file(name, loading_method="defer")


def add_files(app: Sphinx, every_page: Files = Files(), groups: Mapping[str, Files] | None = None) -> None:
    """``every_page``: files of every HTML page; ``groups``: files of the pages that noted the group."""

    def on_every_page(app: Sphinx) -> None:
        if app.builder.format == "html":
            _add_static_dir(app)
            _add(app, every_page)

    app.connect("builder-inited", on_every_page)
    if not groups:
        return
    order = list(groups)

    def on_its_pages(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
        if doctree is None:
            return
        css: list[str] = []
        js: list[str] = []
        for group in sorted((g for g in policy_domain(app.env).assets(pagename) if g in groups), key=order.index):
            css += [name for name in groups[group].css if name not in css]
            js += [name for name in groups[group].js if name not in js]
        _add(app, Files(css, js))

    app.connect("html-page-context", on_its_pages)


def setup_assets(app: Sphinx) -> None:
    add_files(app, Files(css=STYLESHEETS))
