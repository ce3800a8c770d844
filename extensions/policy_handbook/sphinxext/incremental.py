"""Precise incremental builds: a page is rebuilt when what it shows has changed.

Why not ``env.note_dependency(yaml_file)``: Sphinx would then re-read every
page showing *any* clause of that file whenever *one* clause changes. Instead,
each page records, in the policy domain's data, a fingerprint (sha256 of a
canonical JSON form) of each thing it took from the policy, in one of two
records:

``usage``     what the page made while it was *read*: a change re-reads it;
``deferred``  what it renders when it is *written* (deferred.py: guidelines,
              clauses, forms, the comparison): a change only writes it again.

Keys:

``anchors:<what>:<id>``  the IDs a directive gives anchors to (``guideline``,
                   ``clause``, ``clause-alone`` for ``:no-children:``, ``form``):
                   the page's structure, so a clause added, removed or renamed
                   re-reads it
``clause:<id>``    a clause it shows: its fields (not its file position), and the
                   labels of its kind, topics, actors and cited forms
``ref:<id>``       a clause it links to with ``{policy:clause}``: only what the
                   link text is made of (number, heading, first words)
``refx:<id>``      a clause it links to with a text of its own: only that it exists
``form:<id>``      a form it shows;  ``formref:<id>``: a form it links to
``guideline:<id>`` a guideline's metadata box and its list of top-level clauses
``guideline-list`` what the list of all guidelines shows of each
``glossary``       the whole glossary (the glossary page)
``situations``     the situation guides' data, with the actor labels they show
``glossary-terms`` the terms and variants that clause texts are linked by (and
                   the actor labels that keep a term inside them unlinked)
``comparison-outline``  the comparison's topics and their labels (its sections)
``comparison:<lang>``   the comparison's tables in one language: everything they
                   show (texts, marks, similarities, relations, summaries), so
                   an edit to a Japanese text leaves the English tables alone
``code``           every source file of the package (all modules, catalogs,
                   static files, the schema; globbed, see ``package_files``):
                   recorded by every page that shows anything the extension
                   made — its directives and roles, any ``policy:`` role or
                   directive another module adds (the domain records those), any
                   node of the package's own classes — so editing the code re-reads
                   exactly those pages; pages without any of it are left alone

An unknown ID is recorded with the fingerprint ``None``, so the page is re-read
(and stops warning) as soon as the ID appears.

``env-get-outdated`` returns the pages whose ``usage`` fingerprints differ from
the current policy, ``env-get-updated`` those whose ``deferred`` content differs
from what the running builder last wrote (recorded per builder, in ``written``:
``make json`` shares the Japanese site's doctrees and must not make the next
``make html`` believe its pages are up to date); a build with no change re-reads and writes nothing. Where
a clause is shown can change too (its page removed, a ``:no-index:`` added):
``env-get-updated`` then re-writes, without re-reading, the pages whose links
point at it. Other extensions' pages declare what they use with
``note_policy_usage``.

A page written again without being read keeps its recorded fingerprints only
once Sphinx has pickled the environment, which it does before writing: should a
build crash while writing, such a page may keep its old output until the next
change (the same holds for Sphinx's own ``env-get-updated`` pages).

Template output is another matter: every page's sidebar and labels come from
the catalogs (the extension's and the project's ``sphinx.po``), and its links to
the style sheets carry checksums. When one of those files changes,
``env-get-updated`` re-writes every page (without re-reading them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..comparison import build_comparison
from ..model import Policy
from .data import PolicyDataError, get_policy, pin_policy, policy_or_none, unpin_policy
from .render import first_words, subtree

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Files of the package that are not its source: caches, compiled catalogs (made
# from the .po files at build time), editors' and atomic writes' temporary files.
_NOT_SOURCE_SUFFIXES = (".pyc", ".pyo", ".mo", ".tmp", ".swp", "~")


def package_files(root: Path = PACKAGE_DIR) -> tuple[str, ...]:
    """Every source file of the package, relative to it: the code that decides what a
    page shows, in all its modules (other helpers' too), its catalogs, its static
    files and its data (the schema). Globbed, so a new module counts without a list
    to keep up to date."""
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_file() and not path.name.endswith(_NOT_SOURCE_SUFFIXES):
            files.append(relative.as_posix())
    return tuple(sorted(files))


CODE_FILES = package_files()
# What every page's template output (not its content) is made with: the UI
# catalogs (the sidebar's "条項索引") and the static files (their ?v= checksums).
CHROME_FILES = tuple(f for f in CODE_FILES if f.endswith(".po") or "static" in f.split("/")[:-1])


# ----------------------------------------------------------------------------- fingerprints


_FIELDS: dict[type, tuple[str, ...]] = {}


def _data_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that carry data (not its file position, not caches)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.name != "location" and not f.name.startswith("_")
        )
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


def files_fingerprint(root: Path, names: Iterable[str]) -> str:
    """sha256 over the names and contents of these files (a missing file counts too)."""
    h = hashlib.sha256()
    for name in names:
        path = root / name
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return h.hexdigest()


_code_digest: str | None = None


def code_fingerprint() -> str:
    """Of the whole package (computed once per process: a build runs one version of the code)."""
    global _code_digest
    if _code_digest is None:
        _code_digest = files_fingerprint(PACKAGE_DIR, CODE_FILES)
    return _code_digest


def _clause_content(policy: Policy, clause_id: str, label: Callable[[Any], Any] = lambda entry: entry) -> Any:
    """``label`` may stand a taxonomy entry in by its own digest (Fingerprints.label)."""
    clause = policy.clause(clause_id)
    if clause is None:
        return None
    forms = [policy.form(f) for f in clause.forms]
    return {
        "clause": clause,
        "kind": label(policy.kind(clause.kind)) if clause.kind else None,
        "topics": [label(policy.topic(t)) for t in clause.topics],
        "actors": [label(policy.actor(a)) for a in clause.actors],
        "forms": [(f.id, f.label) if f else None for f in forms],
        # suggested labels are shown too (as suggestions): their taxonomy labels count
        "suggested": [label(policy.kind(clause.suggested_kind)) if clause.suggested_kind else None]
        + [label(policy.topic(t)) for t in clause.suggested_topics],
    }


def _ref_content(policy: Policy, clause_id: str) -> Any:
    clause = policy.clause(clause_id)
    if clause is None:
        return None
    text = clause.text
    return {
        "number": clause.number,
        "level": clause.level,
        "heading": clause.heading,
        "start": None if text is None else [first_words(text.ja, "ja"), first_words(text.get("en"), "en")],
    }


def _form_ref_content(policy: Policy, form_id: str) -> Any:
    form = policy.form(form_id)
    return None if form is None else {"label": form.label, "title": form.title}


def _guideline_content(policy: Policy, document: str) -> Any:
    g = policy.guideline(document)
    if g is None:
        return None
    meta = {f.name: getattr(g, f.name) for f in dataclasses.fields(g) if f.name not in ("clauses", "forms", "location")}
    meta["roots"] = [c.id for c in g.roots]
    return meta


def _anchors_content(policy: Policy, name: str) -> Any:
    what, _, object_id = name.partition(":")
    if what == "guideline":
        g = policy.guideline(object_id)
        return None if g is None else [c.id for c in g.clauses]
    if what in ("clause", "clause-alone"):
        clause = policy.clause(object_id)
        if clause is None:
            return None
        return [clause.id] if what == "clause-alone" else [c.id for c in subtree(policy, clause)]
    if what == "form":
        return [object_id] if policy.form(object_id) is not None else None
    return None


def _comparison_outline(policy: Policy) -> Any:
    if policy.comparison is None:
        return None
    outline = []
    for alignment in policy.comparison.topics:
        topic = policy.topic(alignment.topic)
        outline.append([alignment.topic, topic.label if topic else None])
    return outline


def _fingerprint(policy: Policy, key: str, label: Callable[[Any], Any] = lambda entry: entry) -> str | None:
    kind, _, name = key.partition(":")
    if kind == "code":
        return code_fingerprint()
    if kind == "anchors":
        content = _anchors_content(policy, name)
    elif kind == "comparison-outline":
        content = _comparison_outline(policy)
    elif kind == "comparison":
        content = build_comparison(policy, name)  # cached: the page renders this very view
    elif kind == "clause":
        content = _clause_content(policy, name, label)
    elif kind == "ref":
        content = _ref_content(policy, name)
    elif kind == "refx":
        content = policy.clause(name) is not None or None
    elif kind == "form":
        content = policy.form(name)
    elif kind == "formref":
        content = _form_ref_content(policy, name)
    elif kind == "guideline":
        content = _guideline_content(policy, name)
    elif kind == "guideline-list":
        content = [
            [g.id, g.municipality, g.prefecture, g.title, g.current_date, sum(c.text is not None for c in g.clauses)]
            for g in policy.guidelines
        ]
    elif kind == "glossary":
        content = policy.glossary
    elif kind == "situations":
        content = None if policy.situations is None else {"situations": policy.situations, "actors": policy.actors}
    elif kind == "glossary-terms":
        # The actors' labels too: a term inside one of them is not linked (glossary_match).
        content = {
            "terms": [(t.id, t.term, t.variants) for t in policy.glossary],
            "longer names": [a.label for a in policy.actors],
        }
    elif kind in EXTRA_FINGERPRINTS:
        content = EXTRA_FINGERPRINTS[kind](policy, name)
    else:
        return None
    return None if content is None else digest(content)


#: More kinds of key, for other modules' views: kind -> content(policy, name) (None: unknown).
EXTRA_FINGERPRINTS: dict[str, Any] = {}


class Fingerprints:
    """Current fingerprints of one Policy, computed on demand."""

    _last: tuple[int, Fingerprints] | None = None

    def __init__(self, policy: Policy):
        self.policy = policy
        self._memo: dict[str, str | None] = {}
        self._labels: dict[int, str] = {}  # id() of a taxonomy entry of this policy -> its digest

    @classmethod
    def of(cls, policy: Policy) -> Fingerprints:
        # The same Policy object is asked about hundreds of times per build.
        last = cls._last
        if last is None or last[1].policy is not policy:
            cls._last = last = (id(policy), cls(policy))
        return last[1]

    def __getitem__(self, key: str) -> str | None:
        if key == "code":  # not a property of the policy
            return code_fingerprint()
        if key not in self._memo:
            self._memo[key] = _fingerprint(self.policy, key, self.label)
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


# ----------------------------------------------------------------------------- recording


def usage_of(env: BuildEnvironment) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of what the page made while read (domain data)."""
    return env.domains["policy"].data["usage"]


def deferred_usage_of(env: BuildEnvironment) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of what the page renders when written (domain data)."""
    return env.domains["policy"].data["deferred"]


def note_policy_usage(
    env: BuildEnvironment,
    docname: str,
    *,
    clause_ids: Iterable[str] = (),
    forms: Iterable[str] = (),
    glossary: bool = False,
    clause_refs: Iterable[str] = (),
    clause_links: Iterable[str] = (),
    form_refs: Iterable[str] = (),
    guidelines: Iterable[str] = (),
    guideline_list: bool = False,
    glossary_terms: bool = False,
    anchors: Iterable[str] = (),
    comparison_outline: bool = False,
    comparison: str | None = None,
    situations: bool = False,
    deferred: bool = False,
    policy: Policy | None = None,
    extra: Iterable[str] = (),
) -> None:
    """Record that ``docname`` shows or links to these parts of the policy.

    Call it while reading the page; pass the Policy you rendered from, if you
    have it.
    ``clause_refs`` are links labelled from the clause, ``clause_links`` links
    with their own text (only the clause's existence and place matter).
    ``anchors`` are ``"<what>:<id>"`` (see the module docstring); ``comparison``
    the language of comparison tables shown.
    ``deferred=True``: the page renders these when it is written (deferred.py),
    so a change writes it again without reading it.
    """
    policy = policy if policy is not None else get_policy(env)
    current = Fingerprints.of(policy)
    keys = [
        *(f"anchors:{a}" for a in anchors),
        *(f"clause:{i}" for i in clause_ids),
        *(f"form:{i}" for i in forms),
        *(f"ref:{i}" for i in clause_refs),
        *(f"refx:{i}" for i in clause_links),
        *(f"formref:{i}" for i in form_refs),
        *(f"guideline:{i}" for i in guidelines),
        *extra,  # keys of EXTRA_FINGERPRINTS kinds
    ]
    if glossary:
        keys.append("glossary")
    if guideline_list:
        keys.append("guideline-list")
    if glossary_terms:
        keys.append("glossary-terms")
    if comparison_outline:
        keys.append("comparison-outline")
    if comparison is not None:
        keys.append(f"comparison:{comparison}")
    if situations:
        keys.append("situations")
    note_code_usage(env, docname)
    record = (deferred_usage_of(env) if deferred else usage_of(env)).setdefault(docname, {})
    for key in keys:
        record[key] = current[key]


def note_code_usage(env: BuildEnvironment, docname: str) -> None:
    """Record that ``docname`` shows something the extension's code made (a
    ``policy:`` role or directive, one of its nodes), without the policy data: a
    page with only ``{policy:date}`2022-04-01``` must follow the code too."""
    usage_of(env).setdefault(docname, {})["code"] = code_fingerprint()


_PACKAGE_PREFIX = __name__.split(".")[0] + "."  # "policy_handbook."


def _made_by_the_extension(node: Any) -> bool:
    return type(node).__module__.startswith(_PACKAGE_PREFIX)


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """A page holding a node of the extension's own (a date, a lang span) depends
    on the code that made it, whichever module of the package that is."""
    if next(iter(doctree.findall(_made_by_the_extension)), None) is not None:
        note_code_usage(app.env, app.env.docname)


# ----------------------------------------------------------------------------- events

def changed_docs(records: dict[str, dict[str, str | None]], policy: Policy) -> set[str]:
    """The pages of ``records`` (usage_of or deferred_usage_of) with a fingerprint that changed."""
    current = Fingerprints.of(policy)
    return {
        docname
        for docname, recorded in records.items()
        if any(current[key] != fingerprint for key, fingerprint in recorded.items())
    }


def outdated_docs(env: BuildEnvironment, policy: Policy) -> set[str]:
    return changed_docs(usage_of(env), policy)


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    try:
        policy = pin_policy(env)
    except PolicyDataError:
        return []  # reported as warnings; re-read nothing more than the changed sources
    outdated = sorted((outdated_docs(env, policy) & env.found_docs) - added - changed - removed)
    if outdated:
        # Same style as Sphinx's own "[config changed] " note on the "updating environment" line.
        logger.info("[policy data or handbook code changed for %d page(s)] ", len(outdated), nonl=True)
        logger.verbose("pages showing changed policy data: %s", ", ".join(outdated))
    return outdated


def theme_catalogs(app: Sphinx) -> list[str]:
    """The project's catalogs of template strings for this language (furo's labels,
    the language switcher): ``<locale_dir>/<lang>/LC_MESSAGES/sphinx.po``, relative
    to the source directory."""
    if not app.config.language:
        return []
    srcdir = Path(app.srcdir)
    found = []
    for locale_dir in app.config.locale_dirs:
        po = srcdir / locale_dir / app.config.language / "LC_MESSAGES" / "sphinx.po"
        if po.is_file():
            found.append(os.path.relpath(po, srcdir))
    return found


def chrome_fingerprint(app: Sphinx) -> str:
    """What the template part of every page is made with (see CHROME_FILES)."""
    package = files_fingerprint(PACKAGE_DIR, CHROME_FILES)
    project = files_fingerprint(Path(app.srcdir), theme_catalogs(app))
    return hashlib.sha256(f"{package}:{project}".encode()).hexdigest()


def _pages_with_new_chrome(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when a catalog or static file its template uses has changed.

    Sphinx follows a page's own catalog (docs/locales/<lang>/LC_MESSAGES/<page>.po)
    and its templates, but not these: a page not otherwise rebuilt would keep
    the old labels, and old ?v= checksums of the style sheets. Recorded per
    builder: builders sharing a doctree directory (``make json`` reuses the
    Japanese site's) each write their own output.
    """
    recorded_by_builder = env.domains["policy"].data["chrome"]
    current = chrome_fingerprint(app)
    recorded = recorded_by_builder.get(app.builder.name)
    recorded_by_builder[app.builder.name] = current
    if recorded is None or recorded == current:  # a first build writes every page anyway
        return []
    logger.info("[policy handbook catalogs or static files changed] ", nonl=True)
    return sorted(env.found_docs)


def _pages_with_new_neighbour_titles(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages whose "previous", "next" or "up" link shows a title that changed.

    Sphinx writes again a page that was read and the pages whose toctree lists it,
    not the pages before and after it or below it, whose relation links carry its
    title: a guide page whose situation was renamed in the YAML left its neighbours
    with the old name. Recorded per builder, like the chrome fingerprint.
    """
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    now = {
        docname: [titles.get(other, "") if other else None for other in related]
        for docname, related in env.collect_relations().items()
    }
    recorded_by_builder = env.domains["policy"].data["neighbours"]
    recorded = recorded_by_builder.get(app.builder.name)
    recorded_by_builder[app.builder.name] = now
    if recorded is None:
        return []
    return sorted(d for d, related in now.items() if recorded.get(d, related) != related and d in env.found_docs)


def written_by(env: BuildEnvironment, builder_name: str) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} of the write-time content this builder last wrote."""
    return env.domains["policy"].data["written"].setdefault(builder_name, {})


def _pages_with_changed_content(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose write-time content (deferred.py) changed since this builder last
    wrote them. Their record is brought up to date here, before Sphinx pickles the
    environment and writes them. Kept per builder, like the chrome fingerprint."""
    policy = policy_or_none(env)
    if policy is None:
        return []
    current = Fingerprints.of(policy)
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


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    rewrite = _pages_with_new_chrome(app, env)
    moved = _pages_linking_to_moved_objects(env, app.builder.name)
    neighbours = _pages_with_new_neighbour_titles(app, env)
    return sorted({*rewrite, *_pages_with_changed_content(app, env), *moved, *neighbours})


def _pages_linking_to_moved_objects(env: BuildEnvironment, builder_name: str) -> list[str]:
    """An object's home moved (its page removed, emptied, a :no-index: added): the
    pages linking to it are written again, without being read, to link to the new one."""
    domain = env.domains["policy"]
    moved = domain.moved_since_written(builder_name)
    if not moved:
        return []
    ref_keys = set()
    for kind, object_id in moved:
        if kind == "clause":
            ref_keys |= {f"ref:{object_id}", f"refx:{object_id}"}
        elif kind == "form":
            ref_keys.add(f"formref:{object_id}")
    linking = {
        docname
        for records in (usage_of(env), deferred_usage_of(env))
        for docname, recorded in records.items()
        if not ref_keys.isdisjoint(recorded)
    }
    return sorted((linking | domain.pages_linking_to(moved)) & env.found_docs)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    unpin_policy(app)


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-get-updated", _on_env_get_updated)
    # Last, so that every build-finished handler (the JSON export) sees the same snapshot.
    app.connect("build-finished", _on_build_finished, priority=1000)
