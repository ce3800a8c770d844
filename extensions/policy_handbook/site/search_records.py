"""What the site's search indexes: one record per page and one per guideline (no Sphinx here).

A record is what Pagefind's ``AddRecord`` takes: ``url``, ``content`` (the words
searched), ``language`` and ``meta`` (shown in the result list). No Pagefind
filters: Pagefind 1.5.2 writes a filter's values in hash order, different in every
run, and the index must be the same bytes for the same input. What a filter would
say is a word instead: ``zk<kind>`` (situation, topic, comparison, guideline, page)
and, for a guideline, ``zp<two letters>`` (its prefecture's number), which the browser adds
to its query.

Why a guideline is one record, not one per clause: Pagefind's page list and filter
files grow with the records and are loaded by every query. With a record per
clause (66,000 at 1,741 municipalities) they were 410 kB and 490 kB; with one per
guideline (1,741) they are a few kB. The clauses' topics are in the words instead:
each word of a clause is indexed as it is and once more per topic of the clause,
with the topic's number as a suffix (``炎上`` in a clause on topic 17 also gives
``…xar``; a clause on no topic, as it is), so one search per topic tells how many
municipalities have a clause on it with every word of the query, and with ``zp<two letters>`` per prefecture; the union of those results is the guidelines with a clause
that has every word. The
record's ``clauses`` meta lists its clauses (anchor, label, topics, excerpt, and
the text the browser checks the query against), for the short lists that show
each clause (a two-city site).

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
import json
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


# Every indexed word ends in a mark: ``w`` as it is, ``x`` and two letters on a topic.
# A query word Pagefind does not have, it replaces with the longest indexed word that
# is a prefix of it (炎上 on a topic no clause has matched every page with plain 炎上);
# with the marks, no indexed word is a prefix of another.
def plain_word(word: str) -> str:
    return f"{word}w"


def topic_word(word: str, topic_number: int) -> str:
    """A word of a clause on the topic numbered `topic_number` (policy-search.js: topicWord)."""
    return f"{word}x{letters(topic_number, 2)}"


def index_text(text: str, lang: str) -> str:
    return " ".join(plain_word(w) for w in words_of(text, lang))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_word(kind: str) -> str:
    return f"zk{kind}"


def prefecture_word(number: int) -> str:
    return f"zp{letters(number, 2)}"


def guideline_record(*, url: str, lang: str, title: str, prefecture: int, words: Iterable[str], clauses: Iterable[dict]) -> dict:
    """A guideline: its words (title, municipality…) and its clauses' words. `clauses`: dicts with ``url``, ``label``,
    ``text``, ``words`` (its search words) and ``topics`` (topic numbers, 1-based).
    A clause's words are indexed once per topic, or as they are if it has none.

    Each word once, in the order first met: a query asks which guidelines have every
    word (and the browser checks the clauses), not how often; repeated, the words of a
    large guideline made its record several times longer, and Pagefind's indexing
    time follows the words it is given."""
    content = dict.fromkeys([kind_word("guideline"), prefecture_word(prefecture), *index_text(" ".join([title, *words]), lang).split()])
    listed = []
    for clause in clauses:
        match = " ".join([clause["label"], clause["text"], *clause["words"]])
        own = dict.fromkeys(words_of(match, lang))
        if not clause["topics"]:
            content.update(dict.fromkeys(plain_word(w) for w in own))  # on no topic: its words as they are
        for number in clause["topics"]:
            content.update(dict.fromkeys(topic_word(w, number) for w in own))
        listed.append([clause["url"], clause["label"], list(clause["topics"]), excerpt(clause["text"]), match])
    return {
        "url": url,
        "content": " ".join(content),
        "language": LANGUAGE,
        "meta": {"title": title, "clauses": json.dumps(listed, ensure_ascii=False, separators=(",", ":"))},
    }


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
