"""Numbering and bullet styles of Japanese municipal texts: which marker starts a line.

A style is what decides nesting: the first style seen is the top level, a style
not yet open nests under the current clause, an open one closes what is below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"[0-9０-９]+|[一二三四五六七八九十百〇]+"
_KANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA_ORDER = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_SEP = r"[ \t\u3000]"

# Order matters: the first pattern that matches names the style.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"(第{_SEP}*(?:{_NUM}){_SEP}*章)")),
    ("division", re.compile(rf"(第{_SEP}*(?:{_NUM}){_SEP}*節)")),
    ("article", re.compile(rf"(第{_SEP}*(?:{_NUM}){_SEP}*条(?:の(?:{_NUM}))?)")),
    ("dai", re.compile(rf"(第{_SEP}*(?:{_NUM}))(?=[ \u3000])|(第{_SEP}*(?:{_NUM})[.．])(?![0-9０-９])")),
    ("roman", re.compile(r"([\u2160-\u216b])(?=[ \u3000.．、])|([\u2160-\u216b][.．、])")),
    ("paren-number", re.compile(r"([（(]" + _SEP + r"*(?:[0-9０-９]+|[一二三四五六七八九十]+)" + _SEP + r"*[)）])")),
    ("paren-kana", re.compile(r"([（(][ア-ン][)）])")),
    ("paren-alpha", re.compile(r"([（(][a-zａ-ｚ][)）])")),
    ("circled", re.compile(r"([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])")),
    ("number-dot", re.compile(r"([0-9０-９]{1,3}[.．、](?![0-9０-９]))")),
    ("number-paren", re.compile(r"([0-9０-９]{1,3}[)）])")),
    ("number", re.compile(r"([0-9０-９]{1,3})(?=[ \u3000])")),
    ("kanji-number", re.compile(r"([一二三四五六七八九十]{1,3})(?=[ \u3000])")),  # 号 of 法令 style: 一　…
    ("kana", re.compile(r"([ア-ン])(?=[ \u3000])|([ア-ン][.．、])")),
    ("bullet", re.compile(r"([・●○◎■□◆◇▪▫•◦])")),
)
_LIST_MARKUP = re.compile(r"(?:[-*+]|#{1,6})[ \t]+")
_NOTE = re.compile(r"(※[0-9０-９]*|[（(]注[0-9０-９]*[)）]|注[0-9０-９]*[:：])")
_CAPTION = re.compile(r"[（(]([^（()）0-9０-９]{1,25})[)）]|【([^【】]{1,25})】")
# A 例規 page's amendment note after an article: (令5訓令11・一部改正), (平成28年告示第3号一部改正).
_AMENDMENT = re.compile(r"[（(][^（()）]{0,60}(?:一部改正|全部改正|改正|追加|全改|削除|旧第[^（()）]{1,10}繰下)[)）]")
# A number printed straight before a heading (1ソーシャルメディアの定義): a marker unless a counter
# word follows (1人, 3日以内, 5件, 2か月), which makes it part of the sentence.
_TIGHT_NUMBER = re.compile(
    r"([0-9０-９]{1,2})(?=[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff])(?![人日月年件回時分名個つかヵヶケ箇点号条項章節万千百歳枚台部課階週期次代度倍割円秒])"
)
_SENTENCE_END = re.compile(r"[。．！？!?][」』）)”’]*$")


@dataclass(frozen=True, slots=True)
class Marked:
    style: str  # a key of _PATTERNS, "note", "caption" or "amendment"
    marker: str  # as printed, without surrounding spaces ("1．", "(3)", "第1条")
    rest: str  # what follows the marker, stripped


def classify(line: str) -> Marked | None:
    """The marker that starts ``line`` (already stripped), or None for an unnumbered line."""
    markup = _LIST_MARKUP.match(line)
    if markup and len(line) > markup.end():
        line = line[markup.end() :]
        inner = classify(line)
        if inner is not None:
            return inner
        return Marked("bullet-", markup.group().strip(), line.strip()) if not markup.group().startswith("#") else None
    note = _NOTE.match(line)
    if note:
        return Marked("note", note.group(1), line[note.end() :].strip())
    if _AMENDMENT.fullmatch(line):
        return Marked("amendment", "", line)
    caption = _CAPTION.fullmatch(line)
    if caption and not re.fullmatch("[ア-ン]", caption.group(1) or ""):
        return Marked("caption", "", line)
    for style, pattern in _PATTERNS:
        m = pattern.match(line)
        if m:
            marker = m.group(0).strip()
            if len(marker) > MAX_MARKER:
                continue  # 第    1    条 spread over a line: no marker the schema can hold
            rest = line[m.end() :]
            if style == "number-dot" and marker[-1] == "、" and not rest.strip():
                return None
            if style in ("number", "kana", "kanji-number") and not rest.strip(" \u3000"):
                return None  # a lone number is a page number or a form value, not a clause
            if style == "bullet":
                style = f"bullet{marker}"  # ■ over ・: each bullet character is its own level
            return Marked(style, marker, rest.strip(" \t\u3000"))
    tight = _TIGHT_NUMBER.match(line)
    if tight and is_heading_text(line[tight.end() :]):
        return Marked("number", tight.group(1), line[tight.end() :].strip(" \t\u3000"))
    return None


MAX_MARKER = 10  # the schema's limit on a printed marker
HEADING_MAX_WIDTH = 30  # a heading is short; a longer line without 。 is a sentence broken by the layout


def is_heading_text(text: str) -> bool:
    return bool(text) and not ends_sentence(text) and width(text) <= HEADING_MAX_WIDTH and "。" not in text


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def kanji_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 百 -> 100."""
    if not text or any(ch not in _KANJI_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _KANJI_DIGITS[ch]
    return total + current


def marker_number(marker: str) -> str | None:
    """The number a marker stands for, as ASCII digits ("第１条の２" -> "1no2", "ア" -> "1")."""
    normal = unicodedata.normalize("NFKC", marker)
    parts = re.findall(r"[0-9]+|[一二三四五六七八九十百〇]+", normal)
    numbers = []
    for part in parts:
        numbers.append(part if part.isdigit() else str(kanji_number(part)))
    if numbers:
        return "no".join(str(int(n)) for n in numbers)
    for ch in normal:
        if ch in _KANA_ORDER:
            return str(_KANA_ORDER.index(ch) + 1)
    roman = re.search(r"[IVX]+", normal)
    if roman and roman.group() in _ROMAN:
        return str(_ROMAN.index(roman.group()) + 1)
    alpha = re.search(r"[a-z]", normal)
    if alpha:
        return str(ord(alpha.group()) - ord("a") + 1)
    return None


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def width(text: str) -> float:
    """Display width in full-width characters (half-width counts one half)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)
