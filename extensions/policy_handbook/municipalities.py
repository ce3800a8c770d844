"""Japan's local governments and their national codes (全国地方公共団体コード, JIS X 0402).

The list is package data (data/lg_codes.csv, from 総務省; see data/README.md): the
47 prefectures and 1,741 municipalities (市町村 and Tokyo's 23 特別区; the wards of
政令指定都市 are not local governments and are not listed). Each code is six
digits: two for the prefecture, three for the municipality (000 for the
prefecture itself) and a check digit.

Read once, on first use. Names are matched after NFKC, without spaces and with
ヶ/ケ, ヵ/カ folded: both spellings of 龍ケ崎市 or 鰺ヶ沢町 are printed.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

CODE_DIGITS = 6
_WEIGHTS = (6, 5, 4, 3, 2)
_FOLD = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ｹ": "ケ"})
# How each kind of municipality's reading ends (市 シ, 町 チョウ or マチ, 村 ソン or ムラ, 区 ク).
_READING_ENDINGS = {"市": ("シ",), "町": ("チョウ", "マチ"), "村": ("ソン", "ムラ"), "区": ("ク",)}
_HIRAGANA_TO_KATAKANA = {c: c + 0x60 for c in range(ord("ぁ"), ord("ゖ") + 1)}
_KANA = re.compile(r"[ァ-ヶー]+")


@dataclass(frozen=True, slots=True)
class LocalGovernment:
    """A prefecture or a municipality of the list."""

    code: str  # six digits, the check digit included: 402117
    prefecture: str  # 福岡県 (for a prefecture: itself)
    name: str  # 筑後市; a prefecture's own name for a prefecture
    reading: str  # full-width katakana: チクゴシ

    @property
    def is_prefecture(self) -> bool:
        return self.code[2:5] == "000"

    @property
    def reading_stem(self) -> str:
        """The reading without the kind's ending: チクゴ (筑後市, チクゴシ), オオキ (大木町, オオキマチ)."""
        for ending in _READING_ENDINGS.get(self.name[-1], ()):
            if self.reading.endswith(ending) and len(self.reading) > len(ending):
                return self.reading[: -len(ending)]
        return self.reading

    @property
    def full_name(self) -> str:
        """福岡県筑後市; 福岡県 for a prefecture."""
        return self.name if self.is_prefecture else self.prefecture + self.name


def check_digit(first_five: str) -> str:
    """The sixth digit of a code (JIS X 0402): 11 minus the weighted sum mod 11, its last digit.

    Weights 6, 5, 4, 3, 2; a remainder of 1 gives 0 and of 0 gives 1 (11 - r, mod 10),
    which every code of the list satisfies (tests/unit/test_municipalities.py).
    """
    if len(first_five) != 5 or not first_five.isascii() or not first_five.isdigit():
        raise ValueError(f"not five digits: {first_five!r}")
    remainder = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS)) % 11
    return str((11 - remainder) % 10)


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a well-formed national code, or None when it is (not whether it is listed)."""
    if not isinstance(code, str) or len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return f"'{code}' is not six digits (a national code is like 402117)"
    expected = check_digit(code[:5])
    if code[5] != expected:
        return f"'{code}' has a wrong check digit: {code[:5]}{expected} would be valid"
    return None


def name_key(name: str) -> str:
    """How names are compared: NFKC, no whitespace, ヶ/ケ folded."""
    return "".join(unicodedata.normalize("NFKC", name).split()).translate(_FOLD)


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, LocalGovernment]
    municipalities: tuple[LocalGovernment, ...]  # code order
    prefectures: tuple[LocalGovernment, ...]  # code order (JIS X 0401)
    by_name: dict[str, tuple[LocalGovernment, ...]]  # name_key -> municipalities of that name
    prefecture_by_name: dict[str, LocalGovernment]  # name_key of 福岡県 and of 福岡


@functools.cache
def _table() -> _Table:
    text = resources.files(__package__).joinpath("data", "lg_codes.csv").read_text(encoding="utf-8")
    by_code: dict[str, LocalGovernment] = {}
    for row in csv.DictReader(io.StringIO(text)):
        prefecture = row["prefecture"]
        by_code[row["code"]] = LocalGovernment(
            code=row["code"],
            prefecture=prefecture,
            name=row["city"] or prefecture,
            reading=unicodedata.normalize("NFKC", row["city_kana"] or row["prefecture_kana"]),
        )
    ordered = sorted(by_code.values(), key=lambda g: g.code)
    municipalities = tuple(g for g in ordered if not g.is_prefecture)
    prefectures = tuple(g for g in ordered if g.is_prefecture)
    by_name: dict[str, list[LocalGovernment]] = {}
    for g in municipalities:
        by_name.setdefault(name_key(g.name), []).append(g)
    prefecture_by_name = {}
    for p in prefectures:
        prefecture_by_name[name_key(p.name)] = p
        prefecture_by_name[name_key(p.name.removesuffix("都").removesuffix("府").removesuffix("県"))] = p
    return _Table(by_code, municipalities, prefectures, {k: tuple(v) for k, v in by_name.items()}, prefecture_by_name)


def by_code(code: str) -> LocalGovernment | None:
    return _table().by_code.get(code)


def municipalities() -> tuple[LocalGovernment, ...]:
    """The 1,741 municipalities in code order (so grouped by prefecture)."""
    return _table().municipalities


def prefectures() -> tuple[LocalGovernment, ...]:
    """The 47 prefectures in code order (北海道 01 … 沖縄県 47)."""
    return _table().prefectures


def prefecture(name: str) -> LocalGovernment | None:
    """The prefecture named ``name`` (福岡県 or 福岡), or None."""
    return _table().prefecture_by_name.get(name_key(name))


def named(name: str, prefecture_name: str | None = None) -> tuple[LocalGovernment, ...]:
    """The local governments called ``name``: municipalities (several prefectures may have one:
    南部町, 府中市, 伊達市), or the prefecture itself (a prefecture's own guideline); within
    ``prefecture_name`` only, when given."""
    table = _table()
    key = name_key(name)
    found = table.by_name.get(key, ())
    if not found and key in table.prefecture_by_name and key.endswith(("都", "道", "府", "県")):
        found = (table.prefecture_by_name[key],)
    if prefecture_name is not None:
        pref = prefecture(prefecture_name)
        found = tuple(g for g in found if pref is not None and g.prefecture == pref.name)
    return found


def closest(name: str, n: int = 5) -> list[LocalGovernment]:
    """The municipalities whose names are most like ``name`` (for "did you mean").

    difflib's ratio ranks them, on the name, or on the reading for a name typed in kana
    (やながわ市: 柳川市); among equal ratios a longer common beginning first (筑豊市: 筑後市
    before 豊田市), then the code: the order is deterministic."""
    key = name_key(name)
    kana = key.translate(_HIRAGANA_TO_KATAKANA)
    stem = kana[:-1] if kana[-1:] in _READING_ENDINGS else kana
    by_reading = bool(_KANA.fullmatch(stem))
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    reading_matcher = difflib.SequenceMatcher(b=stem, autojunk=False)
    scored = []
    for other, governments in _table().by_name.items():
        matcher.set_seq1(other)
        ratio = matcher.ratio()
        prefix = len(os.path.commonprefix([key, other]))
        for g in governments:
            score, common = ratio, prefix
            if by_reading:
                reading_matcher.set_seq1(g.reading_stem)
                if reading_matcher.ratio() > score:
                    score, common = reading_matcher.ratio(), len(os.path.commonprefix([stem, g.reading_stem]))
            if score >= 0.5:
                scored.append((-score, -common, g.code, g))
    return [g for *_, g in sorted(scored)[:n]]


class PlaceError(ValueError):
    """A name that names no local government, or several."""


class UnknownPlace(PlaceError):
    def __init__(self, name: str, prefecture_name: str | None, suggestions: list[LocalGovernment]):
        self.name = name
        self.suggestions = suggestions
        where = f" in {prefecture_name}" if prefecture_name else ""
        hint = f": closest names: {', '.join(g.full_name for g in suggestions)}" if suggestions else ""
        super().__init__(f"'{name}'{where} is not on the list of local governments (総務省, 全国地方公共団体コード){hint}")


class AmbiguousPlace(PlaceError):
    def __init__(self, name: str, candidates: tuple[LocalGovernment, ...]):
        self.name = name
        self.candidates = candidates
        where = ", ".join(f"{g.prefecture} ({g.code})" for g in candidates)
        super().__init__(f"there is a '{name}' in {len(candidates)} prefectures: {where}")


def resolve(name: str, prefecture_name: str | None = None) -> LocalGovernment:
    """The one local government ``name`` (in ``prefecture_name``) names; raises
    UnknownPlace (with the closest names) or AmbiguousPlace (with each prefecture)."""
    asked = prefecture(prefecture_name) if prefecture_name is not None else None
    if prefecture_name is not None and asked is None:
        raise UnknownPlace(prefecture_name, None, [])
    found = named(name, prefecture_name)
    if len(found) == 1:
        return found[0]
    if not found:
        # 南部町 asked for in 福岡県: the prefectures that have one; otherwise the closest names,
        # those of the prefecture asked for first.
        elsewhere = list(named(name)) if prefecture_name is not None else []
        suggestions = elsewhere or closest(name)
        if asked is not None and not elsewhere:
            suggestions.sort(key=lambda g: g.prefecture != asked.name)
        raise UnknownPlace(name, prefecture_name, suggestions)
    raise AmbiguousPlace(name, found)
