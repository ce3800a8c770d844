"""What the site's search indexes: one record per clause and one per page (no Sphinx here).

A record is what Pagefind's ``AddRecord`` takes: ``url``, ``content`` (the words
searched), ``language``, ``meta`` (shown in the result list) and ``filters`` (what
the result list groups and counts by, without loading each result).

Japanese: the content is the project's own segmentation (search_ja: overlapping
character bigrams of every Japanese run, NFKC), and the query is split the same way
in the browser, so 著作権 is 著作 + 作権 on both sides and never matches 権利 alone.
Each bigram goes to Pagefind as an ASCII word, ``j`` and its two code points in hex
(乗っ -> ``j04e5703063``): Pagefind 1.5.2 lost pages when looking up two-character
Japanese words (れた stopped finding the 乗っ取られた guide once another page had
enough words; the same records with ASCII words find both), and ASCII words of one
length also keep Pagefind's prefix matching from widening a bigram. The records are
in no language Pagefind knows (``und``), so it neither segments nor stems them.

English: plain text, in Pagefind's English (its stemmer: "hijacked" finds hijacking).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .search_ja import CJK_RANGES, bigrams

_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_OTHER_WORD = re.compile(f"[^\\W{CJK_RANGES}]+")

# The order of the groups of the result list (situation guides first).
KINDS = ("situation", "topic", "comparison", "guideline", "clause", "page")
EXCERPT_CHARS = 160  # of a clause's text, shown under its result
PAGE_CHARS = 3000  # of a page's own text: its start says what it is; long tables stay out


def index_language(lang: str) -> str:
    return "und" if lang == "ja" else lang


def bigram_word(bigram: str) -> str:
    """'乗っ' -> 'j04e5703063' (policy-search.js spells a query's bigrams the same way)."""
    return "j" + "".join(f"{ord(c):05x}" for c in bigram)


def index_text(text: str, lang: str) -> str:
    """The words Pagefind indexes for `text`: Japanese runs as bigram words (one-character
    runs dropped, as search_ja does), other words as they are."""
    if lang != "ja":
        return " ".join(text.split())
    normal = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    for match in re.finditer(f"[{CJK_RANGES}]+|[^\\W{CJK_RANGES}]+", normal):
        run = match.group()
        if _CJK_RUN.fullmatch(run):
            if len(run) > 1:
                words.extend(bigram_word(b) for b in bigrams(run))
        else:
            words.append(run)
    return " ".join(words)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clause_record(
    *, url: str, lang: str, title: str, text: str, words: Iterable[str], topics: Iterable[str], prefecture: str
) -> dict:
    """A clause: found by its text and its search words (glossary terms, topic labels,
    the situations citing it); grouped by topic and counted by prefecture."""
    content = "\n".join([title, text, *words])
    return {
        "url": url,
        "content": index_text(content, lang),
        "language": index_language(lang),
        "meta": {"title": title, "text": excerpt(text)},
        "filters": {"kind": ["clause"], "topic": sorted(set(topics)) or ["-"], "pref": [prefecture]},
    }


def page_record(*, url: str, lang: str, kind: str, title: str, text: str, words: Iterable[str] = ()) -> dict:
    """A page: found by its title, its search words and the start of its own text."""
    body = " ".join(text.split())[:PAGE_CHARS]
    content = "\n".join([title, *words, body])
    return {
        "url": url,
        "content": index_text(content, lang),
        "language": index_language(lang),
        "meta": {"title": title, "text": excerpt(body)},
        "filters": {"kind": [kind]},
    }


def page_kind(docname: str, kinds: dict[str, str]) -> str:
    """The kind of a page by the longest matching docname prefix of `kinds`."""
    best = ""
    for prefix in kinds:
        if (docname == prefix or docname.startswith(prefix)) and len(prefix) > len(best):
            best = prefix
    return kinds[best] if best else "page"
