"""The search table the search page finds pages and counts municipalities with (site/search_table.py)."""

from __future__ import annotations

import gzip
import json

import pytest

from helpers.clause_sets import decode_pages
from helpers.clause_sets import decode_set as decode
from policy_handbook.site import search_table


def lookup(table: search_table.SearchTable, word: str) -> dict[str, set[int]]:
    buckets, files = table.files()
    data = json.loads(gzip.decompress(files[search_table.bucket(word, buckets)]))
    return {key: decode(value, table.guidelines) for key, value in data.get(word, {}).items()}


@pytest.mark.parametrize("members", [set(), {0}, {5, 6, 7}, set(range(0, 1741, 3)), set(range(1741)), {1740}])
def test_a_set_reads_back_the_same_dense_or_sparse(members):
    bits = sum(1 << m for m in members)
    encoded = search_table.encode_set(bits, 1741) if members else None
    if encoded is not None:
        assert decode(encoded, 1741) == members
    if len(members) > 1000:
        assert isinstance(encoded, str)  # a bitset: 218 bytes, not a thousand numbers
    if members == {1740}:
        assert encoded == [1740]


def test_words_are_counted_per_topic_of_their_clause_and_by_name():
    table = search_table.SearchTable()
    assert table.add_guideline(["北市"], [(["炎上", "注意"], [3, 12]), (["著作"], [])]) == 0
    assert table.add_guideline(["南市"], [(["炎上"], [5])]) == 1
    assert lookup(table, "炎上") == {"3": {0}, "12": {0}, "5": {1}}
    assert lookup(table, "著作") == {"0": {0}}  # a clause on no topic
    assert lookup(table, "北市") == {"n": {0}}
    assert lookup(table, "存在") == {}


def pages(table: search_table.SearchTable, word: str) -> dict[int, int]:
    buckets, files = table.files()
    return decode_pages(json.loads(gzip.decompress(files[search_table.bucket(word, buckets)])).get(word, {}).get("p", []))


def test_a_page_is_found_by_its_words_weighted_by_where_they_are():
    table = search_table.SearchTable()
    assert table.add_page(["炎上"], ["注意"]) == 0
    assert table.add_page([], ["炎上"] * 3 + ["注意"]) == 1
    table.add_page([], ["別の"])
    assert table.add_page(["注意"], ["炎上"] * 500) == 3
    # ten per time in the title or search words, one per time in the text, at most 99
    assert pages(table, "炎上") == {0: 10, 1: 3, 3: 99}
    assert pages(table, "注意") == {0: 1, 1: 1, 3: 10}
    assert pages(table, "存在") == {}


def test_pages_and_clauses_share_a_word_s_entry():
    table = search_table.SearchTable()
    table.add_page(["炎上"], [])
    table.add_guideline(["北市"], [(["炎上"], [3])])
    buckets, files = table.files()
    entry = json.loads(gzip.decompress(files[search_table.bucket("炎上", buckets)]))["炎上"]
    assert entry == {"p": [0, 10], "3": [0]}  # one request gives both


def test_the_files_are_the_same_bytes_for_the_same_input_and_spread_over_buckets():
    def fill():
        table = search_table.SearchTable()
        for n in range(300):
            table.add_guideline([f"m{n}"], [([f"w{n % 97}", f"v{n % 13}", "common"], [n % 22 + 1])])
        return table.files()

    first, second = fill(), fill()
    assert first == second
    buckets, files = first
    assert buckets > 1 and buckets & (buckets - 1) == 0
    assert max(len(gzip.decompress(data)) for data in files.values()) < 4 * search_table.BUCKET_BYTES


def test_every_bucket_has_a_file_even_an_empty_table():
    """policy-search.js fetches the bucket of each query word: a missing file was an
    error on the page ("could not be loaded") instead of "no result"."""
    table = search_table.SearchTable()
    assert table.files() == (1, {0: search_table.gzip_json({})})
    table.add_guideline(["北市"], [(["炎上"], [1])])
    for n in range(200):
        table.add_guideline([f"m{n}"], [([f"w{n}"], [2])])
    buckets, files = table.files()
    assert sorted(files) == list(range(buckets))


def test_bucket_is_fnv1a_of_the_utf8():
    # FNV-1a 32-bit reference values ("" and "a"), which policy-search.js's fnv reproduces.
    assert search_table.bucket("", 1 << 32) == 0x811C9DC5
    assert search_table.bucket("a", 1 << 32) == 0xE40C292C
    assert search_table.bucket("炎上", 16) == search_table.bucket("炎上", 1 << 32) & 15


def test_prefecture_runs():
    assert search_table.prefecture_runs([1, 1, 2, 2, 2, 1]) == [[1, 2], [2, 3], [1, 1]]
    assert search_table.prefecture_runs([]) == []
