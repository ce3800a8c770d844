"""Precise incremental builds: a page is rebuilt when what it shows has changed.

Why not ``env.note_dependency(yaml_file)``: Sphinx would then re-read every
page showing *any* clause of that file whenever *one* clause changes. Instead,
each page records, in the policy domain's data, a fingerprint (sha256 of a
canonical JSON form) of each thing it took from the policy, in one of two
records:

``usage``     what the page made while it was *read*: a change re-reads it;
``deferred``  what it renders when it is *written* (deferred.py: guidelines,
              clauses, forms, the comparison): a change only writes it again.

What a page takes is a ``Uses(kind, name)``: ``Uses("clause", "chikugo-6-3")``,
``Uses("comparison", "en")``. Each feature registers its kinds from its setup
with ``register_fingerprint(kind, content)``, ``content(policy, name, label)``
returning what the page shows of it (None: unknown, so the page is re-read, and
stops warning, as soon as it appears); directives and roles record their pages'
uses with one call, ``note_uses(env, docname, *uses, deferred=...)``.

``env-get-outdated`` returns the pages whose ``usage`` fingerprints differ from
the current policy, ``env-get-updated`` those whose ``deferred`` content differs
from what the running builder last wrote (recorded per builder, in ``written``:
``make json`` shares the Japanese site's doctrees and must not make the next
``make html`` believe its pages are up to date); a build with no change re-reads
and writes nothing. Where an object is shown can change too (its page removed,
emptied, a ``:no-index:`` added): ``env-get-updated`` then writes again, without
reading them, the pages linking to it (the domain's ``moved_since_written``).

The code is not followed page by page: the domain keeps one digest of every
source file of the package (``code_fingerprint``); an edit to any module,
catalog or static file of it makes the next build read every page again, as an
``env_version`` bump would (without changing the search index, which carries
the ``env_version``).

A page written again without being read keeps its recorded fingerprints only
once Sphinx has pickled the environment, which it does before writing: should a
build crash while writing, such a page may keep its old output until the next
change (the same holds for Sphinx's own ``env-get-updated`` pages).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..model import Policy
from .data import PolicyDataError, pin_policy, policy_domain, policy_or_none, unpin_policy

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Files of the package that are not its source: caches, compiled catalogs (made
# from the .po files at build time), editors' and atomic writes' temporary files.
_NOT_SOURCE_SUFFIXES = (".pyc", ".pyo", ".mo", ".tmp", ".swp", "~")


# ----------------------------------------------------------------------------- the code


def package_files(root: Path = PACKAGE_DIR) -> tuple[str, ...]:
    """Every source file of the package, relative to it: the code that decides what a
    page shows, in all its modules, its catalogs, its static files and its data (the
    schema). Globbed, so a new module counts without a list to keep up to date."""
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_file() and not path.name.endswith(_NOT_SOURCE_SUFFIXES):
            files.append(relative.as_posix())
    return tuple(sorted(files))


def files_fingerprint(root: Path, names: Iterable[str]) -> str:
    """sha256 over the names and contents of these files (a missing file counts too)."""
    h = hashlib.sha256()
    for name in names:
        path = root / name
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return h.hexdigest()


def code_fingerprint() -> str:
    """Of the whole package: the code every page of the extension was made with."""
    return files_fingerprint(PACKAGE_DIR, package_files())


# ----------------------------------------------------------------------------- what a page uses


@dataclass(frozen=True, slots=True)
class Uses:
    """One thing a page takes from the policy: a registered kind and what of it."""

    kind: str
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind


def each(kind: str, names: Iterable[str]) -> list[Uses]:
    """``Uses(kind, name)`` for every name: ``*each("clause", ids)``."""
    return [Uses(kind, name) for name in names]


#: content(policy, name, label) -> what a page shows of it (None: not in the policy).
#: ``label`` stands a taxonomy entry in by its digest (Fingerprints.label).
Content = Callable[[Policy, str, Callable[[Any], Any]], Any]

# kind -> its content function: filled by each feature's setup, the same functions on
# every build (code, not state: nothing of a build is kept here).
_CONTENT: dict[str, Content] = {}


def register_fingerprint(kind: str, content: Content) -> None:
    """Make ``Uses(kind, …)`` known: ``content`` says what a page shows of it."""
    if _CONTENT.get(kind, content) is not content:
        raise ValueError(f"fingerprint kind {kind!r} is registered twice")
    _CONTENT[kind] = content


_FIELDS: dict[type, tuple[str, ...]] = {}  # a memo of the model classes' fields


def _data_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that carry data (not its file position, not caches)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name != "location" and not f.name.startswith("_"))
    return names


def _plain(value: Any) -> Any:
    """What orjson cannot write itself: a model object as its data fields (no file
    position, so moving a clause in its file changes no page), a named tuple as a list."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _data_fields(value.__class__)}
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"no fingerprint for {type(value).__name__}")


# orjson walks the data in C and asks _plain only for the model objects: a build
# fingerprints every clause it shows (64,000 at 1,741 municipalities).
_DIGEST_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def digest(value: Any) -> str:
    """sha256 of a canonical JSON form of ``value`` (model objects without their positions)."""
    return hashlib.sha256(orjson.dumps(value, default=_plain, option=_DIGEST_OPTIONS)).hexdigest()


class Fingerprints:
    """Current fingerprints of one Policy, computed on demand (kept by the build's domain)."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self._memo: dict[str, str | None] = {}
        self._labels: dict[int, str] = {}  # id() of a taxonomy entry of this policy -> its digest

    def __getitem__(self, key: str) -> str | None:
        if key not in self._memo:
            kind, _, name = key.partition(":")
            content = _CONTENT[kind](self.policy, name, self.label) if kind in _CONTENT else None
            self._memo[key] = None if content is None else digest(content)
        return self._memo[key]

    def label(self, entry: Any) -> str | None:
        """A taxonomy entry (kind, topic, actor) as its digest: every clause shows a few,
        and serialising each once saves a third of the clauses' fingerprinting."""
        if entry is None:
            return None
        found = self._labels.get(id(entry))
        if found is None:
            found = self._labels[id(entry)] = digest(entry)
        return found


def fingerprints(env: BuildEnvironment, policy: Policy) -> Fingerprints:
    """The fingerprints of ``policy``, memoised on this build's domain (asked about
    hundreds of times a build, always of the same pinned Policy)."""
    domain = policy_domain(env)
    current = domain.fingerprints
    if current is None or current.policy is not policy:
        current = domain.fingerprints = Fingerprints(policy)
    return current


def usage_of(env: BuildEnvironment) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of what the page made while read (domain data)."""
    return env.domains["policy"].data["usage"]


def deferred_usage_of(env: BuildEnvironment) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of what the page renders when written (domain data)."""
    return env.domains["policy"].data["deferred"]


def note_uses(env: BuildEnvironment, docname: str, *uses: Uses, deferred: bool = False, policy: Policy) -> None:
    """Record that ``docname`` shows or links to these parts of ``policy`` (the Policy
    the page was made from). Call it while reading the page. ``deferred=True``: the
    page renders them when it is written (deferred.py), so a change writes it again
    without reading it."""
    current = fingerprints(env, policy)
    record = (deferred_usage_of(env) if deferred else usage_of(env)).setdefault(docname, {})
    for use in uses:
        if use.kind not in _CONTENT:
            raise ValueError(f"no fingerprint registered for {use.kind!r}")
        record[use.key] = current[use.key]


# ----------------------------------------------------------------------------- events


def changed_docs(env: BuildEnvironment, records: dict[str, dict[str, str | None]], policy: Policy) -> set[str]:
    """The pages of ``records`` (usage_of or deferred_usage_of) with a fingerprint that changed."""
    current = fingerprints(env, policy)
    return {docname for docname, recorded in records.items() if any(current[key] != fingerprint for key, fingerprint in recorded.items())}


def _on_env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    data = env.domains["policy"].data
    code, data["code"] = data["code"], code_fingerprint()
    try:
        policy: Policy | None = pin_policy(env)
    except PolicyDataError:
        policy = None  # reported as warnings; the pages show that something is missing
    if code is not None and code != data["code"]:
        logger.info("[policy handbook code changed] ", nonl=True)
        return sorted(env.found_docs - added - changed - removed)
    if policy is None:
        return []  # re-read nothing more than the changed sources
    outdated = sorted((changed_docs(env, usage_of(env), policy) & env.found_docs) - added - changed - removed)
    if outdated:
        # Same style as Sphinx's own "[config changed] " note on the "updating environment" line.
        logger.info("[policy data changed for %d page(s)] ", len(outdated), nonl=True)
        logger.verbose("pages showing changed policy data: %s", ", ".join(outdated))
    return outdated


def written_by(env: BuildEnvironment, builder_name: str) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of the write-time content this builder last wrote."""
    return env.domains["policy"].data["written"].setdefault(builder_name, {})


def _pages_with_changed_content(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose write-time content (deferred.py) changed since this builder last
    wrote them. Their record is brought up to date here, before Sphinx pickles the
    environment and writes them. Kept per builder."""
    policy = policy_or_none(env)
    if policy is None:
        return []
    current = fingerprints(env, policy)
    read = deferred_usage_of(env)
    written = written_by(env, app.builder.name)
    changed = []
    for docname, recorded in read.items():
        now = {key: current[key] for key in recorded}
        # Not written by this builder since the page was read: as it was read.
        if now != written.get(docname, recorded):
            changed.append(docname)
        written[docname] = now
    for docname in [d for d in written if d not in read]:
        del written[docname]
    changed = sorted(set(changed) & env.found_docs)
    if changed:
        logger.info("[policy data changed: %d page(s) to write again] ", len(changed), nonl=True)
        logger.verbose("pages rendering changed policy data: %s", ", ".join(changed))
    return changed


def _pages_linking_to_moved_objects(env: BuildEnvironment, builder_name: str) -> list[str]:
    """An object's home moved (its page removed, emptied, a :no-index: added): the
    pages linking to it are written again, without being read, to link to the new one."""
    domain = policy_domain(env)
    moved = domain.moved_since_written(builder_name)
    if not moved:
        return []
    ref_keys = set()
    for kind, object_id in moved:
        if kind == "clause":
            ref_keys |= {Uses("ref", object_id).key, Uses("refx", object_id).key}
        elif kind == "form":
            ref_keys.add(Uses("formref", object_id).key)
    linking = {
        docname
        for records in (usage_of(env), deferred_usage_of(env))
        for docname, recorded in records.items()
        if not ref_keys.isdisjoint(recorded)
    }
    return sorted((linking | domain.pages_linking_to(moved)) & env.found_docs)


def _pages_with_new_neighbour_titles(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages whose "previous", "next" or "up" link shows a title that changed.

    Sphinx writes again a page that was read and the pages whose toctree lists it,
    not the pages before and after it or below it, whose relation links carry its
    title: a guide page whose situation was renamed in the YAML left its neighbours
    with the old name. Recorded per builder.
    """
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    now = {docname: [titles.get(other, "") if other else None for other in related] for docname, related in env.collect_relations().items()}
    recorded_by_builder = env.domains["policy"].data["neighbours"]
    recorded = recorded_by_builder.get(app.builder.name)
    recorded_by_builder[app.builder.name] = now
    if recorded is None:
        return []
    return sorted(d for d, related in now.items() if recorded.get(d, related) != related and d in env.found_docs)


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return sorted(
        {
            *_pages_with_changed_content(app, env),
            *_pages_linking_to_moved_objects(env, app.builder.name),
            *_pages_with_new_neighbour_titles(app, env),
        }
    )


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    unpin_policy(app.env)


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-get-updated", _on_env_get_updated)
    # Last, so that every build-finished handler (the JSON export) sees the same snapshot.
    app.connect("build-finished", _on_build_finished, priority=1000)
