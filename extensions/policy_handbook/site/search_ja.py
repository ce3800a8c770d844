"""Japanese full-text search that finds compound words such as 第三者 and 個人情報.

Sphinx's Japanese search splits the pages with TinySegmenter (第三者 -> 第三 / 者,
成りすまし -> 成り / すまし) but leaves the query whole, and its JavaScript only
matches a query word against whole index words (or, from three characters on,
against words containing it). A compound split differently on the two sides is
never found.

Here both sides agree on character bigrams: every run of Japanese characters
(kana, kanji, 々, ー) is indexed as its overlapping two-character pieces, and the
query is split the same way in the browser (``splitQuery`` below, shipped in
language_data.js), so 第三者 is searched as 第三 + 三者 and Sphinx's JavaScript
requires both on the page. Both sides normalise with NFKC first (full-width Ｌ
to L, half-width ｶﾅ to カナ).

TinySegmenter is not run at all: a query is only ever split into bigrams, and
Sphinx's JavaScript looks up a two-character query word as a whole index word,
so TinySegmenter's words could never be asked for. They took a fifth of the
Japanese build and a third of its search index.

Runs of one character (市, の) cannot be searched: Sphinx's Japanese word filter
drops one-character words, as before, so the query drops them too (Sphinx's
search requires every query word on a page).
"""

from __future__ import annotations

import re
import unicodedata

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

# The characters treated as Japanese: 々〆〇, hiragana, katakana (incl. ー and
# ・), CJK ideographs (incl. extension A) and compatibility ideographs. The same
# ranges are spelled out in the JavaScript below.
CJK_RANGES = "\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
# Other words: letters, digits and _ that are not Japanese (as Sphinx's default).
_OTHER_WORD = re.compile(f"[^\\W{CJK_RANGES}]+")

JS_SPLITTER = r"""
/* policy_handbook: Japanese runs -> character bigrams, as in the search index
   (policy_handbook/sphinxext/search_ja.py). */
var splitQuery = (query) => {
  const cjk = "\\u3005-\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const token = new RegExp(
    "[" + cjk + "]+|(?:(?![" + cjk + "])[\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}])+",
    "gu",
  );
  const cjkRun = new RegExp("^[" + cjk + "]");
  const terms = [];
  for (const [run] of query.normalize("NFKC").matchAll(token)) {
    if (!cjkRun.test(run)) terms.push(run);
    // One kana or kanji (の, 市) is never indexed; searching for it would fail the whole query.
    else if (run.length === 2) terms.push(run);
    else for (let i = 0; i + 2 <= run.length; i++) terms.push(run.slice(i, i + 2));
  }
  return terms;
};
"""


def bigrams(run: str) -> list[str]:
    """'第三者' -> ['第三', '三者']; shorter runs are returned whole."""
    if len(run) < 3:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def split_query(query: str) -> list[str]:
    """What the browser's ``splitQuery`` returns for `query` (Python mirror, for tests).

    A Japanese run of one character is dropped: the index never has it, and
    Sphinx's search requires every query word on the page.
    """
    terms: list[str] = []
    text = unicodedata.normalize("NFKC", query)
    for match in re.finditer(f"[{CJK_RANGES}]+|[^\\W{CJK_RANGES}]+", text):
        run = match.group()
        if not _CJK_RUN.fullmatch(run):
            terms.append(run)
        elif len(run) > 1:
            terms.extend(bigrams(run))
    return terms


class SearchJapaneseBigram(SearchLanguage):
    """Japanese search by the bigrams the browser searches for (instead of Sphinx's
    TinySegmenter words); filters and stems as Sphinx's Japanese search does."""

    lang = "ja"
    language_name = "Japanese"
    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        text = unicodedata.normalize("NFKC", input)
        words: list[str] = []
        for run in _CJK_RUN.findall(text):
            words.extend(bigrams(run))
        words.extend(_OTHER_WORD.findall(text))
        return words

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1  # one kana or kanji says nothing (as sphinx.search.ja)

    def stem(self, word: str) -> str:
        return word


def setup(app: Sphinx) -> None:
    app.add_search_language(SearchJapaneseBigram)
