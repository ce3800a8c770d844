"""JSON Schema validation of one parsed policy file, with short located messages.

jsonschema (Draft 2020-12) is the authority, but walking 40,000 clauses with it
takes several seconds. So each file is first checked by a predicate compiled
from the same schema (``compile_check``: plain closures, no error objects);
only a file it rejects goes through jsonschema's ``iter_errors`` for the
messages. The compiler knows the keywords this project's schema uses and
refuses (returns None, so jsonschema does everything) on any other; when in
doubt a compiled check answers "invalid", which only costs time.
"""

from __future__ import annotations

import difflib
import functools
import json
import numbers
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .errors import Problem
from .model import Location
from .yamlio import YamlDocument

FILE_TYPES = ("guideline", "taxonomy", "glossary", "comparison")
CODE = "policy.schema"

# The project's schema; a policy directory may carry its own in schema/.
DEFAULT_SCHEMA = Path(__file__).resolve().parents[2] / "policy" / "schema" / "policy.schema.json"

_MAX_MESSAGE = 160


# --------------------------------------------------------------------------- compiled validators


class FileSchema:
    """The schema for one file type: a fast predicate plus jsonschema for the errors."""

    def __init__(self, schema: dict):
        self.validator = Draft202012Validator(schema)
        self.fast = compile_check(schema)

    def iter_errors(self, data: Any) -> Iterable[ValidationError]:
        try:
            if self.fast is not None and self.fast(data):
                return ()
        except Exception:  # the fast path must never be the reason a file cannot be checked
            pass
        return self.validator.iter_errors(data)


@functools.lru_cache(maxsize=4)
def _file_schemas(schema_path: str, mtime_ns: int) -> dict[str, FileSchema]:
    # The schema's top-level oneOf is dispatched by hand on `type`, so that errors
    # name the real problem instead of "is not valid under any of the given schemas".
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    schemas = {}
    for file_type in FILE_TYPES:
        typed = {k: v for k, v in schema.items() if k != "oneOf"}
        typed["$ref"] = f"#/$defs/{file_type}File"
        schemas[file_type] = FileSchema(typed)
    return schemas


def file_schemas(schema_path: Path | None = None) -> dict[str, FileSchema]:
    path = Path(schema_path or DEFAULT_SCHEMA)
    return _file_schemas(str(path), path.stat().st_mtime_ns)


# Keywords without effect on validity here (no format checker is used, as in jsonschema's default).
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default", "examples", "format", "$defs", "deprecated", "readOnly", "writeOnly"})

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
}


class _Unsupported(Exception):
    pass


def compile_check(root: dict) -> Callable[[Any], bool] | None:
    """A predicate equivalent to ``Draft202012Validator(root).is_valid``, or None when
    the schema uses something this compiler does not implement."""
    compiled: dict[str, Callable[[Any], bool]] = {}

    def ref(target: str) -> Callable[[Any], bool]:
        if not target.startswith("#/"):
            raise _Unsupported(target)
        if target not in compiled:
            node: Any = root
            for part in target[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            slot: list[Callable[[Any], bool]] = []
            compiled[target] = lambda v: slot[0](v)  # recursion (clause children) goes through the slot
            slot.append(build(node))
        return compiled[target]

    def build(schema: Any) -> Callable[[Any], bool]:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        rest = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and k not in ("then", "else")}
        fused = None
        kind = rest.get("type")
        if kind == "object":
            fused = fused_object(rest, schema)
        elif kind == "string":
            fused = fused_string(rest)
        elif kind == "array":
            fused = fused_array(rest)
        checks = [keyword_check(k, v, schema) for k, v in rest.items()]
        if fused is not None:
            checks.insert(0, fused)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda v: first(v) and second(v)
        return lambda v: all(c(v) for c in checks)

    # The common shapes in one function each (fewer calls per value); the keywords
    # they handle are removed from `rest`.

    def fused_object(rest: dict, schema: dict) -> Callable[[Any], bool]:
        del rest["type"]
        required = tuple(rest.pop("required", ()))
        props = {name: build(sub) for name, sub in rest.pop("properties", {}).items()}
        extra_schema = rest.pop("additionalProperties", True)
        if "patternProperties" in rest:
            raise _Unsupported("patternProperties")
        closed = extra_schema is False
        extra = None if extra_schema is True or closed else build(extra_schema)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return False
            for name in required:
                if name not in v:
                    return False
            for k, item in v.items():
                c = props.get(k)
                if c is None:
                    if closed or (extra is not None and not extra(item)):
                        return False
                elif not c(item):
                    return False
            return True

        return check

    def fused_string(rest: dict) -> Callable[[Any], bool]:
        del rest["type"]
        pattern = rest.pop("pattern", None)
        search = re.compile(pattern).search if pattern is not None else None
        low = rest.pop("minLength", 0)
        high = rest.pop("maxLength", None)

        def check(v: Any) -> bool:
            if not isinstance(v, str):
                return False
            n = len(v)
            if n < low or (high is not None and n > high):
                return False
            return search is None or search(v) is not None

        return check

    def fused_array(rest: dict) -> Callable[[Any], bool]:
        if "prefixItems" in rest:
            raise _Unsupported("prefixItems")
        del rest["type"]
        item = build(rest.pop("items", True))
        low = rest.pop("minItems", 0)
        unique = rest.pop("uniqueItems", False)

        def check(v: Any) -> bool:
            if not isinstance(v, list) or len(v) < low:
                return False
            for i in v:
                if not item(i):
                    return False
            if unique:  # only lists of strings are judged here; others go to jsonschema
                return all(isinstance(i, str) for i in v) and len(set(v)) == len(v)
            return True

        return check

    def keyword_check(keyword: str, value: Any, schema: dict) -> Callable[[Any], bool]:
        if keyword == "$ref":
            return ref(value)
        if keyword == "type":
            tests = [_TYPE_TESTS[t] for t in ([value] if isinstance(value, str) else value)]
            return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))
        if keyword in ("enum", "const"):
            options = value if keyword == "enum" else [value]
            if not all(isinstance(o, str) for o in options):
                raise _Unsupported(keyword)
            allowed = frozenset(options)
            return lambda v: isinstance(v, str) and v in allowed
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if keyword == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if keyword == "maxLength":
            return lambda v: not isinstance(v, str) or len(v) <= value
        if keyword == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if keyword == "maxItems":
            return lambda v: not isinstance(v, list) or len(v) <= value
        if keyword in ("minimum", "maximum"):  # numbers only; bool is no number in JSON Schema
            inside = (lambda n: n >= value) if keyword == "minimum" else (lambda n: n <= value)
            return lambda v: not isinstance(v, (int, float)) or isinstance(v, bool) or inside(v)
        if keyword == "minProperties":
            return lambda v: not isinstance(v, dict) or len(v) >= value
        if keyword == "uniqueItems":
            if not value:
                return lambda v: True
            # Only lists of strings are judged here; anything else goes to jsonschema.
            return lambda v: not isinstance(v, list) or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
        if keyword == "required":
            names = tuple(value)
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if keyword == "properties":
            props = {name: build(sub) for name, sub in value.items()}

            def properties(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                for name, item in v.items():
                    check = props.get(name)
                    if check is not None and not check(item):
                        return False
                return True

            return properties
        if keyword == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported(keyword)
            known = frozenset(schema.get("properties", ()))
            if value is False:
                return lambda v: not isinstance(v, dict) or all(k in known for k in v)
            extra = build(value)
            return lambda v: not isinstance(v, dict) or all(extra(item) for k, item in v.items() if k not in known)
        if keyword == "propertyNames":
            names = build(value)
            return lambda v: not isinstance(v, dict) or all(names(k) for k in v)
        if keyword == "items":
            if "prefixItems" in schema:
                raise _Unsupported(keyword)
            item = build(value)
            return lambda v: not isinstance(v, list) or all(item(i) for i in v)
        if keyword == "allOf":
            subs = [build(s) for s in value]
            return lambda v: all(s(v) for s in subs)
        if keyword == "anyOf":
            subs = [build(s) for s in value]
            return lambda v: any(s(v) for s in subs)
        if keyword == "oneOf":
            subs = [build(s) for s in value]
            return lambda v: sum(1 for s in subs if s(v)) == 1
        if keyword == "if":
            cond = build(value)
            then = build(schema.get("then", True))
            otherwise = build(schema.get("else", True))
            return lambda v: then(v) if cond(v) else otherwise(v)
        raise _Unsupported(keyword)

    try:
        return build(root)
    except (_Unsupported, KeyError, TypeError, re.error):
        return None


# --------------------------------------------------------------------------- messages


def json_path(path: Iterable[Any]) -> str:
    """('clauses', 3, 'kind') -> 'clauses[3].kind'."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{_short(str(step), 40)}" if out else _short(str(step), 40))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_repr(value: Any, limit: int = 50) -> str:
    return _short(repr(value), limit)


_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "nothing",
}


def type_of(value: Any) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({short_repr(value)})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def message(err: ValidationError) -> str:
    v, inst, expected = err.validator, err.instance, err.validator_value
    if v == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        hint = ": put it in quotes" if "string" in names and isinstance(inst, (int, float, bool)) else ""
        return f"expected {' or '.join(_TYPE_NAMES.get(n, n) for n in names)}, got {type_of(inst)}{hint}"
    if v == "enum":
        return f"{short_repr(inst)} is not one of: {', '.join(map(str, expected))}"
    if v == "const":
        return f"must be {expected!r}, not {short_repr(inst)}"
    if v == "pattern":
        if expected.startswith("^[a-z0-9]+(-"):
            return f"{short_repr(inst)} is not a valid ID: use lower-case ASCII letters and digits joined by hyphens"
        if "[0-9]{4}-" in expected:
            return f"{short_repr(inst)} is not a date: write it as 'YYYY-MM-DD' in quotes"
        return f"{short_repr(inst)} does not match the pattern {expected}"
    if v == "minLength":
        return "must not be empty" if expected == 1 else f"must be at least {expected} characters long"
    if v == "maxLength":
        return f"is longer than {expected:,} characters"
    if v == "minItems":
        return "must not be an empty list" if expected == 1 else f"needs at least {expected} items"
    if v == "minProperties":
        return "must not be empty"
    if v == "uniqueItems":
        seen, dups = set(), []
        for item in inst:
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                dups.append(item)
            seen.add(key)
        return f"lists {', '.join(map(short_repr, dups)) or 'an item'} more than once"
    text = err.message
    return _short(text, _MAX_MESSAGE)


def _at(data: Any, path: list) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def problems_of(doc: YamlDocument, errors: Iterable[ValidationError]) -> list[Problem]:
    problems: list[Problem] = []
    for err in errors:
        if err.context:  # anyOf/oneOf: report the most relevant branch
            err = best_match(err.context)
        path = list(err.absolute_path)
        container = _at(doc.data, path)
        if err.validator == "additionalProperties" and err.validator_value is False and isinstance(container, dict):
            known = err.schema.get("properties", {})
            allowed = sorted(known)
            for key in container:
                if key in known:
                    continue
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f": did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
                if container[key] is None and " " in str(key):
                    # `{ja: ..., en: A, B}`: the comma ended the text and began a key
                    hint = ": a comma inside { } ends the text before it: put the whole text in quotes"
                where = json_path(path) or "file"
                problems.append(Problem(doc.locate(None, *path, key, key=True), f"{where}: unknown key {short_repr(key)}{hint}", CODE))
            continue
        if err.validator == "required" and isinstance(container, dict):
            for key in err.validator_value:
                if key not in container:
                    problems.append(Problem(doc.locate(None, *path), f"{json_path(path) or 'file'}: missing required key '{key}'", CODE))
            continue
        if "propertyNames" in err.absolute_schema_path and isinstance(container, dict) and err.instance in container:
            where = json_path([*path, err.instance])
            problems.append(Problem(doc.locate(None, *path, err.instance, key=True), f"{where}: key {message(err)}", CODE))
            continue
        where = json_path(path)
        problems.append(Problem(doc.locate(None, *path), f"{where}: {message(err)}" if where else message(err), CODE))
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    # `required` and `additionalProperties` report per key, so one error object can
    # repeat what another (from an if/then) said.
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (str(p.location), p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def check_document(doc: YamlDocument, schema_path: Path | None = None) -> tuple[str | None, list[Problem]]:
    """Validate one parsed file; returns (file type, problems)."""
    data = doc.data
    if data is None:
        return None, [Problem(Location(doc.file, 1, 1), "file is empty", CODE)]
    if not isinstance(data, dict):
        return None, [Problem(doc.locate(), f"a policy file must be a mapping with a 'type' key, not {type_of(data)}", CODE)]
    file_type = data.get("type")
    if file_type not in FILE_TYPES:
        if "type" not in data:
            return None, [Problem(doc.locate(), f"missing required key 'type' (one of: {', '.join(FILE_TYPES)})", CODE)]
        text = f"type: {short_repr(file_type)} is not one of: {', '.join(FILE_TYPES)}"
        return None, [Problem(doc.locate(None, "type"), text, CODE)]
    return file_type, problems_of(doc, file_schemas(schema_path)[file_type].iter_errors(data))
