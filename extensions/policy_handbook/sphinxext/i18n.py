"""UI strings of the extension, translated through its one gettext catalog.

The Japanese catalog is kept as a .po file (``locale/ja/LC_MESSAGES``); .mo files
are not committed, so ``compile_catalog`` turns the .po into a .mo whenever it is
missing or out of date. Compilation is deterministic (babel, no timestamps) and
the file is replaced atomically, so the two builds `make html` runs at once can
both do it safely.
"""

from __future__ import annotations

import io
from pathlib import Path

from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _TranslationProxy, get_translation

from ..files import write_if_changed

CATALOG = "policy_handbook"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_ = get_translation(CATALOG)


def lazy(message: str) -> str:
    """A translation evaluated when used (for class attributes set at import time)."""
    return _TranslationProxy(CATALOG, "general", message)  # type: ignore[return-value]


def compile_catalog(locale_dir: Path = LOCALE_DIR, fallback_dir: Path | None = None, catalog_name: str = CATALOG) -> Path:
    """Compile every ``*/LC_MESSAGES/<catalog_name>.po`` to a .mo beside it (the extension's
    one UI catalog by default; the site's search page has its own).

    Returns the locale directory to register. When the package directory is not
    writable (an installed copy), the .mo files go to ``fallback_dir`` instead.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target_root = locale_dir
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{catalog_name}.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name, domain=catalog_name)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        data = buffer.getvalue()
        relative = po_path.relative_to(locale_dir).with_suffix(".mo")
        try:
            write_if_changed(target_root / relative, data)
        except OSError:
            if fallback_dir is None:
                raise
            target_root = fallback_dir
            write_if_changed(target_root / relative, data)
    return target_root


def _add_catalog(app: Sphinx, config: Config) -> None:
    locale_dir = compile_catalog(fallback_dir=Path(app.doctreedir) / "policy_handbook_locale")
    # A process may build both languages one after the other (tests, autobuild):
    # start from a fresh translator, not the previous build's language.
    sphinx_locale.translators.pop(("general", CATALOG), None)
    app.add_message_catalog(CATALOG, str(locale_dir))


def setup_i18n(app: Sphinx) -> None:
    app.connect("config-inited", _add_catalog)
