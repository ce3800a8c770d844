"""The test root of the site (tests/roots/test-site) built with the project's own
templates and theme catalog, as docs/ has them."""

from __future__ import annotations

from pathlib import Path

from .paths import PROJECT_ROOT

SITE_ROOT = PROJECT_ROOT / "tests" / "roots" / "test-site"
SITE_CONF = {
    "templates_path": [str(PROJECT_ROOT / "docs" / "_templates")],
    "locale_dirs": [str(PROJECT_ROOT / "docs" / "locales")],
}


def build_site(srcdir: Path, builder: str = "html", **confoverrides):
    """Build the project in `srcdir` (a copy of the test root) once; the app returned."""
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(builder, srcdir=srcdir, confoverrides={**SITE_CONF, **confoverrides})
    try:
        app.build()
    finally:
        app.cleanup()
    return app
