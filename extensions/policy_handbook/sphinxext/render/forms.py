"""Forms (様式): heading, statement, header and footer lines, the table of fields."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from ...model import Form, FormField
from ..i18n import _
from ..nodes import policy_form, policy_heading
from .base import RendererBase


class FormRendering(RendererBase):
    def form(self, form: Form) -> policy_form:
        anchored = self.claim("form", form.id)
        node = policy_form(classes=["policy-form"], form_id=form.id, support_smartquotes=False)
        if anchored:
            node["ids"].append(form.id)
        parts: list[nodes.Node] = [
            nodes.inline("", "", *self.phrase(form.label.get(self.lang), self.lang), classes=["policy-form-label"]),
            nodes.Text(" "),
            nodes.inline(form.title.get(self.lang), form.title.get(self.lang), classes=["policy-heading-text"]),
            *self.pending_mark(form.title),
        ]
        if anchored:
            parts.append(self.permalink(form.id, _("Link to this form")))
        node += policy_heading("", "", *parts, classes=["policy-form-heading"], level=self.heading_level)
        node.extend(self.editorial_notes(form))
        if form.addressee is not None:
            node += nodes.paragraph("", "", nodes.Text(form.addressee.get(self.lang)), classes=["policy-form-addressee"])
        for sentence in form.statement:
            node += nodes.paragraph("", "", nodes.Text(sentence.get(self.lang)), classes=["policy-form-statement"])
        table = [f for f in form.fields if f.section not in ("header", "footer")]
        node.extend(self.form_lines(form, "header"))
        if table:
            node += self.form_table(table)
        node.extend(self.form_lines(form, "footer"))
        return node

    def form_lines(self, form: Form, section: str) -> list[nodes.Node]:
        """The fields printed as lines above (``header``) or below (``footer``) the table."""
        out: list[nodes.Node] = []
        for f in form.fields:
            if f.section == section:
                out += [self.form_line(f, f"policy-form-{section}"), *self.field_notes(f)]
        return out

    def field_notes(self, f: FormField) -> list[nodes.Node]:
        """A field's notes and editorial notes: on the page, not on the printout."""
        return [*(self.note(n.type, n.text) for n in f.notes), *self.editorial_notes(f)]

    def field_label(self, f: FormField) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.Text(f.label.get(self.lang)), *self.pending_mark(f.label)]
        if f.required:
            required = _("required")
            out += [nodes.Text(" "), nodes.inline(required, required, classes=["policy-required"])]
        return out

    def field_entry(self, f: FormField) -> list[nodes.Node]:
        """What the printed form offers to fill in."""
        out: list[nodes.Node] = []
        if f.type == "choice":
            for i, choice in enumerate(f.choices):
                if i:
                    out.append(nodes.Text("　" if self.lang == "ja" else "  "))
                text = "☐ " + choice.label.get(self.lang)
                if choice.free_text:
                    text += "（　　　　　　）" if self.lang == "ja" else " (" + "\u00a0" * 12 + ")"
                out.append(nodes.inline(text, text, classes=["policy-choice"]))
        elif f.type == "scale" and f.scale is not None:
            s = f.scale
            values = list(range(s.min, s.max + 1))
            if s.order == "descending":
                values.reverse()
            first, last = (s.max_label, s.min_label) if s.order == "descending" else (s.min_label, s.max_label)
            out.append(nodes.inline("", f"{first.get(self.lang)} ", classes=["policy-scale-end"]))
            out.append(nodes.inline("", "  ".join(f"{v}" for v in values), classes=["policy-scale"]))
            out.append(nodes.inline("", f" {last.get(self.lang)}", classes=["policy-scale-end"]))
        elif f.type == "date":
            # The English keeps the era: the form expects a Reiwa year, not a Western one.
            blank = "令和　　年　　月　　日" if self.lang == "ja" else _("Reiwa ____ (year) ____ (month) ____ (day)")
            out.append(nodes.inline(blank, blank, classes=["policy-blank"]))
        else:
            out.append(nodes.inline("", "", classes=["policy-blank"]))
        if f.hint is not None:
            out.append(nodes.inline("", " " + f.hint.get(self.lang), classes=["policy-hint"]))
        return out

    def form_line(self, f: FormField, cls: str) -> nodes.paragraph:
        return nodes.paragraph(
            "",
            "",
            *self.field_label(f),
            nodes.Text(": " if self.lang == "en" else "："),
            *self.field_entry(f),
            classes=[cls, f"policy-field-{f.type}"],
        )

    def form_table(self, fields: Sequence[FormField]) -> nodes.table:
        table = nodes.table(classes=["policy-form-table"])
        tgroup = nodes.tgroup(cols=2)
        table += tgroup
        tgroup += nodes.colspec(colwidth=35)
        tgroup += nodes.colspec(colwidth=65)
        thead = nodes.thead()
        tgroup += thead
        thead += nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in (_("Item"), _("Entry"))))
        tbody = nodes.tbody()
        tgroup += tbody
        for f in fields:
            entry = nodes.entry("", nodes.paragraph("", "", *self.field_entry(f)), classes=[f"policy-field-{f.type}"])
            entry.extend(self.field_notes(f))
            tbody += nodes.row("", nodes.entry("", nodes.paragraph("", "", *self.field_label(f))), entry)
        return table
