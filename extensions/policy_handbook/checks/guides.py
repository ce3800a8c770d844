"""Situation guides that never mislead: what `make check` warns about in situations.yaml.

- ``policy.guides.occurrence``: a step whose clause (or the section its heading
  opens) carries an occurrence topic (flaming, impersonation…) that the situation
  lacks, or whose topics do not meet the situation's, needs a note (the step's or
  the guide's) or goes to ``omitted``: 筑後 6(2)・2 (炎上状態になった場合) shown
  for an ordinary mistake told readers to apologise.
- ``policy.guides.actors``: the same clause cited in several guides has the same
  actors; every role the guideline's scope covers (``applies_to``) gets at least
  one step on each of the guideline's guides, or the guide says why
  (``unaddressed``): no "nothing here names this role" for someone who must act.
- ``policy.guides.gap``: a guide with no step on its situation's main topic, or on
  a topic the comparison gives to another city only, has a handbook note and the
  guideline's clause on matters it does not cover.
- ``policy.guides.citation``: no two clauses of one guide are cited alike (the
  paragraph is added where they share a number; this says when that is not enough).

The guides render with the same functions (situations.step_concerns,
citations.shown_citations), so these warnings describe the site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..citations import shown_citations
from ..errors import Problem
from ..model import Clause, Policy
from ..situations import Guide, Situation, Situations, step_concerns

Locate = Callable[..., Any]


def guide_warnings(policy: Policy, locate: Locate) -> list[Problem]:
    data = policy.situations
    if data is None:
        return []
    out: list[Problem] = []
    only = _only_topics(policy)
    first_actors: dict[str, tuple[tuple[str, ...], Any]] = {}  # clause -> (actors, step) first cited
    for situation in data.situations:
        for guide in situation.guides:
            if policy.guideline(guide.document) is None:
                continue  # an unknown guideline is an error already
            out += _occurrence(policy, data, situation, guide, locate)
            if guide.steps or guide.avoid:  # a guide only of omissions is not written: the site says so
                out += _roles(policy, data, situation, guide, locate)
                out += _gaps(policy, data, situation, guide, only, locate)
            out += _citations(policy, guide, locate)
            for step in guide.steps:
                actors = (*(("(everyone)",) if step.for_everyone else ()), *sorted(step.actors))
                first = first_actors.setdefault(step.clause, (actors, step))
                if first[0] != actors:
                    out.append(
                        Problem(
                            locate(step, "clause"),
                            f"{step.clause} is cited with actors {_actors(actors)} here but {_actors(first[0])} at "
                            f"{locate(first[1], 'clause')}: one clause, one reading of who acts",
                            "policy.guides.actors",
                        )
                    )
    return out


def _actors(actors: tuple[str, ...]) -> str:
    return "[" + ", ".join(actors) + "]" if actors else "[]"


def _headed_section(policy: Policy, clause: Clause) -> Clause | None:
    """The nearest enclosing clause with a heading: the section the clause is read under."""
    parent = policy.clause(clause.parent) if clause.parent else None
    while parent is not None and parent.heading is None:
        parent = policy.clause(parent.parent) if parent.parent else None
    return parent


def _occurrence(policy: Policy, data: Situations, situation: Situation, guide: Guide, locate: Locate) -> list[Problem]:
    out = []
    wanted = set(situation.topics)
    occurrences = set(data.occurrence_topics)
    for step in guide.steps:
        clause = policy.clause(step.clause)
        if clause is None or step.note is not None:
            continue
        section = _headed_section(policy, clause)
        carried = set(clause.topics) | (set(section.topics) if section is not None else set())
        foreign = sorted((carried & occurrences) - wanted)
        if foreign:
            where = f"its section {section.number}" if section is not None and not set(clause.topics) & set(foreign) else "it"
            message = (
                f"{clause.id} ({clause.number}) is a step of '{situation.id}', but {where} is about "
                f"{', '.join(foreign)}, which this situation is not: move it to omitted with a reason, or give the step a note"
            )
        elif wanted.isdisjoint(clause.topics) and guide.note is None:
            message = (
                f"{clause.id} ({clause.number}) is a step of '{situation.id}', but its topics "
                f"({', '.join(clause.topics) or 'none'}) are not the situation's ({', '.join(situation.topics)}): "
                "say why in a note on the step (or the guide), or move it to omitted"
            )
        else:
            continue
        out.append(Problem(locate(step, "clause"), message, "policy.guides.occurrence"))
    return out


def _roles(policy: Policy, data: Situations, situation: Situation, guide: Guide, locate: Locate) -> list[Problem]:
    out = []
    for role in data.covered_roles(guide.document):
        if guide.unaddressed_reason(role.id) is not None:
            continue
        if any(step_concerns(s, policy.clause(s.clause), role, True) for s in guide.steps):
            continue
        out.append(
            Problem(
                locate(guide, "document"),
                f"'{situation.id}' ({guide.document}): no step is for the role '{role.id}', though "
                f"{guide.document}'s scope covers it (applies_to): the filter would say nothing here names it. "
                "Say who acts on the steps, or list the role under unaddressed with a reason",
                "policy.guides.actors",
            )
        )
    return out


def _only_topics(policy: Policy) -> dict[str, set[str]]:
    """Topic -> the guidelines with clauses in its rows, for topics whose relation is `only`."""
    out: dict[str, set[str]] = {}
    if policy.comparison is None:
        return out
    for ta in policy.comparison.topics:
        if ta.relation == "only":
            out[ta.topic] = {doc for row in ta.rows for doc, ids in row.cells if ids}
    return out


def _gaps(policy: Policy, data: Situations, situation: Situation, guide: Guide, only: dict[str, set[str]], locate: Locate) -> list[Problem]:
    main = situation.topics[0]
    steps = [c for s in guide.steps if (c := policy.clause(s.clause)) is not None]
    reasons = []
    if not any(main in c.topics for c in steps):
        reasons.append(f"no step is on its main topic, {main}")
    for topic in situation.topics:
        if topic in only and guide.document not in only[topic]:
            reasons.append(f"the comparison gives {topic} to {', '.join(sorted(only[topic]))} only")
    if not reasons:
        return []
    missing = []
    if guide.note is None:
        missing.append("a handbook note saying so")
    fallback = data.not_covered_clause(guide.document)
    if fallback is not None and fallback not in (s.clause for s in guide.steps):
        missing.append(f"the clause on matters the guideline does not cover ({fallback}) as a step")
    if not missing:
        return []
    return [
        Problem(
            locate(guide, "document"),
            f"'{situation.id}' ({guide.document}): {'; '.join(reasons)}, so the guide needs {' and '.join(missing)}",
            "policy.guides.gap",
        )
    ]


def _citations(policy: Policy, guide: Guide, locate: Locate) -> list[Problem]:
    ids = [*guide.clause_ids(), *(o.clause for o in guide.omitted)]
    out = []
    for lang in ("ja", "en"):
        seen: dict[str, str] = {}
        for clause_id, text in shown_citations(policy, ids, lang, "前文" if lang == "ja" else "Preamble").items():
            if text in seen:
                out.append(
                    Problem(
                        locate(guide, "document"),
                        f'{clause_id} and {seen[text]} are both cited as "{text}" ({lang}) on one guide',
                        "policy.guides.citation",
                    )
                )
            seen.setdefault(text, clause_id)
    return out
