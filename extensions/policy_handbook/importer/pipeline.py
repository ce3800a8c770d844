"""The whole import of one source: bytes or PDF -> a Draft guideline (no YAML yet)."""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import decode, flattened, frontmatter, limits, structure
from . import lines as lines_mod
from .errors import ImportProblem, ImportRefused
from .structure import Draft


@dataclass
class Imported:
    document_id: str
    source_name: str
    encoding: str
    front: frontmatter.FrontMatter
    structure: structure.Structure
    forms: list[frontmatter.RawForm]
    removed: list[str] = field(default_factory=list)
    removed_lines: set[int] = field(default_factory=set)  # lines removed as artefacts
    joined: int = 0
    pages: list[int] | None = None  # a PDF's page of each line of its extracted text
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (line, printed text) kept in no clause
    split_words: list[tuple[int, str]] = field(default_factory=list)  # (line, word) broken by a space
    joined_split_words: bool = False

    def clauses(self) -> list[Draft]:  # (``structure`` is a field here, not the module)
        return self.structure.clauses()

    def printed_pieces(self) -> list[tuple[int, str]]:
        """Every printed text the draft holds, with the source line it starts on, in document order.

        With the lines removed as artefacts (page numbers, running headers, a 目次) this is
        the whole source: nothing is lost (tests/test_importer_patterns.py holds it to that).
        """
        f = self.front
        last = sys.maxsize  # after every other piece of its line
        pieces: list[tuple[int, int, str]] = []  # (line, column, text)
        if f.title:
            pieces.append((f.title_line, 0, f.title))
        pieces += [(h.lineno, h.column, h.printed) for h in f.history]
        pieces += [(h.instrument_printed[0], 0, h.instrument_printed[1]) for h in f.history if h.instrument_printed]
        if f.department:
            pieces.append((f.department_line, last, f.department))
        for d in self.clauses():
            if d.heading_at:
                pieces.append((*d.heading_at, d.heading or ""))
            pieces.append((*d.at, (d.marker or "") + ("" if d.heading_at else d.heading or "")))
            pieces.append((*(d.text_at or d.at), d.text or ""))
            pieces += [(*at, note) for at, note in zip(d.note_at, d.notes)]
        # Front matter and junk are whole lines; a marker left without text ends its line.
        after = set(self.structure.unplaced)
        pieces += [(n, last if (n, text) in after else 0, text) for n, text in self.unplaced]
        pieces += [(form.lineno, last, "".join(form.printed)) for form in self.forms]
        pieces.sort(key=lambda piece: piece[:2])  # stable: pieces at one place keep their order
        return [(n, text) for n, _, text in pieces]

    def page_of(self, lineno: int) -> int | None:
        return page_of(self.pages, lineno)

    def place(self, lineno: int) -> str:
        return lines_mod.where(lineno, self.page_of(lineno))


def page_of(pages: list[int] | None, lineno: int) -> int | None:
    return pages[lineno - 1] if pages and 0 < lineno <= len(pages) else None


def read_source(path: Path, display: str) -> tuple[str, str, list[int] | None]:
    """(text, encoding or 'pdf', page of each line for a PDF): a regular file within the
    importer's size bound (limits.read_regular_file: a FIFO or device is refused, not waited for)."""
    raw = limits.read_regular_file(path, display)
    if raw.startswith(b"%PDF-"):
        from . import pdf  # pypdf is imported only for PDFs

        text, pages = pdf.extract_text(raw, display)
        return text, "pdf", pages
    text, encoding = decode.decode_text(raw, display)
    return text, encoding, None


def import_text(
    text: str,
    document_id: str,
    source_name: str,
    *,
    encoding: str = "utf-8",
    pages: list[int] | None = None,
    join_split_words: bool = False,
) -> Imported:
    try:
        text = decode.plain_text(text, source_name)
    except ImportRefused as refused:
        if not pages:
            raise
        raise ImportRefused([dataclasses.replace(p, page=page_of(pages, p.line)) for p in refused.problems]) from None
    physical = lines_mod.physical_lines(text, pages)
    if not physical:
        raise ImportRefused([ImportProblem(source_name, 1, "the text is empty")])
    cleaned, removed = lines_mod.remove_artefacts(physical, paged=pages is not None)
    removed_lines = {line.lineno for line in physical} - {line.lineno for line in cleaned}
    cleaned, junk = lines_mod.split_junk(flattened.split_flattened(cleaned))
    split = flattened.split_words(cleaned, join_split_words)
    body, forms, _ = frontmatter.split_forms(cleaned, text)
    front, body = frontmatter.split_front_matter(body, {n for n, _ in junk})
    taken = {n for n, _ in front.unplaced + junk} | {h.lineno for h in front.history} | {front.department_line}
    taken |= {h.instrument_printed[0] for h in front.history if h.instrument_printed}
    logical = lines_mod.join_lines(body, taken)
    tree = structure.build_structure(logical, document_id)
    if not tree.roots:
        first = physical[0].lineno
        raise ImportRefused([ImportProblem(source_name, first, "no clause found: is this a guideline text?", page_of(pages, first))])
    joined = sum(line.joined for line in logical)
    unplaced = sorted(front.unplaced + junk + tree.unplaced, key=lambda piece: piece[0])
    return Imported(
        document_id, source_name, encoding, front, tree, forms, removed, removed_lines, joined, pages, unplaced, split, join_split_words
    )


def import_file(path: Path, document_id: str, display: str | None = None, *, join_split_words: bool = False) -> Imported:
    display = display or str(path)
    text, encoding, pages = read_source(path, display)
    return import_text(text, document_id, display, encoding=encoding, pages=pages, join_split_words=join_split_words)


ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
