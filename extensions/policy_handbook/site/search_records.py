"""What the site's search indexes: the words of each page and of each guideline's
clauses for the search table (search_table.py), and what the result list shows (no
Sphinx here).

A page is found by its title, its search words and the start of its own text (not
the navigation); the list shows its title and an excerpt, which are in the site data,
so no result page is fetched for a snippet. A guideline's clauses go into the table's
sets, and what the list shows of it (its URL, title and clauses) into a small file of
its own (``guideline_listing``), loaded only when the list shows it.

Words: Japanese is the project's own segmentation (search_ja: overlapping bigrams of
every Japanese run, NFKC), the same as the query in the browser (policy-search.js's wordsOf), so
著作権 is 著作 + 作権 on both sides and never matches 権利 alone. English words are
Sphinx's stems (snowball "english", as language_data.js's Stemmer stems the query).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from ..model import Clause
from .search_ja import CJK_RANGES, bigrams

_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")

EXCERPT_CHARS = 160  # of a clause's text, shown under its result
PAGE_CHARS = 3000  # of a page's own text: its start says what it is; long tables stay out

_stemmer = None


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    global _stemmer  # one snowball stemmer per process: building it is the slow part
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("english")
    return _stemmer.stemWord(word)


def words_of(text: str, lang: str) -> list[str]:
    """The words indexed for `text`, in order: Japanese runs as bigrams
    (one-character runs dropped, as search_ja does), other words lower-cased and, on
    the English site, stemmed."""
    normal = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    for match in re.finditer(f"[{CJK_RANGES}]+|[^\\W{CJK_RANGES}]+", normal):
        run = match.group()
        if _CJK_RUN.fullmatch(run):
            if len(run) > 1:
                words.extend(bigrams(run))
        else:
            words.append(_stem(run.lower()) if lang == "en" else run.lower())
    return words


def clause_texts(clause: Clause, lang: str) -> list[str]:
    """What a clause shows in `lang`: its heading and its text, those it has."""
    return [t.get(lang) for t in (clause.heading, clause.text) if t is not None]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def page_entry(
    *, url: str, lang: str, kind: str, title: str, text: str, words: Iterable[str] = (), more: str = ""
) -> tuple[list[str], list[str], list[str]]:
    """A page: what the list shows of it ([kind, URL, title, excerpt of its text]), and
    the words it is found by: those of its title and search words, and of the start of
    its own text (PAGE_CHARS) and `more` (what the page shows that its doctree has not)."""
    body = " ".join(text.split())[:PAGE_CHARS]
    # The list shows the title as the link: the excerpt starts after it.
    shown = body[len(title) :].lstrip() if body.startswith(title) else body
    return [kind, url, title, excerpt(shown)], words_of("\n".join([title, *words]), lang), words_of(f"{body}\n{more}", lang)


def page_kind(docname: str, kinds: dict[str, str]) -> str:
    """The kind of a page by the longest matching docname prefix of `kinds`."""
    best = ""
    for prefix in kinds:
        if (docname == prefix or docname.startswith(prefix)) and len(prefix) > len(best):
            best = prefix
    return kinds[best] if best else "page"
