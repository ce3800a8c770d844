"""Text of a PDF's text layer, page by page, with pypdf (no OCR: a scanned PDF is refused).

pypdf runs in a child process under CPU and memory limits (limits.run_limited), with its
own per-stream limits lowered and a cap on what all pages decode to together: a hostile
PDF is refused in seconds, at the page where it was stopped.
"""

from __future__ import annotations

import io
import logging
import re

from . import limits
from .errors import ImportProblem, ImportRefused

MAX_PAGES = 200
# Every line break plain_text() knows, so that a line's page stays right once the text is normalised.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\f]")


def extract_text(raw: bytes, file: str) -> tuple[str, list[int]]:
    """(text with one line per printed line, page number of each line), read in a limited child process."""
    require_pypdf(file)
    return limits.run_limited(read_text_layer, raw, file, display=file, what="reading the PDF")


def require_pypdf(file: str) -> None:
    """pypdf imported (before a child starts: it need not import it again), or a refusal."""
    try:
        import pypdf  # noqa: F401
    except ImportError:  # pragma: no cover - pypdf is in requirements/build.txt
        raise ImportRefused([ImportProblem(file, 1, "reading a PDF needs pypdf (make check installs it)")]) from None


def read_text_layer(note_page, raw: bytes, file: str) -> tuple[str, list[int]]:
    """extract_text's work, in the process that calls it (limits.run_limited's child)."""
    lines, pages = _extract(note_page, raw, file)
    if not any(line.strip() for line in lines):
        raise ImportRefused([ImportProblem(file, 1, "the PDF has no text layer (a scan?): it needs OCR first")])
    return "\n".join(lines), pages


def _decoded_size(page) -> int:
    contents = page.get_contents()  # one stream, or the pages's array of them joined
    return len(contents.get_data()) if contents is not None else 0


def _extract(note_page, raw: bytes, file: str) -> tuple[list[str], list[int]]:
    """In the child process: every line of every page, within the limits."""
    from pypdf import PdfReader, apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's problem
    lines: list[str] = []
    pages: list[int] = []
    number = None
    try:
        with apply_configuration(**limits.PYPDF_LIMITS):
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                raise ImportRefused([ImportProblem(file, 1, "the PDF is encrypted: save an unprotected copy or its text")])
            if len(reader.pages) > MAX_PAGES:
                raise ImportRefused([ImportProblem(file, 1, f"the PDF has more than {MAX_PAGES} pages: not a guideline")])
            decoded = chars = 0
            for number, page in enumerate(reader.pages, 1):
                note_page(number)
                # Counted per page, a stream shared by many pages too: it is parsed once per page.
                decoded += _decoded_size(page)
                if decoded > limits.MAX_DECODED_BYTES:
                    raise ImportRefused(
                        [
                            ImportProblem(
                                file,
                                1,
                                f"the pages decode to more than {limits.MAX_DECODED_BYTES // 2**20} MB of content: not a text PDF",
                                number,
                            )
                        ]
                    )
                text = page.extract_text() or ""
                chars += len(text)
                if chars > limits.MAX_CHARS:
                    raise ImportRefused(
                        [ImportProblem(file, 1, f"the text layer has more than {limits.MAX_CHARS:,} characters: not a guideline", number)]
                    )
                for line in _LINE_BREAK.split(text):
                    lines.append(line)
                    pages.append(number)
    except ImportRefused:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pypdf's own limits (LimitReachedError) and a broken file alike
        if type(exc).__name__ == "LimitReachedError":
            what = "the page holds" if number else "the PDF holds"
            raise ImportRefused(
                [ImportProblem(file, 1, f"{what} more than a page of text needs ({exc}): not a text PDF", number)]
            ) from None
        raise ImportRefused([ImportProblem(file, 1, f"cannot read the PDF ({type(exc).__name__}: {exc})", number)]) from None
    return lines, pages
