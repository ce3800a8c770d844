"""The importer's bounds on hostile input: what it reads, and the child process it works in.

A source is a third party's file. Whatever it is, the import ends in seconds, in a few
hundred MB, with a draft or one clear refusal naming the file:

- only a regular file is read (opened without blocking, then fstat: a FIFO, a device such
  as a link to /dev/zero, or a folder is refused), and at most MAX_SOURCE_BYTES of it;
- a text holds at most MAX_CHARS characters, MAX_LINES lines of MAX_LINE_CHARS each
  (decode.plain_text), and a draft at most MAX_CLAUSES clauses;
- the source is extracted (a PDF, by pypdf), decoded and parsed in a child process
  (``run_limited``) under RLIMIT_CPU and RLIMIT_AS, with pypdf's own per-stream limits
  lowered (PYPDF_LIMITS) and a cap on the decoded content of all pages together (pdf.py):
  a decompression bomb, a page of a million operators or a text that defeats a parsing
  step is stopped, not waited for.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..files import NotRegularFile, open_regular
from .errors import ImportProblem, ImportRefused

MAX_SOURCE_BYTES = 32 * 1024 * 1024  # a guideline's PDF is a few MB at most; its text a few dozen KB
MAX_CHARS = 1_000_000  # 200 dense pages are about 300,000 characters
MAX_LINES = 20_000  # 200 pages of 100 lines
MAX_LINE_CHARS = 20_000  # the longest text a clause may have (the schema's maxLength)
MAX_CLAUSES = 5_000

# The child process a source is extracted, decoded and parsed in.
CHILD_CPU_SECONDS = 4  # soft limit (SIGXCPU); a 200-page text PDF takes about 1 s
CHILD_MEMORY_BYTES = 512 * 1024 * 1024  # address space the child may add to what it inherits
CHILD_WALL_SECONDS = 30  # a child that sleeps uses no CPU: stopped all the same
MAX_DECODED_BYTES = 16 * 1024 * 1024  # content streams of all pages together, decoded (a page uses 5-100 KB)
# pypdf's own limits (pypdf.Configuration, per stream; its defaults are 75 MB and 2 million
# operands), lowered to what a text page needs, so that a bomb stops while it is decoded.
PYPDF_LIMITS: dict[str, Any] = {
    "zlib_maximum_output_length": 4 * 1024 * 1024,
    "lzw_maximum_output_length": 4 * 1024 * 1024,
    "run_length_maximum_output_length": 4 * 1024 * 1024,
    "maximum_declared_stream_length": 16 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 4 * 1024 * 1024,
    "stream_decoding_work_maximum_length": 16 * 1024 * 1024,
    "stream_parsing_work_maximum_count": 100_000,  # a dense text page has a few thousand
    "xform_maximum_invocations_per_extraction": 500,
    "jbig2dec_binary": None,  # no external program for an image the text layer does not need
}


def _refused(file: str, message: str, page: int | None = None) -> ImportRefused:
    return ImportRefused([ImportProblem(file, 1, message, page)])


def read_regular_file(path: Path, display: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else ImportRefused.

    Opened with O_NONBLOCK (opening a FIFO would otherwise wait for a writer), then checked
    with fstat on what was opened (no check-then-open race), then read to one byte past the limit.
    """
    try:
        fd, st = open_regular(path)
    except NotRegularFile as exc:
        raise _refused(display, f"{exc}: give the guideline's text or PDF file") from None
    except OSError as exc:
        raise _refused(display, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        if st.st_size > limit:
            raise _refused(display, f"file is larger than {limit // (1024 * 1024)} MB: not a guideline")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        raise _refused(display, f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grew while read
        raise _refused(display, f"file is larger than {limit // (1024 * 1024)} MB: not a guideline")
    return raw


def check_clauses(count: int, display: str) -> None:
    if count > MAX_CLAUSES:
        raise _refused(display, f"more than {MAX_CLAUSES} clauses ({count}): not one guideline")


# --------------------------------------------------------------------------- the child process


def _address_space_now() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def child_memory_limit(inherited: int) -> int:
    """RLIMIT_AS of the child: what it inherited at the fork (the interpreter, and whatever the
    parent had loaded: a test run's is larger than the CLI's) plus CHILD_MEMORY_BYTES to work in."""
    return inherited + CHILD_MEMORY_BYTES


def _set_child_limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS + 1))
    limit = child_memory_limit(_address_space_now())
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(conn, target: Callable[..., Any], args: tuple) -> None:
    try:
        _set_child_limits()
        result = target(lambda page: conn.send(("at", page)), *args)
        conn.send(("ok", result))
    except ImportRefused as exc:
        conn.send(("refused", exc.problems))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # reported by the parent in one line, never a traceback
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_limited(target: Callable[..., Any], *args: Any, display: str, what: str) -> Any:
    """``target(note_page, *args)`` in a child process under CPU and memory limits; its result.

    ``note_page(n)`` tells the parent which page the child is on, so that a child stopped
    by a limit is reported at its page. ImportRefused for a refusal, a limit or a failure,
    each one line naming ``display``, saying ``what`` was stopped ("reading the PDF").
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)  # typeshed: BaseContext has no Process
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, target, args), daemon=True)
    process.start()
    sender.close()
    page = None
    deadline = time.monotonic() + CHILD_WALL_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not receiver.poll(left):
                process.kill()
                raise _refused(display, f"{what} took more than {CHILD_WALL_SECONDS} s: stopped", page)
            try:
                kind, value = receiver.recv()
            except (EOFError, OSError):
                break  # the child died: its exit status says why
            if kind == "at":
                page = value
            elif kind == "ok":
                return value
            elif kind == "refused":
                raise ImportRefused(value)
            elif kind == "memory":
                raise _refused(display, f"{what} needs more than {CHILD_MEMORY_BYTES // 2**20} MB: stopped (not a guideline)", page)
            else:
                raise _refused(display, f"{what} failed ({value})", page)
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():  # pragma: no cover - it has just sent its last message
            process.kill()
            process.join()
    code = process.exitcode
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _refused(display, f"{what} took more than {CHILD_CPU_SECONDS} s of CPU: stopped (not a guideline)", page)
    raise _refused(display, f"{what} failed (the reader stopped with status {code})", page)
