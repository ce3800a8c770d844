"""The forbidden characters are every control, format, separator, surrogate and
noncharacter code point this Python's Unicode database knows; printing escapes them."""

from __future__ import annotations

import sys
import unicodedata

from policy_handbook.characters import first_forbidden, forbidden_positions, has_visible_text, sanitise

FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _expected(code: int) -> bool:
    char = chr(code)
    if char in "\t\n":
        return False
    noncharacter = 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
    return unicodedata.category(char) in FORBIDDEN_CATEGORIES or noncharacter


def test_forbidden_set_covers_every_such_code_point():
    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1) if _expected(c) and first_forbidden(chr(c)) is None]
    assert missing == []


def test_nothing_printable_is_forbidden():
    # Newer format characters than this Python knows (U+13439-1343F in Unicode 15) are allowed to be extra.
    extra = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if not _expected(c) and first_forbidden(chr(c)) is not None and unicodedata.category(chr(c)) != "Cn"
    ]
    assert extra == []


def test_japanese_text_emoji_and_ideographic_variation_sequences_are_allowed():
    text = "公式アカウント（ＳＮＳ）で発信する。😀 葛\U000e0100城 café ①"
    assert list(forbidden_positions(text)) == []


def test_positions_of_forbidden_characters():
    assert list(forbidden_positions("a\u202eb\U000e0041c\x07")) == [1, 3, 5]
    assert list(forbidden_positions("a\tb")) == []
    assert list(forbidden_positions("a\tb", in_value=True)) == [1]


def test_sanitise_escapes_and_cuts():
    assert sanitise("key \x1b[2J\u202e\n\U000e0041") == "key \\x1b[2J\\u202e\\x0a\\U000e0041"
    assert sanitise("x" * 1000, 10) == "x" * 9 + "…"


def test_visible_text():
    assert has_visible_text("a") and has_visible_text("\u3000公") and has_visible_text("😀")
    assert not any(has_visible_text(t) for t in ("", " \u3000\n", "\u200b\u200d", "\u3164", "\u2800", "\u0301"))
