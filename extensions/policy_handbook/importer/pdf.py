"""Text of a PDF's text layer, page by page, with pypdf (no OCR: a scanned PDF is refused)."""

from __future__ import annotations

import io
import logging
import re

from .errors import ImportProblem, ImportRefused

MAX_PAGES = 200
# Every line break plain_text() knows, so that a line's page stays right once the text is normalised.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\f]")


def extract_text(raw: bytes, file: str) -> tuple[str, list[int]]:
    """(text with one line per printed line, page number of each line)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is in requirements/build.txt
        raise ImportRefused([ImportProblem(file, 1, "reading a PDF needs pypdf (make check installs it)")]) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's problem
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ImportRefused([ImportProblem(file, 1, "the PDF is encrypted: save an unprotected copy or its text")])
        if len(reader.pages) > MAX_PAGES:
            raise ImportRefused([ImportProblem(file, 1, f"the PDF has more than {MAX_PAGES} pages: not a guideline")])
        lines: list[str] = []
        pages: list[int] = []
        for number, page in enumerate(reader.pages, 1):
            for line in _LINE_BREAK.split(page.extract_text() or ""):
                lines.append(line)
                pages.append(number)
    except ImportRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ImportRefused([ImportProblem(file, 1, f"cannot read the PDF ({type(exc).__name__}: {exc})")]) from None
    if not any(line.strip() for line in lines):
        raise ImportRefused([ImportProblem(file, 1, "the PDF has no text layer (a scan?): it needs OCR first")])
    return "\n".join(lines), pages
