"""policy-search.js against the Python that writes its files (site/search_table.py,
site/search_records.py): run in Chromium on a page of its own, with the bucket files a
SearchTable wrote served to it, it asks for the buckets of the words words_of gives,
and lists and counts what the table says.

The other browser tests check the page as a reader sees it on the real sites; these
check the agreement itself on inputs the sites do not have (emoji, full-width, mixed
scripts, a long query, many guidelines, dense and sparse sets).
"""

from __future__ import annotations

import gzip
import json
import urllib.parse

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.site import search_table
from policy_handbook.site.search_index import ui_strings
from policy_handbook.site.search_records import words_of

pytestmark = pytest.mark.browser

SCRIPT = PROJECT_ROOT / "extensions" / "policy_handbook" / "site" / "static" / "policy-search.js"
HOST = "http://policy-search.test"
# The result list as nested {tag, attrs, text (its own text nodes), kids}.
SERIALISE = """() => {
  const ser = (n) => ({
    tag: n.tagName.toLowerCase(),
    attrs: Object.fromEntries([...n.attributes].map((a) => [a.name, a.value])),
    text: [...n.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join(""),
    kids: [...n.children].map(ser),
  });
  return ser(document.getElementById("search-results"));
}"""


def run_page(browser, query: str, site: dict, files: dict[str, bytes], lang: str = "ja") -> tuple[list[str], dict]:
    """(the paths the page fetched, the result list it built) for `query`."""
    config = {
        "bundle": "_search", "root": "", "data": "_search/policy-search.json", "fallback": [],
        "lang": lang, "strings": {key: str(text) for key, text in ui_strings().items()},
        "buckets": site["buckets"], "guidelines": site["guidelines"],
    }  # fmt: skip
    served = {f"/_search/{name}": data for name, data in files.items()}
    served["/_search/policy-search.json"] = json.dumps(site).encode("utf-8")
    config_json = json.dumps(config).replace("<", "\\u003c")  # as Jinja's tojson: no </script> inside
    page_html = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>t</title>'
        f'<script type="application/json" id="policy-search-config">{config_json}</script>'
        '<script src="/_static/policy-search.js" async></script></head>'
        '<body><p id="policy-search-note" hidden></p><div id="search-results"></div></body></html>'
    )
    requested: list[str] = []
    errors: list[str] = []

    def serve(route) -> None:
        path = urllib.parse.urlsplit(route.request.url).path
        if path == "/search.html":
            route.fulfill(body=page_html, content_type="text/html; charset=utf-8")
        elif path == "/_static/policy-search.js":
            route.fulfill(body=SCRIPT.read_bytes(), content_type="text/javascript")
        else:
            if path.startswith("/_search/"):
                requested.append(path.lstrip("/"))
            route.fulfill(body=served[path]) if path in served else route.fulfill(status=404, body="")

    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.route(f"{HOST}/**", serve)
        page.goto(f"{HOST}/search.html?q={urllib.parse.quote(query)}")
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results p.search-summary'); return s && s.textContent.trim(); }"
        )
        results = page.evaluate(SERIALISE)
    finally:
        context.close()
    assert errors == []
    return requested, results


def site_of(table: search_table.SearchTable, pages: list[list[str]], topics: list[str]) -> tuple[dict, dict[str, bytes]]:
    buckets, files = table.files()
    site = {
        "pages": pages, "guidelines": table.guidelines, "buckets": buckets,
        "topics": [{"id": f"t{n}", "number": n, "label": label, "page": None} for n, label in enumerate(topics, start=1)],
        "prefectures": ["北県"], "prefecture_runs": [[1, table.guidelines]] if table.guidelines else [],
    }  # fmt: skip
    return site, {f"policy-terms/{n}.gz": data for n, data in files.items()}


def walk(node: dict):
    yield node
    for kid in node["kids"]:
        yield from walk(kid)


def summary(results: dict) -> str:
    return next(n["text"] for n in walk(results) if n["attrs"].get("class") == "search-summary")


ODD_QUERIES = [
    "乗っ取られた", "ＳＮＳのｱｶｳﾝﾄ", "炎上😀", "😀", "🇯🇵", "!!!", "。、", "市", "Twitter乗っ取り", "abcなりすまし123",
    "ＡＢＣ", "İSTANBUL ΣΑΣ", "①②", "々", "a_b c-d", "x" * 3000, "炎上" * 500,
]  # fmt: skip


@pytest.mark.parametrize("query", ODD_QUERIES, ids=[urllib.parse.quote(q[:12]) for q in ODD_QUERIES])
def test_the_page_asks_for_the_buckets_of_the_words_the_index_has(browser, query):
    table = search_table.SearchTable()
    for n in range(2000):  # enough words for many buckets
        table.add_page([f"w{n}"], [])
    site, files = site_of(table, [["page", f"p{n}.html", f"p{n}", ""] for n in range(2000)], [])
    assert site["buckets"] >= 8
    requested, results = run_page(browser, query, site, files)
    wanted = {f"_search/policy-terms/{search_table.bucket(w, site['buckets'])}.gz" for w in words_of(query, "ja")}
    assert set(requested) - {"_search/policy-search.json"} == wanted
    assert summary(results) == str(ui_strings()["none"])  # found nothing, and said so: no error


def test_pages_are_ranked_by_the_sum_of_their_words_weights_then_by_their_order(browser):
    table = search_table.SearchTable()
    words = [
        (["炎上"], ["注意"]),  # 10 + 1
        ([], ["炎上", "注意"]),  # 1 + 1
        ([], ["炎上"]),  # no 注意: not listed
        (["注意"], ["炎上"]),  # 10 + 1, after page 0
        ([], ["炎上"] * 200 + ["注意"] * 200),  # 99 + 99
    ]
    for title, text in words:
        table.add_page(title, text)
    site, files = site_of(table, [["page", f"p{n}.html", f"p{n}", ""] for n in range(len(words))], [])
    _requested, results = run_page(browser, "炎上 注意", site, files)
    links = [n["attrs"]["href"] for n in walk(results) if n["tag"] == "a"]
    assert links == ["p4.html", "p0.html", "p3.html", "p1.html"]


@pytest.mark.parametrize("every", [1, 2, 50], ids=["dense", "half", "sparse"])
def test_the_counts_per_topic_are_the_table_s_sets_intersected(browser, every):
    """400 guidelines: counted per topic, not listed; sets written as bitsets or gaps."""
    table = search_table.SearchTable()
    expected = 0
    for n in range(400):
        both = n % every == 0
        clauses = [(["炎上", "注意"] if both else ["炎上"], [1]), (["注意"], [2])]
        table.add_guideline([f"m{n}"], clauses)
        expected += both
    site, files = site_of(table, [], ["炎上の対応", "その他"])
    buckets, raw = table.files()
    both_set = json.loads(gzip.decompress(raw[search_table.bucket("注意", buckets)]))["注意"]["1"]
    assert isinstance(both_set, list) == (every == 50)  # the sparse set is written as gaps
    _requested, results = run_page(browser, "炎上 注意", site, files)
    headings = [n["text"] for n in walk(results) if n["tag"] == "h3"]
    topic = str(ui_strings()["topic_count"])
    assert headings == [topic.format(count=expected, topic="炎上の対応")]
