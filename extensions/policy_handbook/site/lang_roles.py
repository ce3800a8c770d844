"""``{lang-ja}`成りすまし``` / ``{lang-en}`...``` -> ``<span lang="ja">``.

Words quoted in the other language (e.g. the tab label 日本語 on the English
site), so screen readers pronounce them right and the site checks can tell
deliberate Japanese from untranslated text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from ..sphinxext.nodes import policy_lang_inline  # <span lang="..">

QUOTED_LANGUAGES = ("ja", "en")


class LangRole(SphinxRole):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [policy_lang_inline(self.rawtext, self.text, lang=self.lang)], []


def setup(app: Sphinx) -> None:
    for lang in QUOTED_LANGUAGES:
        app.add_role(f"lang-{lang}", LangRole(lang))
