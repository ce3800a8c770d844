"""Which guidelines have a clause on a topic with every word of a query (no Sphinx here).

The search page says "1,400 municipalities have a clause on account hijacking with
every word", per prefecture, instead of listing 1,400 clauses. Pagefind finds pages,
not counts per topic: done with Pagefind, every clause word was indexed once more
per topic of its clause, in one record per guideline, and each query ran one search
per topic. At 1,741 municipalities that cost 425-500 kB per Japanese query (each
bigram's 23 topic words, each listing ~1,700 pages), 26 s and 3.7 GB of Pagefind
per build. Pagefind's filters give counts, but per record (a guideline that has the
words anywhere and the topic anywhere) and their files differ from run to run.

So the clauses' words go into this table instead, and Pagefind keeps the pages:
for each word (search_records.words_of), for each topic (0: a clause on none), the
set of guidelines (numbered from 0, in the policy's order) with a clause on that
topic containing the word, and under ``n`` the guidelines whose name (municipality,
prefecture, title) contains it. A query's guidelines on topic T are the
intersection of its words' sets on T, each joined with the word's name set (福岡県
炎上: Fukuoka's clauses on 炎上), with one word at least on T. The words are spread over buckets by a hash
(``bucket``; policy-search.js computes the same), so a query loads one small
file per word, whatever the number of municipalities.

A set is written as a base64 bitset (bit i of byte i // 8 little-endian order: guideline i)
or, when shorter, as the gaps between its members. Files are gzip (mtime 0) JSON
with sorted keys: the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable, Sequence

NAME = "n"  # the key of a word's set of guidelines named by it
NO_TOPIC = 0
BUCKET_BYTES = 6000  # aimed-at size of one bucket's JSON, before gzip


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


class ClauseTable:
    """Filled one guideline at a time (``add``); ``files`` gives the buckets."""

    def __init__(self) -> None:
        self._sets: dict[str, dict[int | str, int]] = {}
        self.guidelines = 0

    def add(self, name_words: Iterable[str], clauses: Iterable[tuple[Iterable[str], Sequence[int]]]) -> int:
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

    def files(self) -> tuple[int, dict[int, bytes]]:
        """(number of buckets, bucket -> gzip JSON ``{word: {topic or "n": set}}``, for
        every bucket from 0)."""
        encoded = {word: {str(key): encode_set(bits, self.guidelines) for key, bits in entry.items()} for word, entry in self._sets.items()}
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
