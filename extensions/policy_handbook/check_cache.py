"""A cache for ``make check``: a policy file whose bytes did not change is not parsed again.

Parsing, schema-checking and building the model of each file is nearly all of a
check (1,741 guidelines: ~1,700 times the work of the one file an owner edited).
This layer wraps the loader's per-file step (``loader.read_file``) and keeps, beside
each guideline, the result of the checks that look at it alone (its problems are
none, its warnings are kept: ``ResultsMemo``). Everything across files (IDs,
references, the comparisons' coverage, the situation guides) still runs on every check.

Why the cache cannot make a broken file pass, nor change a message:

* An entry is keyed by the SHA-256 of the file's bytes together with its path,
  the schema's bytes and the source of the code that reads it (yamlio, schema,
  loader, model, errors) and the Python and PyYAML versions: any change to any
  of them is a miss. A guideline's results are keyed by its entry's key and by
  what else they depend on: the taxonomy's and glossary's entries, its source
  text and the code of the package and its checks.
* Only a file that parsed, passed the schema and built without a problem is
  stored, and only results without a problem; a broken file is never in the
  cache, so it is read, and fails, every time.
* An entry repeats its key and carries the SHA-256 of its payload: a truncated,
  corrupt or foreign entry (another file's, another version's) is ignored and
  the file is read. The payload is unpickled with only the model's classes
  allowed, so an entry cannot run code.
* A problem or warning that points into a file taken from the cache parses that
  one file again for the exact line and column (origins.Sources.defer), so every
  message is exactly the one a cold check prints.

Entries are written to a temp file and renamed into place, so concurrent checks
never read half an entry; two writers of one key write the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from . import characters, errors, loader, model, schema, situations, source_files, yamlio
from .errors import Problem
from .origins import Sources

MAGIC = b"policy-check-cache 2\n"
SUFFIX = ".entry"
# The kept results of every guideline and pair file, in one entry: 3,500 small files cost
# more to open than their contents to read. Rewritten with only the results a check used.
RESULTS_KEY = "results"
# Entries not used by a check are removed once there are this many times more
# entries than files (old versions of edited files).
KEEP_FACTOR = 3


def code_fingerprint() -> bytes:
    """What the cached objects depend on besides the file: the reading code and its runtime."""
    digest = hashlib.sha256()
    for module in (yamlio, schema, loader, model, situations, characters, errors):
        assert module.__file__ is not None  # the package's modules are files
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"{sys.version}\0{yaml.__version__}\0{getattr(yaml, '__with_libyaml__', False)}".encode())
    return digest.digest()


# The modules whose dataclasses the loader builds (situations.py builds its own),
# and errors' Problem, of which a guideline's results are made.
_MODEL_MODULES = {m.__name__: m for m in (model, situations, errors)}
_RESULT = "results"  # the kind of the entry RESULTS_KEY: {key: warnings} (ResultsMemo)


def _checks_fingerprint() -> bytes:
    """The code of every check (the core package and checks/) and the data it checks against
    (data/: the national code list, for lg_code): a guideline's results depend on them."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("checks/*.py"), *package.glob("data/*.csv")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles the model's dataclasses and nothing else (no code can run from an entry)."""

    def find_class(self, module_name: str, name: str) -> Any:
        module = _MODEL_MODULES.get(module_name)
        cls = getattr(module, name, None) if module is not None else None
        if isinstance(cls, type) and cls.__module__ == module_name and cls in _MODEL_CLASSES:
            return cls
        raise pickle.UnpicklingError(f"{module_name}.{name} is not allowed in a check cache entry")


def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


# Model objects are pickled as their class called with its fields: dataclasses' own
# __setstate__ looks the fields up again for every object (3x slower to load).
_MODEL_CLASSES = {
    cls: _init_fields(cls)
    for module in _MODEL_MODULES.values()
    for cls in vars(module).values()
    if isinstance(cls, type) and cls.__module__ == module.__name__ and dataclasses.is_dataclass(cls)
}


class _ModelPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        names = _MODEL_CLASSES.get(obj.__class__)
        if names is None:
            return NotImplemented
        return obj.__class__, tuple(getattr(obj, name) for name in names)


class ResultsMemo:
    """What the checks of one guideline, or of one pair file, found, kept beside their files.

    A guideline's own problems and warnings (validate_guideline, checks.ContentChecks.guideline)
    depend on its file, the taxonomy, the glossary, its source text and the code, and on
    nothing else; a pair file's problems on it, its two guidelines and the taxonomy. All of
    that is in the key. Only a result without problems is kept, as only a file without problems is.
    """

    def __init__(self, cache: CheckCache, policy_dir: Path) -> None:
        self.cache, self.policy_dir = cache, policy_dir
        shared = hashlib.sha256(_checks_fingerprint())
        for file, file_type in sorted(cache._types.items()):
            if file_type in ("taxonomy", "glossary"):
                shared.update(f"{file_type}\0{cache._file_keys[file]}\0".encode())
        self._shared = shared

    def _key(self, *parts: bytes) -> str:
        digest = self._shared.copy()
        for part in parts:
            digest.update(part + b"\0")
        return digest.hexdigest()

    def _memo(self, key: str, compute, keep: bool):
        kept = self.cache.kept_results()
        warnings = kept.get(key)
        if warnings is not None:  # also when warnings are not wanted: it says "no problems"
            self.cache.hits += 1
            self.cache.used_results[key] = warnings
            return [], warnings
        problems, warnings = compute()
        if keep and not problems:
            self.cache.used_results[key] = warnings
        return problems, warnings

    def guideline(self, g: model.Guideline, compute, with_warnings: bool):
        """(problems, warnings) of ``g`` alone: ``compute()``'s, or the kept ones."""
        file_key = self.cache._file_keys.get(g.location.file)
        if file_key is None:
            return compute()
        source = loader.source_path(self.policy_dir, g.source_file)
        try:
            source_digest = source_files.digest(source) if source is not None else b"-"  # confined, in chunks
        except OSError:
            source_digest = b"?"
        return self._memo(self._key(b"guideline", file_key.encode(), source_digest), compute, with_warnings)

    def file(self, file: str, compute) -> list[Problem]:
        """The problems of what depends on ``file`` alone (the situation guides' translations)."""
        key = self.cache._file_keys.get(file)
        if key is None:
            return compute()
        return self._memo(self._key(b"file", key.encode()), lambda: (compute(), []), True)[0]

    def pair(self, cmp: model.Comparison, guideline_files: dict[str, str], compute) -> list[Problem]:
        """The problems of pair file ``cmp`` alone (its two guidelines by ID -> file)."""
        files = (cmp.location.file, *(guideline_files.get(d, "") for d in cmp.documents))
        keys = [k for f in files if (k := self.cache._file_keys.get(f)) is not None]
        if len(keys) < len(files):
            return compute()
        return self._memo(self._key(b"pair", *(k.encode() for k in keys)), lambda: (compute(), []), True)[0]


class CachedDocument:
    """What the loader needs of a document that was not parsed this time: its file name."""

    __slots__ = ("file",)

    def __init__(self, file: str) -> None:
        self.file = file


class CheckCache:
    def __init__(self, directory: Path | str) -> None:
        self.dir = Path(directory)
        self.hits = self.misses = self.ignored = 0
        self._code = code_fingerprint()
        self._schemas: dict[Path, bytes] = {}
        self._used: set[str] = set()
        self._file_keys: dict[str, str] = {}  # file -> its key
        self._kept: dict[str, list[Problem]] | None = None  # the results entry, once read
        self.used_results: dict[str, list[Problem]] = {}  # the results this check used or found
        self._types: dict[str, str] = {}  # file -> its type, for files read without a problem

    def key(self, raw: bytes, file: str, schema_path: Path) -> str:
        if schema_path not in self._schemas:
            self._schemas[schema_path] = hashlib.sha256(Path(schema_path).read_bytes()).digest()
        digest = hashlib.sha256(self._code + self._schemas[schema_path])
        digest.update(file.encode("utf-8") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    # -- the loader's reader

    def reader(self, raw: bytes, file: str, schema_path: Path, sources: Sources) -> tuple[Any, str, Any]:
        key = self.key(raw, file, schema_path)
        self._used.add(key)
        self._file_keys[file] = key
        entry = self._read(key)
        if entry is not None:
            self.hits += 1
            file_type, built = entry
        else:
            self.misses += 1
            # Its parse tree and positions are dropped once it is built, as if it came from
            # the cache: held for every file until the load ended, they were most of a cold
            # load's memory (~0.6 GB at 1,741 municipalities), for messages that are rare.
            _doc, file_type, built = loader.read_file(raw, file, schema_path, Sources())  # raises on any problem
            self._write(key, (file_type, built))
        # Parsed again only if a problem or warning must point into it (origins.Sources).
        sources.defer(built, lambda fresh: loader.read_file(raw, file, schema_path, fresh)[2])
        self._types[file] = file_type
        return CachedDocument(file), file_type, built

    # -- entries

    def _path(self, key: str) -> Path:
        return self.dir / f"{key}{SUFFIX}"

    def kept_results(self) -> dict[str, list[Problem]]:
        if self._kept is None:
            entry = self._read(RESULTS_KEY, _RESULT)
            self._kept = entry[1] if entry is not None and isinstance(entry[1], dict) else {}
        return self._kept

    def save_results(self) -> None:
        """Keep the results this check used (new ones added, unused ones dropped)."""
        if self._kept is not None and self.used_results != self._kept:
            self._write(RESULTS_KEY, (_RESULT, dict(sorted(self.used_results.items()))))

    def _read(self, key: str, kind: str | None = None) -> tuple[str, Any] | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            head = MAGIC + key.encode("ascii") + b"\n"
            if not data.startswith(head):
                raise ValueError("not an entry for this key")
            checksum, payload = data[len(head) : len(head) + 65], data[len(head) + 65 :]
            if checksum != hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n":
                raise ValueError("checksum mismatch")
            file_type, built = _ModelUnpickler(io.BytesIO(payload)).load()
            if file_type != kind if kind else file_type not in loader.FILE_TYPES:
                raise ValueError("another kind of entry")
            return file_type, built
        except Exception:  # corrupt, truncated or foreign: read the file instead
            self.ignored += 1
            return None

    def _write(self, key: str, entry: tuple[str, Any]) -> None:
        try:
            buffer = io.BytesIO()
            _ModelPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
            payload = buffer.getvalue()
            data = MAGIC + key.encode("ascii") + b"\n" + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=self.dir)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self._path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # a cache that cannot be written only makes the next check slower
            pass

    def prune(self, files: int) -> None:
        """Drop entries this check did not use once old ones pile up."""
        try:
            entries = [name for name in os.listdir(self.dir) if name.endswith(SUFFIX)]
            if len(entries) <= KEEP_FACTOR * max(files, 1):
                return
            for name in entries:
                if name[: -len(SUFFIX)] not in self._used and name != RESULTS_KEY + SUFFIX:
                    (self.dir / name).unlink(missing_ok=True)
        except OSError:
            pass


def load_policy_cached(
    policy_dir: Path | str,
    cache_dir: Path | str,
    *,
    root: Path | str | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[model.Policy, CheckCache]:
    """loader.load_policy with unchanged files, and their own checks' results, taken from
    ``cache_dir``: same result, same messages."""
    cache = CheckCache(cache_dir)
    policy_dir = Path(policy_dir)
    try:
        # The memo is made once every file is read: its keys need the taxonomy's and glossary's.
        memo = functools.partial(ResultsMemo, cache, policy_dir)
        policy = loader.load_policy(policy_dir, root=root, warnings=warnings, reader=cache.reader, memo=memo)
    finally:
        cache.save_results()  # only results without a problem are kept, whatever the verdict
    cache.prune(len(policy.files))
    return policy, cache
