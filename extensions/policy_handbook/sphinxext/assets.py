"""The extension's CSS: one static folder (``static/``), registered once for HTML builders.

Every page gets these stylesheets; the national views and situation guides add
their own files on the pages that use them.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).resolve().parent / "static"
STYLESHEETS = ("policy.css", "policy-comparison.css")


def add_static_dir(app: Sphinx) -> None:
    """Put ``static/`` on the HTML builders' static path (once, whoever asks first)."""
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def _add_stylesheets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    add_static_dir(app)
    for name in STYLESHEETS:
        app.add_css_file(name)


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", _add_stylesheets)
