"""Logical lines -> the clause tree of the project's YAML (levels, markers, IDs).

Nesting follows the order in which numbering styles first appear: the first
style is the top level (section), a style not yet open nests under the current
clause, an open style closes everything below it. Bullets are items. A short
line without 。 followed by body text (or by a deeper marker) is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Line
from .markers import Marked, classify, is_heading_text, marker_number, width


def is_item(style: str | None) -> bool:
    return style is not None and style.startswith("bullet")


HEADING = "heading"  # the style of unnumbered headings
CAPTIONED = ("article", "dai", "chapter", "division", "paren-number", "number", "number-dot")  # what a caption can head
SUPPLEMENTARY = re.compile(r"附[ \u3000]*則(?:[ \u3000]*[（(].{1,30}[)）])?")


@dataclass
class Draft:
    """One clause being built."""

    id: str
    level: str
    lineno: int
    style: str | None = None
    marker: str | None = None
    heading: str | None = None
    text: str | None = None
    notes: list[str] = field(default_factory=list)
    children: list[Draft] = field(default_factory=list)
    parent: Draft | None = None
    review: list[str] = field(default_factory=list)
    # Where each part is printed, as (line, column): the marker's; a caption's own line above
    # it; the text when printed below the marker ("第1条" alone); each note. None: the marker's.
    at: tuple[int, int] = (0, 0)
    heading_at: tuple[int, int] | None = None
    text_at: tuple[int, int] | None = None
    note_at: list[tuple[int, int]] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    roots: list[Draft]
    review: list[tuple[int, str]]  # (line, what a person should check)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # markers printed with nothing after them

    def clauses(self) -> list[Draft]:
        return [c for root in self.roots for c in root.walk()]


class _Builder:
    def __init__(self, document_id: str):
        self.doc = document_id
        self.roots: list[Draft] = []
        self.stack: list[Draft] = []  # open clauses with a style, outermost first
        self.review: list[tuple[int, str]] = []
        self.preamble = 0
        self.used_ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # ID -> the next "-N" to try: repeated numbers cost O(1) each
        self.counts: dict[tuple[int, str], int] = {}  # (id of the parent, i/p/h/n) -> children so far
        self.last: Draft | None = None
        self.caption: tuple[str, tuple[int, int]] | None = None

    # -- IDs

    def _unique(self, ident: str, lineno: int) -> str:
        if ident not in self.used_ids:
            self.used_ids.add(ident)
            return ident
        n = self.next_suffix.get(ident, 2)
        while f"{ident}-{n}" in self.used_ids:
            n += 1
        self.next_suffix[ident] = n + 1
        self.review.append((lineno, f"number repeated: given the ID {ident}-{n}; check the numbering"))
        self.used_ids.add(f"{ident}-{n}")
        return f"{ident}-{n}"

    def _count(self, parent: Draft | None, kind: str) -> int:
        """The number of ``parent``'s children of this kind, this one included (kept, not recounted)."""
        key = (id(parent), kind)
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]

    def _component(self, parent: Draft | None, style: str | None, marker: str | None) -> str:
        if is_item(style):
            return f"i{self._count(parent, 'i')}"
        if style is None:
            return f"p{self._count(parent, 'p')}"
        if style == HEADING:
            return f"h{self._count(parent, 'h')}"
        number = marker_number(marker or "")
        if number is None:
            return f"n{len(parent.children if parent else self.roots) + 1}"
        prefix = {"chapter": "ch", "division": "s"}.get(style, "")
        if style == "number" and parent is not None and parent.style == "article":
            prefix = "k"  # 項: apart from the article's 号 ((1), (2))
        return prefix + number

    def _new(self, parent: Draft | None, style: str | None, marker: str | None, line: Line, level: str | None = None) -> Draft:
        lineno = line.lineno
        component = self._component(parent, style, marker)
        base = f"{parent.id}-{component}" if parent else f"{self.doc}-{component}"
        if level is None:
            level = "item" if is_item(style) else ("section" if parent is None else "paragraph")
        draft = Draft(self._unique(base, lineno), level, lineno, style, marker, parent=parent, at=(lineno, line.column))
        (parent.children if parent else self.roots).append(draft)
        self.last = draft
        return draft

    # -- lines

    def _open_styles(self) -> list[str | None]:
        return [d.style for d in self.stack]

    def marked(self, line: Line, mark: Marked, nxt: Line | None, nxt_mark: Marked | None) -> None:
        styles = self._open_styles()
        if mark.style in styles:
            del self.stack[styles.index(mark.style) :]
        elif mark.style == "number" and "article" in styles:
            del self.stack[styles.index("article") + 1 :]  # 項 numbers (2, 3) belong to the article
        parent = self.stack[-1] if self.stack else None
        draft = self._new(parent, mark.style, mark.marker, line)
        self.stack.append(draft)
        rest = mark.rest
        if self.caption is not None:
            draft.heading, draft.heading_at = self.caption
            self.caption = None
            draft.text = rest or None
            return
        inline = _inline_heading(rest, mark.style, line.flattened)
        if inline is not None:
            draft.heading, draft.text = inline  # 第1条（目的）この… / 1　目的　この…: heading and text on one line
        elif rest and is_heading_text(rest) and self._followed_by_content(mark.style, nxt, nxt_mark):
            draft.heading = rest
            if draft.level == "item":  # ■ 基本方針: a bullet that heads what follows is no list item
                draft.level = "section" if parent is None else "paragraph"
        elif rest:
            draft.text = rest

    def _followed_by_content(self, style: str, nxt: Line | None, nxt_mark: Marked | None) -> bool:
        """Whether what follows belongs under this line (so the line is a heading)."""
        if nxt is None:
            return False
        if nxt_mark is None:
            return True
        if nxt_mark.style == "note":
            return False
        if nxt_mark.style == "caption":
            return True  # a caption opens an article below this line
        open_styles = self._open_styles()
        return nxt_mark.style not in open_styles

    def body(self, line: Line, nxt: Line | None, nxt_mark: Marked | None) -> None:
        text = line.text
        if SUPPLEMENTARY.fullmatch(text):
            self.stack.clear()  # 附則 (supplementary provisions) stand apart from the articles
            draft = self._new(None, HEADING, None, line)
            draft.heading = text
            self.stack.append(draft)
            return
        # An unnumbered heading: short, no 。, followed by body text or a marker that nests under it.
        if is_heading_text(text) and nxt is not None and (nxt_mark is None or nxt_mark.style not in ("note", "caption")):
            if nxt_mark is None and not is_heading_text(nxt.text) or nxt_mark is not None and nxt_mark.style not in self._open_styles():
                self.heading_line(line)
                return
        while self.stack and is_item(self.stack[-1].style) and self.stack[-1].heading is None:
            self.stack.pop()  # text after a list belongs to the list's parent (■ 基本方針 heads its text)
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            self.preamble += 1
            draft = Draft(
                self._unique(f"{self.doc}-preamble-{self.preamble}", line.lineno), "preamble", line.lineno, at=(line.lineno, line.column)
            )
            draft.text = text
            self.roots.append(draft)
            self.last = draft
            return
        if parent.text is None and parent.heading is None:
            parent.text, parent.text_at = text, (line.lineno, line.column)  # a marker alone on its line ("第1条"), its text below
            return
        draft = self._new(parent, None, None, line, level="paragraph")
        draft.text = text

    def note(self, line: Line) -> None:
        target = self.last
        if target is None:
            self.body(line, None, None)
            return
        target.notes.append(line.text)
        target.note_at.append((line.lineno, line.column))

    def caption_line(self, line: Line, nxt: Line | None, nxt_mark: Marked | None) -> None:
        if nxt_mark is not None and nxt_mark.style in CAPTIONED:
            self.caption = (line.text, (line.lineno, line.column))
        elif (
            line.text.startswith("【") and nxt is not None and (nxt_mark is None or nxt_mark.style not in ("note", "caption", "amendment"))
        ):
            self.heading_line(line)  # 【運用方針】 over body text: an unnumbered heading
        else:
            self.body(line, None, None)

    def heading_line(self, line: Line) -> None:
        styles = self._open_styles()
        if HEADING in styles:
            del self.stack[styles.index(HEADING) :]
        parent = self.stack[-1] if self.stack else None
        draft = self._new(parent, HEADING, None, line)
        draft.heading = line.text
        self.stack.append(draft)
        self.review.append((line.lineno, f"unnumbered heading {line.text!r}: check it is a heading"))


# A caption printed after the article's number on its line: 第1条（目的） この規程は…
_INLINE_CAPTION = re.compile(r"([（(][^（()）0-9０-９「」。、]{1,25}[)）])[ \u3000]*(\S.*)")
# A section's heading, then its text on the same line, apart by a full-width space or several
# spaces (one space in flattened text): 1　目的　この指針は、…。
_INLINE_HEADING = re.compile(r"([^ \u3000、。，,:：「」()（）]{1,15}?)(\u3000+|[ ]{2,}|[ ])(\S.*)")
_SECTION_STYLES = ("number", "number-dot", "number-paren", "dai", "roman", "chapter", "division")


def _inline_heading(rest: str, style: str, flattened: bool) -> tuple[str, str] | None:
    if style in ("article", "dai"):
        m = _INLINE_CAPTION.fullmatch(rest)
        if m:
            return m[1], m[2]
    if style not in _SECTION_STYLES:
        return None
    m = _INLINE_HEADING.fullmatch(rest)
    if m is None or m[2] == " " and not flattened:
        return None
    heading, text = m[1], m[3]
    if width(heading) > 12 or not is_heading_text(heading) or "。" not in text or width(text) <= 2 * width(heading):
        return None
    return heading, text


def _drop_empty(drafts: list[Draft], review: list[tuple[int, str]], unplaced: list[tuple[int, str]]) -> list[Draft]:
    """A marker printed with nothing after it and nothing under it is no clause: kept as unplaced, and said so."""
    kept = []
    for d in drafts:
        d.children = _drop_empty(d.children, review, unplaced)
        if d.text is None and d.heading is None and not d.children:
            review.append((d.lineno, f"marker {d.marker!r} with no text: kept under `unplaced`, check the source"))
            if d.marker:
                unplaced.append((d.lineno, d.marker))
            unplaced += [(n, note) for (n, _), note in zip(d.note_at, d.notes)]
            continue
        kept.append(d)
    return kept


def _fold_single_paragraphs(drafts: list[Draft]) -> None:
    """A numbered sub-clause with a heading and one unnumbered paragraph carries that text itself."""
    for d in drafts:
        _fold_single_paragraphs(d.children)
        if (
            d.level == "paragraph"
            and d.heading is not None
            and d.text is None
            and len(d.children) == 1
            and d.children[0].style is None
            and not d.children[0].children
        ):
            only = d.children[0]
            d.text, d.text_at = only.text, only.text_at or only.at
            d.notes += only.notes
            d.note_at += only.note_at
            d.children = []


def build_structure(lines: list[Line], document_id: str) -> Structure:
    builder = _Builder(document_id)
    marks = [classify(line.text) for line in lines]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        nxt_mark = marks[i + 1] if i + 1 < len(lines) else None
        mark = marks[i]
        if (
            mark is None
            and nxt_mark is not None
            and nxt_mark.style in ("article", "dai")
            and is_heading_text(line.text)
            and not SUPPLEMENTARY.fullmatch(line.text)
        ):
            builder.caption_line(line, nxt, nxt_mark)  # 目的 / 第1条 …: a caption printed without brackets
        elif mark is None:
            builder.body(line, nxt, nxt_mark)
        elif mark.style == "note":
            builder.note(line)
        elif mark.style == "caption":
            builder.caption_line(line, nxt, nxt_mark)
        elif mark.style == "amendment":
            builder.note(line)  # (令5訓令11・一部改正): printed after the article it amends
        else:
            builder.marked(line, mark, nxt, nxt_mark)
    unplaced: list[tuple[int, str]] = []
    builder.roots = _drop_empty(builder.roots, builder.review, unplaced)
    for d in (c for root in builder.roots for c in root.walk()):
        if d.text is None and not d.children:
            d.text, d.heading = d.heading, None  # a heading with nothing under it is the text
            d.text_at, d.heading_at = d.heading_at, None
    _fold_single_paragraphs(builder.roots)
    builder.roots = _split_long(builder, builder.roots)
    return Structure(builder.roots, builder.review, unplaced)


MAX_TEXT = 20000  # the schema's limit on one text


def _split_long(builder: _Builder, drafts: list[Draft]) -> list[Draft]:
    """A text over the schema's limit goes on in paragraphs of its own (nothing cut off), said so."""
    out = []
    for d in drafts:
        d.children = _split_long(builder, d.children)
        out.append(d)
        if d.text is None or len(d.text) <= MAX_TEXT:
            continue
        rest, d.text = d.text[MAX_TEXT:], d.text[:MAX_TEXT]
        pieces = [rest[i : i + MAX_TEXT] for i in range(0, len(rest), MAX_TEXT)]
        builder.review.append((d.lineno, f"text longer than {MAX_TEXT:,} characters: it goes on in {len(pieces)} more paragraph(s)"))
        more = []
        for piece in pieces:
            level = "preamble" if d.level == "preamble" else "paragraph"
            parent = d.parent if level == "preamble" else d
            more.append(Draft(builder._unique(f"{d.id}-more", d.lineno), level, d.lineno, text=piece, parent=parent, at=d.text_at or d.at))
        if d.level == "preamble":
            out += more  # a preamble has no children: the rest follows it
        else:
            d.children[:0] = more
    return out
