"""Read a set of the clause table (site/search_table.py) as policy-search.js does."""

from __future__ import annotations

import base64


def decode_set(value: str | list[int], size: int) -> set[int]:
    """A base64 bitset (bit i of byte i // 8: guideline i) or gap list -> the guideline numbers."""
    if isinstance(value, str):
        bits = int.from_bytes(base64.b64decode(value), "little")
        return {i for i in range(size) if bits >> i & 1}
    members, member = set(), 0
    for i, gap in enumerate(value):
        member = member + gap if i else gap
        members.add(member)
    return members


def decode_pages(postings: list[int]) -> dict[int, int]:
    """A word's pages (search_table's ``p``: page, weight, page gap, weight, …) -> {page: weight}."""
    found, page = {}, 0
    for k in range(0, len(postings), 2):
        page += postings[k]  # the first is the page itself, then gaps
        found[page] = postings[k + 1]
    return found
