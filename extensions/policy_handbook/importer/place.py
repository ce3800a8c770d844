"""Whose guideline an import is: municipality, prefecture and national code (lg_code).

From ``--municipality`` when given, else from the names of the national list
(municipalities.py) printed in the title, else in the text. ``--prefecture`` is
needed only when the name is ambiguous (南部町 is in 青森県, 山梨県 and 鳥取県) and
no prefecture printed with it settles it; a name that is not on the list is
refused with the closest names.
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn

from .. import municipalities as lg
from ..characters import sanitise
from .errors import ImportProblem, ImportRefused

# Printed in running text, a two-character name (北区, 港区, 大町) is too often part of
# another word; the title is read for every name.
MIN_TEXT_NAME = 3


@dataclass(frozen=True)
class Place:
    municipality: str  # as on the list (龍ケ崎市), a prefecture's name for a prefecture's own guideline
    prefecture: str
    lg_code: str
    review: tuple[str, ...] = ()  # how it was found, where a person should confirm it


@dataclass(frozen=True)
class _Mention:
    line: int
    key: str  # the name as matched (name_key form)
    prefecture_before: str | None  # a prefecture printed right before it: 鳥取県南部町


@functools.cache
def _names() -> re.Pattern:
    """Every municipality and prefecture name, longest first (leftmost-longest matching)."""
    keys = {lg.name_key(g.name) for g in lg.municipalities()} | {lg.name_key(p.name) for p in lg.prefectures()}
    return re.compile("|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k))))


def _mentions(line: int, text: str, min_length: int = 1) -> list[_Mention]:
    out: list[_Mention] = []
    prefecture_end, prefecture_name = -1, None  # the last prefecture printed, where it ends
    for m in _names().finditer(lg.name_key(text)):
        key = m.group()
        if _is_prefecture(key):
            prefecture_end, prefecture_name = m.end(), key
            out.append(_Mention(line, key, None))
        elif len(key) >= min_length:
            out.append(_Mention(line, key, prefecture_name if prefecture_end == m.start() else None))
    return out


def _is_prefecture(key: str) -> bool:
    found = lg.named(key)
    return len(found) == 1 and found[0].is_prefecture


def infer_place(
    source: str,
    *,
    title: str | None,
    title_line: int,
    printed: Iterable[tuple[int, str]],
    municipality: str | None = None,
    prefecture: str | None = None,
    where: Callable[[int], str] = str,
    page_of: Callable[[int], int | None] = lambda line: None,
) -> Place:
    """The place of an imported text: ``printed`` is (line, text) of what the text prints
    besides the title, in document order (printed_lines); ``where`` names a line for the
    review list, ``page_of`` its page in a PDF."""
    printed = list(printed)
    title_mentions = _mentions(title_line, title or "")
    text_mentions = [m for line, text in printed for m in _mentions(line, text, MIN_TEXT_NAME)]
    printed_prefectures = [m.key for m in (*title_mentions, *text_mentions) if _is_prefecture(m.key)]
    review: list[str] = []

    def refuse(message: str, line: int = 1) -> NoReturn:
        # the message quotes the user's option or the text: never let it act on the terminal
        raise ImportRefused([ImportProblem(source, line, sanitise(message), page_of(line))])

    if prefecture is not None and lg.prefecture(prefecture) is None:
        close = ", ".join(p.name for p in lg.prefectures() if p.name.startswith(prefecture[:1]))
        refuse(f"--prefecture {prefecture}: not a prefecture" + (f" (did you mean {close}?)" if close else ""))

    if municipality is not None:
        name, given_prefecture = _split_full_name(municipality)
        prefecture = prefecture or given_prefecture
        line, before = 1, None
        origin = f"--municipality {municipality}"
    else:
        chosen = next((m for m in title_mentions if not _is_prefecture(m.key)), None)
        chosen = chosen or next((m for m in title_mentions if _is_prefecture(m.key)), None)  # a prefecture's own
        if chosen is None:
            chosen = _most_mentioned(m for m in text_mentions if not _is_prefecture(m.key))
            if chosen is not None:
                review.append(f"{where(chosen.line)}: the municipality ({chosen.key}) was inferred from the text, not the title: check it")
        if chosen is None:
            refuse(
                "cannot tell the municipality: no name of the national list (総務省, 全国地方公共団体コード) "
                "is printed in the title or the text; give --municipality 〇〇市",
                title_line or 1,
            )
        name, line, before = chosen.key, chosen.line, chosen.prefecture_before
        origin = f"'{name}' printed in the {'text' if review else 'title'}"

    if prefecture is not None:
        try:
            found = lg.resolve(name, prefecture)
        except lg.PlaceError as exc:
            refuse(f"{origin}: {exc}", line)
        return Place(found.name, found.prefecture, found.code, tuple(review))
    try:
        found = lg.resolve(name)
    except lg.UnknownPlace as exc:
        refuse(f"{origin}: {exc}", line)
    except lg.AmbiguousPlace as exc:
        # The prefecture printed right before the name (鳥取県南部町), here or where the title or
        # the text prints it again; else the only one of the candidates' prefectures printed.
        key = lg.name_key(name)
        with_name = {m.prefecture_before for m in (*title_mentions, *text_mentions) if m.key == key and m.prefecture_before}
        before = before or (with_name.pop() if len(with_name) == 1 else None)
        printed_here = {before} if before else set(printed_prefectures)
        settled = [g for g in exc.candidates if g.prefecture in printed_here]
        if len(settled) != 1:
            choices = ", ".join(g.prefecture for g in exc.candidates)
            refuse(f"{origin}: {exc}; give --prefecture ({choices})", line)
        found = settled[0]
        if not before:
            review.append(
                f"the prefecture ({found.prefecture}) of {name}, which is in {len(exc.candidates)} prefectures, was inferred from the text: check it"
            )
    return Place(found.name, found.prefecture, found.code, tuple(review))


def printed_lines(clauses: Iterable) -> list[tuple[int, str]]:
    """(line, heading and text) of each imported clause (structure.Draft), in document order."""
    return [(c.lineno, f"{c.heading or ''} {c.text or ''}") for c in clauses if c.heading or c.text]


def _split_full_name(name: str) -> tuple[str, str | None]:
    """福岡県筑後市 -> (筑後市, 福岡県); 筑後市 -> (筑後市, None)."""
    key = lg.name_key(name)
    for p in lg.prefectures():
        if key.startswith(p.name) and len(key) > len(p.name):
            return key[len(p.name) :], p.name
    return name, None


def _most_mentioned(mentions: Iterable[_Mention]) -> _Mention | None:
    """The name the text prints most often (the first printed among equals)."""
    mentions = list(mentions)
    if not mentions:
        return None
    counts = collections.Counter(m.key for m in mentions)
    best = max(counts.values())
    return next(m for m in mentions if counts[m.key] == best)
