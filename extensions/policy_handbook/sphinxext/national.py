"""Views that hold at national scale (1,741 municipalities): each grows with N, never N².

``policy:topic-across <topic>``
    Every municipality's clauses on one topic, grouped by prefecture: each
    clause's number (a link to it) and kind.
``policy:prefecture-index``
    The prefectures, each with its number of guidelines and a link to its page
    (``:pages: prefectures/{slug}``, default): the navigation that replaces a
    sidebar listing every municipality.
``policy:prefecture <slug>``
    One prefecture's municipalities (the guideline list, filtered), each with a
    link to compare it with another (when ``policy_compare_page`` is set).
``policy:national-overview``
    Per topic, the share of municipalities that address it (a table with a bar
    per row: the numbers are text, the bar only repeats them), then which
    municipality addresses which topic (one row each, ● / –), filterable by
    prefecture and searchable by name when JavaScript runs.
``policy:compare``
    Any two municipalities side by side (``compare.html?a=…&b=…``), built in the
    browser from the JSON API (static/policy-compare.js). Without JavaScript the
    page says so and points to the comparison page.

With ``policy_compare_page`` set, each guideline's page (``policy:guideline``)
also offers "Compare with…": a form choosing another municipality, leading to
``compare.html?a=<this>&b=<chosen>`` (static/policy-compare-with.js). The list
is the compare page's own, fetched when the reader opens the form, so a page
does not carry 1,741 names (N² bytes over the site) and adding a municipality
writes no guideline page again. Without JavaScript it is a link to
``compare.html?a=<this>``.

Everything is rendered when the page is written (deferred.py); what each page
shows is fingerprinted (register_fingerprint) so a clause's text edit
writes none of these pages, while a clause added to a topic writes that topic's.
Policy text reaches the HTML only as docutils Text nodes or escaped attributes;
links between pages come from the builder (html, dirhtml, singlehtml).
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri

from .. import municipalities
from ..model import Guideline, Policy
from .assets import Files, add_files
from .base import PolicyDirective
from .config import get_config, page_language
from .data import policy_domain
from .deferred import register
from .i18n import _
from .incremental import Uses, each, note_uses, register_fingerprint
from .json_export import relative_to_page
from .nodes import policy_pending
from .render import Renderer, display_number, finish_generated
from .situation_nodes import Element, element, tree


def prefecture_order() -> tuple[str, ...]:
    """The prefectures in JIS X 0401 order (the national codes' first two digits): how Japanese
    lists them. Read from the national list when a view needs it, not when this module is
    imported (by every build, the API's too)."""
    return tuple(p.name for p in municipalities.prefectures())


def prefecture_slug(guideline: Guideline) -> str:
    """'fukuoka' for 'Fukuoka Prefecture': the prefecture's page name."""
    name = re.sub(r"\b(prefecture|metropolis)\b", "", guideline.prefecture.get("en").lower())
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "unknown"


def by_prefecture(policy: Policy) -> list[tuple[str, list[Guideline]]]:
    """(slug, guidelines) per prefecture, in the national order; within one, by national
    code (the list's order), then those without one by ID; prefectures not in the list
    (or none) after the others, by name."""
    rank = {name: i for i, name in enumerate(prefecture_order())}
    groups: dict[str, list[Guideline]] = {}
    for g in sorted(policy.guidelines, key=lambda g: (g.lg_code is None, g.lg_code or "", g.id)):
        groups.setdefault(prefecture_slug(g), []).append(g)
    return sorted(groups.items(), key=lambda item: (rank.get(item[1][0].prefecture.ja, len(rank)), item[1][0].prefecture.ja))


def addresses(g: Guideline) -> set[str]:
    """The topics a guideline has a clause with text on."""
    return {t for c in g.clauses if c.text is not None for t in c.topics}


# --------------------------------------------------------------------------- fingerprints


def _topic_content(policy: Policy, topic: str, label: object) -> Any:
    # lg_code: the lists are in its order (by_prefecture)
    if policy.topic(topic) is None:
        return None
    return [
        [
            g.id,
            g.municipality,
            g.prefecture,
            g.lg_code,
            [[c.id, c.number, c.kind] for c in g.clauses if c.text is not None and topic in c.topics],
        ]
        for g in policy.guidelines
    ] + [policy.topic(topic), policy.kinds]


def _coverage_content(policy: Policy, _name: str, label: object) -> Any:
    # The topics' and kinds' labels too: compare.html passes them to its script.
    return [[g.id, g.municipality, g.prefecture, g.lg_code, sorted(addresses(g))] for g in policy.guidelines] + [
        policy.topics,
        policy.kinds,
    ]


# --------------------------------------------------------------------------- directives


class NationalDirective(PolicyDirective):
    def note(self, policy: Policy, *uses: Uses) -> None:
        policy_domain(self.env).note_assets(self.env.docname, "national")
        note_uses(self.env, self.env.docname, *uses, deferred=True, policy=policy)


class TopicAcrossDirective(NationalDirective):
    required_arguments = 1

    def plan(self, policy: Policy) -> list[nodes.Node]:
        topic = self.arguments[0].strip()
        if policy.topic(topic) is None:
            self.note(policy, Uses("national-topic", topic))
            return self.unknown("topic", topic)
        shown = [c.id for g in policy.guidelines for c in g.clauses if c.text is not None and topic in c.topics]
        self.note(policy, Uses("national-topic", topic), *each("refx", shown), Uses("guideline-list"))
        return [self.pending("topic-across", topic=topic)]


class PrefectureIndexDirective(NationalDirective):
    option_spec: ClassVar[dict] = {"pages": directives.unchanged}

    def plan(self, policy: Policy) -> list[nodes.Node]:
        self.note(policy, Uses("national-coverage"))
        return [self.pending("prefecture-index", pages=self.options.get("pages", "prefectures/{slug}"))]


class PrefectureDirective(NationalDirective):
    required_arguments = 1

    def plan(self, policy: Policy) -> list[nodes.Node]:
        slug = self.arguments[0].strip()
        self.note(policy, Uses("guideline-list"), *each("refx", [g.roots[0].id for g in policy.guidelines if g.roots]))
        return [self.pending("prefecture", slug=slug)]


class NationalOverviewDirective(NationalDirective):
    def plan(self, policy: Policy) -> list[nodes.Node]:
        roots = [g.roots[0].id for g in policy.guidelines if g.roots]
        self.note(policy, Uses("national-coverage"), Uses("guideline-list"), *each("refx", roots))
        return [self.pending("national-overview")]


class CompareDirective(NationalDirective):
    def plan(self, policy: Policy) -> list[nodes.Node]:
        self.note(policy, Uses("national-coverage"))
        return [self.pending("compare")]


# --------------------------------------------------------------------------- rendering
#
# Links come from the builder (get_relative_uri: html, dirhtml and singlehtml name
# their files differently). The big views (a row or an option per municipality)
# are element trees written by one escaping visitor (situation_nodes.tree): every
# string from the policy reaches the HTML through the writer's escaping.


def _lang(builder: Builder) -> str:
    return page_language(builder.config)


def _place(g: Guideline, lang: str) -> str:
    return g.municipality.get(lang)


def _page_uri(builder: Builder, fromdoc: str, target: str) -> str | None:
    """The builder's relative link from one page to another (None: no such page)."""
    if target not in builder.env.found_docs:
        return None
    try:
        return builder.get_relative_uri(fromdoc, target)
    except NoUri:  # a builder without links between pages
        return None


def _section(title: str, section_id: str) -> nodes.section:
    section = nodes.section(ids=[section_id], classes=["policy-national-group"])
    section += nodes.title(title, title)
    return section


def _link(uri: str | None, text: str) -> Element | str:
    """``<a href>`` and nothing more: at 1,741 municipalities a topic's page lists
    ~6,000 clauses, and the bytes of each link decide whether it stays under 1 MB."""
    return text if uri is None else element("a", text, href=uri)


def render_topic_across(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname, topic = _lang(builder), node["docname"], node["topic"]
    kinds = {k.id: k.label.get(lang) for k in policy.kinds}
    domain = policy_domain(builder.env)
    total = len(policy.guidelines)
    count = sum(1 for g in policy.guidelines if topic in addresses(g))
    out: list[nodes.Node] = [
        nodes.paragraph("", _("{count} of {total} municipalities have a clause on this topic.").format(count=count, total=total))
    ]
    uris: dict[str, str | None] = {}

    def uri(target: str | None, anchor: str = "") -> str | None:
        if target is None:
            return None
        if target not in uris:
            uris[target] = _page_uri(builder, docname, target)
        page = uris[target]
        return None if page is None else page + (f"#{anchor}" if anchor else "")

    sep, colon = _(", "), _(": ")
    for slug, guidelines in by_prefecture(policy):
        items = []
        for g in guidelines:
            clauses = [c for c in g.clauses if c.text is not None and topic in c.topics]
            if not clauses:
                continue
            parts: list[Element | str] = [_link(uri(domain.guideline_page(g.id)), _place(g, lang)), colon]
            for i, c in enumerate(clauses):
                location = domain.location("clause", c.id)
                kind = kinds.get(c.kind or "", c.kind or "")
                if i:
                    parts.append(sep)
                parts.append(_link(uri(*location) if location else None, display_number(c, lang)))
                parts.append(f" ({kind})" if lang == "en" else f"（{kind}）")
            items.append(element("li", *parts))
        if not items:
            continue
        section = _section(f"{guidelines[0].prefecture.get(lang)} ({len(items)}/{len(guidelines)})", f"prefecture-{slug}")
        section += tree(element("ul", *items, class_="policy-national-list"))
        out.append(section)
    return finish_generated(out, lang)


def render_prefecture_index(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname = _lang(builder), node["docname"]
    items = nodes.bullet_list(classes=["policy-prefecture-index"])
    for slug, guidelines in by_prefecture(policy):
        label = f"{guidelines[0].prefecture.get(lang)} ({len(guidelines)})"
        uri = _page_uri(builder, docname, node["pages"].format(slug=slug))
        para = nodes.paragraph()
        para += nodes.reference(label, label, refuri=uri) if uri else nodes.Text(label)
        items += nodes.list_item("", para)
    return finish_generated([items], lang)


def render_prefecture(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname = _lang(builder), node["docname"]
    guidelines = dict(by_prefecture(policy)).get(node["slug"], [])
    renderer = Renderer(policy, lang, docname, heading_level=node["heading_level"])
    out: list[nodes.Node] = [renderer.guideline_list(guidelines)]
    compare = get_config(builder.config).compare_page
    uri = _page_uri(builder, docname, compare) if compare and guidelines else None
    if uri:
        items = nodes.bullet_list(classes=["policy-compare-links"])
        for g in guidelines:
            text = _("Compare {name} with another municipality").format(name=_place(g, lang))
            para = nodes.paragraph()
            para += nodes.reference(text, text, refuri=f"{uri}?a={quote(g.id)}")
            items += nodes.list_item("", para)
        out.append(items)
    return finish_generated(out, lang)


def _overview(policy: Policy, lang: str) -> list[Element]:
    topics = policy.topics
    groups = by_prefecture(policy)
    covered = {g.id: addresses(g) for g in policy.guidelines}
    total = len(policy.guidelines) or 1
    # The chart: a real table, the numbers in text; the bars repeat them for the eye.
    rows = []
    for t in topics:
        n = sum(1 for ids in covered.values() if t.id in ids)
        share = round(100 * n / total)
        bar = element("span", class_="policy-share-bar", style=f"width:{share * 0.08:.2f}em", aria_hidden="true")
        rows.append(element(
            "tr", element("th", t.label.get(lang), scope="row"), element("td", str(n), class_="policy-number"),
            element("td", bar, element("span", f"{share}%", class_="policy-share-value")),
        ))  # fmt: skip
    head = element("tr", *(element("th", label, scope="col") for label in (_("Topic"), _("Municipalities"), _("Share"))))
    chart = element(
        "table", element("caption", _("Share of municipalities that address each topic")),
        element("thead", head), element("tbody", *rows), class_="policy-share",
    )  # fmt: skip
    # The filter (works only with JavaScript: the form is hidden until the script shows it).
    options = [element("option", _("All prefectures"), value="")]
    options += [element("option", guidelines[0].prefecture.get(lang), value=slug) for slug, guidelines in groups]
    form = element(
        "form",
        element("div", element("label", _("Prefecture"), for_="policy-filter-prefecture"), " ",
                element("select", *options, id="policy-filter-prefecture")),
        element("div", element("label", _("Municipality name"), for_="policy-filter-name"), " ",
                element("input", type="search", id="policy-filter-name", autocomplete="off")),
        class_="policy-national-filter", hidden=None,
    )  # fmt: skip
    status = element(
        "p", class_="policy-national-status", role="status", aria_live="polite",
        data_template=_("{shown} of {total} municipalities shown"),
    )  # fmt: skip
    # The matrix: one row per municipality, one column per topic; ● addresses, – does not.
    head = element(
        "tr", element("th", _("Municipality"), scope="col"), element("th", _("Prefecture"), scope="col"),
        *(element("th", element("span", t.label.get(lang)), scope="col") for t in topics),
    )  # fmt: skip
    # ● and – with the legend in the caption: 12 bytes a cell keeps 1,741 × 22 cells under 1 MB.
    body = []
    for slug, guidelines in groups:
        prefecture = guidelines[0].prefecture.get(lang)
        for g in guidelines:
            ids = covered[g.id]
            cells = [element("td", "●" if t.id in ids else "–") for t in topics]
            body.append(element(
                "tr", element("th", _place(g, lang), scope="row"), element("td", prefecture), *cells, data_prefecture=slug,
            ))  # fmt: skip
    matrix = element(
        "table", element("caption", _("Topics by municipality (● has a clause, – has none)")),
        element("thead", head), element("tbody", *body), class_="policy-coverage",
    )  # fmt: skip
    scroll = element(
        "div", matrix, class_="policy-national-scroll", tabindex="0", role="region", aria_label=_("Topics by municipality"),
    )  # fmt: skip
    return [chart, form, status, scroll]


def render_national_overview(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    return [tree(*_overview(policy, _lang(builder)))]


def _api_uri(builder: Builder, docname: str) -> str:
    """The JSON API's folder (policy_api_dir, relative to the output directory) from the page's file."""
    api_dir = get_config(builder.config).api_dir
    return relative_to_page(builder, docname, api_dir.strip("/")) + "/" if api_dir else ""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_compare(builder: Builder, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname = _lang(builder), node["docname"]
    comparison = get_config(builder.config).comparison_page
    fallback = _page_uri(builder, docname, comparison) if comparison else None
    labels = {
        "loading": _("Loading the comparison…"),
        "failed": _("The comparison could not be loaded."),
        "same": _("Choose two different municipalities."),
        "shown": _("Showing {a} and {b}: {rows} rows."),
        "topic": _("Topic"),
        "similarity": _("Similarity {percent}%"),
        "none": _("No corresponding clause"),
        "declared": _("Rows as aligned by a person ({file})."),
        "by_topic": _("No person has aligned these two: rows by topic, each municipality's clauses on it."),
        "suggested": _("suggested by a machine, not yet reviewed"),
        "ins": _("added"),
        "del": _("deleted"),
    }
    notice: list[Element | str] = [_("This comparison is built in your browser and needs JavaScript.")]
    if fallback:
        notice += [" ", element("a", _("The comparison of the guidelines"), href=fallback)]
    sides = []
    for side, label in (("a", _("First municipality")), ("b", _("Second municipality"))):
        groups = [
            element("optgroup", *(element("option", _place(g, lang), value=g.id) for g in guidelines),
                    label=guidelines[0].prefecture.get(lang))
            for _slug, guidelines in by_prefecture(policy)
        ]  # fmt: skip
        sides.append(element(
            "div", element("label", label, for_=f"policy-compare-{side}"), " ",
            element("select", *groups, id=f"policy-compare-{side}", name=side),
        ))  # fmt: skip
    root = element(
        "div",
        element("noscript", element("p", *notice, class_="policy-compare-noscript")),
        element("form", *sides, element("div", element("button", _("Compare"), type="submit")),
                class_="policy-compare-form", hidden=None),
        element("p", class_="policy-compare-status", role="status", aria_live="polite"),
        element("div", class_="policy-compare-result"),
        class_="policy-compare", data_api=_api_uri(builder, docname), data_lang=lang,
        data_topics=_json([[t.id, t.label.get(lang)] for t in policy.topics]),
        data_kinds=_json([[k.id, k.label.get(lang)] for k in policy.kinds]), data_labels=_json(labels),
    )  # fmt: skip
    return [tree(root)]


def note_compare_with(app: Sphinx, env: BuildEnvironment, docname: str, guideline_id: str) -> None:
    """While reading a guideline's page: it will offer "Compare with…" (and load its script)."""
    if get_config(env.config).compare_page:
        policy_domain(env).note_assets(docname, "compare-with")


def compare_with(app: Sphinx, builder: Builder, guideline: Guideline, docname: str) -> list[nodes.Node]:
    """On a guideline's page: choose another municipality and open the pair on the compare page."""
    compare = get_config(builder.config).compare_page
    uri = _page_uri(builder, docname, compare) if compare else None
    if uri is None:
        return []
    lang = _lang(builder)
    labels = {
        "loading": _("Loading the list of municipalities…"),
        "failed": _("The list of municipalities could not be loaded."),
        "choose": _("Choose a municipality"),
    }
    text = _("Compare {name} with another municipality").format(name=_place(guideline, lang))
    form_id = f"policy-compare-with-{guideline.id}"
    # The no-script entry: the compare page with this municipality chosen first.
    link = element("p", element("a", text, href=f"{uri}?a={quote(guideline.id)}"), class_="policy-compare-with-link")
    form = element(
        "form",
        element("input", type="hidden", name="a", value=guideline.id),
        element("div", element("label", _("Municipality to compare with"), for_=f"{form_id}-b"), " ",
                element("select", id=f"{form_id}-b", name="b", required=None)),
        element("div", element("button", _("Compare"), type="submit")),
        class_="policy-compare-with-form", id=form_id, action=uri, method="get", hidden=None,
    )  # fmt: skip
    status = element("p", class_="policy-compare-with-status", role="status", aria_live="polite")
    return [tree(element("div", link, form, status, class_="policy-compare-with", data_labels=_json(labels)))]


# --------------------------------------------------------------------------- setup

# What each group of pages loads (domain.note_assets): every other page stays byte-identical.
ASSETS = {
    "national": Files(css=["policy-national.css"], js=["policy-national.js", "policy-textdiff.js", "policy-compare.js"]),
    "compare-with": Files(css=["policy-national.css"], js=["policy-compare-with.js"]),
}


def setup_national(app: Sphinx) -> None:
    for name, directive in (
        ("topic-across", TopicAcrossDirective),
        ("prefecture-index", PrefectureIndexDirective),
        ("prefecture", PrefectureDirective),
        ("national-overview", NationalOverviewDirective),
        ("compare", CompareDirective),
    ):
        app.add_directive_to_domain("policy", name, directive)
    register_fingerprint("national-topic", _topic_content)
    register_fingerprint("national-coverage", _coverage_content)
    register("topic-across", render_topic_across)
    register("prefecture-index", render_prefecture_index)
    register("prefecture", render_prefecture)
    register("national-overview", render_national_overview)
    register("compare", render_compare)
    # Hooks of the guideline directive (directives.py): "Compare with…" under its metadata box.
    app.connect("policy-guideline-read", note_compare_with)
    app.connect("policy-guideline-meta", compare_with)
    add_files(app, groups=ASSETS)
