"""Where each model object came from: its YAML file, mapping and position.

The loader registers every object it builds with the mapping it was built from, so a
problem can point at one of its fields (file:line:col). Objects taken from
check_cache were not built from YAML this time: their file is parsed again, once,
only if one of them must be located.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import yamlio
from .model import Location


class Sources:
    """Where each model object came from, so problems can point at one of its fields.

    Calling it is the ``locate(obj, *path, key=False)`` function validate.py takes.
    A file taken from check_cache was not parsed: ``defer`` keeps how to parse it
    again, which happens only when one of its objects must be located, so a
    problem in a cached file points at the same line and column as a cold check.
    """

    def __init__(self) -> None:
        self._raw: dict[int, tuple[yamlio.YamlDocument, Any, Any]] = {}
        self._deferred: list[tuple[Any, Any]] = []  # (built objects, rebuild(sources) -> the same, parsed)
        self._deferred_of: dict[int, int] | None = None  # id(object) -> index in _deferred

    def register(self, obj: Any, doc: yamlio.YamlDocument, raw: Any) -> Any:
        # The object itself is kept so its id cannot be reused while this lives.
        self._raw[id(obj)] = (doc, raw, obj)
        return obj

    def defer(self, built: Any, rebuild: Any) -> None:
        self._deferred.append((built, rebuild))
        self._deferred_of = None

    def __call__(self, obj: Any, *path: Any, key: bool = False) -> Location | None:
        entry = self._raw.get(id(obj))
        if entry is None and self._deferred:
            entry = self._parse_owner(obj)
        if entry is None:
            return getattr(obj, "location", None)
        doc, raw, _ = entry
        return doc.locate(raw, *path, key=key)

    def _parse_owner(self, obj: Any) -> tuple[yamlio.YamlDocument, Any, Any] | None:
        """Parse the cached file ``obj`` came from again and take its objects' places."""
        index = self._deferred_index(obj)
        if index is None:
            return None
        built, rebuild = self._deferred[index]
        if rebuild is None:
            return None  # already parsed: obj was never registered
        self._deferred[index] = (built, None)
        fresh = Sources()
        # Same bytes, same code: the same objects in the same places (check_cache's key).
        for old, new in zip(_model_objects(built), _model_objects(rebuild(fresh))):
            entry = fresh._raw.get(id(new))
            if entry is not None:
                self._raw[id(old)] = (entry[0], entry[1], old)
        return self._raw.get(id(obj))

    def _deferred_index(self, obj: Any) -> int | None:
        # Most objects name their file; the others are looked for (a walk of every cached object).
        location = getattr(obj, "location", None)
        if isinstance(location, Location):
            for i, (built, _) in enumerate(self._deferred):
                if _file_of(built) == location.file and any(o is obj for o in _model_objects(built)):
                    return i
        if self._deferred_of is None:
            self._deferred_of = {id(o): i for i, (built, _) in enumerate(self._deferred) for o in _model_objects(built)}
        return self._deferred_of.get(id(obj))


def _file_of(built: Any) -> str | None:
    """The file of a file's built objects (a guideline, comparison, situations or entry tuples)."""
    for o in _model_objects(built):
        location = getattr(o, "location", None)
        if isinstance(location, Location):
            return location.file
    return None


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _model_objects(value: Any):
    """Every dataclass object in ``value`` (tuples and dataclasses walked), depth first."""
    stack = [value]
    while stack:
        value = stack.pop()
        cls = value.__class__
        if cls is tuple:
            stack.extend(reversed(value))
            continue
        names = _FIELD_NAMES.get(cls)
        if names is None:
            is_model = dataclasses.is_dataclass(cls) and cls is not Location
            names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_model else ()
            if not is_model:
                continue
        elif not names:
            continue
        yield value
        stack.extend(getattr(value, name) for name in reversed(names))
