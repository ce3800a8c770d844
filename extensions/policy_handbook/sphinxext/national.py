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
shows is fingerprinted (incremental.EXTRA_FINGERPRINTS) so a clause's text edit
writes none of these pages, while a clause added to a topic writes that topic's.
Policy text reaches the HTML only as docutils Text nodes or escaped attributes.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import municipalities
from ..model import Guideline, Policy
from .config import page_language
from .deferred import register
from .directives import PolicyDirective
from .i18n import _
from .incremental import EXTRA_FINGERPRINTS, note_policy_usage
from .nodes import policy_pending
from .render import finish_generated

STATIC_FILES = {"css": ["policy-national.css"], "js": ["policy-national.js", "policy-textdiff.js", "policy-compare.js"]}
COMPARE_WITH_FILES = {"css": ["policy-national.css"], "js": ["policy-compare-with.js"]}
# Pages showing these views get the files; other pages stay as they were.
ENV_PAGES = "policy_national_pages"
# Guideline pages showing "Compare with…" (only when policy_compare_page is set).
ENV_COMPARE_WITH = "policy_compare_with_pages"

# JIS X 0401 order (the national codes' first two digits): how Japanese lists prefectures.
# Others (or none) sort after, by name.
PREFECTURE_ORDER = tuple(p.name for p in municipalities.prefectures())
_RANK = {name: i for i, name in enumerate(PREFECTURE_ORDER)}


def prefecture_slug(guideline: Guideline) -> str:
    """'fukuoka' for 'Fukuoka Prefecture': the prefecture's page name."""
    name = re.sub(r"\b(prefecture|metropolis)\b", "", guideline.prefecture.en.lower())
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "unknown"


def by_prefecture(policy: Policy) -> list[tuple[str, list[Guideline]]]:
    """(slug, guidelines) per prefecture, in the national order; within one, by national
    code (the list's order), then those without one by ID."""
    groups: dict[str, list[Guideline]] = {}
    for g in sorted(policy.guidelines, key=lambda g: (g.lg_code is None, g.lg_code or "", g.id)):
        groups.setdefault(prefecture_slug(g), []).append(g)
    return sorted(groups.items(), key=lambda item: (_RANK.get(item[1][0].prefecture.ja, len(_RANK)), item[1][0].prefecture.ja))


def addresses(g: Guideline) -> set[str]:
    """The topics a guideline has a clause with text on."""
    return {t for c in g.clauses if c.text is not None for t in c.topics}


# --------------------------------------------------------------------------- fingerprints


def _topic_content(policy: Policy, topic: str) -> Any:
    # lg_code: the lists are in its order (by_prefecture)
    if policy.topic(topic) is None:
        return None
    return [
        [g.id, g.municipality, g.prefecture, g.lg_code, [[c.id, c.number, c.kind] for c in g.clauses if c.text is not None and topic in c.topics]]
        for g in policy.guidelines
    ] + [policy.topic(topic), policy.kinds]


def _coverage_content(policy: Policy, _name: str) -> Any:
    # The topics' and kinds' labels too: compare.html passes them to its script.
    return [[g.id, g.municipality, g.prefecture, g.lg_code, sorted(addresses(g))] for g in policy.guidelines] + [policy.topics, policy.kinds]


EXTRA_FINGERPRINTS["national-topic"] = _topic_content
EXTRA_FINGERPRINTS["national-coverage"] = _coverage_content


# --------------------------------------------------------------------------- directives


class NationalDirective(PolicyDirective):
    required_arguments = 0
    option_spec: ClassVar[dict] = {}

    def note(self, policy: Policy, *keys: str, **usage: Any) -> None:
        self.env.domaindata["policy"].setdefault(ENV_PAGES, {})[self.env.docname] = True
        note_policy_usage(self.env, self.env.docname, deferred=True, policy=policy, extra=keys, **usage)


class TopicAcrossDirective(NationalDirective):
    required_arguments = 1

    def plan(self, policy: Policy) -> list[nodes.Node]:
        topic = self.arguments[0].strip()
        if policy.topic(topic) is None:
            self.note(policy, f"national-topic:{topic}")
            return self.unknown("topic", topic)
        shown = [c.id for g in policy.guidelines for c in g.clauses if c.text is not None and topic in c.topics]
        self.note(policy, f"national-topic:{topic}", clause_links=shown, guideline_list=True)
        return [self.pending("topic-across", topic=topic)]


class PrefectureIndexDirective(NationalDirective):
    option_spec: ClassVar[dict] = {"pages": directives.unchanged}

    def plan(self, policy: Policy) -> list[nodes.Node]:
        self.note(policy, "national-coverage:")
        return [self.pending("prefecture-index", pages=self.options.get("pages", "prefectures/{slug}"))]


class PrefectureDirective(NationalDirective):
    required_arguments = 1

    def plan(self, policy: Policy) -> list[nodes.Node]:
        slug = self.arguments[0].strip()
        self.note(policy, guideline_list=True, clause_links=[g.roots[0].id for g in policy.guidelines if g.roots])
        return [self.pending("prefecture", slug=slug)]


class NationalOverviewDirective(NationalDirective):
    def plan(self, policy: Policy) -> list[nodes.Node]:
        self.note(policy, "national-coverage:", guideline_list=True, clause_links=[g.roots[0].id for g in policy.guidelines if g.roots])
        return [self.pending("national-overview")]


class CompareDirective(NationalDirective):
    def plan(self, policy: Policy) -> list[nodes.Node]:
        self.note(policy, "national-coverage:")
        return [self.pending("compare")]


# --------------------------------------------------------------------------- rendering


def _lang(env: BuildEnvironment) -> str:
    return page_language(env.config)


def _place(g: Guideline, lang: str) -> str:
    return g.municipality.get(lang)


def _guideline_link(g: Guideline, docname: str, lang: str) -> addnodes.pending_xref:
    name = _place(g, lang)
    return addnodes.pending_xref(
        "", nodes.inline(name, name), refdomain="policy", reftype="guideline", reftarget=g.id,
        refexplicit=True, refwarn=True, refdoc=docname,
    )  # fmt: skip


def _clause_link(clause_id: str, label: str, docname: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline(label, label), refdomain="policy", reftype="clause", reftarget=clause_id,
        refexplicit=True, refwarn=True, refdoc=docname,
    )  # fmt: skip


def _section(title: str, section_id: str) -> nodes.section:
    section = nodes.section(ids=[section_id], classes=["policy-national-group"])
    section += nodes.title(title, title)
    return section


def render_topic_across(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname, topic = _lang(env), node["docname"], node["topic"]
    kinds = {k.id: k.label.get(lang) for k in policy.kinds}
    domain = env.domains["policy"]
    groups = by_prefecture(policy)
    total = len(policy.guidelines)
    count = sum(1 for g in policy.guidelines if topic in addresses(g))
    out: list[nodes.Node] = [
        nodes.paragraph("", _("{count} of {total} municipalities have a clause on this topic.").format(count=count, total=total))
    ]
    uris: dict[str, str | None] = {}

    def link(target: str | None, anchor: str, text: str) -> str:
        if target is None:
            return _escape(text)
        if target not in uris:
            uris[target] = _page_uri(env, docname, target)
        uri = uris[target]
        if uri is None:
            return _escape(text)
        return f'<a href="{_escape(uri + (f"#{anchor}" if anchor else ""))}">{_escape(text)}</a>'

    sep, colon = _escape(_(", ")), _escape(_(": "))
    for slug, guidelines in groups:
        # Plain <a> links written here rather than reference nodes: at 1,741 municipalities a
        # topic's page lists ~6,000 clauses, and the bytes of each link decide whether it stays
        # under 1 MB. Every string from the policy is escaped.
        items, listed = [], 0
        for g in guidelines:
            clauses = [c for c in g.clauses if c.text is not None and topic in c.topics]
            if not clauses:
                continue
            listed += 1
            parts = []
            for c in clauses:
                location = domain.clause_location(c.id)
                kind = kinds.get(c.kind or "", c.kind or "")
                shown = link(location[0], location[1], c.number) if location else _escape(c.number)
                parts.append(shown + _escape(f" ({kind})" if lang == "en" else f"（{kind}）"))
            head = link(domain.guideline_page(g.id), "", _place(g, lang))
            items.append(f"<li>{head}{colon}{sep.join(parts)}</li>")
        if not items:
            continue
        section = _section(f"{guidelines[0].prefecture.get(lang)} ({listed}/{len(guidelines)})", f"prefecture-{slug}")
        section += national_html(markup='<ul class="policy-national-list">' + "".join(items) + "</ul>")
        out.append(section)
    return finish_generated(out, lang)


def _page_uri(env: BuildEnvironment, fromdoc: str, target: str) -> str | None:
    """The html builder's relative link from one page to another (None: no such page)."""
    if target not in env.found_docs:
        return None
    suffix = env.config.html_link_suffix if env.config.html_link_suffix is not None else env.config.html_file_suffix or ".html"
    return posixpath.relpath(target, posixpath.dirname(fromdoc) or ".") + suffix


def render_prefecture_index(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    lang, docname = _lang(env), node["docname"]
    items = nodes.bullet_list(classes=["policy-prefecture-index"])
    for slug, guidelines in by_prefecture(policy):
        label = f"{guidelines[0].prefecture.get(lang)} ({len(guidelines)})"
        uri = _page_uri(env, docname, node["pages"].format(slug=slug))
        para = nodes.paragraph()
        para += nodes.reference(label, label, refuri=uri) if uri else nodes.Text(label)
        items += nodes.list_item("", para)
    return finish_generated([items], lang)


def render_prefecture(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    from .render import Renderer

    lang, docname = _lang(env), node["docname"]
    guidelines = dict(by_prefecture(policy)).get(node["slug"], [])
    renderer = Renderer(policy, lang, docname, heading_level=node["heading_level"])
    out: list[nodes.Node] = [renderer.guideline_list(guidelines)]
    compare = env.config.policy_compare_page
    if compare and guidelines:
        uri = _page_uri(env, docname, compare)
        if uri:
            items = nodes.bullet_list(classes=["policy-compare-links"])
            for g in guidelines:
                text = _("Compare {name} with another municipality").format(name=_place(g, lang))
                para = nodes.paragraph()
                para += nodes.reference(text, text, refuri=f"{uri}?a={g.id}")
                items += nodes.list_item("", para)
            out.append(items)
    return finish_generated(out, lang)


class national_html(nodes.General, nodes.Element):
    """Markup written by this module's visitor: every policy string escaped there."""


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def _overview_html(policy: Policy, lang: str) -> str:
    topics = policy.topics
    groups = by_prefecture(policy)
    covered = {g.id: addresses(g) for g in policy.guidelines}
    total = len(policy.guidelines) or 1
    out = []
    # The chart: a real table, the numbers in text; the bars repeat them for the eye.
    out.append('<table class="policy-share"><caption>' + _escape(_("Share of municipalities that address each topic")) + "</caption>")
    out.append('<thead><tr><th scope="col">' + _escape(_("Topic")) + '</th><th scope="col">' + _escape(_("Municipalities"))
               + '</th><th scope="col">' + _escape(_("Share")) + "</th></tr></thead><tbody>")  # fmt: skip
    for t in topics:
        n = sum(1 for ids in covered.values() if t.id in ids)
        share = round(100 * n / total)
        out.append(
            f'<tr><th scope="row">{_escape(t.label.get(lang))}</th><td class="policy-number">{n}</td>'
            f'<td><span class="policy-share-bar" style="width:{share * 0.08:.2f}em" aria-hidden="true"></span>'
            f'<span class="policy-share-value">{share}%</span></td></tr>'
        )
    out.append("</tbody></table>")
    # The filter (works only with JavaScript: the form is hidden until the script shows it).
    out.append('<form class="policy-national-filter" hidden><div><label for="policy-filter-prefecture">' + _escape(_("Prefecture"))
               + '</label> <select id="policy-filter-prefecture"><option value="">' + _escape(_("All prefectures")) + "</option>")  # fmt: skip
    for slug, guidelines in groups:
        out.append(f'<option value="{_escape(slug)}">{_escape(guidelines[0].prefecture.get(lang))}</option>')
    out.append('</select></div><div><label for="policy-filter-name">' + _escape(_("Municipality name"))
               + '</label> <input type="search" id="policy-filter-name" autocomplete="off"></div></form>')  # fmt: skip
    out.append('<p class="policy-national-status" role="status" aria-live="polite" data-template="'
               + _escape(_("{shown} of {total} municipalities shown")) + '"></p>')  # fmt: skip
    # The matrix: one row per municipality, one column per topic; ● addresses, – does not.
    out.append('<div class="policy-national-scroll" tabindex="0" role="region" aria-label="' + _escape(_("Topics by municipality")) + '">')
    out.append('<table class="policy-coverage"><caption>' + _escape(_("Topics by municipality (● has a clause, – has none)")) + "</caption><thead><tr>")
    out.append(f'<th scope="col">{_escape(_("Municipality"))}</th><th scope="col">{_escape(_("Prefecture"))}</th>')
    out += [f'<th scope="col"><span>{_escape(t.label.get(lang))}</span></th>' for t in topics]
    out.append("</tr></thead><tbody>")
    # ● and – with the legend in the caption: 12 bytes a cell keeps 1,741 × 22 cells under 1 MB.
    for slug, guidelines in groups:
        pref = _escape(guidelines[0].prefecture.get(lang))
        for g in guidelines:
            ids = covered[g.id]
            cells = "".join("<td>●</td>" if t.id in ids else "<td>–</td>" for t in topics)
            out.append(f'<tr data-prefecture="{_escape(slug)}"><th scope="row">{_escape(_place(g, lang))}</th><td>{pref}</td>{cells}</tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


def render_national_overview(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    return [national_html(markup=_overview_html(policy, _lang(env)))]


def _compare_html(policy: Policy, lang: str, api: str, fallback: str | None) -> str:
    topics = [[t.id, t.label.get(lang)] for t in policy.topics]
    kinds = [[k.id, k.label.get(lang)] for k in policy.kinds]
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
    out = ['<div class="policy-compare" data-api="' + _escape(api) + '" data-lang="' + _escape(lang) + '"'
           + ' data-topics="' + _escape(json.dumps(topics, ensure_ascii=False)) + '"'
           + ' data-kinds="' + _escape(json.dumps(kinds, ensure_ascii=False)) + '"'
           + ' data-labels="' + _escape(json.dumps(labels, ensure_ascii=False)) + '">']  # fmt: skip
    notice = _("This comparison is built in your browser and needs JavaScript.")
    out.append(f'<noscript><p class="policy-compare-noscript">{_escape(notice)}')
    if fallback:
        out.append(f' <a href="{_escape(fallback)}">{_escape(_("The comparison of the guidelines"))}</a>')
    out.append("</p></noscript>")
    out.append('<form class="policy-compare-form" hidden>')
    for side, label in (("a", _("First municipality")), ("b", _("Second municipality"))):
        out.append(f'<div><label for="policy-compare-{side}">{_escape(label)}</label> <select id="policy-compare-{side}" name="{side}">')
        for _slug, guidelines in by_prefecture(policy):
            out.append(f'<optgroup label="{_escape(guidelines[0].prefecture.get(lang))}">')
            out += [f'<option value="{_escape(g.id)}">{_escape(_place(g, lang))}</option>' for g in guidelines]
            out.append("</optgroup>")
        out.append("</select></div>")
    out.append(f'<div><button type="submit">{_escape(_("Compare"))}</button></div></form>')
    out.append('<p class="policy-compare-status" role="status" aria-live="polite"></p>')
    out.append('<div class="policy-compare-result"></div></div>')
    return "".join(out)


def render_compare(env: BuildEnvironment, policy: Policy, node: policy_pending) -> list[nodes.Node]:
    docname = node["docname"]
    api = ""
    if env.config.policy_api_dir:  # relative to the output directory, like the page
        up = "../" * docname.count("/")
        api = posixpath.normpath(up + env.config.policy_api_dir.strip("/")) + "/"
    fallback = _page_uri(env, docname, env.config.policy_comparison_page) if env.config.policy_comparison_page else None
    return [national_html(markup=_compare_html(policy, _lang(env), api, fallback))]


def note_compare_with(env: BuildEnvironment, docname: str) -> None:
    """While reading a guideline's page: it will offer "Compare with…" (and load its script)."""
    if env.config.policy_compare_page:
        env.domaindata["policy"].setdefault(ENV_COMPARE_WITH, {})[docname] = True


def compare_with(env: BuildEnvironment, guideline: Guideline, docname: str) -> list[nodes.Node]:
    """On a guideline's page: choose another municipality and open the pair on the compare page."""
    compare = env.config.policy_compare_page
    uri = _page_uri(env, docname, compare) if compare else None
    if uri is None:
        return []
    return [national_html(markup=_compare_with_html(guideline, _lang(env), uri))]


def _compare_with_html(g: Guideline, lang: str, uri: str) -> str:
    labels = {
        "loading": _("Loading the list of municipalities…"),
        "failed": _("The list of municipalities could not be loaded."),
        "choose": _("Choose a municipality"),
    }
    text = _("Compare {name} with another municipality").format(name=_place(g, lang))
    form_id = _escape(f"policy-compare-with-{g.id}")
    # The no-script entry: the compare page with this municipality chosen first.
    out = ['<div class="policy-compare-with" data-labels="' + _escape(json.dumps(labels, ensure_ascii=False)) + '">']
    out.append(f'<p class="policy-compare-with-link"><a href="{_escape(uri)}?a={_escape(quote(g.id))}">{_escape(text)}</a></p>')
    out.append(f'<form class="policy-compare-with-form" id="{form_id}" action="{_escape(uri)}" method="get" hidden>')
    out.append(f'<input type="hidden" name="a" value="{_escape(g.id)}">')
    out.append(f'<div><label for="{form_id}-b">{_escape(_("Municipality to compare with"))}</label> '
               f'<select id="{form_id}-b" name="b" required></select></div>')  # fmt: skip
    out.append(f'<div><button type="submit">{_escape(_("Compare"))}</button></div></form>')
    out.append('<p class="policy-compare-with-status" role="status" aria-live="polite"></p></div>')
    return "".join(out)


def _visit_national_html(self: Any, node: national_html) -> None:
    self.body.append(node["markup"])
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


# --------------------------------------------------------------------------- setup


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The views' script and style on their pages only: every other page stays byte-identical."""
    if doctree is None:
        return
    data = app.env.domaindata["policy"]
    files: dict[str, list[str]] = {"css": [], "js": []}
    for pages, group in ((data.get(ENV_PAGES, {}), STATIC_FILES), (data.get(ENV_COMPARE_WITH, {}), COMPARE_WITH_FILES)):
        if pagename in pages:
            for kind in files:
                files[kind] += [name for name in group[kind] if name not in files[kind]]
    for name in files["css"]:
        app.add_css_file(name)
    for name in files["js"]:
        app.add_js_file(name, defer="defer")


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for key in (ENV_PAGES, ENV_COMPARE_WITH):
        env.domaindata["policy"].get(key, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Sequence[str], other: BuildEnvironment) -> None:
    for key in (ENV_PAGES, ENV_COMPARE_WITH):
        pages = env.domaindata["policy"].setdefault(key, {})
        for docname, flag in other.domaindata["policy"].get(key, {}).items():
            if docname in docnames:
                pages[docname] = flag


def setup_national(app: Sphinx) -> None:
    app.add_config_value("policy_compare_page", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("policy_comparison_page", "comparison", "env", types=frozenset({str, type(None)}))
    for name, directive in (
        ("topic-across", TopicAcrossDirective),
        ("prefecture-index", PrefectureIndexDirective),
        ("prefecture", PrefectureDirective),
        ("national-overview", NationalOverviewDirective),
        ("compare", CompareDirective),
    ):
        app.add_directive_to_domain("policy", name, directive)
    register("topic-across", render_topic_across)
    register("prefecture-index", render_prefecture_index)
    register("prefecture", render_prefecture)
    register("national-overview", render_national_overview)
    register("compare", render_compare)
    app.add_node(
        national_html,
        html=(_visit_national_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.connect("html-page-context", _page_assets)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
