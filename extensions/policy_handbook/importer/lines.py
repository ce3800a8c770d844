"""Physical lines -> clean logical lines: PDF artefacts removed, broken lines joined.

Removed: page numbers (``- 1 -``, ``-1-``, ``1 / 5``), running headers and footers
(a line repeated at the top or bottom of pages, or repeated three times in a text
without pages), a 目次 with dot leaders. Joined: a line broken mid-sentence with
the next, never across a marker, a heading or a sentence end.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

from .markers import HEADING_MAX_WIDTH, Marked, classify, ends_sentence, width

SPACES = " \t\u3000"
_SPACES = SPACES  # (the name this module has always used)
# How the title of a guideline ends (…ガイドライン, …要綱): a line repeated on every page that
# ends so, printed again at the top of the first page, is the title, not only a running header.
TITLE_END = re.compile(
    r"(ガイドライン|指針|要領|規程|規則|方針|基準|要綱|ポリシー|マニュアル|手引き?)[ \u3000]*(?:[（(][^（()）]{1,20}[)）])?$"
)
_PAGE_NUMBER = re.compile(
    r"[-－―‐–—ー]\s*[0-9０-９]{1,4}\s*[-－―‐–—ー]|[0-9０-９]{1,4}|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}|(?:P|p|ページ)\.?\s*[0-9０-９]{1,4}"
)
_TOC_TITLE = re.compile(r"目[ \u3000]*次")
_PAGE_AT_END = re.compile(r"[0-9０-９]{1,4}\Z")
_LEADER_CHARS = ".．・…‥·"


def _has_leader(text: str) -> bool:
    """A 目次 entry: dots (…, ・・・) leading to a page number at the end of the line.

    Read from the end, without a regex that could backtrack: a line of 200,000 dots with no
    page number costs one pass."""
    end = _PAGE_AT_END.search(text, max(0, len(text) - 4))
    if end is None:
        return False
    before = text[: end.start()].rstrip(" \u3000")
    return before[-1:] in ("…", "‥") or len(before) >= 3 and all(ch in _LEADER_CHARS for ch in before[-3:])


@dataclass(slots=True)
class Line:
    lineno: int  # 1-based, of the first physical line
    text: str
    page: int = 0
    joined: int = 0  # how many physical lines were joined into this one
    indented: bool = False  # starts with a space: a new paragraph in Japanese typesetting (and in HTML text)
    blank_before: bool = False  # a blank or whitespace-only line above it: a paragraph break in any format
    flattened: bool = False  # cut out of a text whose line breaks were flattened into spaces
    column: int = 0  # where on its physical line it starts (a unit cut out of flattened text)


def physical_lines(text: str, pages: list[int] | None = None) -> list[Line]:
    """Non-blank stripped lines. ``pages``: page number of each line (PDF), else all 0."""
    out = []
    blank = False
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip(_SPACES)
        if stripped:
            out.append(Line(i + 1, stripped, pages[i] if pages else 0, indented=raw[:1] in _SPACES, blank_before=blank))
        blank = not stripped
    return out


def _is_junk(text: str) -> bool:
    """An OCR junk line: short, and mostly neither letters, digits nor Japanese (|||, ﾟ｡ ~, ・ ・ ・)."""
    mark = classify(text)
    if width(text) > 20 or mark is not None and mark.style not in ("bullet・", "bullet-"):
        return False
    meaningful = sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")
    return meaningful * 2 < len(text.replace(" ", "").replace("\u3000", ""))


def split_junk(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """(lines, OCR junk lines kept aside as (line, text) for the draft's `unplaced`)."""
    kept, junk = [], []
    for line in lines:
        # (a unit inside a flattened line stays text: the draft keeps it where it was printed)
        (junk.append((line.lineno, line.text)) if not line.column and _is_junk(line.text) else kept.append(line))
    return kept, junk


def _shape(text: str) -> str:
    return re.sub(r"[0-9０-９]+", "#", text)


def where(lineno: int, page: int | None = None) -> str:
    """A line as its owner finds it in the source: a PDF's page, a text's line."""
    return f"page {page}" if page else f"line {lineno}"


def remove_artefacts(lines: list[Line], *, paged: bool) -> tuple[list[Line], list[str]]:
    """(kept lines, what was removed, for the report)."""
    removed: list[str] = []
    kept = []
    for line in lines:
        if _PAGE_NUMBER.fullmatch(line.text):
            removed.append(f"{where(line.lineno, line.page)}: page number {line.text!r}")
        else:
            kept.append(line)
    kept = _remove_running(kept, paged, removed)
    return _remove_toc(kept, removed), removed


def _remove_running(lines: list[Line], paged: bool, removed: list[str]) -> list[Line]:
    if paged:
        edges: Counter[str] = Counter()
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            by_page.setdefault(line.page, []).append(line)
        for page_lines in by_page.values():
            for line in {id(x): x for x in (*page_lines[:2], *page_lines[-2:])}.values():
                edges[_shape(line.text)] += 1
        running = {shape for shape, n in edges.items() if n >= 2 and n >= len(by_page) // 2}
    else:
        counts = Counter(_shape(line.text) for line in lines if width(line.text) <= 40 and classify(line.text) is None)
        running = {shape for shape, n in counts.items() if n >= 3}
    if not running:
        return lines
    kept, seen = [], set()
    for index, line in enumerate(lines):
        shape = _shape(line.text)
        if shape in running:
            # The title often repeats as a running header or footer: keep its first occurrence.
            if shape not in seen and index < 3 and TITLE_END.search(line.text):
                seen.add(shape)
                kept.append(line)
                continue
            seen.add(shape)
            removed.append(f"{where(line.lineno, line.page)}: running header or footer {line.text!r}")
            continue
        kept.append(line)
    return kept


def _remove_toc(lines: list[Line], removed: list[str]) -> list[Line]:
    kept = []
    in_toc = False
    for line in lines:
        if _TOC_TITLE.fullmatch(line.text):
            in_toc = True
            removed.append(f"{where(line.lineno, line.page)}: table of contents")
            continue
        if _has_leader(line.text):
            removed.append(f"{where(line.lineno, line.page)}: table of contents entry {line.text!r}")
            continue
        if in_toc and re.search(r"[ \u3000][0-9０-９]{1,3}$", line.text) and not ends_sentence(line.text):
            removed.append(f"{where(line.lineno, line.page)}: table of contents entry {line.text!r}")
            continue
        in_toc = False
        kept.append(line)
    return kept


def fixed_width(lines: list[Line]) -> float | None:
    """The layout's line width when the text was wrapped at a fixed width (a PDF), else None."""
    widths = [round(width(line.text)) for line in lines if width(line.text) >= 15]
    if len(widths) < 5:
        return None
    common = statistics.quantiles(widths, n=10)[7] if len(widths) >= 10 else max(widths)
    near = sum(1 for w in widths if abs(w - common) <= 2)
    return float(common) if near >= 0.3 * len(widths) else None


def _continues(prev: Line, nxt: Line, nxt_mark: Marked | None, wrap: float | None) -> bool:
    """Whether ``nxt`` continues the sentence that ``prev`` breaks off."""
    if nxt_mark is not None:
        return False
    text = prev.text
    if nxt.text.startswith("ただし") and ends_sentence(text) and not prev.flattened:
        return True  # a proviso belongs to the paragraph above it
    if nxt.indented or nxt.blank_before or nxt.flattened:
        return False
    w = width(text)
    if ends_sentence(text):
        # A sentence that ends exactly at the right margin may go on in the same paragraph.
        return wrap is not None and w >= wrap - 1
    if re.search(r"[A-Za-z]-$", text):
        return True  # a word hyphenated at the margin
    mark = classify(text)
    if mark is not None and mark.style in ("caption", "note"):
        return mark.style == "note" and w >= (wrap or HEADING_MAX_WIDTH) - 2
    rest = mark.rest if mark is not None else text
    limit = HEADING_MAX_WIDTH if wrap is None else min(HEADING_MAX_WIDTH, wrap - 4)
    return width(rest) > limit


def _glue(a: str, b: str) -> tuple[int, str]:
    """How ``b`` joins the line ``a``: (characters dropped from the end of ``a``, separator)."""
    if a.endswith("-") and len(a) > 1 and a[-2].isascii() and a[-2].isalpha() and b[:1].isascii() and b[:1].islower():
        return 1, ""  # a word hyphenated across lines
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return 0, " "  # two Latin words
    return 0, ""


def join_lines(lines: list[Line], taken: Set[int] = frozenset()) -> list[Line]:
    """Lines broken mid-sentence joined; never across a line ``taken`` out (a date, OCR junk:
    the draft keeps those at their place, so text on both sides stays apart)."""
    wrap = fixed_width(lines)
    taken_sorted = sorted(taken)
    # A blank line after every line (a PDF or HTML export doubling each break), or every line
    # indented, says nothing about paragraphs: only the line ends do.
    blanks = bool(lines) and sum(1 for line in lines if line.blank_before) < 0.8 * len(lines)
    indents = bool(lines) and sum(1 for line in lines if line.indented) < 0.8 * len(lines)
    if not (blanks and indents):
        lines = [
            Line(x.lineno, x.text, x.page, x.joined, x.indented and indents, x.blank_before and blanks, x.flattened, x.column)
            for x in lines
        ]
    out: list[Line] = []
    parts: list[list[str]] = []  # the pieces of each out line, joined once at the end (linear)
    last_physical: Line | None = None
    for line in lines:
        mark = classify(line.text)
        between = bisect.bisect_right(taken_sorted, last_physical.lineno) if last_physical is not None else 0
        apart = between < len(taken_sorted) and taken_sorted[between] < line.lineno
        if out and last_physical is not None and not apart and _continues(last_physical, line, mark, wrap):
            drop, separator = _glue(parts[-1][-1], line.text)
            if drop:
                parts[-1][-1] = parts[-1][-1][:-drop]
            parts[-1].append(separator + line.text)
            out[-1].joined += 1
        else:
            out.append(Line(line.lineno, line.text, line.page, flattened=line.flattened, column=line.column))
            parts.append([line.text])
        last_physical = line
    for line, pieces in zip(out, parts):
        line.text = "".join(pieces)
    return out
