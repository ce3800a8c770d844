"""What the site's search indexes: one Pagefind record per page, and each guideline's
clauses for the clause table and the result list (no Sphinx here).

A record is what Pagefind's ``AddRecord`` takes: ``url``, ``content`` (the words
searched), ``language`` and ``meta`` (shown in the result list). No Pagefind
filters: Pagefind 1.5.2 writes a filter's values in hash order, different in every
run, and the index must be the same bytes for the same input. A page's kind is a
word instead, ``zk<kind>`` (situation, topic, comparison, guideline, page), which
the browser adds to its query.

A guideline page has no Pagefind record: its clauses' words go into the clause
table (clause_table.py says why), and what the result list shows of it (its URL,
title and clauses) into a small file of its own (``guideline_listing``), loaded
only when the list shows it.

Words: Japanese is the project's own segmentation (search_ja: overlapping bigrams of
every Japanese run, NFKC), the same as the query in the browser (splitQuery), so
著作権 is 著作 + 作権 on both sides and never matches 権利 alone. Each bigram goes
to Pagefind as an ASCII word, ``qj`` and its two code points in letters (乗っ ->
``qjbdrjasil``; no digits, see ``letters``): Pagefind 1.5.2 lost pages when looking
up two-character Japanese words (れた stopped finding the 乗っ取られた guide once
another page had enough words; the same records with ASCII words find both), and
words of one length keep Pagefind's prefix matching from widening a bigram. English words are Sphinx's
stems (snowball "english", as language_data.js's Stemmer stems the query). All
records are in no language Pagefind knows (``und``): it neither segments nor stems.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .search_ja import CJK_RANGES, bigrams

_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")

LANGUAGE = "und"  # no stemming or segmentation by Pagefind: the words come ready
EXCERPT_CHARS = 160  # of a clause's text, shown under its result
PAGE_CHARS = 3000  # of a page's own text: its start says what it is; long tables stay out


@functools.lru_cache(maxsize=1 << 16)
def bigram_word(bigram: str) -> str:
    """'乗っ' -> 'qjbdrjasil': ``qj`` and each code point in four base-26 letters
    (policy-search.js spells a query's bigrams the same way)."""
    return "qj" + "".join(letters(ord(c), 4) for c in bigram)


def letters(n: int, width: int) -> str:
    """`n` in base 26, a-z, `width` letters: Pagefind splits a word where letters and
    digits meet (``…t02`` also matched pages without it), so the words have no digits."""
    out = ""
    for _ in range(width):
        n, d = divmod(n, 26)
        out = chr(97 + d) + out
    return out


_stemmer = None


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    global _stemmer  # one snowball stemmer per process: building it is the slow part
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("english")
    return _stemmer.stemWord(word)


def words_of(text: str, lang: str) -> list[str]:
    """The words Pagefind indexes for `text`, in order: Japanese runs as bigram words
    (one-character runs dropped, as search_ja does), other words lower-cased and, on
    the English site, stemmed."""
    normal = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    for match in re.finditer(f"[{CJK_RANGES}]+|[^\\W{CJK_RANGES}]+", normal):
        run = match.group()
        if _CJK_RUN.fullmatch(run):
            if len(run) > 1:
                words.extend(bigram_word(b) for b in bigrams(run))
        else:
            words.append(_stem(run.lower()) if lang == "en" else run.lower())
    return words


# Every word Pagefind indexes ends in a mark (``w``). A query word Pagefind does not
# have, it replaces with the longest indexed word that is a prefix of it; with the
# mark, no indexed word is a prefix of another.
def plain_word(word: str) -> str:
    return f"{word}w"


def index_text(text: str, lang: str) -> str:
    return " ".join(plain_word(w) for w in words_of(text, lang))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_word(kind: str) -> str:
    return f"zk{kind}"


def guideline_listing(*, url: str, title: str, clauses: Iterable[dict]) -> dict:
    """What the result list shows of a guideline: its page, its title and, per clause,
    [anchor URL, label, topic numbers, excerpt, the text the browser checks the query
    against (label, text and search words)]. `clauses`: dicts with ``url``, ``label``,
    ``text``, ``words`` and ``topics``."""
    listed = []
    for clause in clauses:
        match = " ".join([clause["label"], clause["text"], *clause["words"]])
        listed.append([clause["url"], clause["label"], list(clause["topics"]), excerpt(clause["text"]), match])
    return {"url": url, "title": title, "clauses": listed}


def page_record(*, url: str, lang: str, kind: str, title: str, text: str, words: Iterable[str] = ()) -> dict:
    """A page: found by its title, its search words and the start of its own text."""
    body = " ".join(text.split())[:PAGE_CHARS]
    content = "\n".join([title, *words, body])
    return {
        "url": url,
        "content": " ".join([kind_word(kind), index_text(content, lang)]),
        "language": LANGUAGE,
        "meta": {"title": title, "text": excerpt(body)},
    }


def page_kind(docname: str, kinds: dict[str, str]) -> str:
    """The kind of a page by the longest matching docname prefix of `kinds`."""
    best = ""
    for prefix in kinds:
        if (docname == prefix or docname.startswith(prefix)) and len(prefix) > len(best):
            best = prefix
    return kinds[best] if best else "page"
