"""Strict, fast YAML reading with positions.

Policy files are data written by people, so this reader refuses everything in
YAML that makes a file mean something other than what it looks like:

* UTF-8 only (a UTF-8 BOM and CRLF line ends are accepted), no tabs, no
  control, invisible or text-direction characters, raw or written as escapes
  (characters.py);
* YAML-1.2-like scalars: only ``true``/``false`` are booleans, only decimal
  integers are numbers, dates stay strings, and the YAML 1.1 booleans
  ``yes/no/on/off/y/n`` are an error instead of a silent bool;
* no duplicate keys, no anchors, aliases or tags, one document per file;
* limits on file size, nesting depth, scalar length, number of values and of
  digits, and on the problems reported, against hostile input: any file under
  the size limit is read in bounded time and memory.

It drives libyaml's event parser (``yaml.CSafeLoader``) and builds the data in
one Python loop. Working on events rather than composed nodes means anchors
are seen where they are written (so an unused ``&anchor`` is rejected too,
without any guessing on the raw text) and aliases are refused before anything
is expanded: a "billion laughs" file fails on its first anchor.

Every mapping and sequence built gets its positions recorded (keyed by the
container's ``id``), so schema and semantic errors can point at the exact
line and column of a key or value.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as _ev

from .characters import first_forbidden, forbidden_message, forbidden_positions, is_forbidden
from .errors import LIMIT_CODE, MAX_PROBLEMS_PER_FILE, PolicyError, Problem, shorten
from .files import open_regular
from .model import Location

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 100_000
# Values (scalars, keys, lists, mappings) per file: the comparison of 3,000 municipalities
# (~100 per municipality) or a guideline of 10,000 clauses fits, and reading stays within
# about two seconds and 200 MB whatever the file (bench/hostile.py).
MAX_NODES = 300_000
MAX_INT_DIGITS = 18

CODE = "policy.yaml"

# A YAML escape in a double-quoted scalar; the one-letter ones as YAML 1.2 defines them.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ONE_LETTER_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
_NUMBER_START = frozenset("0123456789+-.")

_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: building millions of small acyclic
    containers otherwise triggers collections that scan them again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _StopFile(Exception):
    """Raised inside the builder when going on would only produce noise."""


class _EventLoader(yaml.CSafeLoader):
    """libyaml's parser; only its event stream is used (see module docstring)."""


# Positions of one container: (line, column, children) with 1-based numbers;
# children is {key: (key_line, key_col, value_line, value_col)} for a mapping
# and [(line, col), ...] for a sequence.
_Marks = tuple


@dataclass
class YamlDocument:
    """Parsed data of one file plus where each key and value was written."""

    file: str
    data: Any
    _marks: dict[int, _Marks] = field(default_factory=dict, repr=False)

    def locate(self, container: Any = None, *path: Any, key: bool = False) -> Location:
        """Location of the value at ``path`` below ``container`` (default: the document root).

        With ``key=True`` and a mapping key last in ``path``, the key's own position.
        Walks as far as the path exists and returns the deepest position found.
        """
        node = self.data if container is None else container
        marks = self._marks.get(id(node))
        if marks is None:
            return Location(self.file, 1, 1)
        line, col = marks[0], marks[1]
        last = len(path) - 1
        for i, step in enumerate(path):
            children = marks[2]
            try:
                if isinstance(node, dict):
                    kl, kc, vl, vc = children[step]
                    line, col = (kl, kc) if key and i == last else (vl, vc)
                    node = node[step]
                elif isinstance(node, list):
                    line, col = children[step]
                    node = node[step]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
            marks = self._marks.get(id(node))
            if marks is None:
                break
        return Location(self.file, line, col)

    def locate_key(self, container: Any, key: str) -> Location:
        return self.locate(container, key, key=True)


def read_bytes(path, limit: int = MAX_FILE_BYTES + 1) -> bytes:
    """The file's bytes, reading at most one byte past the size limit (decode() reports it).

    Opened without blocking and checked with fstat on what was opened: a policy file
    replaced by a FIFO or a device between listing and reading is refused, not waited for.
    """
    fd, _st = open_regular(path)  # NotRegularFile (an OSError) for a FIFO, a device or a folder
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit)
    finally:
        os.close(fd)


def read_yaml(source: bytes | str, file: str) -> YamlDocument:
    """Parse one policy file. Raises PolicyError listing every problem found."""
    if isinstance(source, str):
        if len(source) > MAX_FILE_BYTES:
            raise PolicyError([Problem(Location(file, 1, 1), f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", CODE)])
        text = _normalise_newlines(source)
    else:
        text = decode(source, file)
    problems = _character_problems(text, file)
    if problems:
        # Tabs and control characters confuse the parser; report them alone.
        raise PolicyError(problems)
    return _build(text, file)


def decode(raw: bytes, file: str) -> str:
    """Bytes -> text: UTF-8 only, UTF-8 BOM stripped, newlines normalised to LF."""
    if len(raw) > MAX_FILE_BYTES:
        raise PolicyError([Problem(Location(file, 1, 1), f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", CODE)])
    for bom, name in _OTHER_BOMS:
        if raw.startswith(bom):
            raise PolicyError([Problem(Location(file, 1, 1), f"file is encoded as {name}: save it as UTF-8", CODE)])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        byte = raw[exc.start]
        raise PolicyError(
            [Problem(Location(file, line, column), f"invalid UTF-8 (byte 0x{byte:02X}): save the file as UTF-8", CODE)]
        ) from None
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def _character_problems(text: str, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if "\t" in text:
        problems += _capped(
            (m.start() for m in re.finditer("\t", text)),
            text,
            file,
            "tab character: indent with spaces and write tabs in text as spaces",
            "tab characters",
        )
    positions = forbidden_positions(text)
    first = next(positions, None)
    if first is not None:
        problems += _capped(
            itertools.chain([first], positions),
            text,
            file,
            None,
            "control or invisible characters",
        )
    return problems


def _capped(positions: Iterable[int], text: str, file: str, message: str | None, plural: str) -> list[Problem]:
    """One problem per position up to the cap, then one line counting the rest (located at the first of them)."""
    problems: list[Problem] = []
    extra = 0
    first_unreported = 0
    for pos in positions:
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            if not extra:
                first_unreported = pos
            extra += 1
            continue
        msg = message or forbidden_message(text[pos])
        problems.append(Problem(Location(file, *_line_col(text, pos)), msg, CODE))
    if extra:
        where = Location(file, *_line_col(text, first_unreported))
        problems.append(Problem(where, f"... and {extra} more {plural}", LIMIT_CODE))
    return problems


def _resolve_plain(value: str, file: str, mark, problems: list[Problem]) -> Any:
    """YAML-1.2-like implicit typing of a plain (unquoted) scalar."""
    if len(value) <= 5:
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value.lower() in _YAML11_BOOLS:
            problems.append(
                Problem(
                    Location(file, mark.line + 1, mark.column + 1),
                    f"ambiguous YAML 1.1 boolean '{value}': quote it or write true/false",
                    CODE,
                )
            )
            return value
    if value[0] in _NUMBER_START:
        if _INT.match(value):
            if len(value.lstrip("+-")) > MAX_INT_DIGITS:  # int() of 5,000 digits raises; no field needs that many
                problems.append(
                    Problem(
                        Location(file, mark.line + 1, mark.column + 1),
                        f"number with more than {MAX_INT_DIGITS} digits: quote it if it is text",
                        CODE,
                    )
                )
                return value
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


def _syntax_problem(exc: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context}"
        if context_mark is not None and mark is not None and context_mark.line != mark.line:
            message += f" at line {context_mark.line + 1}"
        message += ")"
    if mark is None:
        return Problem(Location(file, 1, 1), message, CODE)
    return Problem(Location(file, mark.line + 1, mark.column + 1), message, CODE)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("container", "children", "is_map", "key", "key_mark", "skip_value")

    def __init__(self, container, children, is_map):
        self.container = container
        self.children = children
        self.is_map = is_map
        self.key: Any = None  # pending key of a mapping; None: the next scalar is a key
        self.key_mark: Any = None  # the key's yaml Mark, set with the key
        self.skip_value = False  # value of a duplicate key: parsed, not stored


_NO_KEY = object()

_ScalarEvent = _ev.ScalarEvent
_MappingStartEvent = _ev.MappingStartEvent
_SequenceStartEvent = _ev.SequenceStartEvent
_CollectionEndEvents = (_ev.MappingEndEvent, _ev.SequenceEndEvent)
_AliasEvent = _ev.AliasEvent
_DocumentStartEvent = _ev.DocumentStartEvent
_StreamEndEvent = _ev.StreamEndEvent


def _escaped_characters(text: str, event) -> list[tuple[int, str]]:
    """(offset in ``text``, character) of each forbidden character a double-quoted scalar's escapes produce."""
    start = _offset(text, event.start_mark)
    found = []
    for m in _ESCAPE.finditer(text, start, _offset(text, event.end_mark)):
        code = m.group(1)
        char = _ONE_LETTER_ESCAPES.get(code) if len(code) == 1 else chr(min(int(code[1:], 16), 0x10FFFF))
        if char is not None and is_forbidden(char, in_value=True):
            found.append((m.start(), char))
    return found or [(start, first_forbidden(event.value, in_value=True) or "\0")]


def _offset(text: str, mark) -> int:
    """Offset in ``text`` of a libyaml mark (lines and columns agree with ours: no raw U+2028 gets this far)."""
    pos = 0
    for _ in range(mark.line):
        pos = text.index("\n", pos) + 1
    return pos + mark.column


def _build(text: str, file: str) -> YamlDocument:
    """Events -> data and positions, in one loop (the hot path: kept flat on purpose)."""
    problems: list[Problem] = []
    marks: dict[int, _Marks] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None  # stack[-1]
    root: list[Any] = []
    documents = 0
    aliases_reported: set[str] = set()

    def problem(mark, message, line=None, column=None):
        where = Location(file, mark.line + 1, mark.column + 1) if line is None else Location(file, line, column)
        problems.append(Problem(where, message, CODE))
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            problems.append(Problem(where, "too many problems: stopped reading this file", LIMIT_CODE))
            raise _StopFile

    def escaped_characters(event) -> None:
        for pos, char in _escaped_characters(text, event):
            problem(None, forbidden_message(char), *_line_col(text, pos))

    def check_node(event) -> None:
        if event.anchor is not None:
            problem(event.start_mark, f"anchor '&{event.anchor}' is not allowed: write the value out in full")
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            problem(event.start_mark, f"tag '{shorten(tag)}' is not allowed: write a plain value")

    loader = _EventLoader(text)
    # Any: the loop dispatches on the event's exact class (``cls is``, faster than
    # isinstance in this per-value loop), which the type checker does not narrow.
    get_event: Callable[[], Any] = loader.get_event
    nodes_left = MAX_NODES
    try:
        with gc_paused():
            while True:
                event = get_event()
                cls = event.__class__
                if cls is _ScalarEvent:
                    if event.anchor is not None or event.tag is not None:
                        check_node(event)
                    value = event.value
                    mark = event.start_mark
                    nodes_left -= 1
                    if nodes_left < 0:
                        problem(mark, f"more than {MAX_NODES:,} values in one file: split it or remove what is repeated")
                        raise _StopFile
                    if event.style == '"' and first_forbidden(value, in_value=True):  # only escapes can produce them
                        escaped_characters(event)
                    if len(value) > MAX_SCALAR_CHARS:
                        problem(mark, f"value is longer than {MAX_SCALAR_CHARS:,} characters")
                        value = value[:100]
                    if top is not None and top.is_map and top.key is None:
                        if value in top.children:
                            problem(mark, f"duplicate key '{shorten(value)}' (first at line {top.children[value][0]})")
                            top.skip_value = True
                        top.key = value
                        top.key_mark = mark
                        continue
                    if event.implicit[0] and (len(value) <= 5 or value[0] in _NUMBER_START):
                        value = _resolve_plain(value, file, mark, problems)
                elif cls is _MappingStartEvent or cls is _SequenceStartEvent:
                    mark = event.start_mark
                    nodes_left -= 1
                    if nodes_left < 0:
                        problem(mark, f"more than {MAX_NODES:,} values in one file: split it or remove what is repeated")
                        raise _StopFile
                    if event.anchor is not None or event.tag is not None:
                        check_node(event)
                    if top is not None and top.is_map and top.key is None:
                        problem(mark, "a key must be a plain string, not a mapping or a list")
                        raise _StopFile
                    if len(stack) >= MAX_DEPTH:
                        problem(mark, f"nested more than {MAX_DEPTH} levels deep")
                        raise _StopFile
                    is_map = cls is _MappingStartEvent
                    value = {} if is_map else []
                    children: Any = {} if is_map else []
                    marks[id(value)] = (mark.line + 1, mark.column + 1, children)
                    frame = _Frame(value, children, is_map)
                elif cls in _CollectionEndEvents:
                    stack.pop()
                    top = stack[-1] if stack else None
                    continue
                elif cls is _AliasEvent:
                    mark = event.start_mark
                    if event.anchor not in aliases_reported:  # once per name: a bomb repeats them
                        aliases_reported.add(event.anchor)
                        problem(mark, f"alias '*{event.anchor}' is not allowed: write the value out in full")
                    if top is not None and top.is_map and top.key is None:
                        top.key = _NO_KEY
                        top.key_mark = mark
                        top.skip_value = True
                        continue
                    value = None
                elif cls is _DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        problem(event.start_mark, "only one YAML document per file (remove this '---')")
                        raise _StopFile
                    continue
                elif cls is _StreamEndEvent:
                    break
                else:
                    continue

                # Attach the value (scalar, alias or new container) to its parent.
                if top is None:
                    root.append(value)
                elif top.is_map:
                    if not top.skip_value:
                        top.container[top.key] = value
                        km = top.key_mark
                        top.children[top.key] = (km.line + 1, km.column + 1, mark.line + 1, mark.column + 1)
                    top.key = None
                    top.skip_value = False
                else:
                    top.container.append(value)
                    top.children.append((mark.line + 1, mark.column + 1))
                if cls is _MappingStartEvent or cls is _SequenceStartEvent:
                    stack.append(frame)
                    top = frame
    except _StopFile:
        pass
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, file))
    finally:
        loader.dispose()
    if problems:
        raise PolicyError(problems)
    return YamlDocument(file, root[0] if root else None, marks)
