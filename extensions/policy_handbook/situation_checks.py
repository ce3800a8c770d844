"""The checks of policy/situations.yaml that make `make check` fail (errors, not warnings):
cited clauses exist and belong to their guide's guideline, actors, topics and roles are
known, and every procedure or duty clause of a situation's topics is in its guide or
left out with a reason. The model is situations.py; the content warnings about guides
that mislead are checks/guides.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import Problem, unknown_message
from .situations import Guide, Role, Situation, _uncovered, action_clauses

if TYPE_CHECKING:  # pragma: no cover
    from .model import Clause, Location, Policy


Locate = Callable[..., "Location | None"]


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
                add(Problem(locate(obj, field, i), unknown_message("actor", a, actors), "policy.reference"))

    seen_roles: dict[str, Role] = {}
    for role in data.roles:
        if role.id in seen_roles:
            add(
                Problem(
                    locate(role, "id"), f"duplicate role ID '{role.id}' (also at line {seen_roles[role.id].location.line})", "policy.id"
                )
            )
        seen_roles.setdefault(role.id, role)
        actor_ok(role, "actors", role.actors)

    for owner in data.contacts:
        g = documents.get(owner.document)
        if g is None:
            add(
                Problem(
                    locate(data, "contacts", owner.document, key=True),
                    unknown_message("guideline", owner.document, documents),
                    "policy.reference",
                )
            )
        elif g.contact is None:
            add(
                Problem(
                    locate(data, "contacts", owner.document),
                    f"guideline {g.id} has no contact block for {owner.actor} to own",
                    "policy.reference",
                )
            )
        if check_taxonomy and owner.actor not in actors:
            add(Problem(locate(data, "contacts", owner.document), unknown_message("actor", owner.actor, actors), "policy.reference"))

    for scope in data.applies_to:
        if scope.document not in documents:
            add(Problem(locate(scope, "document"), unknown_message("guideline", scope.document, documents), "policy.reference"))
        actor_ok(scope, "actors", scope.actors)
    for document, clause_id in data.not_covered:
        clause = policy.clause(clause_id)
        if document not in documents:
            add(
                Problem(
                    locate(data, "not_covered", document, key=True), unknown_message("guideline", document, documents), "policy.reference"
                )
            )
        elif clause is None or clause.document != document:
            add(Problem(locate(data, "not_covered", document), f"'{clause_id}' is not a clause of {document}", "policy.reference"))
    if check_taxonomy:
        for i, t in enumerate(data.occurrence_topics):
            if t not in topics:
                add(Problem(locate(data, "occurrence_topics", i), unknown_message("topic", t, topics), "policy.reference"))

    seen: dict[str, Situation] = {}
    for situation in data.situations:
        if situation.id in seen:
            first = seen[situation.id].location.line
            add(Problem(locate(situation, "id"), f"duplicate situation ID '{situation.id}' (also at line {first})", "policy.id"))
        seen.setdefault(situation.id, situation)
        if check_taxonomy:
            for i, t in enumerate(situation.topics):
                if t not in topics:
                    add(Problem(locate(situation, "topics", i), unknown_message("topic", t, topics), "policy.reference"))
        guided: set[str] = set()
        for guide in situation.guides:
            g = documents.get(guide.document)
            if g is None:
                add(Problem(locate(guide, "document"), unknown_message("guideline", guide.document, documents), "policy.reference"))
                continue
            if guide.document in guided:
                add(
                    Problem(
                        locate(guide, "document"), f"situation '{situation.id}' has two guides for {guide.document}", "policy.situations"
                    )
                )
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
            add(
                Problem(locate(obj, *path), f"clause '{clause_id}' belongs to {clause.document}, not {guide.document}", "policy.situations")
            )
        elif clause.text is None:
            add(Problem(locate(obj, *path), f"clause '{clause_id}' has no text to quote: cite its sub-clauses", "policy.situations"))
        if clause_id in places:
            first_obj, first_path = places[clause_id]
            add(
                Problem(
                    locate(obj, *path),
                    f"clause '{clause_id}' is cited twice in this guide (first at {locate(first_obj, *first_path)})",
                    "policy.situations",
                )
            )
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
    assert policy.situations is not None  # the guide is one of its situations
    roles = {r.id for r in policy.situations.roles}
    for u in guide.unaddressed:
        for i, role_id in enumerate(u.roles):
            if role_id not in roles:
                add(Problem(locate(u, "roles", i), unknown_message("role", role_id, roles), "policy.reference"))

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
