"""A guideline's metadata, its clause tree, and the list of every guideline."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docutils import nodes

from ...checks.pending import pending_kinds
from ...dates import format_date
from ...model import Guideline
from ..i18n import _
from . import draft_marks
from .clauses import ClauseRendering

_SAFE_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)


class GuidelineRendering(ClauseRendering):
    def guideline(self, guideline: Guideline) -> list[nodes.Node]:
        out: list[nodes.Node] = [self.guideline_meta(guideline)]
        for root in guideline.roots:
            out.append(self.clause(root))
        return out

    def guideline_list(self, guidelines: Sequence[Guideline]) -> nodes.table:
        """Every guideline in a table: municipality, title (a link to its page), date, clauses.

        For a site with many municipalities: their pages need not be in the
        sidebar (furo renders the whole sidebar on every page, so N pages there
        cost N² to build), this one page lists them.
        """
        table = nodes.table(classes=["policy-guideline-list"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (25, 45, 18, 12):
            group += nodes.colspec(colwidth=width)
        headers = (_("Municipality"), _("Title"), _("Enacted or revised"), _("Clauses"))
        group += nodes.thead("", nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in headers)))
        body = nodes.tbody()
        group += body
        for g in guidelines:
            link = self.guideline_ref(g)
            date = g.current_date
            counted = sum(1 for c in g.clauses if c.text is not None)
            body += nodes.row(
                "",
                nodes.entry("", nodes.paragraph("", self.place(g))),
                nodes.entry("", nodes.paragraph("", "", link)),
                nodes.entry("", nodes.paragraph("", format_date(date, self.lang) if date else "—")),
                nodes.entry("", nodes.paragraph("", str(counted)), classes=["policy-number"]),
            )
        return table

    def guideline_meta(self, g: Guideline) -> nodes.Element:
        fields = nodes.field_list(classes=["policy-guideline-fields"])

        def add(name: str, *body: nodes.Node) -> None:
            fields.append(
                nodes.field(
                    "",
                    nodes.field_name(name, name),
                    nodes.field_body("", nodes.paragraph("", "", *body)),
                )
            )

        lang = self.lang
        add(_("Municipality"), nodes.Text(self.place(g)))
        if g.lg_code is not None:
            add(_("Local government code"), nodes.Text(g.lg_code))
        title_pending = [nodes.Text(" "), draft_marks.pending_label()] if lang == "en" and g.title.pending else []
        add(_("Title"), nodes.Text(g.title.get(lang)), *title_pending)
        if lang != "ja":
            add(_("Official title (Japanese)"), *self.phrase(g.title.ja, "ja"))
        if g.department is not None:
            add(_("Department"), nodes.Text(g.department.get(lang)), *self.editorial_marker(g, "department"))
        for event, name in (("enacted", _("Enacted")), ("revised", _("Revised"))):
            dates = [h for h in g.history if h.event == event]
            if dates:
                add(name, *self.joined(self.date(h.date, h.published) for h in dates))
        if g.scope is not None:
            add(_("Applies to"), nodes.Text(g.scope.get(lang)), *self.editorial_marker(g, "scope"))
        if g.contact is not None:
            add(_("Contact"), *self.contact(g))
        if g.source_url:
            add(_("Published text"), *self.url(g.source_url))
        pending = pending_kinds(g) if lang == "en" else []
        if pending:  # every kind still in Japanese on this site, counted (checks/pending.py)
            counts = ", ".join(f"{count} {name}" for name, count in pending)
            add(_("Translation pending"), nodes.Text(counts))
        return nodes.container(
            "",
            fields,
            classes=["policy-guideline-meta"],
            is_div=True,
            support_smartquotes=False,
        )

    def place(self, g: Guideline) -> str:
        """ "Chikugo City, Fukuoka Prefecture" / "福岡県筑後市"."""
        if self.lang == "en":
            return f"{g.municipality.get('en')}, {g.prefecture.get('en')}"
        return f"{g.prefecture.ja}{g.municipality.ja}"

    def date(self, iso: str, published: bool) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.Text(format_date(iso, self.lang))]
        if not published:
            out.append(nodes.inline("", " " + _("(not printed in the published text)"), classes=["policy-unpublished"]))
        return out

    def contact(self, g: Guideline) -> list[nodes.Node]:
        """ "総務広報課 総務広報係（電話 0942-65-7004 内線142）" / "Division, Section (Tel. …, ext. 142)"."""
        c = g.contact
        assert c is not None
        en = self.lang == "en"
        name = c.department.get(self.lang)
        if c.unit is not None:
            name += (", " if en else " ") + c.unit.get(self.lang)
        out: list[nodes.Node] = [nodes.Text(name)]
        if c.phone or c.extension:
            out.append(nodes.Text(" (" if en else "（"))
            if c.phone:
                out.append(nodes.Text(_("Tel.") + " "))
                # The schema allows only digits and hyphens, so the tel: URI is safe.
                out.append(nodes.reference(c.phone, c.phone, refuri="tel:" + c.phone.replace("-", "")))
            if c.extension:
                out.append(nodes.Text((", " if en else " ") if c.phone else ""))
                out.append(nodes.Text(_("ext. %s") % c.extension))
            out.append(nodes.Text(")" if en else "）"))
        return out

    def url(self, url: str) -> list[nodes.Node]:
        """A link for http(s) URLs only; anything else (javascript:…) stays inert text."""
        if _SAFE_URL.match(url):
            return [nodes.reference(url, url, refuri=url)]
        return [nodes.literal(url, url)]
