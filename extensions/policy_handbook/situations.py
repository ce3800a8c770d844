"""Situation guides ("こんなときは"): the model of policy/situations.yaml and its checks.

A situation (the account was hijacked, a post is being flamed…) lists, per
guideline, the clauses to act on in the site's order (``steps``: who does it,
whom to contact), the prohibitions that apply (``avoid``) and the clauses of its
topics deliberately left out (``omitted``, each with a reason). The clause texts
themselves are never copied here: the guides quote them from the guidelines.

``roles`` group actors for the "what applies to me" filter; ``contacts`` says
which actor a guideline's ``contact`` block (phone, extension) belongs to.

Free of Sphinx, like the rest of the core. Nothing here counts municipalities:
a new guideline's clauses go into the data, and the coverage check lists what
is still missing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .model import Location, Text

if TYPE_CHECKING:  # pragma: no cover
    from .model import Clause, Guideline, Policy

# Kinds of clause a guide must account for: what someone has to do.
ACTION_KINDS = ("procedure", "duty")


@dataclass(frozen=True, slots=True)
class Step:
    clause: str
    actors: tuple[str, ...]  # who does it; none: everyone in the guideline's scope
    contacts: tuple[str, ...]  # whom to tell or ask
    location: Location
    everyone: bool = False  # also everyone the guideline applies to, besides ``actors``
    note: Text | None = None  # the handbook's remark (why the step is here, or that it is advice)

    @property
    def for_everyone(self) -> bool:
        """Addressed to everyone the guideline applies to (a clause that names no one)."""
        return self.everyone or not self.actors


@dataclass(frozen=True, slots=True)
class Omission:
    clause: str
    reason: Text
    location: Location


@dataclass(frozen=True, slots=True)
class Unaddressed:
    """Roles in the guideline's scope that nothing on a guide is addressed to, and why."""

    roles: tuple[str, ...]
    reason: Text
    location: Location


@dataclass(frozen=True, slots=True)
class Guide:
    """One guideline's part of a situation."""

    document: str
    steps: tuple[Step, ...]
    avoid: tuple[str, ...]
    omitted: tuple[Omission, ...]
    note: Text | None  # the site's remark (e.g. "this guideline has no clause on it")
    location: Location
    unaddressed: tuple[Unaddressed, ...] = ()

    def unaddressed_reason(self, role_id: str) -> Text | None:
        return next((u.reason for u in self.unaddressed if role_id in u.roles), None)

    def clause_ids(self) -> tuple[str, ...]:
        """Every clause the guide shows, steps first, in its order."""
        return (*(s.clause for s in self.steps), *self.avoid)


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    title: Text
    search_terms: Text | None  # extra words readers search with (乗っ取られた, hijacked)
    topics: tuple[str, ...]
    guides: tuple[Guide, ...]
    location: Location

    def guide(self, document: str) -> Guide | None:
        return next((g for g in self.guides if g.document == document), None)


@dataclass(frozen=True, slots=True)
class Role:
    """A reader's role in the "what applies to me" filter: a group of actors."""

    id: str
    label: Text
    actors: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Scope:
    """Whom a guideline applies to, as actors (the handbook's reading of its scope clause)."""

    document: str
    actors: tuple[str, ...]
    reason: Text
    location: Location


@dataclass(frozen=True, slots=True)
class ContactOwner:
    document: str
    actor: str
    location: Location


@dataclass(frozen=True, slots=True)
class Situations:
    roles: tuple[Role, ...]
    contacts: tuple[ContactOwner, ...]
    situations: tuple[Situation, ...]
    location: Location
    applies_to: tuple[Scope, ...] = ()
    not_covered: tuple[tuple[str, str], ...] = ()  # (guideline ID, its clause on matters not covered)
    occurrence_topics: tuple[str, ...] = ()

    def scope(self, document: str) -> tuple[str, ...]:
        """The actors the guideline applies to (empty: not declared)."""
        return next((s.actors for s in self.applies_to if s.document == document), ())

    def covered_roles(self, document: str) -> list[Role]:
        """The roles with an actor the guideline applies to: steps for everyone concern them."""
        scope = set(self.scope(document))
        return [r for r in self.roles if scope.intersection(r.actors)]

    def not_covered_clause(self, document: str) -> str | None:
        return next((c for d, c in self.not_covered if d == document), None)

    def situation(self, situation_id: str) -> Situation | None:
        return next((s for s in self.situations if s.id == situation_id), None)

    def contact_actor(self, document: str) -> str | None:
        return next((c.actor for c in self.contacts if c.document == document), None)


# --------------------------------------------------------------------------- building


def _text(raw: dict | None) -> Text | None:
    return None if raw is None else Text(raw["ja"], raw["en"])


def build(data: dict, locate: Callable[[Any], Location], register: Callable[[Any, Any], Any]) -> Situations:
    """The model of a schema-checked situations file. ``locate(raw)`` gives a raw
    mapping's location; ``register(obj, raw)`` lets problems point inside it."""

    def step(raw: dict) -> Step:
        return register(
            Step(
                raw["clause"],
                tuple(raw.get("actors", ())),
                tuple(raw.get("contacts", ())),
                locate(raw),
                bool(raw.get("everyone", False)),
                _text(raw.get("note")),
            ),
            raw,
        )

    def guide(raw: dict) -> Guide:
        omitted = tuple(
            register(Omission(o["clause"], _text(o["reason"]), locate(o)), o) for o in raw.get("omitted", ())
        )
        return register(
            Guide(
                raw["document"],
                tuple(step(s) for s in raw.get("steps", ())),
                tuple(raw.get("avoid", ())),
                omitted,
                _text(raw.get("note")),
                locate(raw),
                tuple(
                    register(Unaddressed(tuple(u["roles"]), _text(u["reason"]), locate(u)), u)
                    for u in raw.get("unaddressed", ())
                ),
            ),
            raw,
        )

    situations = tuple(
        register(
            Situation(
                s["id"],
                _text(s["title"]),
                _text(s.get("search_terms")),
                tuple(s["topics"]),
                tuple(guide(g) for g in s["guides"]),
                locate(s),
            ),
            s,
        )
        for s in data["situations"]
    )
    roles = tuple(
        register(Role(r["id"], _text(r["label"]), tuple(r["actors"]), locate(r)), r) for r in data.get("roles", ())
    )
    contacts_raw = data.get("contacts", {})
    contacts = tuple(ContactOwner(doc, actor, locate(contacts_raw)) for doc, actor in contacts_raw.items())
    applies_to = tuple(
        register(Scope(a["document"], tuple(a["actors"]), _text(a["reason"]), locate(a)), a)
        for a in data.get("applies_to", ())
    )
    not_covered = tuple(data.get("not_covered", {}).items())
    return register(
        Situations(
            roles,
            contacts,
            situations,
            Location(locate(data).file, 1, 1),
            applies_to,
            not_covered,
            tuple(data.get("occurrence_topics", ())),
        ),
        data,
    )


# --------------------------------------------------------------------------- checks

Locate = Callable[..., "Location | None"]


def _known(kind: str, value: str, known: Iterable[str]) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=1)
    return f"unknown {kind} '{value}'" + (f": did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})")


def situation_problems(policy: Policy, locate: Locate, *, check_taxonomy: bool = True) -> list[Problem]:
    """Cited clauses exist and belong to their guide's guideline, actors and topics
    are known, and every procedure or duty clause of a situation's topics is in its
    guide (a step or a prohibition to avoid) or left out with a reason."""
    data = policy.situations
    if data is None:
        return []
    problems: list[Problem] = []
    add = problems.append
    actors = {a.id for a in policy.actors}
    topics = {t.id for t in policy.topics}
    documents = {g.id: g for g in policy.guidelines}
    # Each guideline's action clauses and their topics, once: every situation asks every guideline.
    actions = {g.id: action_clauses(g) for g in policy.guidelines}
    action_topics = {g_id: {t for c in clauses for t in c.topics} for g_id, clauses in actions.items()}

    def actor_ok(obj: Any, field: str, ids: tuple[str, ...]) -> None:
        if not check_taxonomy:
            return
        for i, a in enumerate(ids):
            if a not in actors:
                add(Problem(locate(obj, field, i), _known("actor", a, actors), "policy.reference"))

    seen_roles: dict[str, Role] = {}
    for role in data.roles:
        if role.id in seen_roles:
            add(Problem(locate(role, "id"), f"duplicate role ID '{role.id}' (also at line {seen_roles[role.id].location.line})", "policy.id"))
        seen_roles.setdefault(role.id, role)
        actor_ok(role, "actors", role.actors)

    for owner in data.contacts:
        g = documents.get(owner.document)
        if g is None:
            add(Problem(locate(data, "contacts", owner.document, key=True), _known("guideline", owner.document, documents), "policy.reference"))
        elif g.contact is None:
            add(Problem(locate(data, "contacts", owner.document), f"guideline {g.id} has no contact block for {owner.actor} to own", "policy.reference"))
        if check_taxonomy and owner.actor not in actors:
            add(Problem(locate(data, "contacts", owner.document), _known("actor", owner.actor, actors), "policy.reference"))

    for scope in data.applies_to:
        if scope.document not in documents:
            add(Problem(locate(scope, "document"), _known("guideline", scope.document, documents), "policy.reference"))
        actor_ok(scope, "actors", scope.actors)
    for document, clause_id in data.not_covered:
        clause = policy.clause(clause_id)
        if document not in documents:
            add(Problem(locate(data, "not_covered", document, key=True), _known("guideline", document, documents), "policy.reference"))
        elif clause is None or clause.document != document:
            add(Problem(locate(data, "not_covered", document), f"'{clause_id}' is not a clause of {document}", "policy.reference"))
    if check_taxonomy:
        for i, t in enumerate(data.occurrence_topics):
            if t not in topics:
                add(Problem(locate(data, "occurrence_topics", i), _known("topic", t, topics), "policy.reference"))

    seen: dict[str, Situation] = {}
    for situation in data.situations:
        if situation.id in seen:
            first = seen[situation.id].location.line
            add(Problem(locate(situation, "id"), f"duplicate situation ID '{situation.id}' (also at line {first})", "policy.id"))
        seen.setdefault(situation.id, situation)
        if check_taxonomy:
            for i, t in enumerate(situation.topics):
                if t not in topics:
                    add(Problem(locate(situation, "topics", i), _known("topic", t, topics), "policy.reference"))
        guided: set[str] = set()
        for gi, guide in enumerate(situation.guides):
            g = documents.get(guide.document)
            if g is None:
                add(Problem(locate(guide, "document"), _known("guideline", guide.document, documents), "policy.reference"))
                continue
            if guide.document in guided:
                add(Problem(locate(guide, "document"), f"situation '{situation.id}' has two guides for {guide.document}", "policy.situations"))
            guided.add(guide.document)
            problems.extend(_guide_problems(policy, situation, guide, actions[g.id], locate, actor_ok))
        for g in policy.guidelines:
            if g.id in guided or action_topics[g.id].isdisjoint(situation.topics):
                continue
            missing = _uncovered(situation, actions[g.id], set())
            if missing:
                add(
                    Problem(
                        locate(situation, "guides"),
                        f"situation '{situation.id}' has no guide for {g.id}, whose clauses "
                        f"{', '.join(c.id for c in missing)} are about its topics: add a guide "
                        "with them as steps, or in omitted with a reason",
                        "policy.coverage",
                    )
                )
    return problems


def action_clauses(guideline: Guideline) -> list[Clause]:
    """The clauses a situation guide must account for: with text, of a kind in ACTION_KINDS."""
    return [c for c in guideline.clauses if c.text is not None and c.kind in ACTION_KINDS]


def uncovered(situation: Situation, guideline: Guideline) -> list[Clause]:
    """The guideline's action clauses on the situation's topics (what a guide for it must cite or omit)."""
    return _uncovered(situation, action_clauses(guideline), set())


def _uncovered(situation: Situation, actions: list[Clause], accounted: set[str]) -> list[Clause]:
    """The action clauses (text, kind in ACTION_KINDS) on the situation's topics not accounted for."""
    wanted = set(situation.topics)
    return [c for c in actions if wanted.intersection(c.topics) and c.id not in accounted]


def _guide_problems(
    policy: Policy, situation: Situation, guide: Guide, actions: list[Clause], locate: Locate, actor_ok: Callable
) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    places: dict[str, tuple] = {}  # clause ID -> (object, path) where the guide first cites it

    def cite(obj: Any, path: tuple, clause_id: str) -> None:
        # Located only for a problem: a location may cost a parse (check_cache, loader.Sources).
        clause = policy.clause(clause_id)
        if clause is None:
            add(Problem(locate(obj, *path), f"unknown clause '{clause_id}'", "policy.reference"))
        elif clause.document != guide.document:
            add(Problem(locate(obj, *path), f"clause '{clause_id}' belongs to {clause.document}, not {guide.document}", "policy.situations"))
        elif clause.text is None:
            add(Problem(locate(obj, *path), f"clause '{clause_id}' has no text to quote: cite its sub-clauses", "policy.situations"))
        if clause_id in places:
            first_obj, first_path = places[clause_id]
            add(Problem(locate(obj, *path), f"clause '{clause_id}' is cited twice in this guide (first at {locate(first_obj, *first_path)})", "policy.situations"))
        else:
            places[clause_id] = (obj, path)

    for step in guide.steps:
        cite(step, ("clause",), step.clause)
        actor_ok(step, "actors", step.actors)
        actor_ok(step, "contacts", step.contacts)
    for i, clause_id in enumerate(guide.avoid):
        cite(guide, ("avoid", i), clause_id)
    for omission in guide.omitted:
        cite(omission, ("clause",), omission.clause)
    roles = {r.id for r in policy.situations.roles}
    for u in guide.unaddressed:
        for i, role_id in enumerate(u.roles):
            if role_id not in roles:
                add(Problem(locate(u, "roles", i), _known("role", role_id, roles), "policy.reference"))

    for c in _uncovered(situation, actions, set(places)):
        add(
            Problem(
                locate(guide, "document"),
                f"{c.kind} clause {c.id} ({c.number}) is about this situation's topics "
                f"({', '.join(t for t in c.topics if t in situation.topics)}) but is not in the "
                f"{guide.document} guide of '{situation.id}': add it as a step, or to omitted with a reason",
                "policy.coverage",
            )
        )
    return problems


# --------------------------------------------------------------------------- queries for renderers


def role_clauses(role: Role, clauses: Iterable[Clause]) -> list[Clause]:
    """The clauses (with text) that name one of the role's actors."""
    wanted = set(role.actors)
    return [c for c in clauses if c.text is not None and wanted.intersection(c.actors)]


def step_concerns(step: Step, clause: Clause | None, role: Role, covered: bool) -> bool:
    """Whether "what applies to me" shows the step to the role: it names one of the role's
    actors, or it is addressed to everyone the guideline applies to and the role is among them
    (``covered``: Situations.covered_roles)."""
    return (covered and step.for_everyone) or bool(set(role.actors).intersection(step_actors(step, clause)))


def step_actors(step: Step, clause: Clause | None) -> tuple[str, ...]:
    """Everyone a step concerns, for the role filter: its doers, contacts and the clause's actors."""
    seen: dict[str, None] = {}
    for a in (*step.actors, *step.contacts, *(clause.actors if clause else ())):
        seen.setdefault(a, None)
    return tuple(seen)
