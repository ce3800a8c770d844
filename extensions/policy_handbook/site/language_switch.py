"""Link every page to the same page in the other language(s).

The two sites are built side by side (``_build/html/ja`` and ``_build/html/en``)
from the same sources, so they have the same page names: the other language's
version of ``ja/guidelines/chikugo.html`` is ``../../en/guidelines/chikugo.html``
relative to it.

Page locations follow the builder: ``guidelines/chikugo.html`` (html),
``guidelines/chikugo/`` (dirhtml), the one ``index.html`` (singlehtml). An
EPUB is a self-contained book: it gets no link to another site.

Besides the visible link this adds ``<link rel="alternate" hreflang>`` tags to
the head, and gives templates ``policy_furo_body(html)``: furo writes some
labels (aria-labels of its toggles) straight into its page template without
gettext; docs/_templates/page.html passes furo's rendered body through this
function, which translates them, drops the role="switch" furo gives its
navigation checkboxes (furo's Python writes them, after every translator), and
puts the language switcher next to furo's theme toggle (shown at every width,
unlike the sidebar). What the translator can do is done there: Japanese in code
examples is marked lang="ja" on the English site as each block is written
(``_visit_literal_block``), the navigation headings get their aria-level from
upstream/toctree_captions.py.
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import partial
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders._epub_base import EpubBuilder  # what every EPUB builder derives from
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import get_translation
from sphinx.util import logging

from ..sphinxext.config import page_language

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")  # the catalog furo's templates use; see docs/locales/ja/LC_MESSAGES/sphinx.po

# Each language named in itself (what a reader of that language looks for).
AUTONYMS = {"ja": "日本語", "en": "English"}

# Hard-coded English in furo's page.html and partials/icons.html (furo
# 2025.12.19), translated here: (HTML around the text, msgid).
FURO_LABELS = (
    ('aria-label="{}"', "Toggle site navigation sidebar"),
    ('aria-label="{}"', "Toggle table of contents sidebar"),
    ('aria-label="{}"', "Toggle Light / Dark / Auto color theme"),
    ("<title>{}</title>", "Contents"),
    ("<title>{}</title>", "Menu"),
    ("<title>{}</title>", "Expand"),
    ("<title>{}</title>", "Light mode"),
    ("<title>{}</title>", "Dark mode"),
    ("<title>{}</title>", "Auto light/dark, in light mode"),
    ("<title>{}</title>", "Auto light/dark, in dark mode"),
)
# furo 2025.12.19 gives the checkbox that opens a nested toctree role="switch"
# without the aria-checked that role requires (the Nu checker's error); a plain
# checkbox already says checked or not.
SWITCH_CHECKBOX = ' role="switch" type="checkbox"'
PLAIN_CHECKBOX = ' type="checkbox"'
# Where the switcher goes: before furo's in-content theme toggle. The
# container it sits in (.content-icon-container) is visible at every width.
SWITCH_ANCHOR = '<div class="theme-toggle-container theme-toggle-content">'


_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)
_JAPANESE_TEXT = re.compile(r"(?<=>)([^<>]*[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e][^<>]*)(?=<)")


def mark_japanese_in_code(body: str) -> str:
    """On a page not in Japanese, mark Japanese text in code blocks lang="ja".

    Code examples quote the policy files, whose `ja:` values are Japanese; each
    highlighted token that contains Japanese gets a <span lang="ja"> so screen
    readers and the site checks treat it as the Japanese it is.
    """
    return _PRE.sub(lambda pre: _JAPANESE_TEXT.sub(r'<span lang="ja">\1</span>', pre.group()), body)


def _visit_literal_block(self: Any, node: nodes.literal_block) -> None:
    """A code block on a furo page not in Japanese, with its Japanese marked (``mark_japanese_in_code``)."""
    start = len(self.body)
    try:
        type(self).visit_literal_block(self, node)
    finally:  # a highlighted block ends its visit with SkipNode
        if page_language(self.config) != "ja" and uses_furo(self.builder):
            self.body[start:] = [mark_japanese_in_code(part) for part in self.body[start:]]


def other_languages(app: Sphinx) -> list[str]:
    return [lang for lang in app.config.policy_site_languages if lang != app.config.language]


def page_target(app: Sphinx, pagename: str) -> str:
    """Where `pagename` is, relative to its site's root, as a link names it."""
    target = app.builder.get_target_uri(pagename)
    if target.startswith("#"):  # singlehtml: every page is a part of the one output file
        target = _output_path(app, pagename)
    return target


def _output_path(app: Sphinx, pagename: str) -> str:
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)  # html-page-context: the HTML builders' pages
    return Path(builder.get_outfilename(pagename)).relative_to(app.outdir).as_posix()


def _page_dir(app: Sphinx, pagename: str) -> str:
    """The folder (relative to the site root) of the file `pagename` is written to."""
    return posixpath.dirname(_output_path(app, pagename))


def sibling_url(app: Sphinx, pagename: str, lang: str) -> str:
    """The URL of `pagename` on the `lang` site, relative to the page itself."""
    page_dir = _page_dir(app, pagename)
    depth = page_dir.count("/") + 1 if page_dir else 0
    return "../" * (depth + 1) + lang + "/" + page_target(app, pagename)


def own_url(app: Sphinx, pagename: str) -> str:
    """The URL of `pagename` relative to itself (its file name, or ./ for a dirhtml folder)."""
    target = page_target(app, pagename)
    own = posixpath.relpath(target or ".", _page_dir(app, pagename) or ".")
    if target and not target.endswith("/"):
        return own
    return "./" if own == "." else own + "/"


def switcher_html(app: Sphinx, pagename: str) -> str:
    links = []
    for lang in other_languages(app):
        label = AUTONYMS.get(lang, lang)
        href = html.escape(sibling_url(app, pagename, lang), quote=True)
        links.append(f'<a class="policy-lang-switch__link" href="{href}" hreflang="{lang}" lang="{lang}">{html.escape(label)}</a>')
    if not links:
        return ""
    nav_label = html.escape(str(_("Language")), quote=True)
    return f'<nav class="policy-lang-switch" aria-label="{nav_label}">{"".join(links)}</nav>'


def alternate_links(app: Sphinx, pagename: str) -> str:
    own = own_url(app, pagename)
    tags = [f'<link rel="alternate" hreflang="{app.config.language}" href="{html.escape(own, quote=True)}">']
    for lang in other_languages(app):
        href = html.escape(sibling_url(app, pagename, lang), quote=True)
        tags.append(f'<link rel="alternate" hreflang="{lang}" href="{href}">')
    return "\n".join(tags)


class _FuroWarning:
    """Whether this application warned that furo's template changed (once a build)."""

    given = False


class _FuroBodyFilter:
    """Called by the template with furo's rendered body; warns once if furo changed."""

    def __init__(self, app: Sphinx, pagename: str, warning: _FuroWarning):
        self.app = app
        self.pagename = pagename
        self.warning = warning

    def __call__(self, body: str) -> str:
        missing = []
        for around, label in FURO_LABELS:
            needle = around.format(label)
            if needle not in body:
                missing.append(needle)
            body = body.replace(needle, around.format(html.escape(str(_(label)), quote=True)))
        body = body.replace(SWITCH_CHECKBOX, PLAIN_CHECKBOX)
        if SWITCH_ANCHOR in body:
            body = body.replace(SWITCH_ANCHOR, switcher_html(self.app, self.pagename) + SWITCH_ANCHOR, 1)
        else:
            missing.append(SWITCH_ANCHOR)
        if missing and not self.warning.given:
            self.warning.given = True
            logger.warning(
                "furo's page template changed: %s not found; update policy_handbook.site.language_switch",
                ", ".join(missing),
                type="policy",
                subtype="theme",
            )
        return body


def _unchanged(body: str) -> str:
    return body


def uses_furo(builder: Builder) -> bool:
    """Whether this builder's pages are furo's (EPUB uses its own theme, "epub")."""
    return getattr(getattr(builder, "theme", None), "name", None) == "furo"


def _page_context(warning: _FuroWarning, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    if app.builder.format != "html":
        return
    # docs/_templates/page.html changes furo's page; on another theme (EPUB's) it
    # keeps that theme's own, and there is no furo markup to check or translate.
    furo = uses_furo(app.builder)
    context["policy_furo_page"] = furo
    context["policy_furo_body"] = _FuroBodyFilter(app, pagename, warning) if furo else _unchanged
    if isinstance(app.builder, EpubBuilder):  # a self-contained book: no links out of it
        return
    context["metatags"] = context.get("metatags", "") + alternate_links(app, pagename) + "\n"
    context["policy_language_switch"] = switcher_html(app, pagename)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", partial(_page_context, _FuroWarning()))
    app.add_node(nodes.literal_block, override=True, html=(_visit_literal_block, None))
