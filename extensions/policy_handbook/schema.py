"""JSON Schema validation of one parsed policy file, with short located messages.

Each file is checked by jsonschema-rs (compiled, Draft 2020-12); only a file
it rejects goes through jsonschema's ``iter_errors`` for messages this module
words for policy owners and places at file:line (see FileSchema).

Patterns are ECMA-262 regular expressions, as JSON Schema defines them
(jsonschema-rs reads them so: ``$`` is the end of the text), and an integer is
an integer (1.0 is not one). Problems are capped per file.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from .errors import LIMIT_CODE, MAX_PROBLEMS_PER_FILE, Problem, short_repr, shorten
from .model import Location
from .yamlio import YamlDocument

FILE_TYPES = ("guideline", "taxonomy", "glossary", "comparison", "situations")
CODE = "policy.schema"

# The schema every policy folder is validated against, shipped with the package.
# A policy folder's schema/policy.schema.json is only a copy for editors'
# completion: the folder is data (possibly imported, possibly hostile), so it
# never decides what is valid.
DEFAULT_SCHEMA = Path(__file__).resolve().parent / "schemas" / "policy.schema.json"

_MAX_MESSAGE = 160


# --------------------------------------------------------------------------- validators


def _is_integer(checker, instance: Any) -> bool:
    # JSON Schema counts 1.0 as an integer; the data must hold a real one (the renderer
    # counts with it). validate.py checks the same in code, since jsonschema-rs follows the spec.
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.lru_cache(maxsize=1)
def _explainer() -> type:
    """jsonschema's validator with our integers, imported only when a file needs explaining
    (a third of a cached check's start-up went into importing it)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    )


class FileSchema:
    """The schema for one file type: jsonschema-rs decides, jsonschema explains.

    jsonschema-rs (compiled, Draft 2020-12) is 4× faster than the pure-Python
    check this project used to compile itself (bench/README.md: 0.61 s against
    2.46 s for 1,000 municipalities), and it reads ``pattern`` the way the
    published schema means it (ECMA-262: ``$`` is the end of the text, so
    ``"chikugo-1\\n"`` is no ID). A file it finds invalid is explained with
    jsonschema's errors, which the messages below know how to word; where the
    two engines disagree (a regex dialect), its own errors are used, so a file
    is never passed because of the disagreement.
    """

    def __init__(self, schema: dict):
        self.schema = schema
        self.fast = jsonschema_rs.validator_for(schema)

    @functools.cached_property
    def validator(self) -> Any:
        return _explainer()(self.schema)

    def iter_errors(self, data: Any) -> Iterable[ValidationError]:
        """The file's errors, at most MAX_ERRORS; none when it is valid."""
        if self.fast.is_valid(data):
            return ()
        explained = list(itertools.islice(self.validator.iter_errors(data), MAX_ERRORS))
        if explained:
            return explained
        return [_from_rs(e) for e in itertools.islice(self.fast.iter_errors(data), MAX_ERRORS)]


# Errors reported per file at most: a file of a million broken entries must not
# print a million lines (see also the loader's cap on the problems it reports).
MAX_ERRORS = 200


def _from_rs(error: Any) -> ValidationError:
    from jsonschema.exceptions import ValidationError

    """A jsonschema-rs error in jsonschema's shape, for problems_of(): its own message
    (``message()`` words only errors it knows the keyword and value of)."""
    kind = getattr(error, "kind", None)
    pattern = getattr(kind, "pattern", None)
    if type(kind).__name__ == "Pattern" and isinstance(pattern, str):
        # the one disagreement there is (jsonschema reads patterns as Python's re does): word it as ours
        return ValidationError(
            "pattern",
            validator="pattern",
            validator_value=pattern,
            path=list(error.instance_path),
            instance=error.instance,
            schema_path=list(error.schema_path),
        )
    return ValidationError(
        short_repr(str(getattr(error, "message", error)), _MAX_MESSAGE),
        validator="jsonschema-rs",
        path=list(getattr(error, "instance_path", []) or []),
        instance=getattr(error, "instance", None),
        schema_path=list(getattr(error, "schema_path", []) or []),
    )


@functools.lru_cache(maxsize=4)
def _file_schemas(schema_path: str, mtime_ns: int) -> dict[str, FileSchema]:
    # The schema's top-level dispatch on `type` (allOf of if/then; a oneOf in older
    # copies) is done here by hand: check_document reports an unknown type itself,
    # and each file is checked against its own $defs/<type>File only.
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    # jsonschema-rs refuses an invalid schema itself (tests/unit/test_schemas.py checks ours with jsonschema too).
    schemas = {}
    for file_type in FILE_TYPES:
        typed = {k: v for k, v in schema.items() if k not in ("oneOf", "allOf")}
        typed["$ref"] = f"#/$defs/{file_type}File"
        schemas[file_type] = FileSchema(typed)
    return schemas


def file_schemas(schema_path: Path | None = None) -> dict[str, FileSchema]:
    path = Path(schema_path or DEFAULT_SCHEMA)
    return _file_schemas(str(path), path.stat().st_mtime_ns)


def json_path(path: Iterable[Any]) -> str:
    """('clauses', 3, 'kind') -> 'clauses[3].kind'."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{shorten(str(step), 40)}" if out else shorten(str(step), 40))
    return out


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


# Pattern errors named by the key that holds the value.
_PATTERN_MESSAGES = {
    "phone": "is not a phone number: digits and hyphens only, like 0942-53-4111",
    "extension": "is not an extension number: digits only",
    "file": "is outside the policy folder: name a file in policy/sources/",
    "url": "is not an http(s) URL: write the whole address, starting with https:// or http://",
}


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
        name = err.absolute_path[-1] if err.absolute_path else None
        if name in _PATTERN_MESSAGES:
            return f"{short_repr(inst)} {_PATTERN_MESSAGES[name]}"
        if expected.startswith("^[a-z0-9]+(-"):
            return f"{short_repr(inst)} is not a valid ID: use lower-case ASCII letters and digits joined by hyphens"
        if "[0-9]{4}-" in expected:
            return f"{short_repr(inst)} is not a date: write it as 'YYYY-MM-DD' in quotes"
        return f"{short_repr(inst)} does not match the pattern {expected}"
    if v == "minimum":
        return f"must be at least {expected}, not {short_repr(inst)}"
    if v == "maximum":
        return f"must be at most {expected}, not {short_repr(inst)}"
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
    return shorten(text, _MAX_MESSAGE)


def _at(data: Any, path: list) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def problems_of(doc: YamlDocument, errors: Iterable[ValidationError], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """Located problems of the errors, at most ``limit`` (errors are produced lazily: a file
    with a million wrong values costs no more than one with ``limit``)."""
    problems = _Capped(limit)
    try:
        _add_problems(doc, errors, problems)
    except _Full:
        problems.append_limit()
    return problems.items


class _Full(Exception):
    pass


class _Capped:
    """Problems without repeats, up to a limit (`required` and `additionalProperties` report per
    key, so one error object can repeat what another, from an if/then, said)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: list[Problem] = []
        self._seen: set[tuple] = set()

    def append(self, problem: Problem) -> None:
        key = (str(problem.location), problem.message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(problem)
        if len(self.items) >= self.limit:
            raise _Full

    def append_limit(self) -> None:
        self.items.append(Problem(self.items[-1].location, "too many problems: stopped reporting this file", LIMIT_CODE))


def _add_problems(doc: YamlDocument, errors: Iterable[ValidationError], problems: _Capped) -> None:
    for err in errors:
        if err.context:  # anyOf/oneOf: report the most relevant branch
            from jsonschema.exceptions import best_match

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
    checker = file_schemas(schema_path)[file_type]
    if checker.fast.is_valid(data):
        return file_type, []
    problems = problems_of(doc, checker.iter_errors(data))
    if not problems:  # never accept a file on a disagreement of the two engines
        problems = [Problem(Location(doc.file, 1, 1), "the file does not match the policy schema", CODE)]
    return file_type, problems
