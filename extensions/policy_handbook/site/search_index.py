"""The site's search: the search table and the result list's files (``_search/``),
written after each HTML build.

Sphinx's own search downloads its whole index (17 MB at 1,741 municipalities) and
then every result page to cut a snippet: one query cost up to 5,000 requests and
500 MB. Here a query loads the site data and one small bucket of the search table
per word (search_table.py, which also says why not Pagefind); see bench/README.md
("Search") for the measurements behind the choice.

What is indexed (search_records): every page but the guidelines by its title, its
search words and the start of its own text, read from the doctree (no sidebar, no
toctree: the navigation is not content), with its kind, title and excerpt in the
site data; every clause shown (the text, its glossary terms and variants, its topics'
labels, the words of the situation guides citing it, its municipality) as sets of
guidelines per word and topic, which count per topic and prefecture the guidelines
with a clause having every word of a query; and what the list shows of each
guideline (its page, title and clauses, at their home anchors) in a file of its own
under ``policy-guidelines/``. Japanese goes in as the project's own bigram segmentation.

The folder is written from the environment at html-collect-pages (after every page,
before search.html, whose config has the table's size), whole, in a fixed
order, so the same input gives the same bytes, and replaces the old one only once
complete. A build that read no page and changed no policy file keeps the folder it
has (``index_key``): at 1,741 municipalities writing it is most of a no-op build.

``search.html`` (templates/search.html) fetches the files over HTTP(S). Opened from
``file://``, a browser refuses the requests; the page says so and falls back to
Sphinx's own search (its searchindex.js is still built).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util import logging

from ..files import replace_directory, write_atomic
from ..sphinxext.config import page_language
from . import search_records, search_table
from .search_anchors import clause_search_terms

logger = logging.getLogger(__name__)
CATALOG = "policy_handbook_search"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_ = get_translation(CATALOG)

BUNDLE_DIR = "_search"
SITE_DATA = "policy-search.json"  # pages, topics (label, page), prefectures, the table's size, for the result list
TERMS_DIR = "policy-terms"  # the search table's buckets
GUIDELINES_DIR = "policy-guidelines"  # what the list shows of each guideline
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Docname prefix -> kind of page (the longest prefix wins); other pages are "page".
DEFAULT_PAGE_KINDS = {
    "situations/": "situation",
    "national/topics/": "topic",
    "comparison": "comparison",
    "national/compare": "comparison",
    "national/index": "comparison",
    "guidelines/": "guideline",
}
_SKIPPED = (addnodes.toctree, nodes.comment, nodes.raw, nodes.system_message, addnodes.index, nodes.substitution_definition)


def page_text(doctree: nodes.Node, limit: int = search_records.PAGE_CHARS) -> str:
    """The page's own words, in order, up to `limit` characters: no toctree (navigation),
    comments, raw HTML or index entries."""
    parts: list[str] = []
    size = 0

    def walk(node: nodes.Node) -> bool:
        nonlocal size
        if isinstance(node, _SKIPPED):
            return True
        if isinstance(node, nodes.Text):
            parts.append(str(node))
            size += len(node)
            return size < limit
        for child in node.children:
            if not walk(child):
                return False
        if isinstance(node, (nodes.paragraph, nodes.title, nodes.list_item, nodes.entry)):
            parts.append(" ")
        return True

    walk(doctree)
    return "".join(parts)


def _shown_clauses(app: Sphinx, guideline) -> Iterator[tuple[Any, str, str]]:
    """(clause, docname, anchor) of each clause of `guideline` the site shows, in order."""
    from ..sphinxext.data import policy_domain

    domain = policy_domain(app.env)
    for clause in guideline.clauses:
        if clause.text is None and clause.heading is None:
            continue
        home = domain.location("clause", clause.id)
        if home is not None:
            yield (clause, *home)


def page_entries(app: Sphinx) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """Every page but the guidelines', in docname order (search_records.page_entry)."""
    from ..sphinxext.data import get_policy

    env, builder = app.env, app.builder
    lang = page_language(app.config)
    policy = get_policy(env)
    kinds = app.config.policy_search_page_kinds
    situations = {s.id: s for s in policy.situations.situations} if policy.situations else {}
    # A guideline's page: where its first shown clause is (only that one is looked up here).
    guideline_pages = {first[1] for g in policy.guidelines if (first := next(_shown_clauses(app, g), None))}
    for docname in sorted(env.found_docs):
        if docname not in env.titles or docname in guideline_pages:
            continue
        kind = search_records.page_kind(docname, kinds)
        title = env.titles[docname].astext()
        words: list[str] = []
        more = ""
        text = page_text(env.get_doctree(docname))
        situation = situations.get(docname.rsplit("/", 1)[-1]) if kind == "situation" else None
        if situation is not None:
            if situation.search_terms is not None:
                words = situation.search_terms.get(lang).split()
            more = " ".join(guide_text(policy, situation, lang))
        yield search_records.page_entry(
            url=builder.get_target_uri(docname), lang=lang, kind=kind, title=title, text=text, words=words, more=more,
        )  # fmt: skip


def guide_text(policy, situation, lang: str) -> Iterator[str]:
    """A situation guide's steps as its page shows them (rendered when the page is
    written, so not in the doctree read): per guideline, its municipality and the text
    of each step's clause, up to PAGE_CHARS in all. 削除 finds the guide whose step
    says to delete. Not its excerpt: a step quoted out of its guide (筑後's scope
    clause, for want of a clause on hijacking) would mislead."""
    size = 0
    for guide in situation.guides:
        guideline = policy.guideline(guide.document)
        parts = [guideline.municipality.get(lang)] if guideline is not None else []
        for step in guide.steps:
            clause = policy.clause(step.clause)
            if clause is not None:
                parts.extend(search_records.clause_texts(clause, lang))
        for part in parts:
            yield part
            size += len(part)
            if size >= search_records.PAGE_CHARS:
                return


def guidelines(app: Sphinx) -> Iterator[tuple[str, dict, list[str], list[dict]]]:
    """Per guideline with a shown clause, in the policy's order: (its prefecture,
    guideline_listing's arguments, the words of its name, its clauses as
    guideline_listing takes them)."""
    from ..sphinxext.data import get_policy
    from ..sphinxext.render import clause_label

    env, builder = app.env, app.builder
    lang = page_language(app.config)
    policy = get_policy(env)
    numbers = topic_numbers(policy)
    for guideline in policy.guidelines:
        located = list(_shown_clauses(app, guideline))
        if not located:
            continue
        municipality = guideline.municipality.get(lang)
        prefecture = guideline.prefecture.get(lang)
        clauses = [
            {
                "url": f"{builder.get_target_uri(docname)}#{anchor}",
                "label": f"{municipality} {clause_label(clause, lang)}",
                "text": " ".join(search_records.clause_texts(clause, lang)),
                "words": clause_search_terms(policy, clause, lang),
                "topics": [numbers[t] for t in clause.topics if t in numbers],
            }
            for clause, docname, anchor in located
        ]
        page = located[0][1]
        title = env.titles[page].astext() if page in env.titles else guideline.title.get(lang)
        listing = {"url": builder.get_target_uri(page), "title": title}
        yield prefecture, listing, [municipality, prefecture, guideline.title.get(lang)], clauses


def topic_numbers(policy) -> dict[str, int]:
    """Topic ID -> its number in the index words (1-based, taxonomy order)."""
    return {t.id: i for i, t in enumerate(policy.topics, start=1)}


def site_data(app: Sphinx) -> dict:
    """What the result list needs besides the records: each topic's label and page (the
    page with its `policy:topic-across`, which notes a ``national-topic:<id>`` usage;
    else none), in taxonomy order, and the prefectures in the guidelines' order."""
    from ..sphinxext.data import get_policy
    from ..sphinxext.incremental import deferred_usage_of, usage_of

    policy = get_policy(app.env)
    lang = page_language(app.config)
    pages: dict[str, str] = {}
    usage = {**deferred_usage_of(app.env)}
    for docname, keys in usage_of(app.env).items():
        usage[docname] = {**usage.get(docname, {}), **keys}
    for docname, keys in sorted(usage.items()):
        for key in keys:
            if key.startswith("national-topic:"):
                pages.setdefault(key.split(":", 1)[1], app.builder.get_target_uri(docname))
    return {
        "topics": [
            {"id": t.id, "number": n, "label": t.label.get(lang), "page": pages.get(t.id)}
            for t, n in zip(policy.topics, topic_numbers(policy).values())
        ],
        "prefectures": prefectures(policy, lang),
    }


def prefectures(policy, lang: str) -> list[str]:
    """The guidelines' prefectures in the order first met (their numbers in the index, from 1)."""
    return list(dict.fromkeys(g.prefecture.get(lang) for g in policy.guidelines))


def write_index_files(app: Sphinx, bundle: Path) -> None:
    """The search table's buckets (``policy-terms/<n>.gz``), each guideline's listing
    (``policy-guidelines/<n>.gz``) and the site data, into the new folder `bundle`."""
    from ..sphinxext.data import get_policy

    lang = page_language(app.config)
    policy = get_policy(app.env)
    prefecture_numbers = {name: i for i, name in enumerate(prefectures(policy, lang), start=1)}
    table = search_table.SearchTable()
    pages = []
    for shown_page, title_words, text_words in page_entries(app):
        table.add_page(title_words, text_words)
        pages.append(shown_page)
    prefecture_of: list[int] = []
    listings = bundle / GUIDELINES_DIR
    listings.mkdir()
    for prefecture, listing, name, clauses in guidelines(app):
        shown = search_records.guideline_listing(**listing, clauses=clauses)
        # A clause's words are those of the text the browser checks a query against (its last field).
        number = table.add_guideline(
            search_records.words_of(" ".join(name), lang),
            [(search_records.words_of(match, lang), topics) for _url, _label, topics, _excerpt, match in shown["clauses"]],
        )
        prefecture_of.append(prefecture_numbers[prefecture])
        (listings / f"{number}.gz").write_bytes(search_table.gzip_json(shown))
    buckets, files = table.files()
    terms = bundle / TERMS_DIR
    terms.mkdir()
    for number, data in files.items():
        (terms / f"{number}.gz").write_bytes(data)
    site = site_data(app)
    site.update(pages=pages, guidelines=table.guidelines, buckets=buckets, prefecture_runs=search_table.prefecture_runs(prefecture_of))
    (bundle / SITE_DATA).write_text(json.dumps(site, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


_INDEX_MODULES = ("search_index", "search_records", "search_anchors", "search_ja", "search_table")
INDEX_KEY_FILE = "policy-search-index.key"  # in the doctree folder: never published


def index_key(app: Sphinx) -> bytes:
    """What the index is made of: every page as read (Sphinx's read times), the policy
    files (path, mtime, size), the settings and builder it depends on and the code that
    writes it (its modules' bytes: a change there must not leave an old index); and the
    output folder (one doctree folder may serve several, each with an index of its own age)."""
    from ..sphinxext.config import get_config
    from ..sphinxext.data import policy_stamp

    config = app.config
    digest = hashlib.sha256()
    parts = [
        app.builder.name, str(Path(app.builder.outdir).resolve()), config.language, config.html_file_suffix, config.html_link_suffix,
        sorted(config.policy_search_page_kinds.items()), sorted(app.env.all_docs.items()),
        policy_stamp(get_config(config).policy_dir),
    ]  # fmt: skip
    digest.update(repr(parts).encode("utf-8"))
    here = Path(__file__).resolve().parent
    for name in _INDEX_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest().encode("ascii") + b"\n"


def folder_stamp(folder: Path) -> bytes:
    """Which index folder is there: the one this doctree folder's key was written with,
    or one another build put there since (two doctree folders, one output folder).
    ``replace_directory`` makes a new folder each time; b"" if there is none."""
    try:
        here, data = folder.stat(), (folder / SITE_DATA).stat()
    except OSError:
        return b""
    return f"{here.st_ino} {here.st_mtime_ns} {data.st_ino} {data.st_size} {data.st_mtime_ns}\n".encode("ascii")


def _write_index(app: Sphinx) -> list:
    """At html-collect-pages, after every page is written and before search.html is:
    its config carries the table's size (``_search_page``). No page is added."""
    _write_index_files(app)
    return []


def _write_index_files(app: Sphinx) -> None:
    builder = app.builder
    if builder.name not in ("html", "dirhtml") or not app.config.policy_search_index:
        return
    from ..sphinxext.data import PolicyDataError, get_policy

    start = time.perf_counter()
    try:
        get_policy(app.env)
    except PolicyDataError:
        return  # bad data: already reported, the build fails on it
    out = Path(builder.outdir) / BUNDLE_DIR
    key, key_file = index_key(app), Path(app.doctreedir) / INDEX_KEY_FILE
    if key_file.is_file() and key_file.read_bytes() == key + folder_stamp(out):
        logger.info("search index: unchanged")
        return
    key_file.unlink(missing_ok=True)  # an index half-replaced below is never taken as current
    replace_directory(out, lambda folder: write_index_files(app, folder))
    write_atomic(key_file, key + folder_stamp(out), root=app.doctreedir)
    logger.info("search index: written in %.1f s", time.perf_counter() - start)


def _add_templates(app: Sphinx, config) -> None:
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES_DIR))


def ui_strings() -> dict[str, str]:
    """The search page's words (static/policy-search.js fills in the {placeholders})."""
    return {
        "label": _("Search the handbook"),
        "button": _("Search"),
        "searching": _("Searching…"),
        "summary": _("Found {pages} pages and {clauses} clauses with every word."),
        "none": _("No page or clause contains every word of the search."),
        "situation": _("Situation guides"),
        "topic": _("Topics"),
        "comparison": _("Comparisons"),
        "guideline": _("Guidelines"),
        "more_guidelines": _("{count} guidelines in all: their clauses are counted below, per topic."),
        "page": _("Other pages"),
        "clause": _("Clauses, by topic"),
        "summary_grouped": _("Found {pages} pages with every word; the clauses are counted per topic, by municipality."),
        "topic_count": _("{count} municipalities have every word in their clauses on “{topic}”"),
        "topic_page": _("All municipalities on this topic"),
        "by_prefecture": _("Municipalities per prefecture"),
        "no_topic": _("Other clauses"),
        "no_topic_count": _("{count} municipalities have every word in their clauses on no topic"),
        "file": _(
            "Opened from a file, this page cannot use the site's fast search: the browser does not let it "
            "load the index files (serve the site over HTTP, e.g. with `make serve`). It uses the full "
            "index instead, which is slow on a site of many municipalities."
        ),
        "error": _("The search index could not be loaded ({error})."),
    }


# What the search page does not use (it shows no code, tabs, clause, comparison or guide), left
# out of it: on a phone each file is a request before the first result. Sphinx's own
# search scripts are loaded by policy-search.js only for its file:// fallback.
FALLBACK_SCRIPTS = ("doctools.js", "translations.js", "site-translations.js")
NOT_ON_SEARCH_PAGE = (
    *FALLBACK_SCRIPTS, "sphinx_highlight.js",
    "pygments.css", "sphinx-design.min.css", "design-tabs.js", "policy.css", "furo-extensions.css",
    "policy-comparison.css", "policy-situations.css", "policy-situations.js",
)  # fmt: skip


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", asset)).split("?", 1)[0].rsplit("/", 1)[-1]


def _search_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != "search" or not app.config.policy_search_index or app.builder.name not in ("html", "dirhtml"):
        return
    removed_scripts = [a for a in context.get("script_files", ()) if _asset_name(a) in NOT_ON_SEARCH_PAGE]
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if _asset_name(a) not in NOT_ON_SEARCH_PAGE]
    pathto = context["pathto"]
    fallback = [pathto(f"_static/{name}", 1) for name in FALLBACK_SCRIPTS if any(_asset_name(a) == name for a in removed_scripts)]
    bundle = pathto(BUNDLE_DIR, 1)
    context["policy_search_config"] = {
        "bundle": bundle,
        # The index's URLs are relative to the site's root; the search page may not be
        # there (dirhtml: search/index.html).
        "root": bundle[: -len(BUNDLE_DIR)],
        "data": pathto(f"{BUNDLE_DIR}/{SITE_DATA}", 1),
        # language_data.js: on the Japanese site the page itself does not need it (templates/search.html).
        "fallback": [
            *fallback,
            *([pathto("_static/language_data.js", 1)] if page_language(app.config) == "ja" else []),
            pathto("_static/searchtools.js", 1),
            pathto("searchindex.js", 1),
        ],  # fmt: skip
        "lang": page_language(app.config),
        "strings": ui_strings(),
        **table_size(Path(app.builder.outdir) / BUNDLE_DIR),
    }


def table_size(folder: Path) -> dict[str, int]:
    """The table's number of buckets and of guidelines, from the site data written just
    before (``_write_index``): with them the page fetches a query's buckets (and a small
    site's listings) at once, not after the site data ({} if there is none)."""
    try:
        data = json.loads((folder / SITE_DATA).read_text(encoding="utf-8"))
        return {"buckets": int(data["buckets"]), "guidelines": int(data["guidelines"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def setup(app: Sphinx) -> None:
    app.add_config_value("policy_search_index", True, "html", types=frozenset({bool}))
    app.add_config_value("policy_search_page_kinds", DEFAULT_PAGE_KINDS, "html", types=frozenset({dict}))
    app.connect("config-inited", _add_templates)
    from ..sphinxext.i18n import compile_catalog

    locale_dir = compile_catalog(LOCALE_DIR, fallback_dir=Path(app.doctreedir) / "policy_handbook_locale", catalog_name=CATALOG)
    sphinx_locale.translators.pop(("general", CATALOG), None)  # a fresh language per build (tests)
    app.add_message_catalog(CATALOG, str(locale_dir))
    app.connect("html-page-context", _search_page)
    app.connect("html-collect-pages", _write_index)
