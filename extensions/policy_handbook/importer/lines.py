"""Physical lines -> clean logical lines: PDF artefacts removed, broken lines joined.

Removed: page numbers (``- 1 -``, ``-1-``, ``1 / 5``), running headers and footers
(a line repeated at the top or bottom of pages, or repeated three times in a text
without pages), a 目次 with dot leaders. Joined: a line broken mid-sentence with
the next, never across a marker, a heading or a sentence end.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .markers import Marked, classify, ends_sentence, width

_SPACES = " \t\u3000"
_PAGE_NUMBER = re.compile(
    r"[-－―‐–—ー]\s*[0-9０-９]{1,4}\s*[-－―‐–—ー]|[0-9０-９]{1,4}|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}|(?:P|p|ページ)\.?\s*[0-9０-９]{1,4}"
)
_TOC_TITLE = re.compile(r"目[ \u3000]*次")
# A leader (three dots or more, or one …) before a page number at the end of the line. Only
# whether there is one matters: its last three dots (or last …) suffice, so that a search
# from each dot of a long run of dots is not quadratic; the spaces are possessive (digits follow).
_LEADER = re.compile(r"(?:[.．・…‥·]{3}|[…‥])[ \u3000]*+[0-9０-９]{1,4}$")
HEADING_MAX_WIDTH = 30  # a heading is short; a longer line without 。 is a sentence broken by the layout


@dataclass(slots=True)
class Line:
    lineno: int  # 1-based, of the first physical line
    text: str
    page: int = 0
    joined: int = 0  # how many physical lines were joined into this one
    indented: bool = False  # starts with a full-width space: a new paragraph in Japanese typesetting


def physical_lines(text: str, pages: list[int] | None = None) -> list[Line]:
    """Non-blank stripped lines. ``pages``: page number of each line (PDF), else all 0."""
    out = []
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip(_SPACES)
        if stripped:
            out.append(Line(i + 1, stripped, pages[i] if pages else 0, indented=raw.lstrip(" \t").startswith("\u3000")))
    return out


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
    for line in lines:
        shape = _shape(line.text)
        if shape in running:
            # The title often repeats as the running header: keep its first occurrence.
            if shape not in seen and line is lines[0]:
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
        if _LEADER.search(line.text):
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
    if nxt_mark is not None or nxt.indented:
        return False
    text = prev.text
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


def _join(a: str, b: str) -> str:
    if a.endswith("-") and len(a) > 1 and a[-2].isascii() and a[-2].isalpha() and b[:1].isascii() and b[:1].islower():
        return a[:-1] + b  # a word hyphenated across lines
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return a + " " + b  # two Latin words
    return a + b


def join_lines(lines: list[Line]) -> list[Line]:
    wrap = fixed_width(lines)
    out: list[Line] = []
    last_physical: Line | None = None
    for line in lines:
        mark = classify(line.text)
        if out and last_physical is not None and _continues(last_physical, line, mark, wrap):
            out[-1].text = _join(out[-1].text, line.text)
            out[-1].joined += 1
        else:
            out.append(Line(line.lineno, line.text, line.page))
        last_physical = line
    return out
