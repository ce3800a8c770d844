"""Situation guides, their list, and the "what applies to me" role filter.

A guide shows, for every guideline side by side, the steps of the situation in
the handbook's order, each quoting its clause (the page language's text, as
data) with a link to it, who does it and whom to contact (with the phone number
the guideline's contact block gives), the forms, and what not to do. The order
and grouping are the site's and the page says so. Everything from the YAML is a
Text node or an escaped attribute.

The controls that need JavaScript (municipality choice, role filter) are
rendered ``hidden``: policy-situations.js shows them. Without it the page
offers the same as links to anchors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes

from ...citations import shown_citations
from ...model import Clause, Guideline
from ...situations import Guide, Role, Situation, Situations, step_concerns
from ..i18n import _
from ..nodes import policy_heading
from ..situation_nodes import block, inline
from .base import RendererBase
from .text import display_number, policy_xref

# localStorage key of the reader's municipality choice (policy-situations.js).
MUNICIPALITY_KEY = "policy-handbook-municipality"


def city_anchor(situation_id: str, document: str) -> str:
    return f"{situation_id}-{document}"


def step_anchor(situation_id: str, document: str, number: int) -> str:
    return f"{situation_id}-{document}-step-{number}"


def avoid_anchor(situation_id: str, document: str, number: int) -> str:
    return f"{situation_id}-{document}-avoid-{number}"


def role_anchor(scope: str, role_id: str) -> str:
    return f"roles-{scope}-{role_id}"


def situation_ref(text: str, situation: str, anchor: str = "") -> addnodes.pending_xref:
    """A link to a situation's guide (``anchor``: a place on it), resolved by the policy domain."""
    return policy_xref("situation", situation, nodes.inline("", text), refanchor=anchor)


def has_written_guide(situation: Situation, document: str) -> bool:
    """Whether someone wrote the guideline's part of the guide (steps or what not to do)."""
    guide = situation.guide(document)
    return guide is not None and bool(guide.steps or guide.avoid)


class SituationRendering(RendererBase):
    def __init__(self, *args, situations: Situations, written_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.situations = situations
        # policy_situations_written_only: a part only for guidelines with a written guide, the
        # others named in one line (a site of 1,741 municipalities: ~1.7 KB each otherwise).
        self.written_only = written_only

    def shown_guidelines(self, situation: Situation) -> tuple[list[Guideline], list[Guideline]]:
        """(the guidelines with a part on the situation's page, those only named)."""
        if not self.written_only:
            return list(self.policy.guidelines), []
        shown: list[Guideline] = []
        named: list[Guideline] = []
        for guideline in self.policy.guidelines:
            (shown if has_written_guide(situation, guideline.id) else named).append(guideline)
        return shown, named

    def unwritten(self, named: Sequence[Guideline]) -> list[nodes.Node]:
        if not named:
            return []
        label = _("No guide written for this situation ({count}):").format(count=len(named))
        names = _(", ").join(g.municipality.get(self.lang) for g in named)
        return [self.labelled(label, [nodes.Text(names)], "policy-situation-unwritten")]

    # -- small pieces

    def heading(self, text: str, level: int, classes: list[str], ids: list[str] | None = None) -> policy_heading:
        node = policy_heading("", text, classes=classes, level=min(6, level))
        if ids:
            node["ids"] = ids
        return node

    def actor_names(self, actor_ids: Sequence[str], document: str | None = None) -> list[nodes.Node]:
        """Actor labels joined; the actor who owns the guideline's contact block gets its
        section and details, as the guideline's contact line gives them."""
        parts = []
        for actor_id in actor_ids:
            actor = self.policy.actor(actor_id)
            name = actor.label.get(self.lang) if actor else actor_id
            part: list[nodes.Node] = [nodes.Text(name)]
            details = self.contact_details(document, actor_id) if document else None
            guideline = self.policy.guideline(document) if details and document else None
            if details and guideline is not None and guideline.contact is not None:
                contact = guideline.contact
                if contact.unit is not None:  # the section too, as the guideline's contact line gives it
                    text = _("{name}, {unit}, {details}").format(name=name, unit=contact.unit.get(self.lang), details=details)
                    part = [nodes.Text(text)]
                else:
                    part.append(nodes.Text(_(" ({details})").format(details=details)))
            parts.append(part)
        return self.joined(parts)

    def contact_details(self, document: str, actor_id: str | None = None) -> str | None:
        """ "0942-65-7004, extension 142" of the guideline's contact block, when ``actor_id``
        owns it (situations.yaml ``contacts``) or is not given."""
        guideline = self.policy.guideline(document)
        if guideline is None or guideline.contact is None:
            return None
        if actor_id is not None and self.situations.contact_actor(document) != actor_id:
            return None
        contact = guideline.contact
        parts = []
        if contact.phone:
            parts.append(_("phone {phone}").format(phone=contact.phone))
        if contact.extension:
            parts.append(_("extension {extension}").format(extension=contact.extension))
        return _(", ").join(parts) if parts else None

    def clause_link(self, clause: Clause, guideline: Guideline, citation: str | None = None) -> addnodes.pending_xref:
        """A link to the clause; ``citation`` (the guide's, with the paragraph where two
        clauses of one guide share a number) replaces its bare number."""
        text = _("{municipality} {number}").format(
            municipality=guideline.municipality.get(self.lang), number=citation or display_number(clause, self.lang)
        )
        return policy_xref(
            "clause", clause.id, nodes.inline(text, text, classes=["xref", "policy", "policy-clause-ref"]), refdoc=self.docname
        )

    def quote(self, clause: Clause) -> nodes.Element:
        text = clause.text.get(self.lang) if clause.text else ""
        return block("blockquote", nodes.paragraph(text, text), classes=["policy-situation-quote"])

    def labelled(self, label: str, content: list[nodes.Node], cls: str) -> nodes.paragraph:
        return nodes.paragraph("", "", nodes.inline(label, label, classes=["policy-meta-label"]), nodes.Text(" "), *content, classes=[cls])

    # -- a guide

    def guide(self, situation: Situation) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        if situation.search_terms is not None:
            terms = situation.search_terms.get(self.lang)
            out.append(self.labelled(_("Search terms:"), [nodes.Text(terms)], "policy-situation-terms"))
        about = _(
            "The order of the steps, their grouping and the Who and Contact lines are this handbook's reading, "
            "to help you act; the rules are the quoted clause texts, each linked to its clause in the guideline."
        )
        if self.lang == "en":
            about += " " + _("The quotes are the handbook's reference translation; the Japanese text is authoritative.")
        out.append(nodes.paragraph(about, about, classes=["policy-situation-about"]))
        guidelines, named = self.shown_guidelines(situation)
        # The municipality choice (one line) comes first; the role filter is collapsed
        # (policy-situations.css/js): on a phone the first step shows without scrolling.
        out.append(self.municipality_choice(situation, guidelines))
        out.append(self.role_filter(situation.id, self.step_roles(situation, guidelines), ".policy-situation-item", steps=True))
        columns = block("div", classes=["policy-situation-columns"])
        for guideline in guidelines:
            columns += self.city(situation, guideline)
        out.append(columns)
        out += self.unwritten(named)
        return out

    def municipality_choice(self, situation: Situation, guidelines: Sequence[Guideline]) -> nodes.Element:
        """Links to each municipality's part (without JavaScript), and a radio group (with it)."""
        box = block("div", classes=["policy-municipality"])
        names = [(g.municipality.get(self.lang), g.id) for g in guidelines]
        box += self.jump_links(_("Go to:"), [(name, city_anchor(situation.id, g)) for name, g in names], "policy-situation-jump")
        box += self.radio_group(
            _("Show the steps of"),
            "municipality",
            [("all", _("All municipalities side by side")), *((g, name) for name, g in names)],
            classes=["policy-municipality-choice", "policy-choice"],
            data_storage_key=MUNICIPALITY_KEY,
        )
        return box

    def jump_links(self, label: str, links: Sequence[tuple[str, str]], cls: str) -> nodes.paragraph:
        """``label`` and links to places on the page, (text, anchor) each: what works without JavaScript."""
        jump = nodes.paragraph("", "", classes=[cls])
        jump += nodes.inline(label, label, classes=["policy-meta-label"])
        for i, (text, anchor) in enumerate(links):
            jump += nodes.Text(" " if i == 0 else _(" / "))
            jump += nodes.reference(text, text, internal=True, refuri="#" + anchor)
        return jump

    def radio_group(self, legend: str, name: str, options: Sequence[tuple[str, str]], **attrs: Any) -> nodes.Element:
        """A fieldset of radio buttons named ``policy-<name>``, (value, label) each, with the IDs
        ``<name>-<value>``: hidden until policy-situations.js shows it."""
        group = block("fieldset", block("legend", nodes.Text(legend)), hidden="hidden", **attrs)
        for value, text in options:
            control_id = f"{name}-{value}"
            group += inline(
                "span",
                inline("input", ids=[control_id], type="radio", name=f"policy-{name}", value=value),
                inline("label", nodes.Text(text), for_=control_id),
                classes=["policy-choice-option"],
            )
        return group

    def city(self, situation: Situation, guideline: Guideline) -> nodes.Element:
        column = block(
            "div",
            classes=["policy-situation-city"],
            ids=[city_anchor(situation.id, guideline.id)],
            data_document=guideline.id,
        )
        level = self.heading_level
        column += self.heading(guideline.municipality.get(self.lang), level, ["policy-situation-city-heading"])
        column += nodes.paragraph("", "", self.guideline_ref(guideline, refwarn=False), classes=["policy-situation-guideline"])
        guide = situation.guide(guideline.id)
        if guide is not None and guide.note is not None:
            column += self.labelled(_("Handbook's note:"), [nodes.Text(guide.note.get(self.lang))], "policy-situation-note")
        if guide is None or not (guide.steps or guide.avoid):
            text = _("This guideline has no clause for this situation.")
            column += nodes.paragraph(text, text, classes=["policy-situation-none"])
        if guide is not None:
            cited = shown_citations(
                self.policy,
                (*guide.clause_ids(), *(o.clause for o in guide.omitted)),
                self.lang,
                _("Preamble"),
            )
            column += self.steps(situation, guide, guideline, level + 1, cited)
            column += self.avoid(situation, guide, guideline, level + 1, cited)
            column += self.omitted(guide, guideline, cited)
        details = self.contact_details(guideline.id)
        if guideline.contact is not None:
            contact = guideline.contact
            parts = [contact.department.get(self.lang)]
            if contact.unit is not None:
                parts.append(contact.unit.get(self.lang))
            if details:
                parts.append(details)
            column += self.labelled(_("Contact for this guideline:"), [nodes.Text(_(", ").join(parts))], "policy-situation-contact")
        return column

    def who(self, step, guideline: Guideline) -> list[nodes.Node]:
        """Who does a step: its actors, and everyone the guideline applies to when the
        clause names no one (or only for part of it)."""
        named = self.actor_names(step.actors, guideline.id) if step.actors else []
        if not step.for_everyone:
            return named
        everyone: list[nodes.Node] = [nodes.Text(_("everyone the guideline applies to"))]
        # "and": the named actors act besides everyone else, they are not another name for them
        return everyone + ([nodes.Text(_(" and the ")), *named] if named else [])

    def steps(self, situation: Situation, guide: Guide, guideline: Guideline, level: int, cited: dict[str, str]) -> list[nodes.Node]:
        if not guide.steps:
            return []
        out: list[nodes.Node] = [self.heading(_("Steps (in this handbook's order)"), level, ["policy-situation-part"])]
        ordered = block("ol", classes=["policy-situation-steps"])
        for number, step in enumerate(guide.steps, 1):
            clause = self.policy.clause(step.clause)
            if clause is None:
                continue
            item = block(
                "li",
                classes=["policy-situation-step", "policy-situation-item"],
                ids=[step_anchor(situation.id, guideline.id, number)],
            )
            item += inline("span", classes=["policy-tickbox"], aria_hidden="true")
            body = block("div", classes=["policy-situation-step-body"])
            body += self.labelled(_("Who:"), self.who(step, guideline), "policy-situation-who")
            if step.contacts:
                body += self.labelled(_("Contact:"), self.actor_names(step.contacts, guideline.id), "policy-situation-whom")
            if step.note is not None:
                body += self.labelled(_("Handbook's note:"), [nodes.Text(step.note.get(self.lang))], "policy-situation-note")
            body += self.quote(clause)
            cite: list[nodes.Node] = [self.clause_link(clause, guideline, cited.get(clause.id))]
            if clause.forms:
                cite += [nodes.Text(_("; form: "))] + self.joined(self.form_ref(f) for f in clause.forms)
            body += self.labelled(_("Clause:"), cite, "policy-situation-cite")
            item += body
            ordered += item
        out.append(ordered)
        return out

    def avoid(self, situation: Situation, guide: Guide, guideline: Guideline, level: int, cited: dict[str, str]) -> list[nodes.Node]:
        if not guide.avoid:
            return []
        out: list[nodes.Node] = [self.heading(_("What not to do"), level, ["policy-situation-part"])]
        items = block("ul", classes=["policy-situation-avoid"])
        for number, clause_id in enumerate(guide.avoid, 1):
            clause = self.policy.clause(clause_id)
            if clause is None:
                continue
            item = block("li", classes=["policy-situation-item"], ids=[avoid_anchor(situation.id, guideline.id, number)])
            item += self.quote(clause)
            item += self.labelled(_("Clause:"), [self.clause_link(clause, guideline, cited.get(clause.id))], "policy-situation-cite")
            items += item
        out.append(items)
        return out

    def omitted(self, guide: Guide, guideline: Guideline, cited: dict[str, str]) -> list[nodes.Node]:
        if not guide.omitted:
            return []
        box = block("div", classes=["policy-situation-omitted"])
        text = _("Clauses on the same topics not in this guide, and why (the handbook's reasons):")
        box += nodes.paragraph(text, text)
        items = nodes.bullet_list()
        for omission in guide.omitted:
            clause = self.policy.clause(omission.clause)
            if clause is None:
                continue
            items += nodes.list_item(
                "",
                nodes.paragraph(
                    "",
                    "",
                    self.clause_link(clause, guideline, cited.get(clause.id)),
                    nodes.Text(_(": ") + omission.reason.get(self.lang)),
                ),
            )
        box += items
        return [box]

    def step_roles(
        self, situation: Situation, guidelines: Sequence[Guideline] | None = None
    ) -> list[tuple[Role, list[tuple[str | None, str]]]]:
        """Per role, the steps and prohibitions that concern it: (anchor, link text), and
        (None, text) for a guide that says why nothing on it is addressed to the role."""
        out = []
        for role in self.situations.roles:
            found: list[tuple[str | None, str]] = []
            for guideline in self.policy.guidelines if guidelines is None else guidelines:
                guide = situation.guide(guideline.id)
                if guide is None:
                    continue
                name = guideline.municipality.get(self.lang)
                covered = role in self.situations.covered_roles(guideline.id)
                reason = guide.unaddressed_reason(role.id)
                if reason is not None:
                    found.append((None, _("{municipality}: {reason}").format(municipality=name, reason=reason.get(self.lang))))
                for number, step in enumerate(guide.steps, 1):
                    if step_concerns(step, self.policy.clause(step.clause), role, covered):
                        text = _("{municipality}: step {number}").format(municipality=name, number=number)
                        found.append((step_anchor(situation.id, guideline.id, number), text))
                for number, clause_id in enumerate(guide.avoid, 1):
                    clause = self.policy.clause(clause_id)
                    # A prohibition binds everyone the guideline applies to, besides whom it names.
                    if clause is not None and (covered or set(role.actors).intersection(clause.actors)):
                        text = _("{municipality}: what not to do {number}").format(municipality=name, number=number)
                        found.append((avoid_anchor(situation.id, guideline.id, number), text))
            out.append((role, found))
        return out

    # -- "what applies to me"

    def role_filter(
        self, scope: str, entries: Sequence[tuple[Role, Sequence[tuple[str | None, str]]]], items: str, *, steps: bool = False
    ) -> nodes.Element:
        """Per role, links to what names it; with JavaScript, a radio group that hides the rest.

        ``items`` is the CSS selector (a constant of the code) of what the filter hides.
        """
        # On a guide the filter is collapsed (a <details>): the first screen, on a phone too,
        # shows the first step of the chosen municipality, not the controls.
        title = _("What applies to me")
        if steps:  # a <summary> holds phrasing content: its title is the disclosure button's name
            box = block("details", classes=["policy-role-filter"], data_items=items)
            box += block(
                "summary",
                inline("span", nodes.Text(title), classes=["policy-role-filter-heading"]),
                classes=["policy-role-filter-summary"],
            )
        else:
            box = block("div", classes=["policy-role-filter"], data_items=items)
            box += self.heading(title, self.heading_level, ["policy-role-filter-heading"])
        if steps:
            note = _("Steps and prohibitions with no named actor apply to everyone the guideline applies to.")
        else:
            note = _("Clauses with no named actor apply to everyone the guideline applies to.")
        box += nodes.paragraph(note, note, classes=["policy-role-note"])
        options = [("all", _("Everything")), *((r.id, r.label.get(self.lang)) for r, _found in entries)]
        box += self.radio_group(_("Show only what names"), f"role-{scope}", options, classes=["policy-role-choice", "policy-choice"])
        box += block(
            "p",
            classes=["policy-role-status"],
            role="status",
            aria_live="polite",
            data_template=_("{role}: {count} shown.") + " " + note,
            data_all=_("Everything is shown."),
        )
        roles = [(role.label.get(self.lang), role_anchor(scope, role.id)) for role, _found in entries]
        box += self.jump_links(_("By role:"), roles, "policy-role-jump")
        lists = block("div", classes=["policy-role-lists"])
        for role, found in entries:
            section = block("div", classes=["policy-role-list"], ids=[role_anchor(scope, role.id)], data_role=role.id)
            text = role.label.get(self.lang)
            section += nodes.paragraph("", "", nodes.strong(text, text))
            if not found:
                none = _("Nothing here names this role.")
                section += nodes.paragraph(none, none)
            else:
                links = nodes.bullet_list()
                for anchor, link_text in found:
                    if anchor is None:  # a guide's reason why nothing on it is for this role
                        links += nodes.list_item("", nodes.paragraph(link_text, link_text, classes=["policy-role-unaddressed"]))
                        continue
                    links += nodes.list_item(
                        "", nodes.paragraph("", "", nodes.reference(link_text, link_text, internal=True, refuri="#" + anchor))
                    )
                section += links
            lists += section
        box += lists
        return box

    # -- the list of situations

    def situation_list(self, document: str | None = None) -> nodes.Element:
        """Every situation linked to its guide and to each municipality's part of it
        (only ``document``'s part when given)."""
        items = nodes.bullet_list(classes=["policy-situation-list"])
        guidelines = [g for g in self.policy.guidelines if document is None or g.id == document]
        for situation in self.situations.situations:
            title = situation.title.get(self.lang)
            para = nodes.paragraph()
            linked = guidelines
            if self.written_only:
                linked = [g for g in guidelines if has_written_guide(situation, g.id)]
            if document is not None:
                para += situation_ref(title, situation.id, city_anchor(situation.id, document))
            else:
                para += situation_ref(title, situation.id)
                para += nodes.Text(_(": "))
                for i, guideline in enumerate(linked):
                    if i:
                        para += nodes.Text(_(" / "))
                    name = guideline.municipality.get(self.lang)
                    para += situation_ref(name, situation.id, city_anchor(situation.id, guideline.id))
            items += nodes.list_item("", para)
        return items
