"""Precise incremental builds: a page is rebuilt when what it shows has changed.

Why not ``env.note_dependency(yaml_file)``: Sphinx would then re-read every
page showing *any* clause of that file whenever *one* clause changes. Instead,
each page records, in the policy domain's data, a fingerprint (sha256 of a
canonical JSON form) of each thing it took from the policy:

``clause:<id>``    a clause it shows: its fields (not its file position), and the
                   labels of its kind, topics, actors and cited forms
``ref:<id>``       a clause it links to with ``{policy:clause}``: only what the
                   link text is made of (number, heading, first words)
``refx:<id>``      a clause it links to with a text of its own: only that it exists
``form:<id>``      a form it shows;  ``formref:<id>``: a form it links to
``guideline:<id>`` a guideline's metadata box and its list of top-level clauses
``glossary``       the whole glossary (the glossary page)
``glossary-terms`` the terms and variants that clause texts are linked by
``policy``         everything (pages such as the comparison, via ``whole_policy``)
``code``           the extension's own source and catalog: editing the renderer
                   re-reads the pages it renders

An unknown ID is recorded with the fingerprint ``None``, so the page is re-read
(and stops warning) as soon as the ID appears.

``env-get-outdated`` then returns exactly the pages whose recorded fingerprints
differ from the current policy; a build with no change re-reads and writes
nothing. Where a clause is shown can change too (its page removed, a
``:no-index:`` added): ``env-get-updated`` then re-writes, without re-reading,
the pages whose links point at it. Other extensions' pages declare what they use
with ``note_policy_usage``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..model import Policy
from .data import PolicyDataError, get_policy, pin_policy, unpin_policy
from .render import first_words

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Modules whose code decides what a page shows. (Other helpers' modules register
# their own pages through note_policy_usage(whole_policy=True).)
CODE_FILES = (
    *(p.name for p in sorted(PACKAGE_DIR.glob("*.py"))),
    *(
        f"sphinxext/{name}"
        for name in (
            "config.py", "data.py", "domain.py", "directives.py", "roles.py",
            "render.py", "nodes.py", "incremental.py", "i18n.py",
        )
    ),
    "sphinxext/locale/ja/LC_MESSAGES/policy_handbook.po",
)


# ----------------------------------------------------------------------------- fingerprints


def _canonical(value: Any) -> Any:
    """Plain JSON data of a model object, without file positions."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "location" and not f.name.startswith("_")
        }
    if isinstance(value, (tuple, list)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def digest(value: Any) -> str:
    data = json.dumps(_canonical(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


_code_digest: str | None = None


def code_fingerprint() -> str:
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        for name in CODE_FILES:
            path = PACKAGE_DIR / name
            h.update(name.encode())
            h.update(path.read_bytes() if path.is_file() else b"-")
        _code_digest = h.hexdigest()
    return _code_digest


def _clause_content(policy: Policy, clause_id: str) -> Any:
    clause = policy.clause(clause_id)
    if clause is None:
        return None
    forms = [policy.form(f) for f in clause.forms]
    return {
        "clause": clause,
        "kind": policy.kind(clause.kind) if clause.kind else None,
        "topics": [policy.topic(t) for t in clause.topics],
        "actors": [policy.actor(a) for a in clause.actors],
        "forms": [(f.id, f.label) if f else None for f in forms],
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
        "start": None if text is None else [first_words(text.ja, "ja"), first_words(text.en, "en")],
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


def _fingerprint(policy: Policy, key: str) -> str | None:
    kind, _, name = key.partition(":")
    if kind == "code":
        return code_fingerprint()
    if kind == "clause":
        content = _clause_content(policy, name)
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
    elif kind == "glossary":
        content = policy.glossary
    elif kind == "glossary-terms":
        content = [(t.id, t.term, t.variants) for t in policy.glossary]
    elif kind == "policy":
        content = policy
    else:
        return None
    return None if content is None else digest(content)


class Fingerprints:
    """Current fingerprints of one Policy, computed on demand."""

    _last: tuple[int, Fingerprints] | None = None

    def __init__(self, policy: Policy):
        self.policy = policy
        self._memo: dict[str, str | None] = {}

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
            self._memo[key] = _fingerprint(self.policy, key)
        return self._memo[key]


# ----------------------------------------------------------------------------- recording


def usage_of(env: BuildEnvironment) -> dict[str, dict[str, str | None]]:
    """docname -> {key: fingerprint} (stored in the policy domain's data)."""
    return env.domains["policy"].data["usage"]


def note_policy_usage(
    env: BuildEnvironment,
    docname: str,
    *,
    clause_ids: Iterable[str] = (),
    forms: Iterable[str] = (),
    glossary: bool = False,
    whole_policy: bool = False,
    clause_refs: Iterable[str] = (),
    clause_links: Iterable[str] = (),
    form_refs: Iterable[str] = (),
    guidelines: Iterable[str] = (),
    glossary_terms: bool = False,
    policy: Policy | None = None,
) -> None:
    """Record that ``docname`` shows or links to these parts of the policy.

    Call it while reading the page; pass the Policy you rendered from, if you
    have it. ``whole_policy=True`` re-reads the page on any change of the data.
    ``clause_refs`` are links labelled from the clause, ``clause_links`` links
    with their own text (only the clause's existence and place matter).
    """
    policy = policy if policy is not None else get_policy(env)
    current = Fingerprints.of(policy)
    keys = [
        "code",
        *(f"clause:{i}" for i in clause_ids),
        *(f"form:{i}" for i in forms),
        *(f"ref:{i}" for i in clause_refs),
        *(f"refx:{i}" for i in clause_links),
        *(f"formref:{i}" for i in form_refs),
        *(f"guideline:{i}" for i in guidelines),
    ]
    if glossary:
        keys.append("glossary")
    if glossary_terms:
        keys.append("glossary-terms")
    if whole_policy:
        keys.append("policy")
    record = usage_of(env).setdefault(docname, {})
    for key in keys:
        record[key] = current[key]


# ----------------------------------------------------------------------------- events

# env -> where each clause and form had its anchor before this build's reading
_homes_before: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, tuple[str, str] | None]] = (
    weakref.WeakKeyDictionary()
)


def _homes(env: BuildEnvironment) -> dict[str, tuple[str, str] | None]:
    domain = env.domains["policy"]
    homes: dict[str, tuple[str, str] | None] = {}
    for kind in ("clause", "form"):
        for object_id, location in domain.locations(kind).items():
            homes[f"{kind}:{object_id}"] = location
    return homes


def outdated_docs(env: BuildEnvironment, policy: Policy) -> set[str]:
    current = Fingerprints.of(policy)
    outdated = set()
    for docname, recorded in usage_of(env).items():
        if any(current[key] != fingerprint for key, fingerprint in recorded.items()):
            outdated.add(docname)
    return outdated


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    _homes_before[env] = _homes(env)
    try:
        policy = pin_policy(env)
    except PolicyDataError:
        return []  # reported as warnings; re-read nothing more than the changed sources
    outdated = sorted((outdated_docs(env, policy) & env.found_docs) - added - changed - removed)
    if outdated:
        # Same style as Sphinx's own "[config changed] " note on the "updating environment" line.
        logger.info("[policy data changed for %d page(s)] ", len(outdated), nonl=True)
        logger.verbose("pages showing changed policy data: %s", ", ".join(outdated))
    return outdated


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    before = _homes_before.pop(env, None)
    if before is None:
        return []
    after = _homes(env)
    moved = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if not moved:
        return []
    ref_keys = set()
    for key in moved:
        kind, _, object_id = key.partition(":")
        if kind == "clause":
            ref_keys |= {f"ref:{object_id}", f"refx:{object_id}"}
        else:
            ref_keys.add(f"formref:{object_id}")
    return sorted(
        docname
        for docname, recorded in usage_of(env).items()
        if docname in env.found_docs and not ref_keys.isdisjoint(recorded)
    )


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    unpin_policy(app)
    _homes_before.pop(app.env, None)


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-get-updated", _on_env_get_updated)
    # Last, so that every build-finished handler (the JSON export) sees the same snapshot.
    app.connect("build-finished", _on_build_finished, priority=1000)
