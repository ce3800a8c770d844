"""The site's search index: per word, the pages and the guidelines' clauses that have it
(no Sphinx here).

The search page says "1,400 municipalities have every word in their clauses on
account hijacking", per prefecture, instead of listing 1,400 clauses, and lists the few
pages (situation guides, topics, comparisons) with every word. So for each word
(search_records.words_of) the table holds:

- under ``p``, the pages with it, as ``[page, weight, page gap, weight, …]`` (pages
  numbered from 0 in the site data's order; the weight ranks them: ten per time the
  word is in the page's title or search words, one per time in its text, at most 99);
- for each topic (``0``: a clause on none), the set of guidelines (numbered from 0,
  in the policy's order) with a clause on that topic containing the word;
- under ``n``, the guidelines whose name (municipality, prefecture, title) contains it.

A query's pages are those on every word's ``p``; its guidelines on topic T are the
intersection of its words' sets on T, each joined with the word's name set (福岡県
炎上: Fukuoka's clauses on 炎上), with one word at least on T. The words are spread
over buckets by a hash (``bucket``; policy-search.js computes the same), so a query
loads one small file per word, whatever the number of municipalities.

Why not Pagefind (the issue's first choice, used until 2026-12-08): its start is a
chain of dependent requests (entry file, page list, 68 kB of WebAssembly, then the
index chunk), each a round trip on a phone before the first result, where this
table is one request per word after the site data; its filters count per page, not
per clause and topic; and its filter files differ from build to build. Measured in
bench/README.md ("Search").

A set is written as a base64 bitset (bit i of byte i // 8 little-endian order: guideline i)
or, when shorter, as the gaps between its members. Files are gzip (mtime 0) JSON
with sorted keys: the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import Counter
from collections.abc import Iterable, Sequence

NAME = "n"  # the key of a word's set of guidelines named by it
PAGES = "p"  # the key of a word's pages
NO_TOPIC = 0
BUCKET_BYTES = 6000  # aimed-at size of one bucket's JSON, before gzip
TITLE_WEIGHT = 10  # a word in a page's title or search words, against 1 in its text
MAX_WEIGHT = 99


def bucket(word: str, buckets: int) -> int:
    """FNV-1a (32 bits) of the word's UTF-8, modulo `buckets` (a power of two)."""
    h = 0x811C9DC5
    for byte in word.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h & (buckets - 1)


def encode_set(bits: int, size: int) -> str | list[int]:
    """Guideline set `bits` (bit i: guideline i) of `size` guidelines, as JSON:
    a base64 bitset, or the gaps between members (first member, then differences)."""
    packed = base64.b64encode(bits.to_bytes((size + 7) // 8, "little")).decode("ascii")
    if bits.bit_count() * 2 > len(packed):  # a gap takes two characters at least
        return packed
    members = []
    i, rest = 0, bits
    while rest:
        skip = (rest & -rest).bit_length() - 1  # zeros below the lowest member
        i += skip
        members.append(i)
        rest >>= skip + 1
        i += 1
    gaps = [members[0], *(b - a for a, b in zip(members, members[1:]))]
    return gaps if len(json.dumps(gaps, separators=(",", ":"))) < len(packed) + 2 else packed


def gzip_json(data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


class SearchTable:
    """Filled one page (``add_page``) and one guideline (``add_guideline``) at a time;
    ``files`` gives the buckets."""

    def __init__(self) -> None:
        self._sets: dict[str, dict[int | str, int]] = {}
        self._pages: dict[str, list[int]] = {}  # word -> [page, weight, page, weight, …]
        self.guidelines = 0
        self.pages = 0

    def add_page(self, title_words: Iterable[str], text_words: Iterable[str]) -> int:
        """Add the next page: the words of its title (and search words), and of its text.
        Returns the page's number."""
        number = self.pages
        weights = Counter({word: TITLE_WEIGHT * n for word, n in Counter(title_words).items()})
        weights.update(text_words)
        for word in sorted(weights):
            self._pages.setdefault(word, []).extend((number, min(weights[word], MAX_WEIGHT)))
        self.pages += 1
        return number

    def add_guideline(self, name_words: Iterable[str], clauses: Iterable[tuple[Iterable[str], Sequence[int]]]) -> int:
        """Add the next guideline: the words of its name and, per clause, (its words,
        its topic numbers). Returns the guideline's number."""
        number = self.guidelines
        bit = 1 << number
        for word in set(name_words):
            entry = self._sets.setdefault(word, {})
            entry[NAME] = entry.get(NAME, 0) | bit
        for words, topics in clauses:
            own = set(words)
            for topic in topics or (NO_TOPIC,):
                for word in own:
                    entry = self._sets.setdefault(word, {})
                    entry[topic] = entry.get(topic, 0) | bit
        self.guidelines += 1
        return number

    def _entries(self) -> dict[str, dict[str, str | list[int]]]:
        encoded: dict[str, dict[str, str | list[int]]] = {
            word: {str(key): encode_set(bits, self.guidelines) for key, bits in entry.items()} for word, entry in self._sets.items()
        }
        for word, postings in self._pages.items():
            gaps = postings[:]
            for i in range(len(gaps) - 2, 0, -2):  # page numbers as gaps, weights as they are
                gaps[i] -= gaps[i - 2]
            encoded.setdefault(word, {})[PAGES] = gaps
        return encoded

    def files(self) -> tuple[int, dict[int, bytes]]:
        """(number of buckets, bucket -> gzip JSON ``{word: {"p": pages, topic or "n": set}}``,
        for every bucket from 0)."""
        encoded = self._entries()
        size = sum(len(word) + len(json.dumps(sets)) for word, sets in encoded.items())
        buckets = 1
        while buckets * BUCKET_BYTES < size:
            buckets *= 2
        # Every bucket has a file, an empty one too: a query word that hashes there finds
        # nothing, it does not fail to load.
        grouped: dict[int, dict[str, dict]] = {number: {} for number in range(buckets)}
        for word, sets in encoded.items():
            grouped[bucket(word, buckets)][word] = sets
        return buckets, {number: gzip_json(words) for number, words in grouped.items()}


def prefecture_runs(prefectures: Iterable[int]) -> list[list[int]]:
    """The guidelines' prefecture numbers, in order, as [number, how many in a row] pairs."""
    runs: list[list[int]] = []
    for number in prefectures:
        if runs and runs[-1][0] == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    return runs
