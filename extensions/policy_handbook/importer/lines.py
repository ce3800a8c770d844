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
from dataclasses import dataclass

from .markers import HEADING_MAX_WIDTH, Marked, classify, ends_sentence, width

_SPACES = " \t\u3000"
# How the title of a guideline ends (…ガイドライン, …要綱): a line repeated on every page that
# ends so, printed again at the top of the first page, is the title, not only a running header.
TITLE_END = re.compile(r"(ガイドライン|指針|要領|規程|規則|方針|基準|要綱|ポリシー|マニュアル|手引き?)[ \u3000]*(?:[（(][^（()）]{1,20}[)）])?$")
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


# Where a unit starts inside a line of flattened text (PDF line breaks turned into spaces): a
# caption before an article, an article, a 項 number, a 号 number; each only after a space and
# only in the numbering order, so in-text references (第5条から第8条まで, 前項, 「5 安全に…」,
# 次の各号) never split a sentence.
_N = r"[0-9０-９]{1,3}"
_UNIT_START = re.compile(
    rf"(?P<cap>[（(][^（()）0-9０-９。]{{1,25}}[)）])[ \u3000]*(?=第[ \u3000]*(?P<capn>{_N})[ \u3000]*条)"
    rf"|第[ \u3000]*(?P<art>{_N})[ \u3000]*条(?:の[0-9０-９]+)?(?=[ \u3000])"
    rf"|(?P<kou>{_N})(?=[ \u3000])"
    rf"|[（(](?P<gou>{_N})[)）]"
)
FLATTENED_WIDTH = 80  # a longer line holding several numbered units is flattened text
_SENTENCE_STOPS = "。．"


def _number(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _unit_starts(text: str) -> list[int]:
    """Offsets in ``text`` where a flattened unit starts (in numbering order)."""
    starts: list[int] = []
    article = kou = gou = 0
    caption_end = -1
    for m in _UNIT_START.finditer(text):
        pos = m.start()
        if pos == 0 or text[pos - 1] not in _SPACES:
            continue
        before = text[:pos].rstrip(_SPACES)[-1:]
        if m["cap"] is not None:
            n = _number(m["capn"])
            if article < n <= article + 5:
                caption_end = m.end()
                starts += [pos, caption_end]  # the caption on a line of its own, as printed above
                article, kou, gou = n, 1, 0
        elif m["art"] is not None:
            n = _number(m["art"])
            if pos == caption_end:
                continue  # the article under the caption just split off
            if before in _SENTENCE_STOPS and article < n <= article + 3:
                starts.append(pos)
                article, kou, gou = n, 1, 0
        elif m["kou"] is not None:
            n = _number(m["kou"])
            if before in _SENTENCE_STOPS and n == kou + 1 and article:
                starts.append(pos)
                kou, gou = n, 0
        else:
            n = _number(m["gou"])
            if n == gou + 1 and (before in _SENTENCE_STOPS + ":：" or n > 1):
                starts.append(pos)
                gou = n
    return starts


def split_flattened(lines: list[Line]) -> list[Line]:
    """Long lines of flattened text cut into one line per unit (caption, article, 項, 号)."""
    out: list[Line] = []
    for line in lines:
        starts = _unit_starts(line.text) if width(line.text) > FLATTENED_WIDTH else []
        if not starts:
            out.append(line)
            continue
        bounds = [0, *starts, len(line.text)]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
            piece = line.text[a:b].strip(_SPACES)
            if piece:
                out.append(Line(line.lineno, piece, line.page, indented=k > 0 or line.indented,
                                blank_before=line.blank_before if k == 0 else True, flattened=True))
    return out


def _is_junk(text: str) -> bool:
    """An OCR junk line: short, and mostly neither letters, digits nor Japanese (|||, ﾟ｡ ~, ・ ・ ・)."""
    if width(text) > 20 or classify(text) is not None and classify(text).style not in ("bullet・", "bullet-"):
        return False
    meaningful = sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")
    return meaningful * 2 < len(text.replace(" ", "").replace("\u3000", ""))


def split_junk(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """(lines, OCR junk lines kept aside as (line, text) for the draft's `unplaced`)."""
    kept, junk = [], []
    for line in lines:
        (junk.append((line.lineno, line.text)) if _is_junk(line.text) else kept.append(line))
    return kept, junk


# A space left inside a word where a PDF line broke (発 信, ソ ーシャル): between two Japanese
# characters, not after punctuation (。、」) and not the term-definition space of a 号 ((1) 記事 村が…).
_SPLIT_WORD = re.compile(r"(?<=[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff])[ \u3000](?=[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff])")
SPLIT_WORD_CONTEXT = 3


def split_words(lines: list[Line], join: bool) -> list[tuple[int, str]]:
    """Spaces inside words of flattened lines, as (line, the word around the space); removed when ``join``."""
    found: list[tuple[int, str]] = []
    for line in lines:
        if not line.flattened:
            continue
        text = line.text
        head = classify(text)
        skip = len(text) - len(head.rest) if head is not None and head.rest else 0
        first_space = _SPLIT_WORD.search(text, skip)
        spans = [m.start() for m in _SPLIT_WORD.finditer(text, skip)]
        if first_space is not None and head is not None and head.style == "paren-number" and first_space.start() - skip <= 16:
            spans = spans[1:]  # (1) 用語 定義: the space after the term is printed
        for pos in spans:
            found.append((line.lineno, text[max(0, pos - SPLIT_WORD_CONTEXT):pos + SPLIT_WORD_CONTEXT + 1]))
        if join and spans:
            for pos in reversed(spans):
                text = text[:pos] + text[pos + 1:]
            line.text = text
    return found


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



def join_lines(lines: list[Line], taken: set[int] = frozenset()) -> list[Line]:
    """Lines broken mid-sentence joined; never across a line ``taken`` out (a date, OCR junk:
    the draft keeps those at their place, so text on both sides stays apart)."""
    wrap = fixed_width(lines)
    taken_sorted = sorted(taken)
    if lines and sum(1 for line in lines if line.blank_before) >= 0.8 * len(lines):
        # A blank line after every line (a PDF or HTML export doubling each break) says nothing
        # about paragraphs: only the line ends do.
        lines = [Line(x.lineno, x.text, x.page, x.joined, x.indented, False, x.flattened) for x in lines]
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
            out.append(Line(line.lineno, line.text, line.page, flattened=line.flattened))
            parts.append([line.text])
        last_physical = line
    for line, pieces in zip(out, parts):
        line.text = "".join(pieces)
    return out
