"""Bytes of a text file -> str: UTF-8, UTF-16 (BOM or NUL pattern) or Shift_JIS, else refused."""

from __future__ import annotations

import itertools

from ..characters import forbidden_message, forbidden_positions
from . import limits
from .errors import ImportProblem, ImportRefused

MAX_BYTES = 8 * 1024 * 1024  # a guideline is a few dozen KB; bound memory and time on hostile input


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: Japanese text has NULs in one byte column only where ASCII is."""
    sample = raw[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.2 and even < half * 0.02:
        return "utf-16-le"
    if even > half * 0.2 and odd < half * 0.02:
        return "utf-16-be"
    return None


def _japanese_ratio(text: str) -> float:
    if not text:
        return 0.0
    jp = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return jp / len(text)


def decode_text(raw: bytes, file: str) -> tuple[str, str]:
    """(text with \\n line ends, encoding name). ImportRefused with file:line when unreadable."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused([ImportProblem(file, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB: not a guideline text")])
    encoding = None
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding, raw = "utf-8", raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = _looks_utf16(raw)
    if encoding is None:
        try:
            text = raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            utf8_error = exc
            utf16 = _as_utf16(raw)
            if utf16 is not None:
                return _finish(utf16, "utf-16", file)
            try:
                text = raw.decode("cp932")  # Shift_JIS as Windows writes it (with its extensions)
            except UnicodeDecodeError:
                line = raw[: utf8_error.start].count(b"\n") + 1
                raise ImportRefused(
                    [
                        ImportProblem(
                            file,
                            line,
                            f"cannot read the text: byte 0x{raw[utf8_error.start]:02x} is neither UTF-8 nor Shift_JIS "
                            "(save the file as UTF-8, or give the PDF itself)",
                        )
                    ]
                ) from None
            if _japanese_ratio(text) < 0.2:
                line = raw[: utf8_error.start].count(b"\n") + 1
                raise ImportRefused(
                    [
                        ImportProblem(
                            file, line, "cannot read the text: not UTF-8, and as Shift_JIS it is not Japanese text (save it as UTF-8)"
                        )
                    ]
                ) from None
            encoding = "shift_jis"
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                [ImportProblem(file, 1, f"cannot read the text as {encoding.upper()}: {exc.reason} at byte {exc.start}")]
            ) from None
        text = text.removeprefix("\ufeff")
    return _finish(text, encoding, file)


def _as_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM, when it decodes to Japanese lines (a newline is 0A 00 or 00 0A)."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\n" in text and _japanese_ratio(text) >= 0.3 and next(forbidden_positions(text.replace("\t", " ")), None) is None:
            return text
    return None


def _finish(text: str, encoding: str, file: str) -> tuple[str, str]:
    return plain_text(text, file), encoding


def plain_text(text: str, file: str) -> str:
    """Line ends made "\\n", tabs made spaces, and refused if anything is left that the
    loader refuses in a text (controls, invisible and bidi characters), naming the line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # A tab is layout (a PDF's columns, an indented copy): a space, as the printed page shows it.
    text = text.replace("\t", " ")
    _check_size(text, file)
    bad = list(itertools.islice(forbidden_positions(text), 20))
    if bad:
        problems = [
            ImportProblem(file, text.count("\n", 0, pos) + 1, f"{forbidden_message(text[pos])}: this is not a plain text file")
            for pos in bad
        ]
        raise ImportRefused(problems)
    return text


def _check_size(text: str, file: str) -> None:
    """Refused beyond the importer's bounds (limits.py): what follows is then linear in a small input."""
    if len(text) > limits.MAX_CHARS:
        raise ImportRefused([ImportProblem(file, 1, f"the text has more than {limits.MAX_CHARS:,} characters: not a guideline")])
    count = text.count("\n") + 1
    if count > limits.MAX_LINES:
        raise ImportRefused(
            [ImportProblem(file, limits.MAX_LINES + 1, f"the text has more than {limits.MAX_LINES:,} lines ({count:,}): not a guideline")]
        )
    if len(text) > limits.MAX_LINE_CHARS:
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > limits.MAX_LINE_CHARS:
                raise ImportRefused(
                    [
                        ImportProblem(
                            file,
                            number,
                            f"a line of {len(line):,} characters (at most {limits.MAX_LINE_CHARS:,}, the longest text a clause may have)",
                        )
                    ]
                )
