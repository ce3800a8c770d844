"""Japanese search: compound words are found, and results land on the clause.

The browser splits a query with ``splitQuery`` (language_data.js) and requires
every piece in a page's index terms; these tests check, on the built
searchindex.js, that the pieces of each query are indexed for the page whose
clause contains it, and that the index entries point at that clause's anchor.
(The search itself, typed into Chromium, is tested in tests/browser/.)
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers.clause_sets import decode_pages, decode_set
from helpers.site_root import SITE_CONF, SITE_ROOT, build_site
from policy_handbook.site.search_ja import SearchJapaneseBigram, bigrams, split_query

ROOT = SITE_ROOT
QUERIES = ["成りすまし", "炎上", "乗っ取り", "個人情報", "公式アカウント", "第三者"]
# Where each query must land in the test root (tests/roots/test-site/policy/north.yaml).
CLAUSE_OF_QUERY = {
    "成りすまし": "north-1-1",
    "炎上": "north-1-2",
    "乗っ取り": "north-1-3",
    "個人情報": "north-2-p1",
    "公式アカウント": "north-2-p1",
    "第三者": "north-2-p1",
}


def load_index(outdir: Path) -> dict:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def pages_matching(index: dict, query: str) -> set[str]:
    """What searchtools.js does with the terms: every piece of the query on the page."""
    found = None
    for term in split_query(query):
        docs = set()
        for table in (index["terms"], index["titleterms"]):
            hit = table.get(term.lower(), [])
            docs |= {hit} if isinstance(hit, int) else set(hit)
        found = docs if found is None else found & docs
    return {index["docnames"][i] for i in found or ()}


def anchors_for(index: dict, query: str) -> set[tuple[str, str]]:
    """Index entries searchtools.js lists for the query: (page, anchor)."""
    return {
        (index["docnames"][doc], anchor)
        for entry, hits in index["indexentries"].items()
        if query.lower() in entry and len(query) >= len(entry) / 2
        for doc, anchor, _main in hits
    }


@pytest.fixture(scope="module")
def ja(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("search-ja")
    shutil.copytree(ROOT, srcdir, dirs_exist_ok=True)
    app = build_site(srcdir)
    assert app.warning.getvalue() == ""
    return app


# -- splitting -----------------------------------------------------------------


def test_query_is_split_into_bigrams_of_japanese_runs():
    assert split_query("第三者") == ["第三", "三者"]
    assert split_query("炎上") == ["炎上"]
    # A lone particle (の) is never indexed, so it must not be required.
    assert split_query("公式アカウント の 成りすまし") == ["公式", "式ア", "アカ", "カウ", "ウン", "ント", "成り", "りす", "すま", "まし"]
    assert split_query("市") == []
    assert split_query("Twitter 乗っ取り") == ["Twitter", "乗っ", "っ取", "取り"]
    # NFKC: full-width Latin and half-width katakana as the pages have them.
    assert split_query("ＳＮＳのｱｶｳﾝﾄ") == ["SNS", "のア", "アカ", "カウ", "ウン", "ント"]


def test_index_words_contain_every_query_piece_of_the_text():
    words = set(SearchJapaneseBigram({}).split("業務上知り得た個人情報を第三者に提供しない。"))
    for query in ("個人情報", "第三者", "業務上"):
        assert set(split_query(query)) <= words
    # Only what a query can ask for: bigrams of the Japanese runs (TinySegmenter's
    # 第三 / 者 split never matched, and only made the index bigger).
    assert words == {
        "業務",
        "務上",
        "上知",
        "知り",
        "り得",
        "得た",
        "た個",
        "個人",
        "人情",
        "情報",
        "報を",
        "を第",
        "第三",
        "三者",
        "者に",
        "に提",
        "提供",
        "供し",
        "しな",
        "ない",
    }


def test_bigrams_of_short_runs():
    assert bigrams("市") == ["市"]
    assert bigrams("炎上") == ["炎上"]
    assert bigrams("乗っ取り") == ["乗っ", "っ取", "取り"]


def test_javascript_splitter_agrees_with_python(ja):
    """The splitQuery shipped in language_data.js returns what split_query returns."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the browser tests cover the JavaScript)")
    js = (ja.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    queries = [*QUERIES, "公式アカウント の 成りすまし", "Twitter 乗っ取り", "ＳＮＳのｱｶｳﾝﾄ", "chikugo-6-3", "市"]
    script = (
        "var window = globalThis;\n" + js + f"\nconsole.log(JSON.stringify({json.dumps(queries, ensure_ascii=False)}.map(splitQuery)));"
    )
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [split_query(q) for q in queries]


# -- the built index -------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES)
def test_query_finds_the_page_with_the_clause(ja, query):
    assert "guidelines/north" in pages_matching(load_index(ja.outdir), query)


def test_page_without_the_word_is_not_found(ja):
    index = load_index(ja.outdir)
    assert "dates" not in pages_matching(index, "第三者")
    assert pages_matching(index, "存在しない語句") == set()


@pytest.mark.parametrize("query", QUERIES)
def test_query_lands_on_the_clause_anchor(ja, query):
    assert ("guidelines/north", CLAUSE_OF_QUERY[query]) in anchors_for(load_index(ja.outdir), query)


def test_variant_leads_to_the_canonical_term(ja):
    """north-1-1 says 当市アカウント, a variant of 公式アカウント in the glossary."""
    hits = anchors_for(load_index(ja.outdir), "公式アカウント")
    assert ("guidelines/north", "north-1-1") in hits


def test_search_entries_are_not_in_the_general_index(ja):
    """They only serve search: genindex.html stays as the documents define it."""
    genindex = (ja.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "north-1-1" not in genindex


def test_clause_ids_are_searchable_objects(ja):
    index = load_index(ja.outdir)
    names = {entry[4] for entries in index["objects"].values() for entry in entries}
    assert {"north-1-1", "north-2-p1"} <= names


def test_english_site_keeps_english_search(tmp_path):

    shutil.copytree(ROOT, tmp_path, dirs_exist_ok=True)
    app = build_site(tmp_path, language="en")
    index = load_index(app.outdir)
    assert "imperson" in index["terms"]  # English words, stemmed
    assert ("guidelines/north", "north-1-1") in anchors_for(index, "impersonation")
    assert "character bigrams" not in (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")


# -- the search table (search_index, search_records, search_table) --------------------------

from policy_handbook.site import search_records, search_table  # noqa: E402
from policy_handbook.site.search_index import BUNDLE_DIR, page_entries, page_text  # noqa: E402


def words(query: str, lang: str = "ja") -> set[str]:
    return set(search_records.words_of(query, lang))


def test_index_words_are_the_query_bigrams():
    assert search_records.words_of("著作権", "ja") == ["著作", "作権"]
    assert search_records.words_of("乗っ取られた", "ja") == ["乗っ", "っ取", "取ら", "られ", "れた"]
    # 権利 alone is not 著作権: none of its words is one of 著作権's.
    assert not words("権利") & words("著作権")
    # NFKC, lower case, one-character runs dropped (as split_query); English is stemmed.
    assert search_records.words_of("ＳＮＳ 市", "ja") == ["sns"]
    assert search_records.words_of("Hijacked accounts", "en") == ["hijack", "account"]


def bundle_file(app, path: str):
    return json.loads(gzip.decompress((app.outdir / BUNDLE_DIR / path).read_bytes()))


def table_guidelines(app, query: str, key: str) -> set[int]:
    """The guidelines with every word of `query` under `key` in the search table (a
    topic's number, 0 for none, "n" for the names); policy-search.js also counts a word
    found under "n"."""
    data = json.loads((app.outdir / BUNDLE_DIR / "policy-search.json").read_text(encoding="utf-8"))
    found = None
    for word in search_records.words_of(query, "ja"):
        entry = bundle_file(app, f"policy-terms/{search_table.bucket(word, data['buckets'])}.gz").get(word, {})
        members = decode_set(entry[key], data["guidelines"]) if key in entry else set()
        found = members if found is None else found & members
    return found or set()


def table_pages(app, query: str) -> list[str]:
    """The URLs of the pages with every word of `query`, best first, as policy-search.js
    ranks them (the sum of the words' weights, then the site data's order)."""
    data = json.loads((app.outdir / BUNDLE_DIR / "policy-search.json").read_text(encoding="utf-8"))
    scores: dict[int, int] | None = None
    for word in search_records.words_of(query, "ja"):
        seen = decode_pages(bundle_file(app, f"policy-terms/{search_table.bucket(word, data['buckets'])}.gz").get(word, {}).get("p", []))
        scores = seen if scores is None else {p: s + seen[p] for p, s in scores.items() if p in seen}
    return [data["pages"][p][1] for p, _ in sorted((scores or {}).items(), key=lambda item: (-item[1], item[0]))]


def test_pages_of_the_site(ja):
    found = {entry[0][1]: entry for entry in page_entries(ja)}
    assert set(found) == {"index.html", "dates.html"}  # the guideline's words are in its sets
    assert found["index.html"][0][0] == "page"
    north = bundle_file(ja, "policy-guidelines/0.gz")
    assert north["url"] == "guidelines/north.html"
    clauses = {c[0]: c for c in north["clauses"]}
    for query, clause in CLAUSE_OF_QUERY.items():
        assert set(search_records.words_of(query, "ja")) <= set(
            search_records.words_of(clauses[f"guidelines/north.html#{clause}"][4], "ja")
        ), query


def test_the_site_data_lists_every_page_with_its_kind_title_and_excerpt(ja):
    """The list shows a page from the site data: no result page is fetched for a snippet."""
    data = json.loads((ja.outdir / BUNDLE_DIR / "policy-search.json").read_text(encoding="utf-8"))
    by_url = {page[1]: page for page in data["pages"]}
    assert set(by_url) == {"index.html", "dates.html"}
    assert by_url["index.html"][0] == "page" and by_url["index.html"][2] == ja.env.titles["index"].astext()
    dates = by_url["dates.html"]
    assert dates[3].startswith("日付の書き方")  # after the title, which the list shows as the link


def test_pages_are_found_by_every_word_and_ranked_by_title_first(ja):
    title = ja.env.titles["dates"].astext()
    assert table_pages(ja, title)[0] == "dates.html"
    assert table_pages(ja, "北市ハンドブック") and table_pages(ja, "北市ハンドブック")[0] == "index.html"
    assert table_pages(ja, "存在しない語句") == []


def test_the_search_table_finds_each_query_on_the_clause_topics(ja):
    data = json.loads((ja.outdir / BUNDLE_DIR / "policy-search.json").read_text(encoding="utf-8"))
    assert data["guidelines"] == 1 and data["prefecture_runs"] == [[1, 1]]
    north = bundle_file(ja, "policy-guidelines/0.gz")
    topics_of = {c[0].split("#")[1]: c[2] for c in north["clauses"]}
    for query, clause in CLAUSE_OF_QUERY.items():
        for topic in topics_of[clause] or [0]:
            assert table_guidelines(ja, query, str(topic)) == {0}, (query, topic)
    assert table_guidelines(ja, "存在しない語句", "0") == set()
    assert table_guidelines(ja, "北市", "n") == {0}  # by its name


def page_text_of(app, docname: str) -> str:
    return page_text(app.env.get_doctree(docname))


def test_page_text_leaves_out_the_toctree(ja):
    text = page_text_of(ja, "index")
    assert "北市ハンドブック" in text
    assert "ページ" not in text  # the toctree's caption


def test_the_search_page_loads_the_search_table_not_the_sphinx_index(ja):
    html = (ja.outdir / "search.html").read_text(encoding="utf-8")
    assert 'src="searchindex.js"' not in html and "searchtools.js" not in html.split("policy-search-config")[0]
    assert 'id="policy-search-config"' in html and "_static/policy-search.js" in html
    # Sphinx's index is still built: the page falls back to it from file://.
    assert (ja.outdir / "searchindex.js").is_file()
    assert (ja.outdir / BUNDLE_DIR / "policy-terms" / "0.gz").is_file()
    # The site data is fetched from the head, while the scripts load (not from file://).
    assert html.index(f'fetch("{BUNDLE_DIR}/policy-search.json")') < html.index("_static/policy-search.js")
    data = json.loads((ja.outdir / BUNDLE_DIR / "policy-search.json").read_text(encoding="utf-8"))
    assert [t["number"] for t in data["topics"]] == list(range(1, len(data["topics"]) + 1))
    # The page knows the table's size, so a query's buckets load with the site data.
    config = json.loads(html.split('id="policy-search-config">', 1)[1].split("</script>", 1)[0])
    assert (config["buckets"], config["guidelines"]) == (data["buckets"], data["guidelines"])


def test_the_index_is_deterministic(tmp_path):

    bundles = []
    for run in ("a", "b"):
        srcdir = tmp_path / run
        shutil.copytree(ROOT, srcdir)
        app = build_site(srcdir)
        bundle = app.outdir / BUNDLE_DIR
        bundles.append({p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()})
    assert bundles[0].keys() == bundles[1].keys()
    assert [k for k in bundles[0] if bundles[0][k] != bundles[1][k]] == []


def test_a_build_that_changed_nothing_keeps_the_index_and_an_edit_rewrites_it(tmp_path):
    """At 1,741 municipalities writing the bundle was most of a no-op build."""

    shutil.copytree(ROOT, tmp_path, dirs_exist_ok=True)

    def build() -> tuple[dict[str, int], str]:
        app = build_site(tmp_path)
        bundle = app.outdir / BUNDLE_DIR
        return {p.relative_to(bundle).as_posix(): p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}, app.status.getvalue()

    first, _ = build()
    again, log = build()
    assert again == first and "search index: unchanged" in log
    dates = tmp_path / "dates.md"
    dates.write_text(dates.read_text(encoding="utf-8") + "\n追記された一文。\n", encoding="utf-8")
    edited, log = build()
    assert "search index: unchanged" not in log and edited != first
    policy = next((tmp_path / "policy").glob("*.yaml"))
    policy.write_bytes(policy.read_bytes() + b"\n")  # a policy file changed, no page re-read by itself
    assert build()[0] != edited


def build_into(src: Path, out: Path, doctrees: Path) -> None:
    """Build `src` into `out` with the doctree folder `doctrees` (sphinx-build -d), as a
    SphinxTestApp (its cleanup keeps the next test's build free of warnings): its build
    folder links to both."""
    from sphinx.testing.util import SphinxTestApp

    for folder in (out, doctrees):
        folder.mkdir(parents=True, exist_ok=True)
    builddir = Path(tempfile.mkdtemp(dir=src.parent, prefix="builddir-"))
    (builddir / "html").symlink_to(out)
    (builddir / "doctrees").symlink_to(doctrees)
    app = SphinxTestApp("html", srcdir=src, builddir=builddir, confoverrides=SITE_CONF)
    try:
        app.build()
    finally:
        app.cleanup()


def listing(out: Path) -> str:
    return gzip.decompress((out / BUNDLE_DIR / "policy-guidelines" / "0.gz").read_bytes()).decode("utf-8")


def test_an_output_folder_built_from_an_older_state_gets_a_new_index(tmp_path):
    """Two output folders, one doctree folder (sphinx-build -d): the key left by a build into
    one must not pass the other's older bundle off as current."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    doctrees = tmp_path / "doctrees"
    build_into(src, tmp_path / "a", doctrees)
    north = src / "policy" / "north.yaml"
    north.write_text(north.read_text(encoding="utf-8").replace("炎上", "大炎上", 1), encoding="utf-8")
    build_into(src, tmp_path / "b", doctrees)
    assert "大炎上" in listing(tmp_path / "b")
    build_into(src, tmp_path / "a", doctrees)
    assert "大炎上" in listing(tmp_path / "a")


def test_an_index_another_doctree_folder_wrote_is_not_kept_as_current(tmp_path):
    """Two doctree folders, one output folder: a build with the first must not keep the
    index the second wrote since, which has the second's sources."""
    out = tmp_path / "out"
    sources = {}
    for name in ("a", "b"):
        sources[name] = tmp_path / name
        shutil.copytree(ROOT, sources[name])
    north = sources["b"] / "policy" / "north.yaml"
    north.write_text(north.read_text(encoding="utf-8").replace("炎上", "大炎上", 1), encoding="utf-8")
    for name, edited in (("a", False), ("b", True), ("a", False)):
        build_into(sources[name], out, tmp_path / f"doctrees-{name}")
        assert ("大炎上" in listing(out)) is edited, name
