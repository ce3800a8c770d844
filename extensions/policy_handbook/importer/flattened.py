"""PDF text whose line breaks were flattened into spaces: cut into one line per unit.

Text copied out of a PDF viewer, or served by a document site, often arrives as one long
line: `(趣旨) 第 1 条 この要綱は… (定義) 第 2 条 … 2 …`. The units start at printed markers
and captions; the spaces left inside words (`発 信`) are kept as printed and listed.
"""

from __future__ import annotations

import re
import unicodedata

from .lines import SPACES as _SPACES
from .lines import TITLE_END, Line
from .markers import classify, width

# Where a unit starts inside a line of flattened text (PDF line breaks turned into spaces): a
# caption before an article, an article, a 項 number, a 号 number; each only after a space and
# only in the numbering order, so in-text references (第5条から第8条まで, 前項, 「5 安全に…」,
# 次の各号) never split a sentence.
_N = r"[0-9０-９]{1,3}"
_UNIT_START = re.compile(
    rf"(?P<cap>[（(][^（()）0-9０-９。]{{1,25}}[)）])[ \u3000]*(?=第[ \u3000]*(?P<capn>{_N})[ \u3000]*条)"
    rf"|第[ \u3000]*(?P<art>{_N})[ \u3000]*条(?:の[0-9０-９]+)?(?=[ \u3000])"
    rf"|(?P<kou>{_N})(?:[.．](?![0-9０-９])|(?=[ \u3000]))"
    rf"|[（(](?P<gou>{_N})[)）]"
)
TITLE_WINDOW = 80  # how far back a title ending is looked for
FLATTENED_WIDTH = 80  # a longer line holding several numbered units is flattened text
_SENTENCE_STOPS = "。．"


def _number(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _unit_starts(text: str) -> list[int]:
    """Offsets in ``text`` where a flattened unit starts (in numbering order)."""
    starts: list[int] = []
    article = kou = gou = section = 0
    caption_end = -1
    for m in _UNIT_START.finditer(text):
        pos = m.start()
        if pos == 0:  # the line's own marker: numbering goes on from it
            if m["art"] is not None:
                article, kou, gou = _number(m["art"]), 1, 0
            elif m["gou"] is not None:
                gou = _number(m["gou"])
            elif m["kou"] is not None:
                section = _number(m["kou"])
            continue
        if text[pos - 1] not in _SPACES:
            continue
        j = pos
        while j > 0 and text[j - 1] in _SPACES:  # back over the spaces (not a slice: linear on a long line)
            j -= 1
        before = text[j - 1] if j else ""
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
            after_title = n == 1 and article == 0 and TITLE_END.search(text[max(0, j - TITLE_WINDOW) : j])
            if (before in _SENTENCE_STOPS or after_title) and article < n <= article + 3:
                starts.append(pos)
                article, kou, gou = n, 1, 0
        elif m["kou"] is not None and article:
            n = _number(m["kou"])
            if before in _SENTENCE_STOPS and n == kou + 1:
                starts.append(pos)
                kou, gou = n, 0
        elif m["kou"] is not None:
            # A text of numbered sections (1 目的 … 2 定義 …): 1 after the title, then each after a sentence.
            n = _number(m["kou"])
            after_title = n == 1 and section == 0 and TITLE_END.search(text[max(0, j - TITLE_WINDOW) : j])
            if n == section + 1 and (before in _SENTENCE_STOPS or after_title or n > 1 and gou):  # or after a list item
                starts.append(pos)
                section, gou = n, 0
        else:
            n = _number(m["gou"])
            if n == gou + 1 and (before in _SENTENCE_STOPS + ":：" or n > 1):
                starts.append(pos)
                gou = n
    if starts:  # flattened for sure: a full stop and two spaces (or a full-width one) start a paragraph
        starts = sorted(set(starts) | {m.end() for m in _PARAGRAPH_START.finditer(text)})
    return starts


# 。 then a paragraph's indentation, flattened: two spaces or an ideographic one.
_PARAGRAPH_START = re.compile(r"(?<=[。．])(?: {2,}|[ ]*\u3000[ \u3000]*)(?=\S)")


def split_flattened(lines: list[Line]) -> list[Line]:
    """Long lines of flattened text cut into one line per unit (caption, article, 項, 号)."""
    out: list[Line] = []
    for line in lines:
        starts = _unit_starts(line.text) if width(line.text) > FLATTENED_WIDTH else []
        if not starts:
            out.append(line)
            continue
        bounds = [0, *starts, len(line.text)]
        pending = ""  # a marker with nothing after it goes with the next unit (no empty clause mid-line)
        for a, b in zip(bounds, bounds[1:]):
            piece = line.text[a:b].strip(_SPACES)
            mark = classify(piece) if piece else None
            if not piece or b < len(line.text) and mark is not None and mark.style != "caption" and not mark.rest:
                pending += line.text[a:b]
                continue
            start = a - len(pending)
            piece = (pending + line.text[a:b]).strip(_SPACES)
            pending = ""
            out.append(
                Line(
                    line.lineno,
                    piece,
                    line.page,
                    indented=start > 0 or line.indented,
                    blank_before=line.blank_before if start == 0 else True,
                    flattened=True,
                    column=start,
                )
            )
    return out


# A space left inside a word where a PDF line broke (発 信, ソ ーシャル): between two Japanese
# characters, not after punctuation (。、」) and not the term-definition space of a 号 ((1) 記事 村が…).
_SPLIT_WORD = re.compile(
    r"(?<=[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff])[ \u3000](?=[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff])"
)
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
        lead = text[skip : first_space.start()] if first_space is not None else ""
        if head is not None and lead and len(lead) <= 16 and not re.search(r"[、。，,「」]", lead):
            spans = spans[1:]  # (1) 用語 定義, 1 目的 この…: the space after a term or heading is printed
        for pos in spans:
            found.append((line.lineno, text[max(0, pos - SPLIT_WORD_CONTEXT) : pos + SPLIT_WORD_CONTEXT + 1]))
        if join and spans:
            for pos in reversed(spans):
                text = text[:pos] + text[pos + 1 :]
            line.text = text
    return found
