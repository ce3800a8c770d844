"""policy-search.js against the Python that writes its files (site/search_table.py,
site/search_records.py): run in node on a page of stand-in elements, with the bucket
files a SearchTable wrote, it asks for the buckets of the words words_of gives, and
lists and counts what the table says.

The browser tests check the page as a reader sees it on the real sites; these check
the agreement itself on inputs the sites do not have (emoji, full-width, mixed
scripts, a long query, many guidelines, dense and sparse sets).
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
import urllib.parse

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.site import search_table
from policy_handbook.site.search_index import ui_strings
from policy_handbook.site.search_records import words_of

SCRIPT = PROJECT_ROOT / "extensions" / "policy_handbook" / "site" / "static" / "policy-search.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (the browser tests run the page itself)")

# A page of stand-in elements: enough of the DOM for policy-search.js, and what it built as JSON.
HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
class El {
  constructor(tag) { Object.assign(this, { tag, attrs: {}, kids: [], own: "", parent: null, dataset: {}, hidden: false }); }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return this.attrs[k]; }
  set textContent(t) { this.own = String(t); this.kids = []; }
  get textContent() { return this.own + this.kids.map((k) => k.textContent).join(""); }
  remove() { if (this.parent) this.parent.kids.splice(this.parent.kids.indexOf(this), 1); this.parent = null; }
  insertBefore(k, ref) { k.remove(); k.parent = this; this.kids.splice(ref ? this.kids.indexOf(ref) : this.kids.length, 0, k); return k; }
  appendChild(k) { return this.insertBefore(k, null); }
  append(...ks) { ks.forEach((k) => this.appendChild(k)); }
  addEventListener() {}
  toJSON() { return { tag: this.tag, attrs: this.attrs, text: this.own, kids: this.kids }; }
}
const results = new El("div");
const elements = { "policy-search-config": { textContent: JSON.stringify(input.config) }, "search-results": results, "policy-search-note": new El("p") };
const requested = [];
Object.assign(globalThis, {
  window: globalThis,
  location: { protocol: "http:", search: "?q=" + encodeURIComponent(input.query) },
  document: { readyState: "complete", getElementById: (id) => elements[id] || null, querySelectorAll: () => [], createElement: (tag) => new El(tag), addEventListener() {} },
  fetch: async (url) => {
    requested.push(url);
    const body = input.files[url];
    return body === undefined ? new Response("", { status: 404 }) : new Response(Buffer.from(body, "base64"));
  },
});
vm.runInThisContext(fs.readFileSync(input.script, "utf8"));
const finished = () => results.kids.some((k) => k.attrs.class === "search-summary" && k.own);
const wait = () => (finished() ? console.log(JSON.stringify({ requested, results })) : setTimeout(wait, 5));
wait();
"""


def run_page(query: str, site: dict, files: dict[str, bytes], lang: str = "ja") -> tuple[list[str], dict]:
    """(the URLs the page fetched, the result list it built) for `query`."""
    config = {
        "bundle": "_search", "root": "", "data": "_search/policy-search.json", "fallback": [],
        "lang": lang, "strings": {key: str(text) for key, text in ui_strings().items()},
    }  # fmt: skip
    served = {f"_search/{name}": base64.b64encode(data).decode("ascii") for name, data in files.items()}
    served["_search/policy-search.json"] = base64.b64encode(json.dumps(site).encode("utf-8")).decode("ascii")
    payload = json.dumps({"script": str(SCRIPT), "config": config, "query": query, "files": served})
    done = subprocess.run([NODE, "-e", HARNESS], input=payload, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    return out["requested"], out["results"]


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
def test_the_page_asks_for_the_buckets_of_the_words_the_index_has(query):
    table = search_table.SearchTable()
    for n in range(2000):  # enough words for many buckets
        table.add_page([f"w{n}"], [])
    site, files = site_of(table, [["page", f"p{n}.html", f"p{n}", ""] for n in range(2000)], [])
    assert site["buckets"] >= 8
    requested, results = run_page(query, site, files)
    wanted = {f"_search/policy-terms/{search_table.bucket(w, site['buckets'])}.gz" for w in words_of(query, "ja")}
    assert set(requested) - {"_search/policy-search.json"} == wanted
    assert summary(results) == str(ui_strings()["none"])  # found nothing, and said so: no error


def test_pages_are_ranked_by_the_sum_of_their_words_weights_then_by_their_order():
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
    _requested, results = run_page("炎上 注意", site, files)
    links = [n["attrs"]["href"] for n in walk(results) if n["tag"] == "a"]
    assert links == ["p4.html", "p0.html", "p3.html", "p1.html"]


@pytest.mark.parametrize("every", [1, 2, 50], ids=["dense", "half", "sparse"])
def test_the_counts_per_topic_are_the_table_s_sets_intersected(every):
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
    _requested, results = run_page("炎上 注意", site, files)
    headings = [n["text"] for n in walk(results) if n["tag"] == "h3"]
    topic = str(ui_strings()["topic_count"])
    assert headings == [topic.format(count=expected, topic="炎上の対応")]
