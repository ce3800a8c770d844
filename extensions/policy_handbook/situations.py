"""Situation guides ("こんなときは"): the model of policy/situations.yaml (its checks: situation_checks.py).

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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import Location, Text

if TYPE_CHECKING:  # pragma: no cover
    from .model import Clause, Guideline

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
                Text.of(raw.get("note")),
            ),
            raw,
        )

    def guide(raw: dict) -> Guide:
        omitted = tuple(register(Omission(o["clause"], Text.of(o["reason"]), locate(o)), o) for o in raw.get("omitted", ()))
        return register(
            Guide(
                raw["document"],
                tuple(step(s) for s in raw.get("steps", ())),
                tuple(raw.get("avoid", ())),
                omitted,
                Text.of(raw.get("note")),
                locate(raw),
                tuple(register(Unaddressed(tuple(u["roles"]), Text.of(u["reason"]), locate(u)), u) for u in raw.get("unaddressed", ())),
            ),
            raw,
        )

    situations = tuple(
        register(
            Situation(
                s["id"],
                Text.of(s["title"]),
                Text.of(s.get("search_terms")),
                tuple(s["topics"]),
                tuple(guide(g) for g in s["guides"]),
                locate(s),
            ),
            s,
        )
        for s in data["situations"]
    )
    roles = tuple(register(Role(r["id"], Text.of(r["label"]), tuple(r["actors"]), locate(r)), r) for r in data.get("roles", ()))
    contacts_raw = data.get("contacts", {})
    contacts = tuple(ContactOwner(doc, actor, locate(contacts_raw)) for doc, actor in contacts_raw.items())
    applies_to = tuple(
        register(Scope(a["document"], tuple(a["actors"]), Text.of(a["reason"]), locate(a)), a) for a in data.get("applies_to", ())
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


# --------------------------------------------------------------------------- queries


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
