"""Characters a policy file may not hold, and text made safe to print.

Policy data is untrusted. Some characters would make what a reader sees differ
from what is stored or published, or act on a terminal:

* control characters (C0, DEL, C1 with NEL), written raw or as YAML escapes
  ("\\0", "\\e", "\\x07", "\\N");
* format characters (Unicode category Cf): bidi embeddings, overrides and
  isolates (U+202A-U+202E, U+2066-U+2069, the marks U+200E/U+200F/U+061C),
  zero-width characters (U+200B-U+200D, U+2060, U+FEFF), soft hyphen, tags;
* line and paragraph separators U+2028/U+2029 (YAML counts them as line breaks,
  editors do not: every position after one would be off);
* surrogates and noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...).

``forbidden_positions`` finds them all (tab and line feed excepted: the YAML
reader reports a raw tab in its own words and a line feed is a line break).
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterator

# Unicode format characters (Cf) as of Unicode 15.1; tests/unit/test_characters.py checks them.
_FORMAT_BMP = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT_ASTRAL = [
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
]
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS_BMP = "\ufdd0-\ufdef\ufffe\uffff"

_BMP_CLASS = _CONTROLS + _FORMAT_BMP + _SEPARATORS + _SURROGATES + _NONCHARACTERS_BMP
_ASTRAL_RANGES = _FORMAT_ASTRAL + [(plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF) for plane in range(1, 17)]
_ASTRAL_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ASTRAL_RANGES)
# Python's regex engine tests a class of BMP characters with a bitmap, but a class with
# astral characters one range at a time (10x slower on a 32 MB file). So BMP and astral
# characters are searched apart, the astral ones only in a text that has any.
_BMP = re.compile(f"[{_BMP_CLASS}]")
_BMP_IN_VALUE = re.compile(f"[\t{_BMP_CLASS}]")
_ANY_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL = re.compile(f"[{_ASTRAL_CLASS}]")


def forbidden_positions(text: str, *, in_value: bool = False) -> Iterator[int]:
    """Offsets of the forbidden characters of ``text``, in order. Raw in a file, tab and line
    feed are left to the reader; in a value (escapes decoded) a tab is forbidden too."""
    bmp = (m.start() for m in (_BMP_IN_VALUE if in_value else _BMP).finditer(text))
    astral = _ANY_ASTRAL.search(text)
    if astral is None:
        return bmp
    return heapq.merge(bmp, (m.start() for m in _ASTRAL.finditer(text, astral.start())))


def first_forbidden(text: str, *, in_value: bool = False) -> str | None:
    for pos in forbidden_positions(text, in_value=in_value):
        return text[pos]
    return None


def is_forbidden(char: str, *, in_value: bool = False) -> bool:
    return first_forbidden(char, in_value=in_value) is not None


FORBIDDEN_MESSAGE = "character U+{code:04X} is not allowed (control, invisible or text-direction character)"


def forbidden_message(char: str) -> str:
    return FORBIDDEN_MESSAGE.format(code=ord(char))


# --------------------------------------------------------------------------- printing data safely

_UNSAFE_TO_PRINT = re.compile(f"[\t\n\r{_BMP_CLASS}{_ASTRAL_CLASS}]")
MAX_MESSAGE_CHARS = 1000  # enough for a warning quoting a clause in both languages; bounded all the same


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def sanitise(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` made safe for a terminal or a log: every control, invisible or bidi
    character written as a visible escape (\\x1b, \\u202e), cut to ``limit`` characters."""
    if _UNSAFE_TO_PRINT.search(text):
        text = _UNSAFE_TO_PRINT.sub(_escape, text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


# --------------------------------------------------------------------------- blank text

# Letters and symbols that print as nothing (Hangul fillers, braille blank, Khmer inherent vowels).
_INVISIBLE_GRAPHIC = frozenset("\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cs", "Cn", "Co"})
_NOT_SPACE = re.compile(r"\S")


# The usual first character of a text: ASCII, Japanese punctuation, kana, kanji, full-width forms.
_PLAINLY_VISIBLE = re.compile(r"\s*[!-~\u3001-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def has_visible_text(text: str) -> bool:
    """Whether ``text`` shows anything: whitespace, format characters, lone combining
    marks and fillers alone do not ("\\u200b", "\\u3164", "\\u3000" are all blank)."""
    if _PLAINLY_VISIBLE.match(text):  # the common case, decided by the first character
        return True
    for match in _NOT_SPACE.finditer(text):
        char = match.group()
        if char not in _INVISIBLE_GRAPHIC and unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            return True
    return False
