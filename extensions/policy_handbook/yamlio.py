"""Strict, fast YAML reading with positions.

Policy files are data written by people, so this reader refuses everything in
YAML that makes a file mean something other than what it looks like:

* UTF-8 only (a UTF-8 BOM and CRLF line ends are accepted), no tabs, no
  control characters;
* YAML-1.2-like scalars: only ``true``/``false`` are booleans, only decimal
  integers are numbers, dates stay strings, and the YAML 1.1 booleans
  ``yes/no/on/off/y/n`` are an error instead of a silent bool;
* no duplicate keys, no anchors, aliases or tags, one document per file;
* limits on file size, nesting depth and scalar length against hostile input.

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

import gc
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import yaml
from yaml import events as _ev

from .errors import PolicyError, Problem
from .model import Location

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 100_000
MAX_PROBLEMS_PER_FILE = 20  # per file and per kind of problem (tabs, control characters, YAML)

CODE = "policy.yaml"

# Characters YAML does not allow in a stream (tab is reported separately).
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
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


def read_yaml_file(path, file: str) -> YamlDocument:
    """Read and parse ``path``; ``file`` is the name used in locations."""
    with open(path, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)
    return read_yaml(raw, file)


def read_yaml(source: bytes | str, file: str) -> YamlDocument:
    """Parse one policy file. Raises PolicyError listing every problem found."""
    text = decode(source, file) if isinstance(source, bytes) else _normalise_newlines(source)
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
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        problems += _capped(
            (m.start() for m in _FORBIDDEN_CHARS.finditer(text)),
            text,
            file,
            None,
            "control characters",
        )
    return problems


def _capped(positions: Iterable[int], text: str, file: str, message: str | None, plural: str) -> list[Problem]:
    problems: list[Problem] = []
    extra = 0
    last = None
    for pos in positions:
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            extra += 1
            continue
        last = pos
        msg = message or f"control character U+{ord(text[pos]):04X} is not allowed"
        problems.append(Problem(Location(file, *_line_col(text, pos)), msg, CODE))
    if extra:
        problems.append(Problem(Location(file, *_line_col(text, last)), f"... and {extra} more {plural}", CODE))
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
    __slots__ = ("container", "children", "is_map", "key", "key_mark", "skip_value")

    def __init__(self, container, children, is_map):
        self.container = container
        self.children = children
        self.is_map = is_map
        self.key = None  # pending key of a mapping; None: the next scalar is a key
        self.key_mark = None
        self.skip_value = False  # value of a duplicate key: parsed, not stored


_NO_KEY = object()


def _build(text: str, file: str) -> YamlDocument:
    problems: list[Problem] = []
    marks: dict[int, _Marks] = {}
    doc = YamlDocument(file, None, marks)
    stack: list[_Frame] = []
    documents = 0
    root: list[Any] = []

    ScalarEvent = _ev.ScalarEvent
    MappingStartEvent = _ev.MappingStartEvent
    SequenceStartEvent = _ev.SequenceStartEvent
    MappingEndEvent = _ev.MappingEndEvent
    SequenceEndEvent = _ev.SequenceEndEvent
    AliasEvent = _ev.AliasEvent
    DocumentStartEvent = _ev.DocumentStartEvent
    StreamEndEvent = _ev.StreamEndEvent

    def problem(mark, message):
        problems.append(Problem(Location(file, mark.line + 1, mark.column + 1), message, CODE))
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            problems.append(Problem(Location(file, mark.line + 1, mark.column + 1), "too many problems: stopped reading this file", CODE))
            raise _StopFile

    def add(value, mark) -> None:
        """Attach a finished value to the container being built."""
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        if top.is_map:
            if top.key is None:
                raise AssertionError("value without key")  # keys are handled by the caller
            if not top.skip_value:
                top.container[top.key] = value
                km = top.key_mark
                top.children[top.key] = (km.line + 1, km.column + 1, mark.line + 1, mark.column + 1)
            top.key = None
            top.skip_value = False
        else:
            top.container.append(value)
            top.children.append((mark.line + 1, mark.column + 1))

    def expecting_key() -> bool:
        return bool(stack) and stack[-1].is_map and stack[-1].key is None

    def check_node(event) -> None:
        if event.anchor is not None:
            problem(event.start_mark, f"anchor '&{event.anchor}' is not allowed: write the value out in full")
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            problem(event.start_mark, f"tag '{_short(tag)}' is not allowed: write a plain value")

    loader = _EventLoader(text)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # construction allocates many containers and no cycles
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            cls = event.__class__
            if cls is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    check_node(event)
                value = event.value
                mark = event.start_mark
                if len(value) > MAX_SCALAR_CHARS:
                    problem(mark, f"value is longer than {MAX_SCALAR_CHARS:,} characters")
                    value = value[:100]
                if expecting_key():
                    top = stack[-1]
                    if value in top.children:
                        first = top.children[value][0]
                        problem(mark, f"duplicate key '{_short(value)}' (first at line {first})")
                        top.skip_value = True
                    top.key = value
                    top.key_mark = mark
                    continue
                if event.implicit[0]:  # plain (unquoted, untagged) scalar
                    value = _resolve_plain(value, file, mark, problems)
                add(value, mark)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = event.start_mark
                if event.anchor is not None or event.tag is not None:
                    check_node(event)
                if expecting_key():
                    problem(mark, "a key must be a plain string, not a mapping or a list")
                    raise _StopFile
                if len(stack) >= MAX_DEPTH:
                    problem(mark, f"nested more than {MAX_DEPTH} levels deep")
                    raise _StopFile
                is_map = cls is MappingStartEvent
                container: Any = {} if is_map else []
                children: Any = {} if is_map else []
                marks[id(container)] = (mark.line + 1, mark.column + 1, children)
                add(container, mark)
                stack.append(_Frame(container, children, is_map))
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
            elif cls is AliasEvent:
                mark = event.start_mark
                problem(mark, f"alias '*{event.anchor}' is not allowed: write the value out in full")
                if expecting_key():
                    stack[-1].key = _NO_KEY  # type: ignore[assignment]
                    stack[-1].key_mark = mark
                    stack[-1].skip_value = True
                else:
                    add(None, mark)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problem(event.start_mark, "only one YAML document per file (remove this '---')")
                    raise _StopFile
            elif cls is StreamEndEvent:
                break
    except _StopFile:
        pass
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, file))
    finally:
        if gc_was_enabled:
            gc.enable()
        loader.dispose()
    if problems:
        raise PolicyError(problems)
    doc.data = root[0] if root else None
    return doc


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
