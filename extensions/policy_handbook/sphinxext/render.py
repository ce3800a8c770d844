"""Policy data -> docutils nodes, in the page language with the other one a click away.

Everything from the YAML files goes into the doctree as ``nodes.Text`` (or as an
attribute that the HTML writer escapes): it is data, never parsed as MyST, RST or
HTML, so a clause reading ``<script>`` or ``{raw}`` shows exactly that.

The directives decide which anchors a page gives out and note what it depends
on while the page is read (directives.py); the Renderer builds the nodes when
the page is written (deferred.py), giving an anchor where ``claim`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from docutils import nodes
from sphinx import addnodes
from sphinx_design.badges_buttons import sd_badge
from sphinx_design.shared import create_component

from . import draft_marks
from ..dates import format_date
from ..glossary_match import GlossaryMatcher
from ..model import Clause, Entry, Form, FormField, GlossaryTerm, Guideline, Policy, Text
from .i18n import _
from .nodes import (
    policy_clause,
    policy_form,
    policy_heading,
    policy_lang_block,
    policy_lang_inline,
    policy_note,
    policy_permalink,
)

LANG_NAMES = {"ja": "日本語", "en": "English"}  # each language named in itself
SYNC_GROUP = "policy-lang"

# Badge colours: the kinds of clause with a colour of their own, every other kind
# "other", topics "topic". The colours are policy.css's (class policy-badge-<tone>),
# not sphinx-design's sd-bg-*: several of those fail WCAG AA contrast (white on
# #28a745 is 3.1:1), and none has a dark-mode variant.
COLOURED_KINDS = ("prohibition", "duty", "procedure", "principle", "exception")
BADGE_TONES = (*COLOURED_KINDS, "other", "topic")


def badge_classes(tone: str) -> list[str]:
    """sphinx-design's badge shape (``sd-badge``) with the handbook's own colours."""
    return ["sd-sphinx-override", "sd-badge", "policy-badge", f"policy-badge-{tone}"]


def kind_tone(kind_id: str) -> str:
    return kind_id if kind_id in COLOURED_KINDS else "other"


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_CJK_RUN = re.compile(_CJK.pattern + "+")
_SAFE_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def mark_japanese(roots: Iterable[nodes.Node], page_lang: str) -> None:
    """Wrap every Japanese run inside English text in ``lang="ja"``.

    English texts quote Japanese (「時宜に適った」, 一般職); screen readers need to
    know to switch voice, and the English site must have no Japanese outside
    ``lang="ja"``. Works on the finished nodes, so nothing building them can forget.
    """
    for root in roots:
        _mark(root, page_lang == "en")


def not_for_gettext(roots: Iterable[nodes.Node]) -> None:
    """Keep generated text out of the pages' translation catalogs (``make gettext``).

    Clause texts, field names (自治体), tab labels (日本語), glossary terms: the
    English site takes them from the policy data and the extension's catalog,
    never from docs/locales. Sphinx extracts a block-level text element that has
    a source (it gives field names, rubrics and terms their parent's) unless it
    carries ``translatable = False``. Inline elements are never extracted, and
    must not get the attribute: Sphinx strips every inline carrying
    ``translatable`` (RemoveTranslatableInline), text and all.
    """
    for root in roots:
        if not isinstance(root, nodes.Element):
            continue
        for element in root.findall(nodes.TextElement):
            if not isinstance(element, nodes.Inline):
                element["translatable"] = False


def finish_generated(roots: list[nodes.Node], page_lang: str) -> list[nodes.Node]:
    """The last step for nodes made from the policy: Japanese runs in English text
    get lang="ja", and nothing goes to the pages' translation catalogs."""
    mark_japanese(roots, page_lang)
    not_for_gettext(roots)
    return roots


def _mark(node: nodes.Node, english: bool) -> None:
    if isinstance(node, (policy_lang_block, policy_lang_inline)):
        english = node["lang"] == "en"
        if not english:
            return
    if not isinstance(node, nodes.Element):
        return
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            if english and has_cjk(child):
                node.replace(child, _split_japanese(str(child)))
        else:
            _mark(child, english)


def _split_japanese(text: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    pos = 0
    for run in _CJK_RUN.finditer(text):
        if run.start() > pos:
            out.append(nodes.Text(text[pos : run.start()]))
        out.append(policy_lang_inline(run.group(), run.group(), lang="ja"))
        pos = run.end()
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def other_language(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def first_words(text: str, lang: str) -> str:
    """The start of a text for link labels: 20 characters (ja) or 8 words (en)."""
    text = " ".join(text.split())
    if lang == "ja":
        return text if len(text) <= 20 else text[:20] + "…"
    words = text.split(" ")
    return text if len(words) <= 8 else " ".join(words[:8]) + "…"


def display_number(clause: Clause, lang: str) -> str:
    """The citation number to show: "6(3)", "2(1)・3", or "Preamble" (前文).

    English pages write the item separator ・ (a Japanese character) as the
    Latin middle dot: "2(1)·3" looks the same and is not Japanese text.
    """
    if clause.level == "preamble":
        return _("Preamble")
    return clause.number.replace("・", "\u00b7") if lang == "en" else clause.number


def clause_title(clause: Clause, lang: str) -> str:
    """What names a clause after its number: its heading, else its first words."""
    if clause.heading is not None:
        return clause.heading.get(lang)
    if clause.text is not None:
        return first_words(clause.text.get(lang), lang)
    return ""


def clause_label(clause: Clause, lang: str) -> str:
    """Default text of a link to a clause: "6(3) heading" or "6(3) first words…"."""
    return f"{display_number(clause, lang)} {clause_title(clause, lang)}".strip()


def subtree(policy: Policy, clause: Clause) -> list[Clause]:
    """The clause and its sub-clauses, in the order the page shows them (depth first)."""
    out = [clause]
    for child_id in clause.children:
        child = policy.clause(child_id)
        if child is not None:
            out.extend(subtree(policy, child))
    return out


def form_label(form: Form, lang: str) -> str:
    return f"{form.label.get(lang)} {form.title.get(lang)}"


# ----------------------------------------------------------------------------- glossary links


class TermLinker:
    """Links the first occurrence of each glossary term in a text to the glossary.

    Where terms occur is policy_handbook.glossary_match's rule, the one the checks
    use too: leftmost-longest, and never inside a longer name (an actor such as
    当該ソーシャルメディア管理者 is not the glossary's 管理者).
    """

    def __init__(self, policy: Policy, lang: str):
        self.lang = lang
        self.matcher = GlossaryMatcher.of(policy, lang)

    def link(self, text: str, docname: str) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        linked: set[str] = set()
        pos = 0
        for match in self.matcher.matches(text):
            if match.term.id in linked:
                continue
            linked.add(match.term.id)
            if match.start > pos:
                out.append(nodes.Text(text[pos : match.start]))
            xref = addnodes.pending_xref(
                "",
                nodes.inline(match.surface, match.surface, classes=["xref", "std", "std-term"]),
                refdomain="std",
                reftype="term",
                reftarget=match.term.term.get(self.lang),
                refexplicit=True,
                refwarn=False,  # a site without a glossary page just shows the text
                refdoc=docname,
            )
            out.append(xref)
            pos = match.end
        if pos < len(text) or not out:
            out.append(nodes.Text(text[pos:]))
        return out


# ----------------------------------------------------------------------------- renderer


class Renderer:
    """Builds the nodes of one directive.

    ``claim(kind, id)`` is asked before an anchor is given out: it returns False
    when the object already has its anchor on this page (then the second copy is
    shown without one, and the caller has warned).
    """

    def __init__(
        self,
        policy: Policy,
        lang: str,
        docname: str,
        *,
        claim: Callable[[str, str], bool] = lambda kind, object_id: True,
        heading_level: int = 2,
    ):
        self.policy = policy
        self.lang = lang
        self.other = other_language(lang)
        self.docname = docname
        self.claim = claim
        self.heading_level = heading_level
        self._linkers: dict[str, TermLinker] = {}

    # -- small pieces

    def phrase(self, text: str, lang: str) -> list[nodes.Node]:
        """Text known to be in ``lang``: marked with lang= when it is not the page's."""
        if lang == self.lang:
            return [nodes.Text(text)]
        return [policy_lang_inline(text, text, lang=lang)]

    def japanese_only(self, text: str) -> list[nodes.Node]:
        """Published markers and numbers ("1．", "2(1)・3"): Japanese when they contain Japanese."""
        if self.lang == "en" and has_cjk(text):
            return [policy_lang_inline(text, text, lang="ja")]
        return [nodes.Text(text)]

    def permalink(self, target: str, title: str) -> policy_permalink:
        return policy_permalink("", target=target, title=title, classes=["headerlink", "policy-permalink"])

    def label(self, text: str) -> nodes.inline:
        return nodes.inline(text, text, classes=["policy-meta-label"])

    def joined(self, parts: Iterable[list[nodes.Node]]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.Text(_(", ")))
            out.extend(part)
        return out

    def entry_badge(self, entry: Entry | None, entry_id: str, tone: str) -> nodes.Node:
        text = entry.label.get(self.lang) if entry else entry_id
        badge = sd_badge(text, text, classes=badge_classes(tone))
        if entry and entry.description:
            badge["tooltip"] = entry.description.get(self.lang)
        return badge

    def linker(self, lang: str) -> TermLinker:
        if lang not in self._linkers:
            self._linkers[lang] = TermLinker(self.policy, lang)
        return self._linkers[lang]

    # -- clauses

    def clause(self, clause: Clause, *, children: bool = True, depth: int = 0) -> policy_clause:
        anchored = self.claim("clause", clause.id)
        node = policy_clause(
            classes=["policy-clause", f"policy-level-{clause.level}"],
            clause_id=clause.id,
            support_smartquotes=False,
        )
        if anchored:
            node["ids"].append(clause.id)
        head = self.clause_head(clause, anchored, depth)
        if head is not None:
            node += head
        if draft_marks.clause_pending(clause, self.lang):
            node += nodes.paragraph("", "", draft_marks.pending_label(), classes=["policy-pending"])
        if clause.text is not None:
            node += self.clause_text(clause.text)
        meta = self.clause_meta(clause)
        if head is None and anchored:
            # An unnumbered paragraph has no head line: its permalink ends the metadata line.
            if meta is None:
                meta = nodes.paragraph("", "", classes=["policy-clause-meta"])
            meta += self.permalink(clause.id, _("Link to this clause"))
        if meta is not None:
            node += meta
        for note in clause.notes:
            node += self.note(note.type, note.text)
        if children:
            for child_id in clause.children:
                child = self.policy.clause(child_id)
                if child is not None:
                    node += self.clause(child, children=True, depth=depth + 1)
        return node

    def clause_head(self, clause: Clause, anchored: bool, depth: int) -> nodes.Element | None:
        """Marker, heading and permalink; None for an unnumbered paragraph (nothing to show)."""
        if not clause.marker and clause.heading is None and clause.level != "preamble":
            return None
        parts: list[nodes.Node] = []
        if clause.marker:
            parts.append(nodes.inline("", "", *self.japanese_only(clause.marker), classes=["policy-marker"]))
        elif clause.level == "preamble":
            text = display_number(clause, self.lang)
            parts.append(nodes.inline(text, text, classes=["policy-marker", "policy-preamble"]))
        if clause.heading is not None:
            heading = clause.heading.get(self.lang)
            parts.append(nodes.inline(heading, heading, classes=["policy-heading-text"]))
        if anchored:
            parts.append(self.permalink(clause.id, _("Link to this clause")))
        if clause.heading is not None:
            level = min(6, self.heading_level + depth)
            return policy_heading("", "", *parts, classes=["policy-clause-heading"], level=level)
        return nodes.paragraph("", "", *parts, classes=["policy-clause-head"])

    def clause_text(self, text: Text) -> nodes.Element:
        """The text in both languages: a tab set synchronised across the site, page language first."""
        tab_set = create_component("tab-set", classes=["sd-tab-set", "policy-lang-tabs"])
        for lang in (self.lang, other_language(self.lang)):
            words = self.linker(lang).link(text.get(lang), self.docname)
            passage: nodes.Element = nodes.paragraph("", "", *words, classes=["policy-text"])
            shown = "ja" if lang == "en" and text.pending else lang  # untranslated: the Japanese
            if shown != self.lang:
                passage = policy_lang_block("", passage, lang=shown)
            label = nodes.rubric("", "", *self.phrase(LANG_NAMES[lang], lang), classes=["sd-tab-label"])
            label["sync_group"] = SYNC_GROUP
            label["sync_id"] = lang
            shown_first = [draft_marks.pending_paragraph()] if shown != lang else []
            content = create_component("tab-content", classes=["sd-tab-content"], children=[*shown_first, passage])
            tab_set += create_component(
                "tab-item",
                classes=["sd-tab-item"],
                selected=lang == self.lang,
                children=[label, content],
            )
        return tab_set

    def clause_meta(self, clause: Clause) -> nodes.Element | None:
        items: list[nodes.Node] = []

        def item(label: str, *content: nodes.Node, cls: str) -> None:
            if items:
                items.append(nodes.Text(" "))
            items.append(nodes.inline("", "", self.label(label), nodes.Text(" "), *content, classes=["policy-meta-item", cls]))

        if clause.kind:
            badge = self.entry_badge(self.policy.kind(clause.kind), clause.kind, kind_tone(clause.kind))
            item(_("Kind"), badge, cls="policy-kind")
        if clause.topics:
            badges: list[nodes.Node] = []
            for topic in clause.topics:
                if badges:
                    badges.append(nodes.Text(" "))
                badges.append(self.entry_badge(self.policy.topic(topic), topic, "topic"))
            item(_("Topics"), *badges, cls="policy-topics")
        for label, badges, cls in draft_marks.suggested_badges(self, clause):
            item(label, *badges, cls=cls)
        if clause.actors:
            actors = []
            for actor_id in clause.actors:
                actor = self.policy.actor(actor_id)
                actors.append([nodes.Text(actor.label.get(self.lang) if actor else actor_id)])
            item(_("Actors"), *self.joined(actors), cls="policy-actors")
        if clause.forms:
            item(_("Forms"), *self.joined(self.form_ref(form_id) for form_id in clause.forms), cls="policy-forms")
        if not items:
            return None
        return nodes.paragraph("", "", *items, classes=["policy-clause-meta"])

    def note(self, note_type: str, text: Text) -> policy_note:
        label = _("Editorial note")
        type_labels = {
            "typo": _("mistake in the published text"),
            "outdated": _("out of date"),
            "editorial": _("remark"),
            "translation": _("about the translation"),
            "printed": _("printed in the published text"),
        }
        type_label = type_labels.get(note_type, note_type)
        head = nodes.paragraph(
            "",
            "",
            nodes.strong(label, label),
            nodes.Text(" "),
            nodes.inline(type_label, type_label, classes=["policy-note-type"]),
            classes=["policy-note-label"],
        )
        body = nodes.paragraph("", "", nodes.Text(text.get(self.lang)), classes=["policy-note-text"])
        return policy_note("", head, body, classes=["policy-note", f"policy-note-{note_type}"], label=f"{label}: {type_label}")

    def form_ref(self, form_id: str) -> list[nodes.Node]:
        form = self.policy.form(form_id)
        text = form.label.get(self.lang) if form else form_id
        return [
            addnodes.pending_xref(
                "",
                nodes.inline(text, text, classes=["xref", "policy", "policy-form"]),
                refdomain="policy",
                reftype="form",
                reftarget=form_id,
                refexplicit=True,
                refwarn=True,
                refdoc=self.docname,
            )
        ]

    # -- guidelines

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
            if self.lang == "en":
                place = f"{g.municipality.get('en')}, {g.prefecture.get('en')}"
            else:
                place = f"{g.prefecture.ja}{g.municipality.ja}"
            title = g.title.get(self.lang)
            link = addnodes.pending_xref(
                "",
                nodes.inline(title, title),
                refdomain="policy",
                reftype="guideline",
                reftarget=g.id,
                refexplicit=True,
                refwarn=True,
                refdoc=self.docname,
            )
            date = g.current_date
            counted = sum(1 for c in g.clauses if c.text is not None)
            body += nodes.row(
                "",
                nodes.entry("", nodes.paragraph("", place)),
                nodes.entry("", nodes.paragraph("", "", link)),
                nodes.entry("", nodes.paragraph("", format_date(date, self.lang) if date else "—")),
                nodes.entry("", nodes.paragraph("", str(counted)), classes=["policy-number"]),
            )
        return table

    def guideline_meta(self, g: Guideline) -> nodes.Element:
        fields = nodes.field_list(classes=["policy-guideline-fields"])

        def add(name: str, *body: nodes.Node) -> None:
            fields.append(nodes.field(
                "",
                nodes.field_name(name, name),
                nodes.field_body("", nodes.paragraph("", "", *body)),
            ))

        lang = self.lang
        if lang == "en":
            place = f"{g.municipality.get('en')}, {g.prefecture.get('en')}"
        else:
            place = f"{g.prefecture.ja}{g.municipality.ja}"
        add(_("Municipality"), nodes.Text(place))
        add(_("Title"), nodes.Text(g.title.get(lang)))
        if lang != "ja":
            add(_("Official title (Japanese)"), *self.phrase(g.title.ja, "ja"))
        if g.department is not None:
            add(_("Department"), nodes.Text(g.department.get(lang)))
        for event, name in (("enacted", _("Enacted")), ("revised", _("Revised"))):
            dates = [h for h in g.history if h.event == event]
            if dates:
                add(name, *self.joined(self.date(h.date, h.published) for h in dates))
        if g.scope is not None:
            add(_("Applies to"), nodes.Text(g.scope.get(lang)))
        if g.contact is not None:
            add(_("Contact"), *self.contact(g))
        if g.source_url:
            add(_("Published text"), *self.url(g.source_url))
        return nodes.container(
            "",
            fields,
            classes=["policy-guideline-meta"],
            is_div=True,
            support_smartquotes=False,
        )

    def date(self, iso: str, published: bool) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.Text(format_date(iso, self.lang))]
        if not published:
            out.append(nodes.inline("", " " + _("(not printed in the published text)"), classes=["policy-unpublished"]))
        return out

    def contact(self, g: Guideline) -> list[nodes.Node]:
        """"総務広報課 総務広報係（電話 0942-65-7004 内線142）" / "Division, Section (Tel. …, ext. 142)"."""
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

    # -- forms

    def form(self, form: Form) -> policy_form:
        anchored = self.claim("form", form.id)
        node = policy_form(classes=["policy-form"], form_id=form.id, support_smartquotes=False)
        if anchored:
            node["ids"].append(form.id)
        parts: list[nodes.Node] = [
            nodes.inline("", "", *self.phrase(form.label.get(self.lang), self.lang), classes=["policy-form-label"]),
            nodes.Text(" "),
            nodes.inline(form.title.get(self.lang), form.title.get(self.lang), classes=["policy-heading-text"]),
        ]
        if anchored:
            parts.append(self.permalink(form.id, _("Link to this form")))
        node += policy_heading("", "", *parts, classes=["policy-form-heading"], level=self.heading_level)
        if form.addressee is not None:
            node += nodes.paragraph("", "", nodes.Text(form.addressee.get(self.lang)), classes=["policy-form-addressee"])
        for sentence in form.statement:
            node += nodes.paragraph("", "", nodes.Text(sentence.get(self.lang)), classes=["policy-form-statement"])
        header = [f for f in form.fields if f.section == "header"]
        footer = [f for f in form.fields if f.section == "footer"]
        table = [f for f in form.fields if f.section not in ("header", "footer")]
        for f in header:
            node += self.form_line(f, "policy-form-header")
            node.extend(self.note(n.type, n.text) for n in f.notes)
        if table:
            node += self.form_table(table)
        for f in footer:
            node += self.form_line(f, "policy-form-footer")
            node.extend(self.note(n.type, n.text) for n in f.notes)
        return node

    def field_label(self, f: FormField) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.Text(f.label.get(self.lang))]
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
            blank = "令和　　年　　月　　日" if self.lang == "ja" else _("Year ____ Month ____ Day ____")
            out.append(nodes.inline(blank, blank, classes=["policy-blank"]))
        else:
            out.append(nodes.inline("", "", classes=["policy-blank"]))
        if f.hint is not None:
            out.append(nodes.inline("", " " + f.hint.get(self.lang), classes=["policy-hint"]))
        return out

    def form_line(self, f: FormField, cls: str) -> nodes.paragraph:
        return nodes.paragraph(
            "", "", *self.field_label(f), nodes.Text(": " if self.lang == "en" else "："), *self.field_entry(f),
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
            entry.extend(self.note(n.type, n.text) for n in f.notes)  # on the page, not on the printout
            tbody += nodes.row("", nodes.entry("", nodes.paragraph("", "", *self.field_label(f))), entry)
        return table

    # -- glossary

    def glossary_entries(self) -> list[GlossaryTerm]:
        if self.lang == "ja":
            return sorted(self.policy.glossary, key=lambda t: (t.reading or t.term.ja, t.id))
        return sorted(self.policy.glossary, key=lambda t: (t.term.en.casefold(), t.id))

    def glossary(self, register: Callable[[nodes.term, GlossaryTerm, list[str]], None]) -> addnodes.glossary:
        """The glossary as a Sphinx glossary; ``register(term_node, term, names)`` makes
        each term a cross-reference target under all its names (both languages, variants)."""
        items = []
        for t in self.glossary_entries():
            primary = t.term.get(self.lang)
            term = nodes.term("", "", nodes.Text(primary))
            term["ids"].append(f"term-{t.id}")
            if self.lang == "ja" and t.reading:
                term += nodes.inline("", f"（{t.reading}）", classes=["policy-reading"])
            index_key = (t.reading or primary)[:1] if self.lang == "ja" else None
            index = addnodes.index(entries=[("single", primary, f"term-{t.id}", "main", index_key)])
            term += index
            names = [primary, t.term.get(self.other), *t.variants]
            register(term, t, list(dict.fromkeys(names)))

            definition = nodes.definition("", nodes.paragraph("", "", nodes.Text(t.definition.get(self.lang))))
            other = t.term.get(self.other)
            if self.lang == "ja":
                definition += nodes.paragraph(
                    "", "", self.label(_("English")), nodes.Text(" "), *self.phrase(other, "en"),
                    classes=["policy-term-other"],
                )
            else:
                reading = f" ({t.reading})" if t.reading else ""
                definition += nodes.paragraph(
                    "", "", self.label(_("Japanese")), nodes.Text(" "), *self.phrase(other + reading, "ja"),
                    classes=["policy-term-other"],
                )
            if t.variants:
                definition += nodes.paragraph(
                    "", "", self.label(_("Also written")), nodes.Text(" "),
                    *self.joined(self.phrase(v, "ja") for v in t.variants),
                    classes=["policy-term-variants"],
                )
            items.append(nodes.definition_list_item("", term, definition))
        dlist = nodes.definition_list("", *items, classes=["glossary", "policy-glossary"])
        return addnodes.glossary("", dlist, sorted=False, support_smartquotes=False)
