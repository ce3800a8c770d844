"""The comparison on the site: an overview matrix and one side-by-side table per topic.

Directives (in the ``policy`` domain):

``policy:comparison-matrix``
    Topics down, documents across: the relation of each topic as a badge and, per
    document, links to the clauses that address it.
``policy:comparison-tables``
    The legend, then one section per topic: relation, summary and a table with
    one column per document, the differences marked (<ins>/<del>) and the
    similarity of each pair, then the clauses of the topic the table leaves out
    (``excluded:``) with their reasons. ``policy:comparison-topic <topic id>`` renders one.
``policy:comparison-legend``
    Only the legend (the two directives above include it unless ``:no-legend:``).

The section titles are made while the page is read (they are its contents); the
tables when it is written (deferred.py), so an edited clause writes the page
again without reading it. Everything comes from
``policy_handbook.comparison.build_comparison`` in the page language, so the
English site shows the English texts diffed word by word. YAML text always
becomes Text nodes, never markup. A third guideline listed in ``documents`` is a
third column: nothing here counts documents.

Marks never rely on colour alone: inserted text is underlined (as in a 新旧対照表)
and deleted text struck through, both inside <ins>/<del> with visually hidden
labels for screen readers (translated), and a legend above the tables says so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..comparison import CellView, ClauseView, ComparisonView, TopicView, build_comparison
from ..model import Policy
from ..textdiff import DELETE, INSERT, Run, percent
from .base import PolicyDirective
from .config import page_language
from .data import policy_domain
from .deferred import register
from .i18n import _
from .incremental import Uses, each, note_uses, register_fingerprint
from .nodes import element_visitors, policy_pending
from .render import display_number, finish_generated, japanese_text, not_for_gettext, policy_xref

logger = logging.getLogger(__name__)


def topic_anchor(topic: str) -> str:
    return f"comparison-{topic}"


# ----------------------------------------------------------------------------- nodes


class diff_ins(nodes.inline):  # noqa: N801
    """Text the compared clause adds: ``<ins class="policy-diff-ins">`` in HTML."""


class diff_del(nodes.inline):  # noqa: N801
    """Text of the base clause the compared clause lacks: ``<del class="policy-diff-del">``."""


class header_cell(nodes.entry):  # noqa: N801
    """A table header cell that states its scope (``col`` or ``row``) in HTML."""


def topic_ref(topic: str, label: str) -> addnodes.pending_xref:
    """A link to the topic's table on the first page showing it (the policy domain
    resolves it); only the label when no page does."""
    return policy_xref("topic", topic, nodes.inline("", label), refwarn=False)


def _visit_header_cell(self: Any, node: nodes.Element) -> None:
    # docutils' visit_entry decides th/td, head/stub and the spans; it has no way to
    # pass another attribute, so its starttag is given the scope for this one call.
    starttag = self.starttag

    def with_scope(element: nodes.Element, tagname: str, *args: Any, **attributes: Any) -> str:
        if element is node:
            attributes["scope"] = node["scope"]
        return starttag(element, tagname, *args, **attributes)

    self.starttag = with_scope
    try:
        self.visit_entry(node)
    finally:
        del self.starttag  # the class's method again


def _depart_header_cell(self: Any, node: nodes.Element) -> None:
    self.depart_entry(node)


# ----------------------------------------------------------------------------- labels


def relation_label(topic: TopicView, names: dict[str, str]) -> str:
    """The badge text of a topic's relation, in the page language."""
    if topic.relation == "equivalent":
        return _("Equivalent")
    if topic.relation == "similar":
        return _("Similar")
    if topic.relation == "different":
        return _("Different")
    if topic.relation == "stricter" and topic.stricter:
        return _("Stricter: {municipality}").format(municipality=names.get(topic.stricter, topic.stricter))
    if topic.relation == "only" and topic.only:
        return _("{municipality} only").format(municipality=names.get(topic.only, topic.only))
    return topic.relation


def _badge(topic: TopicView, names: dict[str, str]) -> nodes.inline:
    # sphinx-design's badge shape; the colours are ours (policy-comparison.css) so the
    # text keeps AA contrast in light and dark themes.
    return nodes.inline(
        "",
        relation_label(topic, names),
        classes=["sd-badge", "policy-relation", f"policy-relation-{topic.relation}"],
    )


def _hidden(text: str) -> nodes.inline:
    """Text for screen readers only."""
    return nodes.inline("", text, classes=["policy-comparison-sr"])


def _ins(text: str) -> diff_ins:
    return diff_ins("", "", _hidden(_("[inserted: ")), nodes.Text(text), _hidden(_("]")), classes=["policy-diff-ins"])


def _del(text: str) -> diff_del:
    return diff_del("", "", _hidden(_("[deleted: ")), nodes.Text(text), _hidden(_("]")), classes=["policy-diff-del"])


def _marked(runs: tuple[Run, ...] | list[Run]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for op, text in runs:
        if op == INSERT:
            out.append(_ins(text))
        elif op == DELETE:
            out.append(_del(text))
        else:
            out.append(nodes.Text(text))
    return out


def _clause_link(clause: ClauseView, lang: str) -> addnodes.pending_xref:
    """A link to wherever the policy domain renders the clause (its home page and anchor)."""
    # The citation as the guideline pages show it ("Preamble" in English; 2(1)・3 marked lang="ja").
    number = japanese_text(display_number(clause, lang), lang)
    return policy_xref("clause", clause.id, nodes.inline("", "", number, classes=["policy-comparison-clause-number"]))


# ----------------------------------------------------------------------------- tables


def _table(
    caption: str,
    headers: list[str],
    rows: list[list[list[nodes.Node]]],
    *,
    stub: bool,
    classes: list[str],
    table_id: str | None = None,
) -> nodes.table:
    """A docutils table: caption, header row (scope="col"), first column as row headers if ``stub``.

    A table with a caption needs an ID (Sphinx's HTML writer numbers captioned
    tables); one rendered at write time does not get it from the read-time
    transforms, so the directive gives one out while reading.
    """
    table = nodes.table(classes=["policy-comparison-table", *classes], ids=[table_id] if table_id else [])
    table += nodes.title("", caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for index in range(len(headers)):
        group += nodes.colspec(colwidth=1, stub=1 if (stub and index == 0) else 0)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    head += head_row
    for text in headers:
        cell = header_cell(scope="col")
        cell += nodes.paragraph("", text)
        head_row += cell
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        body += row
        for index, content in enumerate(cells):
            cell = header_cell(scope="row") if (stub and index == 0) else nodes.entry()
            cell.extend(content)
            row += cell
    return table


def _cell_content(cell: CellView | None, base_name: str, lang: str) -> list[nodes.Node]:
    if cell is None:
        return [nodes.paragraph("", _("No corresponding clause"), classes=["policy-comparison-none"])]
    content: list[nodes.Node] = []
    for clause in cell.clauses:
        head = nodes.paragraph(classes=["policy-comparison-clause-head"])
        head += _clause_link(clause, lang)
        if clause.heading:
            head += nodes.Text(" ")
            head += nodes.inline("", clause.heading, classes=["policy-comparison-context"])
        content.append(head)
        if clause.text:
            text = nodes.paragraph(classes=["policy-comparison-text"])
            text.extend(_marked(clause.runs))
            content.append(text)
    if cell.similarity is not None:
        line = _("Similarity to {municipality}: {percent}%").format(municipality=base_name, percent=percent(cell.similarity))
        content.append(nodes.paragraph("", line, classes=["policy-comparison-similarity"]))
    return content


def topic_section(label: str, topic_id: str, *, with_id: bool = True) -> nodes.section:
    """A topic's section with its title (made while reading: it is in the page's contents)."""
    ids = [topic_anchor(topic_id)] if with_id else []
    section = nodes.section(ids=ids, classes=["policy-comparison-topic"])
    section += nodes.title("", label)
    return section


def topic_body(view: ComparisonView, topic: TopicView, table_id: str | None = None) -> list[nodes.Node]:
    """Relation, summary and the side-by-side table of one topic."""
    names = {d.id: d.municipality for d in view.documents}
    relation = nodes.paragraph(classes=["policy-comparison-relation"])
    relation += nodes.strong("", _("Relation"))
    relation += nodes.Text(_(": "))
    relation += _badge(topic, names)
    summary = nodes.paragraph(classes=["policy-comparison-summary"])
    summary += nodes.strong("", _("Summary"))
    summary += nodes.Text(_(": ") + topic.summary)
    rows = [[_cell_content(cell, names.get(row.base, row.base), view.lang) for cell in row.cells] for row in topic.rows]
    caption = _("{topic}: the clauses side by side").format(topic=topic.label)
    headers = [d.municipality for d in view.documents]
    table = _table(caption, headers, rows, stub=False, classes=["policy-comparison-side-by-side"], table_id=table_id)
    return [relation, summary, table, *_excluded(topic, names, view.lang)]


def _excluded(topic: TopicView, names: dict[str, str], lang: str) -> list[nodes.Node]:
    """The clauses of the topic its table leaves out, each with the reason a person gave
    (often where it is compared instead): a reader looking for one finds why it is not there."""
    if not topic.excluded:
        return []
    box = nodes.container(classes=["policy-comparison-excluded"])
    box += nodes.paragraph("", "", nodes.strong("", _("Clauses of this topic not in the table")))
    items = nodes.bullet_list()
    for excluded in topic.excluded:
        line = nodes.paragraph()
        line += nodes.Text(names.get(excluded.document, excluded.document) + " ")
        line += _clause_link(excluded.clause, lang)
        line += nodes.Text(_(": ") + excluded.reason)
        items += nodes.list_item("", line)
    box += items
    return [box]


def matrix_table(view: ComparisonView, table_id: str | None = None) -> nodes.table:
    names = {d.id: d.municipality for d in view.documents}
    separator = _(", ")
    rows = []
    for topic in view.topics:
        label = topic_ref(topic.topic, topic.label)
        row: list[list[nodes.Node]] = [
            [nodes.paragraph("", "", label)],
            [nodes.paragraph("", "", _badge(topic, names))],
        ]
        for document in view.documents:
            ids = topic.clauses_of(document.id)
            para = nodes.paragraph(classes=["policy-comparison-links"])
            if not ids:
                para += nodes.inline("", "—", classes=["policy-comparison-dash"])
                para += _hidden(_("No corresponding clause"))
            seen: set[str] = set()
            for clause in _clauses_in_order(ids, topic):
                if clause.number in seen:  # paragraphs sharing a number: one link is enough
                    continue
                if seen:
                    para += nodes.Text(separator)
                seen.add(clause.number)
                para += _clause_link(clause, view.lang)
            row.append([para])
        rows.append(row)
    headers = [_("Topic"), _("Relation"), *[d.municipality for d in view.documents]]
    return _table(_("Topics at a glance"), headers, rows, stub=True, classes=["policy-comparison-matrix"], table_id=table_id)


def _clauses_in_order(ids: tuple[str, ...], topic: TopicView) -> list[ClauseView]:
    views: dict[str, ClauseView] = {}
    for row in topic.rows:
        for cell in row.cells:
            if cell is not None:
                for clause in cell.clauses:
                    views.setdefault(clause.id, clause)
    return [views[cid] for cid in ids if cid in views]


def legend() -> nodes.container:
    box = nodes.container(classes=["policy-comparison-legend"])
    box += nodes.paragraph("", "", nodes.strong("", _("How to read the tables")))
    items = nodes.bullet_list()
    entries = [
        [_ins(_("Underlined")), nodes.Text(_(": words the clause has and the base clause of its row lacks (inserted)."))],
        [_del(_("Struck through")), nodes.Text(_(": words of the base clause that the other clauses of the row lack (deleted)."))],
        [nodes.Text(_("Base: the leftmost clause of each row; the other clauses of the row are compared with it."))],
        [
            nodes.Text(
                _(
                    "Similarity: the share of the two texts they have in common, counted in characters "
                    "without spaces (Japanese compared character by character, English word by word). "
                    "It measures wording; the relation badge says whether the substance is the same."
                )
            )
        ],
    ]
    for content in entries:
        item = nodes.list_item()
        item += nodes.paragraph("", "", *content)
        items += item
    box += items
    return box


# ----------------------------------------------------------------------------- directives


class _ComparisonDirective(PolicyDirective):
    """While reading: the sections (their titles are the page's contents) and
    placeholders; the tables are rendered when the page is written (deferred.py)."""

    def plan(self, policy: Policy) -> list[nodes.Node]:
        env = self.env
        note_uses(env, env.docname, Uses("comparison-outline"), policy=policy)
        # The tables: written again when what they show in this language changes,
        # or when a clause they link to moves to another page.
        note_uses(
            env,
            env.docname,
            Uses("comparison", page_language(self.config)),
            *each("refx", _compared_clauses(policy)),
            deferred=True,
            policy=policy,
        )
        if policy.comparison is None or not policy.comparison.topics:
            logger.warning(
                "the policy has no comparison (policy/comparison.yaml)",
                type="policy",
                subtype="comparison",
                location=self.get_location(),
            )
            return []
        return self.show(policy)

    def show(self, policy: Policy) -> list[nodes.Node]:
        """What the directive shows of the policy's comparison (which has topics)."""
        raise NotImplementedError

    def pending(self, what: str, **attributes: Any) -> policy_pending:
        # Unique on the page, and the same on every build of it.
        return super().pending(what, table_id=f"policy-table-{self.env.new_serialno('policy-table')}", **attributes)

    def section(self, policy: Policy, topic_id: str) -> nodes.section:
        entry = policy.topic(topic_id)
        label = entry.label.get(page_language(self.config)) if entry else topic_id
        # Where the topic's table lives (links to it go to the first such page).
        anchored = self.show_once(
            "topic", topic_id, topic_anchor(topic_id), f"comparison topic {topic_id!r} is rendered twice on this page"
        )
        section = topic_section(label, topic_id, with_id=anchored)
        section += self.pending("comparison-topic", topic=topic_id)
        return section


def _compared_clauses(policy: Policy) -> list[str]:
    comparison = policy.comparison
    if comparison is None:
        return []
    shown = {i for a in comparison.topics for row in a.rows for _doc, ids in row.cells for i in ids}
    return sorted(shown | {x.clause for a in comparison.topics for x in a.excluded})


class ComparisonMatrix(_ComparisonDirective):
    def show(self, policy: Policy) -> list[nodes.Node]:
        # Its topics link to their tables: written again when one moves to another page.
        policy_domain(self.env).note_link(self.env.docname, "topic")
        return [self.pending("comparison-matrix")]


class ComparisonTables(_ComparisonDirective):
    option_spec: ClassVar[dict[str, Any]] = {"no-legend": directives.flag}

    def show(self, policy: Policy) -> list[nodes.Node]:
        assert policy.comparison is not None
        return self.tables(policy, [alignment.topic for alignment in policy.comparison.topics])

    def tables(self, policy: Policy, topics: list[str]) -> list[nodes.Node]:
        """The legend (unless ``:no-legend:``), then a section per topic."""
        out: list[nodes.Node] = [] if "no-legend" in self.options else [legend()]
        out += [self.section(policy, topic) for topic in topics]
        return finish_generated(out, page_language(self.config))


class ComparisonTopic(ComparisonTables):
    required_arguments = 1

    def show(self, policy: Policy) -> list[nodes.Node]:
        assert policy.comparison is not None
        topic_id = self.arguments[0].strip()
        known = [a.topic for a in policy.comparison.topics]
        if topic_id not in known:
            logger.warning(
                f"unknown comparison topic {topic_id!r} (known: {', '.join(known)})",
                type="policy",
                subtype="ref",
                location=self.get_location(),
            )
            return []
        return self.tables(policy, [topic_id])


# ----------------------------------------------------------------------------- rendering at write time


def _view(builder: Builder, policy: Policy) -> ComparisonView:
    return build_comparison(policy, page_language(builder.config))  # cached per policy and language


def render_matrix(builder: Builder, policy: Policy, node: nodes.Element) -> list[nodes.Node]:
    view = _view(builder, policy)
    return finish_generated([matrix_table(view, node["table_id"])], view.lang) if view.topics else []


def render_topic(builder: Builder, policy: Policy, node: nodes.Element) -> list[nodes.Node]:
    view = _view(builder, policy)
    topic = view.topic(node["topic"])
    return finish_generated(topic_body(view, topic, node["table_id"]), view.lang) if topic else []


class ComparisonLegend(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        out = [legend()]
        not_for_gettext(out)
        return out


# ----------------------------------------------------------------------------- what the pages show


def _outline_content(policy: Policy, name: str, label: object) -> Any:
    """The comparison's topics and their labels (the sections of the tables)."""
    if policy.comparison is None:
        return None
    outline = []
    for alignment in policy.comparison.topics:
        topic = policy.topic(alignment.topic)
        outline.append([alignment.topic, topic.label if topic else None])
    return outline


def _tables_content(policy: Policy, lang: str, label: object) -> Any:
    """The tables in one language: everything they show (texts, marks, similarities,
    relations, summaries), so an edit to a Japanese text leaves the English tables alone."""
    return build_comparison(policy, lang)  # cached: the page renders this very view


# ----------------------------------------------------------------------------- setup


DIRECTIVES = {
    "comparison-matrix": ComparisonMatrix,
    "comparison-tables": ComparisonTables,
    "comparison-topic": ComparisonTopic,
    "comparison-legend": ComparisonLegend,
}


def setup_comparison_tables(app: Sphinx) -> None:
    # Its UI strings: i18n.py's catalog; its CSS: assets.py.
    app.add_node(diff_ins, html=element_visitors("ins"))
    app.add_node(diff_del, html=element_visitors("del"))
    app.add_node(header_cell, html=(_visit_header_cell, _depart_header_cell))
    for name, directive in DIRECTIVES.items():  # setup_domain has registered "policy"
        app.add_directive_to_domain("policy", name, directive)
    register_fingerprint("comparison-outline", _outline_content)
    register_fingerprint("comparison", _tables_content)
    register("comparison-matrix", render_matrix)
    register("comparison-topic", render_topic)
