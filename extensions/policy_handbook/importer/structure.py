"""Logical lines -> the clause tree of the project's YAML (levels, markers, IDs).

Nesting follows the order in which numbering styles first appear: the first
style is the top level (section), a style not yet open nests under the current
clause, an open style closes everything below it. Bullets are items. A short
line without 。 followed by body text (or by a deeper marker) is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import HEADING_MAX_WIDTH, Line
from .markers import Marked, classify, ends_sentence, marker_number, width

def is_item(style: str | None) -> bool:
    return style is not None and style.startswith("bullet")
HEADING = "heading"  # the style of unnumbered headings
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
    children: list["Draft"] = field(default_factory=list)
    parent: "Draft | None" = None
    review: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    roots: list[Draft]
    review: list[tuple[int, str]]  # (line, what a person should check)

    def clauses(self) -> list[Draft]:
        return [c for root in self.roots for c in root.walk()]


def _is_heading_text(text: str) -> bool:
    return bool(text) and not ends_sentence(text) and width(text) <= HEADING_MAX_WIDTH and "。" not in text


class _Builder:
    def __init__(self, document_id: str):
        self.doc = document_id
        self.roots: list[Draft] = []
        self.stack: list[Draft] = []  # open clauses with a style, outermost first
        self.review: list[tuple[int, str]] = []
        self.preamble = 0
        self.used_ids: set[str] = set()
        # Where the search for a free "-N" suffix resumes, and how many items, paragraphs and
        # headings each parent has: both kept as they grow, so that thousands of repeated
        # numbers or bullets cost linear time, not a scan of all before them each.
        self._next_suffix: dict[str, int] = {}
        self._counts: dict[tuple[int, str], int] = {}
        self.last: Draft | None = None
        self.caption: tuple[str, int] | None = None

    # -- IDs

    def _unique(self, ident: str, lineno: int) -> str:
        if ident not in self.used_ids:
            self.used_ids.add(ident)
            return ident
        n = self._next_suffix.get(ident, 2)  # every suffix below it is taken (IDs are never freed)
        while f"{ident}-{n}" in self.used_ids:
            n += 1
        self._next_suffix[ident] = n + 1
        self.review.append((lineno, f"number repeated: given the ID {ident}-{n}; check the numbering"))
        self.used_ids.add(f"{ident}-{n}")
        return f"{ident}-{n}"

    def _component(self, parent: Draft | None, style: str | None, marker: str | None) -> str:
        siblings = parent.children if parent else self.roots
        if is_item(style):
            return f"i{self._nth(parent, 'i')}"
        if style is None:  # a preamble is no paragraph: it is numbered apart (body())
            return f"p{self._nth(parent, 'p')}"
        if style == HEADING:
            return f"h{self._nth(parent, 'h')}"
        number = marker_number(marker or "")
        if number is None:
            return f"n{len(siblings) + 1}"
        prefix = {"chapter": "ch", "division": "s"}.get(style, "")
        if style == "number" and parent is not None and parent.style == "article":
            prefix = "k"  # 項: apart from the article's 号 ((1), (2))
        return prefix + number

    def _nth(self, parent: Draft | None, kind: str) -> int:
        """The number of the next item, paragraph or heading under ``parent`` (children are only
        ever appended while building, by _new, each after one call of this)."""
        key = (id(parent), kind)
        self._counts[key] = self._counts.get(key, 0) + 1
        return self._counts[key]

    def _new(self, parent: Draft | None, style: str | None, marker: str | None, lineno: int, level: str | None = None) -> Draft:
        component = self._component(parent, style, marker)
        base = f"{parent.id}-{component}" if parent else f"{self.doc}-{component}"
        if level is None:
            level = "item" if is_item(style) else ("section" if parent is None else "paragraph")
        draft = Draft(self._unique(base, lineno), level, lineno, style, marker, parent=parent)
        (parent.children if parent else self.roots).append(draft)
        self.last = draft
        return draft

    # -- lines

    def _open_styles(self) -> list[str]:
        return [d.style for d in self.stack]

    def marked(self, line: Line, mark: Marked, nxt: Line | None, nxt_mark: Marked | None) -> None:
        styles = self._open_styles()
        if mark.style in styles:
            del self.stack[styles.index(mark.style):]
        elif mark.style == "number" and "article" in styles:
            del self.stack[styles.index("article") + 1:]  # 項 numbers (2, 3) belong to the article
        parent = self.stack[-1] if self.stack else None
        draft = self._new(parent, mark.style, mark.marker, line.lineno)
        self.stack.append(draft)
        rest = mark.rest
        if self.caption is not None:
            draft.heading = self.caption[0]
            self.caption = None
            draft.text = rest or None
            return
        if rest and _is_heading_text(rest) and self._followed_by_content(mark.style, nxt, nxt_mark):
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
            draft = self._new(None, HEADING, None, line.lineno)
            draft.heading = text
            self.stack.append(draft)
            return
        # An unnumbered heading: short, no 。, followed by body text or a marker that nests under it.
        if _is_heading_text(text) and nxt is not None and (nxt_mark is None or nxt_mark.style not in ("note", "caption")):
            if nxt_mark is None and not _is_heading_text(nxt.text) or nxt_mark is not None and nxt_mark.style not in self._open_styles():
                styles = self._open_styles()
                if HEADING in styles:
                    del self.stack[styles.index(HEADING):]
                parent = self.stack[-1] if self.stack else None
                draft = self._new(parent, HEADING, None, line.lineno)
                draft.heading = text
                self.stack.append(draft)
                self.review.append((line.lineno, f"unnumbered heading {text!r}: check it is a heading"))
                return
        while self.stack and is_item(self.stack[-1].style):
            self.stack.pop()  # text after a list belongs to the list's parent
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            self.preamble += 1
            draft = Draft(self._unique(f"{self.doc}-preamble-{self.preamble}", line.lineno), "preamble", line.lineno)
            draft.text = text
            self.roots.append(draft)
            self.last = draft
            return
        if parent.text is None and parent.heading is None:
            parent.text = text  # a marker alone on its line ("第1条"), its text below
            return
        draft = self._new(parent, None, None, line.lineno, level="paragraph")
        draft.text = text

    def note(self, line: Line) -> None:
        target = self.last
        if target is None:
            self.body(line, None, None)
            return
        target.notes.append(line.text)

    def caption_line(self, line: Line, nxt_mark: Marked | None) -> None:
        if nxt_mark is not None and nxt_mark.style in ("article", "chapter", "division", "paren-number", "number", "number-dot"):
            self.caption = (line.text, line.lineno)
        else:
            self.body(line, None, None)


def _drop_empty(drafts: list[Draft], review: list[tuple[int, str]]) -> list[Draft]:
    """A marker printed with nothing after it and nothing under it is no clause: left out, and said so."""
    kept = []
    for d in drafts:
        d.children = _drop_empty(d.children, review)
        if d.text is None and d.heading is None and not d.children:
            review.append((d.lineno, f"marker {d.marker!r} with no text: left out, check the source"))
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
            d.text = only.text
            d.notes += only.notes
            d.children = []


def build_structure(lines: list[Line], document_id: str) -> Structure:
    builder = _Builder(document_id)
    marks = [classify(line.text) for line in lines]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        nxt_mark = marks[i + 1] if i + 1 < len(lines) else None
        mark = marks[i]
        if mark is None:
            builder.body(line, nxt, nxt_mark)
        elif mark.style == "note":
            builder.note(line)
        elif mark.style == "caption":
            builder.caption_line(line, nxt_mark)
        else:
            builder.marked(line, mark, nxt, nxt_mark)
    builder.roots = _drop_empty(builder.roots, builder.review)
    for d in (c for root in builder.roots for c in root.walk()):
        if d.text is None and not d.children:
            d.text, d.heading = d.heading, None  # a heading with nothing under it is the text
    _fold_single_paragraphs(builder.roots)
    return Structure(builder.roots, builder.review)
