"""Every bilingual string of a policy, with what it is, where it is and who owns it.

The checks walk the model rather than the YAML so that they see exactly what
the site and the JSON show. ``owner`` and ``path`` are what ``locate`` takes;
``notes`` are the notes that may waive a check for the string (its clause's or
form field's own notes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Clause, Form, FormField, Guideline, Note, Policy, Text


@dataclass(frozen=True)
class Bilingual:
    where: str  # for messages: "chikugo-5-3 text", "glossary term staff definition"
    owner: Any
    path: tuple
    text: Text
    notes: tuple[Note, ...] = ()


def waived(notes: tuple[Note, ...], check: str) -> bool:
    return any(check in n.waives for n in notes)


def clause_strings(clause: Clause) -> Iterator[Bilingual]:
    if clause.heading is not None:
        yield Bilingual(f"{clause.id} heading", clause, ("heading",), clause.heading, clause.notes)
    if clause.text is not None:
        yield Bilingual(f"{clause.id} text", clause, ("text",), clause.text, clause.notes)
    for i, note in enumerate(clause.notes, 1):
        yield Bilingual(f"{clause.id} note {i}", note, ("text",), note.text, clause.notes)


def _editorial(where: str, owner: Any) -> Iterator[Bilingual]:
    for e in owner.editorial:
        yield Bilingual(f"{where} editorial {e.field}", e, (), e.reason)


def field_strings(form: Form, f: FormField) -> Iterator[Bilingual]:
    where = f"{form.id} field {f.id}"
    yield Bilingual(f"{where} label", f, ("label",), f.label, f.notes)
    if f.hint is not None:
        yield Bilingual(f"{where} hint", f, ("hint",), f.hint, f.notes)
    for c in f.choices:
        yield Bilingual(f"{where} choice {c.id}", c, ("label",), c.label, f.notes)
    if f.scale is not None:
        yield Bilingual(f"{where} scale min_label", f.scale, ("min_label",), f.scale.min_label, f.notes)
        yield Bilingual(f"{where} scale max_label", f.scale, ("max_label",), f.scale.max_label, f.notes)
    for i, note in enumerate(f.notes, 1):
        yield Bilingual(f"{where} note {i}", note, ("text",), note.text, f.notes)
    yield from _editorial(where, f)


def form_strings(form: Form) -> Iterator[Bilingual]:
    for name in ("label", "title", "addressee"):
        value = getattr(form, name)
        if value is not None:
            yield Bilingual(f"{form.id} {name}", form, (name,), value)
    for i, sentence in enumerate(form.statement):
        yield Bilingual(f"{form.id} statement {i + 1}", form, ("statement", i), sentence)
    for f in form.fields:
        yield from field_strings(form, f)
    yield from _editorial(form.id, form)


def guideline_strings(g: Guideline) -> Iterator[Bilingual]:
    for name in ("municipality", "prefecture", "title", "department", "scope"):
        if getattr(g, name) is not None:  # department and scope: absent in an imported draft
            yield Bilingual(f"{g.id} {name}", g, (name,), getattr(g, name))
    if g.contact is not None:
        yield Bilingual(f"{g.id} contact department", g.contact, ("department",), g.contact.department)
        if g.contact.unit is not None:
            yield Bilingual(f"{g.id} contact unit", g.contact, ("unit",), g.contact.unit)
    yield from _editorial(g.id, g)
    for clause in g.clauses:
        yield from clause_strings(clause)
    for form in g.forms:
        yield from form_strings(form)


def situation_strings(policy: Policy) -> Iterator[Bilingual]:
    """What the situation guides show from situations.yaml: titles, role names, notes, reasons."""
    data = policy.situations
    if data is None:
        return
    for role in data.roles:
        yield Bilingual(f"role {role.id} label", role, ("label",), role.label)
    for scope in data.applies_to:
        yield Bilingual(f"applies_to {scope.document} reason", scope, ("reason",), scope.reason)
    for situation in data.situations:
        where = f"situation {situation.id}"
        yield Bilingual(f"{where} title", situation, ("title",), situation.title)
        for guide in situation.guides:
            here = f"{where} ({guide.document})"
            if guide.note is not None:
                yield Bilingual(f"{here} note", guide, ("note",), guide.note)
            for step in guide.steps:
                if step.note is not None:
                    yield Bilingual(f"{here} step {step.clause} note", step, ("note",), step.note)
            for o in guide.omitted:
                yield Bilingual(f"{here} omitted {o.clause} reason", o, ("reason",), o.reason)
            for u in guide.unaddressed:
                yield Bilingual(f"{here} unaddressed reason", u, ("reason",), u.reason)


def shared_strings(policy: Policy) -> Iterator[Bilingual]:
    """The strings outside the guidelines: taxonomy, glossary, comparison, situation guides."""
    for what, entries in (("topic", policy.topics), ("kind", policy.kinds), ("actor", policy.actors)):
        for e in entries:
            yield Bilingual(f"{what} {e.id} label", e, ("label",), e.label)
            if e.description is not None:
                yield Bilingual(f"{what} {e.id} description", e, ("description",), e.description)
    for term in policy.glossary:
        yield Bilingual(f"glossary term {term.id} definition", term, ("definition",), term.definition)
    if policy.comparison is not None:
        for ta in policy.comparison.topics:
            yield Bilingual(f"comparison {ta.topic} summary", ta, ("summary",), ta.summary)
            for x in ta.excluded:
                yield Bilingual(f"comparison {ta.topic} excluded {x.clause}", x, ("reason",), x.reason)
    yield from situation_strings(policy)
