"""Importing a source within the importer's bounds (limits.py): read as a regular file,
then extracted (a PDF), decoded and parsed in one child process under the CPU and memory
limits. Its own module so that limits.py, which decode.py and pdf.py use for their caps,
imports none of them."""

from __future__ import annotations

from pathlib import Path

from . import decode, limits, pdf, pipeline


def import_source(path: Path, document_id: str, display: str, *, join_split_words: bool = False):
    """(the bytes read, the Imported draft): ``path`` read as a regular file, then extracted
    (a PDF), decoded and parsed in a child process under the CPU and memory limits, so that
    no input, however it defeats a step, takes more than seconds."""
    raw = limits.read_regular_file(path, display)
    if raw.startswith(b"%PDF-"):
        pdf.require_pypdf(display)  # imported here, once, not by the child
        return raw, limits.run_limited(_import, raw, document_id, display, join_split_words, display=display, what="reading the PDF")
    return raw, limits.run_limited(_import, raw, document_id, display, join_split_words, display=display, what="importing the text")


def _import(note_page, raw: bytes, document_id: str, display: str, join_split_words: bool):
    """In the child: bytes -> Imported."""
    if raw.startswith(b"%PDF-"):
        text, pages = pdf.read_text_layer(note_page, raw, display)
        encoding = "pdf"
    else:
        (text, encoding), pages = decode.decode_text(raw, display), None
    imported = pipeline.import_text(text, document_id, display, encoding=encoding, pages=pages, join_split_words=join_split_words)
    limits.check_clauses(len(imported.clauses()), display)
    return imported
