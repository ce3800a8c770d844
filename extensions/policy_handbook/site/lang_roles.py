"""``{lang-ja}`成りすまし``` / ``{lang-en}`...``` -> ``<span lang="ja">``.

Words quoted in the other language (e.g. the tab label 日本語 on the English
site), so screen readers pronounce them right and the site checks can tell
deliberate Japanese from untranslated text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

QUOTED_LANGUAGES = ("ja", "en")


class lang_span(nodes.inline):
    """Text in another language than the page; ``lang`` holds its code."""


def visit_lang_span_html(self, node: lang_span) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def depart_lang_span_html(self, node: lang_span) -> None:
    self.body.append("</span>")


class LangRole(SphinxRole):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [lang_span(self.rawtext, self.text, lang=self.lang)], []


def setup(app: Sphinx) -> None:
    app.add_node(lang_span, html=(visit_lang_span_html, depart_lang_span_html))
    for lang in QUOTED_LANGUAGES:
        app.add_role(f"lang-{lang}", LangRole(lang))
