"""English a careful translator would publish: checks over every English string the site shows.

- ``policy.english``: no Japanese punctuation (・、。「」) in English text. A Japanese
  phrase quoted in English (「求められる」, 一般職) keeps its own punctuation: what is
  flagged is a mark outside any Japanese run, such as the ・ of "6(2)・1" (the
  English pages write "6(2)·1").
- the pages' catalogs (docs/locales/en/LC_MESSAGES/**/*.po, Japanese msgid →
  English msgstr) and the extension's own UI catalogs (English msgid → Japanese
  msgstr) get the glossary (``policy.terminology``), the modality rules
  (``policy.style``) and the punctuation check, located at the message's line.

The situation titles, role names and notes come with the policy's own strings
(texts.situation_strings); the distinct citations of a guide are checks/guides.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model import Location, Note, Text
from .style import sentence_modals
from .texts import Bilingual, waived

Locate = Callable[..., Any]

JAPANESE_PUNCTUATION = "・、。「」"
_CJK = r"\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e"
# A quoted Japanese phrase (「…」 with Japanese inside) or a Japanese run with the marks it holds.
_QUOTED_JAPANESE = re.compile(
    rf"「[^「」]*[{_CJK}][^「」]*」|[{_CJK}][{_CJK}・、。]*"
    # text the page marks as Japanese ({lang-ja}`2(1)・3`: a value of the JSON, quoted)
    r"|\{lang-ja\}`[^`]*`"
    # a mark mentioned by itself: "lacks its final full stop (。)"
    r"|(?<=[(“「])[・、。](?=[)”」])"
)
_MARK = re.compile(f"[{JAPANESE_PUNCTUATION}]")
_JAPANESE_RUN = re.compile(rf"[{_CJK}]+")


def stray_punctuation(en: str) -> list[str]:
    """The Japanese punctuation marks of an English text that are not part of quoted Japanese."""
    return _MARK.findall(_QUOTED_JAPANESE.sub("", en))


def punctuation_warnings(strings: Iterable[Bilingual], locate: Locate) -> list[Problem]:
    out = []
    for s in strings:
        if s.text.en is None:  # pending
            continue
        marks = stray_punctuation(s.text.en)
        if marks:
            out.append(
                Problem(
                    locate(s.owner, *s.path, "en"),
                    f"{s.where}: Japanese punctuation {' '.join(dict.fromkeys(marks))} in the English "
                    f'(use the English form, e.g. 6(2)·1, commas, full stops, quotation marks): "{s.text.en}"',
                    "policy.english",
                )
            )
    return out


def modality_warnings(strings: Iterable[Bilingual], locate: Locate, *, sentences_only: bool = False) -> list[Problem]:
    """The house rules for modality (style.py) over any bilingual strings. An English text
    that quotes the Japanese form (the owners' page lists them) mentions it, it does not use it.
    ``sentences_only``: only texts ending in 。 (a catalog's headings and labels are not rules)."""
    out = []
    for s in strings:
        if s.text.en is None or waived(s.notes, "style") or (sentences_only and not s.text.ja.rstrip().endswith("。")):
            continue
        quoted = _JAPANESE_RUN.findall(s.text.en)
        for sentence, rule in sentence_modals(s.text.ja):
            if any(rule.ending.search(run) for run in quoted):
                continue
            if not rule.english.search(s.text.en):
                out.append(
                    Problem(
                        locate(s.owner, *s.path, "en"),
                        f"{s.where}: the Japanese calls for '{rule.name}' (house rules for modality) but the English "
                        f'has none: 「{sentence}」 / "{s.text.en}"',
                        "policy.style",
                    )
                )
                break
    return out


# --------------------------------------------------------------------------- catalogs


class _Message:
    """Where a catalog message is, for ``locate``: its file and line."""

    __slots__ = ("location",)

    def __init__(self, location: Location) -> None:
        self.location = location


def locate_message(owner: Any, *path: Any) -> Location | None:
    return owner.location if isinstance(owner, _Message) else None


def catalog_strings(path: Path, shown_as: str, *, japanese_ids: bool) -> Iterator[Bilingual]:
    """The translated messages of one .po file as bilingual strings.

    ``japanese_ids``: the pages' catalogs (msgid Japanese, msgstr English); else the
    extension's UI catalogs (msgid English, msgstr Japanese)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not (message.id and message.string and isinstance(message.id, str) and isinstance(message.string, str)):
            continue  # a plural entry, or untranslated
        ja, en = (message.id, message.string) if japanese_ids else (message.string, message.id)
        owner = _Message(Location(shown_as, message.lineno or 1, 1))  # read_po numbers every message
        yield Bilingual(f"{shown_as} message", owner, (), Text(ja, en), _waivers(message.user_comments))


def _waivers(comments: list[str]) -> tuple[Note, ...]:
    """A translator comment ``# waives: terminology: why`` answers for its message, like a
    clause's note with ``waives``."""
    notes = []
    for comment in comments:
        m = re.match(r"waives:\s*([\w, ]+?)\s*:\s*(.+)", comment.strip())
        if m:
            checks = tuple(c.strip() for c in m.group(1).split(",") if c.strip())
            notes.append(Note("translation", Text(m.group(2), m.group(2)), checks))
    return tuple(notes)


def page_catalogs(pages_dir: Path, root: Path) -> list[tuple[Path, str, bool]]:
    """(file, name to show, msgid is Japanese) of every catalog the site shows in English."""
    from .. import __file__ as package_file

    found = []
    for path in sorted((pages_dir / "locales" / "en" / "LC_MESSAGES").rglob("*.po")):
        found.append((path, _shown(path, root), True))
    ui = Path(package_file).parent / "sphinxext" / "locale" / "ja" / "LC_MESSAGES"
    for path in sorted(ui.glob("*.po")):
        found.append((path, _shown(path, root), False))
    return found


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def catalog_warnings(terminology, pages_dir: Path, root: Path) -> list[Problem]:
    """Glossary, modality and punctuation over the pages' and the extension's catalogs."""
    out: list[Problem] = []
    for path, shown, japanese_ids in page_catalogs(pages_dir, root):
        strings = list(catalog_strings(path, shown, japanese_ids=japanese_ids))
        out += terminology.warnings(strings, locate_message)
        out += modality_warnings(strings, locate_message, sentences_only=True)
        out += punctuation_warnings(strings, locate_message)
    return out
