"""Bring the pages' translation catalogs up to date (``make gettext``).

    python -m policy_handbook.site.po_update _build/gettext docs/locales en

For every ``<page>.pot`` written by ``sphinx-build -b gettext`` this updates
``docs/locales/<lang>/LC_MESSAGES/<page>.po`` (creating it when missing) with
babel, which Sphinx already depends on (no msgmerge or sphinx-intl needed):
new messages are added untranslated, messages no longer in the page are
dropped, and a changed sentence comes back *untranslated*, not as a guessed
"fuzzy" translation, so nothing half-right reaches the English site. The
header dates of an existing file are kept, so re-running without changes
leaves the files byte for byte as they were.

A page's catalog whose page has no template any more (the page was renamed
or deleted) is removed, so it cannot come back later; ``make gettext`` empties
the template directory first, so templates of old builds never count.

Afterwards fill in every empty ``msgstr``; the site tests fail while any is
empty (tests/test_site_i18n.py).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..files import write_atomic


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


HEADER = """\
# {language} translation of docs/{page}.md.
# Update with `make gettext`, then translate every empty msgstr.
"""
# Flags babel guesses from braces and percent signs: meaningless for page text.
_GUESSED_FLAGS = ("python-format", "python-brace-format")


def _messages(catalog: Catalog) -> list[tuple]:
    return [(m.id, m.string, sorted(m.flags - set(_GUESSED_FLAGS))) for m in catalog if m.id]


def update_catalog(pot: Path, po: Path, lang: str, page: str) -> tuple[int, int]:
    """Update (or create) `po` from `pot`. Returns (messages, untranslated)."""
    template = _read(pot)
    before = None
    if po.is_file():
        catalog = _read(po, lang)
        before = _messages(catalog)
        created, revised = catalog.creation_date, catalog.revision_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date, catalog.revision_date = created, revised
        catalog.obsolete.clear()  # a removed sentence has nothing to come back to
    else:
        catalog = Catalog(
            locale=lang,
            header_comment=HEADER.format(language=Locale.parse(lang).english_name, page=page),
            project="policy-handbook",
            fuzzy=False,
        )
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = catalog.revision_date = template.creation_date
    for message in catalog:
        for flag in _GUESSED_FLAGS:
            message.flags.discard(flag)
    if _messages(catalog) != before:  # an up-to-date file is left exactly as it is
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0, no_location=True, include_previous=False)
        write_atomic(po, buffer.getvalue())  # never half a catalog, never through a link
    messages = [m for m in catalog if m.id]
    untranslated = sum(1 for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    return len(messages), untranslated


def remove_orphans(catalogs: Path, wanted: set[Path]) -> list[Path]:
    """Delete the page catalogs under ``catalogs`` not in ``wanted`` (relative paths).

    sphinx.po is the theme's catalog (docs/locales/<lang>/LC_MESSAGES/sphinx.po),
    not a page's, and stays.
    """
    removed: list[Path] = []
    if not catalogs.is_dir():
        return removed
    for po in sorted(catalogs.rglob("*.po")):
        relative = po.relative_to(catalogs)
        if relative.as_posix() != "sphinx.po" and relative not in wanted:
            po.unlink()
            removed.append(po)
    for directory in sorted((d for d in catalogs.rglob("*") if d.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy_handbook.site.po_update", description=__doc__.split("\n\n")[0])
    parser.add_argument("pot_dir", type=Path, help="output of sphinx-build -b gettext")
    parser.add_argument("locale_dir", type=Path, help="the locale_dirs entry, e.g. docs/locales")
    parser.add_argument("languages", nargs="+", help="languages to update, e.g. en")
    args = parser.parse_args(argv)
    pots = sorted(p for p in args.pot_dir.rglob("*.pot") if p.name != "sphinx.pot")
    if not pots:
        print(f"no .pot files in {args.pot_dir}: run sphinx-build -b gettext first", file=sys.stderr)
        return 1
    todo = 0
    for lang in args.languages:
        catalogs = args.locale_dir / lang / "LC_MESSAGES"
        for stale in remove_orphans(catalogs, {pot.relative_to(args.pot_dir).with_suffix(".po") for pot in pots}):
            print(f"{stale}: removed (its page is gone)")
        for pot in pots:
            page = pot.relative_to(args.pot_dir).with_suffix("")
            po = args.locale_dir / lang / "LC_MESSAGES" / page.with_suffix(".po")
            total, untranslated = update_catalog(pot, po, lang, page.as_posix())
            todo += untranslated
            if untranslated:
                print(f"{po}: {untranslated} of {total} messages to translate")
    print("all messages translated" if not todo else f"{todo} messages to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
