"""`make gettext`'s catalog update (policy_handbook.site.po_update)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from helpers.paths import PROJECT_ROOT
from policy_handbook.site import po_update

ROOT = PROJECT_ROOT


def _pot(path: Path, *messages: str) -> None:
    catalog = Catalog()
    for message in messages:
        catalog.add(message)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog)


def test_catalogs_of_pages_that_are_gone_are_removed_and_not_recreated(tmp_path):
    pots, locales = tmp_path / "gettext", tmp_path / "locales"
    _pot(pots / "index.pot", "はじめに")
    _pot(pots / "guidelines" / "north.pot", "北市")
    catalogs = locales / "en" / "LC_MESSAGES"
    for stale in ("old-name.po", "ja/index.po", "sphinx.po"):
        (catalogs / stale).parent.mkdir(parents=True, exist_ok=True)
        (catalogs / stale).write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert po_update.main([str(pots), str(locales), "en"]) == 0
    left = sorted(p.relative_to(catalogs).as_posix() for p in catalogs.rglob("*.po"))
    assert left == ["guidelines/north.po", "index.po", "sphinx.po"]
    assert not (catalogs / "ja").exists()
    with (catalogs / "index.po").open("rb") as fh:
        assert [m.id for m in read_po(fh) if m.id] == ["はじめに"]


def test_make_gettext_starts_from_an_empty_template_directory():
    dry_run = subprocess.run(["make", "-n", "gettext"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = dry_run.splitlines()
    clear = next(i for i, line in enumerate(lines) if line.startswith("rm -rf _build/gettext"))
    build = next(i for i, line in enumerate(lines) if "-b gettext" in line)
    assert clear < build
