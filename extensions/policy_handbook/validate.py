"""Semantic checks of a loaded policy: what the JSON Schema cannot say.

Each check returns Problems located at the offending field. ``locate(obj,
*path, key=False)`` maps a model object and a path inside its YAML mapping to
a Location (the loader's Sources); without it, the object's own location is used.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import dates, municipalities
from .characters import has_visible_text
from .errors import Problem, short_repr, unknown_message
from .model import Clause, Comparison, Guideline, Location, Policy, Text
from .situation_checks import situation_problems
from .urls import is_http_url

# Checked here as well as in the schema: the schema sits in the folder owners edit,
# and IDs become anchors, file names and JSON keys.
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_CHARS = 80
MAX_SCALE_VALUES = 101  # a scale prints one box per value
Locate = Callable[..., "Location | None"]


def _own_location(obj: Any, *path: Any, key: bool = False) -> Location | None:
    return getattr(obj, "location", None)


@dataclass(frozen=True)
class Completeness:
    """Which parts loaded without errors: checks against a part that failed are skipped
    (they would only repeat the first error in other words)."""

    taxonomy: bool = True
    guidelines: bool = True


# --------------------------------------------------------------------------- per guideline


def validate_guideline(
    guideline: Guideline, locate: Locate | None = None, taxonomy: Policy | None = None, *, check_ids: bool = True
) -> list[Problem]:
    """Checks that need only the guideline (and the taxonomy when given).

    ``check_ids=False`` leaves duplicate IDs to validate_policy, which checks them across guidelines.
    """
    locate = locate or _own_location
    problems: list[Problem] = []
    add = problems.append
    g = guideline
    prefix = g.id + "-"
    form_ids = [f.id for f in g.forms]
    kinds = {k.id for k in taxonomy.kinds} if taxonomy else None
    topics = {t.id for t in taxonomy.topics} if taxonomy else None
    actors = {a.id for a in taxonomy.actors} if taxonomy else None

    for c in g.clauses:
        if not c.id.startswith(prefix):
            add(Problem(locate(c, "id"), f"clause ID '{c.id}' must start with '{prefix}'", "policy.id"))
        if c.text is not None:
            # With the importer's review note the missing labels are a review item (`check` lists it), not an error.
            if c.review is None and c.kind is None and c.suggested_kind is None:
                add(Problem(locate(c), f"clause {c.id} has text but no kind: add kind (see taxonomy.yaml kinds)", "policy.classification"))
            if c.review is None and not c.topics and not c.suggested_topics:
                add(Problem(locate(c), f"clause {c.id} has text but no topics: add at least one topic", "policy.classification"))
        elif not c.children:
            add(Problem(locate(c), f"clause {c.id} has neither text nor children", "policy.structure"))
        if kinds is not None and c.kind is not None and c.kind not in kinds:
            add(Problem(locate(c, "kind"), unknown_message("kind", c.kind, kinds), "policy.reference"))
        if kinds is not None and c.suggested_kind is not None and c.suggested_kind not in kinds:
            add(Problem(locate(c, "suggested", "kind"), unknown_message("kind", c.suggested_kind, kinds), "policy.reference"))
        if topics is not None:
            for i, t in enumerate(c.topics):
                if t not in topics:
                    add(Problem(locate(c, "topics", i), unknown_message("topic", t, topics), "policy.reference"))
            for i, t in enumerate(c.suggested_topics):
                if t not in topics:
                    add(Problem(locate(c, "suggested", "topics", i), unknown_message("topic", t, topics), "policy.reference"))
        if actors is not None:
            for i, a in enumerate(c.actors):
                if a not in actors:
                    add(Problem(locate(c, "actors", i), unknown_message("actor", a, actors), "policy.reference"))
        for i, f in enumerate(c.forms):
            if f not in form_ids:
                names = ", ".join(form_ids) if form_ids else "none"
                add(Problem(locate(c, "forms", i), f"unknown form '{f}' (forms of {g.id}: {names})", "policy.reference"))

    previous = None
    for i, h in enumerate(g.history):
        try:
            date = dates.parse_iso(h.date)
            dates.to_era(h.date)  # refuses dates before the eras
        except ValueError as exc:
            add(Problem(locate(h, "date"), f"history[{i}].date: {exc}", "policy.date"))
            continue
        if previous is not None and date < previous:
            add(
                Problem(
                    locate(h, "date"), f"history[{i}].date: history must be oldest first ({h.date} comes after a later date)", "policy.date"
                )
            )
        previous = date

    if check_ids:
        problems += _duplicate_ids(_clause_and_form_ids(g), locate)
    problems += translation_problems(g, locate)
    problems += bounded_value_problems(g, locate)
    problems += place_problems(g, locate)
    return problems


def place_problems(g: Guideline, locate: Locate) -> list[Problem]:
    """``lg_code`` is a national code (check digit valid), and that of the municipality and
    prefecture the guideline names (municipalities.py, 総務省's list)."""
    if g.lg_code is None:
        return []
    # Located only for a problem: locating a file loaded from the check cache parses it again.
    malformed = municipalities.code_problem(g.lg_code)
    if malformed:
        return [Problem(locate(g, "lg_code"), f"lg_code {malformed}", "policy.lg-code")]
    listed = municipalities.by_code(g.lg_code)
    if listed is None:
        return [
            Problem(
                locate(g, "lg_code"),
                f"lg_code '{g.lg_code}' is no local government's code (総務省, 全国地方公共団体コード)",
                "policy.lg-code",
            )
        ]
    named_key = municipalities.name_key(g.municipality.ja)
    if named_key == municipalities.name_key(listed.name) and municipalities.name_key(g.prefecture.ja) == municipalities.name_key(
        listed.prefecture
    ):
        return []
    named = f"{g.prefecture.ja}{g.municipality.ja}" if g.prefecture.ja != g.municipality.ja else g.municipality.ja
    own = municipalities.named(g.municipality.ja, g.prefecture.ja)
    hint = f"; {named}'s code is {own[0].code}" if len(own) == 1 else ""
    return [
        Problem(locate(g, "lg_code"), f"lg_code '{g.lg_code}' is the code of {listed.full_name}, not of {named}{hint}", "policy.lg-code")
    ]


def _id_problem(what: str, ident: Any, obj: Any, locate: Locate) -> Problem | None:
    if isinstance(ident, str) and len(ident) <= MAX_ID_CHARS and ID.fullmatch(ident):
        return None
    return Problem(
        locate(obj, "id"),
        f"{what} ID {short_repr(ident, 60)} is not a valid ID: lower-case ASCII letters and digits joined by hyphens, "
        f"at most {MAX_ID_CHARS} characters",
        "policy.id",
    )


def bounded_value_problems(g: Guideline, locate: Locate) -> list[Problem]:
    """What must hold whatever the schema says: IDs, scales of bounded size made of
    integers, http(s) URLs."""
    objects: list[tuple[str, Any]] = [("guideline", g), *(("clause", c) for c in g.clauses)]
    for form in g.forms:
        objects.append(("form", form))
        for f in form.fields:
            objects.append(("field", f))
            objects += [("choice", c) for c in f.choices]
    problems = [p for what, obj in objects if (p := _id_problem(what, obj.id, obj, locate)) is not None]
    for form in g.forms:
        for f in form.fields:
            s = f.scale
            if s is None:
                continue
            if not all(type(v) is int for v in (s.min, s.max)):
                problems.append(Problem(locate(s), f"scale: min and max must be integers, not {s.min!r} and {s.max!r}", "policy.value"))
            elif s.min >= s.max:
                problems.append(Problem(locate(s), f"scale: min ({s.min}) must be less than max ({s.max})", "policy.value"))
            elif s.max - s.min + 1 > MAX_SCALE_VALUES:
                problems.append(Problem(locate(s), f"scale: {s.min} to {s.max} has more than {MAX_SCALE_VALUES} values", "policy.value"))
    if g.source_url is not None and not is_http_url(g.source_url):
        problems.append(
            Problem(
                locate(g, "source", "url"),
                f"source.url: {short_repr(g.source_url, 60)} is not an http(s) URL: write the whole address, starting with https:// or http://",
                "policy.value",
            )
        )
    return problems


def _clause_and_form_ids(g: Guideline) -> Iterator[tuple[str, Any]]:
    """(ID, object) of the guideline's clauses, then its forms."""
    yield from ((c.id, c) for c in g.clauses)
    yield from ((f.id, f) for f in g.forms)


def _duplicate_ids(items: Iterable[tuple[str, Any]], locate: Locate, what: str = "ID") -> list[Problem]:
    """Every place of every duplicated ID, each naming the other places."""
    groups: dict[str, list[Any]] = {}
    for ident, obj in items:
        groups.setdefault(ident, []).append(obj)
    problems = []
    for ident, objs in groups.items():
        if len(objs) < 2:
            continue
        places = [locate(obj, "id") for obj in objs]
        for here in places:
            others = ", ".join(str(p) for p in places if p is not here)
            problems.append(Problem(here, f"duplicate {what} '{ident}' (also at {others})", "policy.id"))
    return problems


# --------------------------------------------------------------------------- translations


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    """Names of a model class's fields; empty for anything that is not a dataclass."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else ()
    return names


def _texts(obj: Any) -> Iterator[tuple[Any, tuple, Text]]:
    """(owner object, path inside it, Text) for every Text reachable from obj.

    Paths restart at every dataclass because each is registered with its own mapping.
    """
    if obj.__class__ is Clause:  # the bulk of the data: its three text-bearing fields directly
        if obj.heading is not None:
            yield obj, ("heading",), obj.heading
        if obj.text is not None:
            yield obj, ("text",), obj.text
        for note in obj.notes:
            yield note, ("text",), note.text
        return
    if obj.__class__ is Comparison:  # 1,741 pair files: only the summaries are texts, not the rows
        for ta in obj.topics:
            yield ta, ("summary",), ta.summary
        return
    for name in _fields(type(obj)):
        value = getattr(obj, name)
        cls = value.__class__
        if cls is Text:
            yield obj, (name,), value
        elif cls is tuple:
            for i, item in enumerate(value):
                if item.__class__ is Text:
                    yield obj, (name, i), item
                elif _fields(item.__class__):
                    yield from _texts(item)
        elif _fields(cls):
            yield from _texts(value)


def translation_problems(obj: Any, locate: Locate | None = None) -> list[Problem]:
    """Every Japanese string has a non-blank English one and vice versa."""
    locate = locate or _own_location
    problems = []
    for owner, path, text in _texts(obj):
        # en None is a pending translation (allowed where the schema allows it). Blank means
        # nothing visible: "\u200b" or a Hangul filler is as empty as "".
        if has_visible_text(text.ja) and (text.en is None or has_visible_text(text.en)):
            continue
        for lang, name in (("en", "English"), ("ja", "Japanese")):
            value = getattr(text, lang)
            if value is not None and not has_visible_text(value):
                where = ".".join(map(str, path))
                problems.append(Problem(locate(owner, *path, lang), f"{where}.{lang}: {name} text is empty", "policy.translation"))
    return problems


# --------------------------------------------------------------------------- whole policy


def validate_policy(
    policy: Policy,
    locate: Locate | None = None,
    *,
    complete: Completeness = Completeness(),
    guideline_problems: Callable[[Guideline], list[Problem]] | None = None,
    pair_memo: Callable[[Comparison, Callable[[], list[Problem]]], list[Problem]] | None = None,
    file_memo: Callable[[str, Callable[[], list[Problem]]], list[Problem]] | None = None,
) -> list[Problem]:
    """Every problem of a loaded policy. ``guideline_problems(g)`` stands in for the checks of
    one guideline alone (validate_guideline without check_ids; the loader's may come from a cache);
    ``pair_memo(cmp, compute)`` and ``file_memo(file, compute)`` may return the kept problems of a
    pair file, or of what depends on one file alone, instead of ``compute()``'s."""
    file_memo = file_memo or (lambda file, compute: compute())
    locate = locate or _own_location
    problems: list[Problem] = []
    taxonomy = policy if complete.taxonomy else None
    for g in policy.guidelines:
        if guideline_problems is not None:
            problems += guideline_problems(g)
        else:
            problems += validate_guideline(g, locate, taxonomy, check_ids=False)

    guideline_ids = collections.Counter(g.id for g in policy.guidelines)
    for g in policy.guidelines:
        if guideline_ids[g.id] > 1:
            problems.append(Problem(locate(g, "id"), f"guideline ID '{g.id}' is used by more than one file", "policy.id"))
    # clause and form IDs are unique across every guideline (links and the JSON API use them alone)
    problems += _duplicate_ids((item for g in policy.guidelines for item in _clause_and_form_ids(g)), locate)

    for what, entries in (("topic", policy.topics), ("kind", policy.kinds), ("actor", policy.actors), ("glossary term", policy.glossary)):
        problems += _duplicate_ids(((e.id, e) for e in entries), locate, what=f"{what} ID")
        problems += [p for e in entries if (p := _id_problem(what, e.id, e, locate)) is not None]
    problems += glossary_name_problems(policy, locate)
    for entries in (policy.topics, policy.kinds, policy.actors, policy.glossary):
        for e in entries:
            problems += translation_problems(e, locate)

    if policy.situations is not None:
        problems += file_memo(policy.situations.location.file, lambda: translation_problems(policy.situations, locate))
        if complete.guidelines:
            problems += situation_problems(policy, locate, check_taxonomy=complete.taxonomy)
    if policy.comparison is not None:
        problems += translation_problems(policy.comparison, locate)
        if complete.guidelines:
            problems += comparison_problems(policy, locate, check_topics=complete.taxonomy)
    problems += pair_problems(policy, locate, complete, memo=pair_memo)
    return problems


def pair_problems(policy: Policy, locate: Locate | None = None, complete: Completeness = Completeness(), *, memo=None) -> list[Problem]:
    """policy/comparisons/*.yaml: each one pair of guidelines, no pair judged twice."""
    locate = locate or _own_location
    problems: list[Problem] = []
    seen: dict[frozenset[str], Any] = {}
    guidelines = {g.id: g for g in policy.guidelines}  # once: per pair it would be N²

    def own(cmp: Comparison) -> list[Problem]:
        """The problems of one well-formed pair alone (what check_cache may keep)."""
        found = translation_problems(cmp, locate)
        if complete.guidelines:
            found += comparison_problems(policy, locate, check_topics=complete.taxonomy, comparison=cmp, guidelines=guidelines)
        return found

    for cmp in policy.pairs:
        if cmp.pair is not None and frozenset(cmp.pair) not in seen:
            seen[frozenset(cmp.pair)] = cmp
            problems += memo(cmp, lambda cmp=cmp: own(cmp)) if memo is not None else own(cmp)
            continue
        problems += translation_problems(cmp, locate)
        if cmp.pair is None:
            message = f"a comparison in comparisons/ is of exactly two documents, not {len(cmp.documents)}"
        else:
            message = f"the pair {' and '.join(cmp.pair)} is already compared in {seen[frozenset(cmp.pair)].location.file}"
        problems.append(Problem(locate(cmp, "documents"), message, "policy.comparison"))
    return problems


def comparison_problems(
    policy: Policy,
    locate: Locate | None = None,
    *,
    check_topics: bool = True,
    comparison: Any = None,
    guidelines: dict[str, Guideline] | None = None,
) -> list[Problem]:
    """Problems of ``comparison`` (default: policy/comparison.yaml's)."""
    locate = locate or _own_location
    cmp = comparison if comparison is not None else policy.comparison
    if cmp is None:
        return []
    problems: list[Problem] = []
    add = problems.append
    guidelines = guidelines if guidelines is not None else {g.id: g for g in policy.guidelines}
    documents = [d for d in cmp.documents]
    for i, d in enumerate(documents):
        if d not in guidelines:
            add(Problem(locate(cmp, "documents", i), unknown_message("document", d, guidelines), "policy.reference"))
    topic_ids = {t.id for t in policy.topics}
    first_at: dict[str, Any] = {}
    compared: set[str] = set()
    for ta in cmp.topics:
        if check_topics and ta.topic not in topic_ids:
            add(Problem(locate(ta, "topic"), unknown_message("topic", ta.topic, topic_ids), "policy.reference"))
        if ta.topic in first_at:
            add(
                Problem(
                    locate(ta, "topic"),
                    f"topic '{ta.topic}' appears twice in the comparison (first at line {first_at[ta.topic].location.line})",
                    "policy.comparison",
                )
            )
        else:
            first_at[ta.topic] = ta
        if ta.stricter is not None:
            if ta.relation != "stricter":
                add(
                    Problem(locate(ta, "stricter"), f"'stricter' is only for relation 'stricter', not '{ta.relation}'", "policy.comparison")
                )
            elif ta.stricter not in documents:
                add(
                    Problem(
                        locate(ta, "stricter"),
                        f"stricter: '{ta.stricter}' is not one of the documents ({', '.join(documents)})",
                        "policy.comparison",
                    )
                )
        with_clauses: set[str] = set()
        confirmed = len(ta.rows)
        for position, row in enumerate((*ta.rows, *(r for r, _ in ta.suggested_rows))):
            for doc_id, ids in row.cells:
                if doc_id not in documents:
                    add(
                        Problem(
                            locate(row, doc_id, key=True),
                            f"row names '{doc_id}', which is not in documents ({', '.join(documents)})",
                            "policy.comparison",
                        )
                    )
                    continue
                if ids and position < confirmed:  # the relation is a person's: suggested rows do not count
                    with_clauses.add(doc_id)
                for j, cid in enumerate(ids):
                    clause = policy.clause(cid)
                    compared.add(cid)
                    if clause is None:
                        add(Problem(locate(row, doc_id, j), f"unknown clause '{cid}'", "policy.reference"))
                    elif clause.document != doc_id:
                        add(
                            Problem(
                                locate(row, doc_id, j),
                                f"clause '{cid}' belongs to {clause.document}, not {doc_id}",
                                "policy.comparison",
                            )
                        )
        if ta.relation == "only" and len(with_clauses) != 1:
            add(
                Problem(
                    locate(ta, "relation"),
                    f"relation 'only' needs clauses of exactly one document, topic '{ta.topic}' has {len(with_clauses)}",
                    "policy.comparison",
                )
            )
        elif ta.relation != "only" and len(with_clauses) == 1:
            (only,) = with_clauses
            add(
                Problem(
                    locate(ta, "relation"),
                    f"only {only} has clauses in topic '{ta.topic}': use relation 'only'",
                    "policy.comparison",
                )
            )

    # coverage: every clause with text of every compared guideline is in some row
    for d in documents:
        g = guidelines.get(d)
        if g is None:
            continue
        for c in g.clauses:
            if c.text is not None and c.id not in compared:
                add(
                    Problem(
                        locate(c),
                        f"clause {c.id} is not in the comparison: add it to a topic's rows (alone if it has no counterpart)",
                        "policy.coverage",
                    )
                )
    if check_topics:
        in_comparison = {ta.topic for ta in cmp.topics}
        reported: set[str] = set()
        for d in documents:
            g = guidelines.get(d)
            for c in g.clauses if g else ():
                for i, t in enumerate(c.topics):
                    if t in topic_ids and t not in in_comparison and t not in reported:
                        reported.add(t)
                        add(
                            Problem(
                                locate(c, "topics", i),
                                f"topic '{t}' is used by clause {c.id} but is not in the comparison",
                                "policy.coverage",
                            )
                        )
    return problems


def glossary_name_problems(policy: Policy, locate: Locate | None = None) -> list[Problem]:
    """Each name of a glossary term (Japanese, English, variants) belongs to one entry only:
    the site makes every name a link target, and Sphinx refuses a name twice (case-insensitively
    for links), which would otherwise fail `make html` far from the YAML line."""
    locate = locate or _own_location
    owner: dict[str, Any] = {}
    problems = []
    for term in policy.glossary:
        # (path of the value in the entry's mapping, name); a clash is reported at the term or variant
        names: list[tuple[tuple, str]] = [(("term",), term.term.ja), (("term",), term.term.get("en"))]
        names += [(("variants", i), v) for i, v in enumerate(term.variants)]
        mine: set[str] = set()
        for path, name in names:
            key = name.strip().casefold()
            first = owner.get(key)
            if first is not None and first is not term:
                problems.append(
                    Problem(
                        locate(term, *path),
                        f"{short_repr(name, 60)} is already a term of the glossary ({first.id}, line {first.location.line}): "
                        "merge the two entries or make it a variant of one",
                        "policy.glossary",
                    )
                )
                break
            mine.add(key)
        for key in mine:
            owner.setdefault(key, term)
    return problems


# --------------------------------------------------------------------------- warnings


def policy_warnings(policy: Policy, locate: Locate | None = None, policy_dir: Path | None = None) -> list[Problem]:
    """Warnings of a policy that loads: the content checks of checks/ (modality, terminology
    over every bilingual string, comparison coverage by topic, provenance against policy_dir's sources)."""
    from .checks import content_warnings

    return content_warnings(policy, locate or _own_location, policy_dir)
