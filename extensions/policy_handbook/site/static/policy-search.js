/* policy_handbook: the search page (site/search_index.py writes the Pagefind bundle).
 *
 * One query loads Pagefind (its script, worker and WebAssembly), the index chunks of
 * the query's words, the filter chunks and one fragment per result shown: the pages
 * (situation guides first, then topics and comparisons, guidelines, other pages) and,
 * for the clauses, one group per topic. A small group lists its clauses; a large one
 * (a topic addressed by hundreds of municipalities) gives its count per prefecture,
 * from Pagefind's filter counts (no fragment loaded), its best matches and a link to
 * the topic's page.
 *
 * Japanese queries are split as the index is (character bigrams, splitQuery from
 * language_data.js, the same as Sphinx's search here); English ones are left to
 * Pagefind's English stemming.
 *
 * From file:// the browser refuses Pagefind's requests: the page says so and runs
 * Sphinx's own search (searchtools.js + searchindex.js) instead.
 */
"use strict";

(() => {
  const PAGE_KINDS = ["situation", "topic", "comparison", "guideline", "page"];
  // A phone's budget: each result shown costs one request (its fragment). A small list
  // (up to LIST_ALL results, a two-city site) is shown whole; a larger one gets
  // FRAGMENTS results at most, pages first, then one best match per large topic group.
  const LIST_ALL = 20;
  const FRAGMENTS = 12;
  const PAGES_PER_KIND = 3;
  const LIST_CLAUSES = 10; // a topic group up to this many clauses lists them all

  const config = JSON.parse(document.getElementById("policy-search-config").textContent);
  const S = config.strings;
  const out = document.getElementById("search-results");
  const note = document.getElementById("policy-search-note");
  const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  document.querySelectorAll('input[name="q"]').forEach((el) => (el.value = query));

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const number = (n) => n.toLocaleString(config.lang);
  const href = (url) => url.replace(/^\/+/, ""); // records' URLs are relative to this page

  if (window.location.protocol === "file:") {
    note.textContent = S.file;
    note.hidden = false;
    // Sphinx's search, as on a page without Pagefind: searchtools.js, then its index.
    const tools = document.createElement("script");
    tools.src = config.fallback[0];
    tools.onload = () => {
      const index = document.createElement("script");
      index.src = config.fallback[1];
      document.body.appendChild(index);
    };
    document.body.appendChild(tools);
    return;
  }
  if (!query) return;

  // Filled when the list is complete (as Sphinx's search does): a reader, or a test, can
  // tell a finished list from one still growing.
  const progress = el("p", { class: "policy-search-progress" }, S.searching);
  const summary = el("p", { class: "search-summary", role: "status" });
  out.append(progress, summary);

  // As search_records.bigram_word: 乗っ -> j04e5703063 (Latin words stay as they are).
  const cjk = /^[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const bigramWord = (piece) => (cjk.test(piece) ? "j" + [...piece].map((c) => c.codePointAt(0).toString(16).padStart(5, "0")).join("") : piece);
  const term = config.lang === "ja" ? splitQuery(query).map(bigramWord).join(" ") : query;

  const resultItem = (data) => {
    const li = el("li");
    li.appendChild(el("a", { href: href(data.url) }, data.meta.title || href(data.url)));
    if (data.meta.text) li.appendChild(el("p", { class: "context" }, data.meta.text));
    return li;
  };
  const list = (items) => {
    const ul = el("ul", { class: "search", role: "list" });
    items.forEach((data) => ul.appendChild(resultItem(data)));
    return ul;
  };
  const section = (heading) => {
    const part = el("section", { class: "policy-search-group" });
    part.appendChild(el("h2", {}, heading));
    out.appendChild(part);
    return part;
  };
  const load = (results, count) => Promise.all(results.slice(0, count).map((r) => r.data()));

  // Independent steps run at once (each is a round trip to Pagefind's worker or the
  // server): one search gives the counts per kind and topic, then every group's search,
  // then every fragment shown.
  async function run() {
    const pagefind = await import(new URL(config.bundle + "/pagefind.js", document.baseURI).href);
    await pagefind.options({ baseUrl: "/" });
    const siteData = fetch(config.data).then((r) => r.json());
    if (!term) return show(0, 0);
    await pagefind.filters(); // loads the filter chunks: without them a search counts no topic
    const all = await pagefind.search(term);
    const perKind = all.filters.kind || {};
    const perTopic = all.filters.topic || {};
    const kinds = PAGE_KINDS.filter((kind) => perKind[kind]);
    const pageCount = kinds.reduce((sum, kind) => sum + perKind[kind], 0);
    const clauseCount = perKind.clause || 0;

    const data = await siteData;
    // The topics with the most matching clauses first (taxonomy order among equals); a
    // clause on several topics is listed under the first of them only.
    const topics = [...data.topics, { id: "-", label: S.no_topic, page: null }]
      .map((t, order) => ({ ...t, order, count: perTopic[t.id] || 0 }))
      .filter((t) => t.count && clauseCount)
      .sort((a, b) => b.count - a.count || a.order - b.order);
    const topicSearches = Promise.all(topics.map((t) => pagefind.search(term, { filters: { kind: "clause", topic: t.id } })));

    const whole = pageCount + clauseCount <= LIST_ALL;
    let budget = whole ? Infinity : FRAGMENTS;
    const take = (results, most) => {
      const chosen = results.slice(0, Math.max(0, Math.min(most, budget)));
      budget -= chosen.length;
      return chosen;
    };
    const kindResults = await Promise.all(kinds.map((kind) => pagefind.search(term, { filters: { kind } })));
    const pageData = await Promise.all(kindResults.map((found) => load(take(found.results, whole ? Infinity : PAGES_PER_KIND), Infinity)));
    kinds.forEach((kind, i) => section(S[kind]).appendChild(list(pageData[i])));

    const shown = new Set();
    const plans = (await topicSearches).map((found, i) => {
      const total = found.results.length;
      const fresh = found.results.filter((r) => !shown.has(r.id));
      const listed = total <= LIST_CLAUSES ? take(fresh, fresh.length) : take(fresh, 1);
      listed.forEach((r) => shown.add(r.id));
      return { topic: topics[i], found, total, listed };
    });
    const clauseData = await Promise.all(plans.map((plan) => load(plan.listed, plan.listed.length)));
    const part = clauseCount ? section(S.clause) : null;
    plans.forEach(({ topic, found, total, listed }, i) => {
      if (!listed.length && total <= LIST_CLAUSES) return;
      const group = el("div", { class: "policy-search-topic" });
      part.appendChild(group);
      if (total <= LIST_CLAUSES) {
        group.appendChild(el("h3", {}, topic.label));
        group.appendChild(list(clauseData[i]));
        return;
      }
      const perPrefecture = found.filters.pref || {};
      const prefectures = data.prefectures.filter((p) => perPrefecture[p]);
      group.appendChild(el("h3", {}, fill(S.topic_count, { count: number(total), topic: topic.label, prefectures: prefectures.length })));
      if (topic.page) {
        const p = el("p");
        p.appendChild(el("a", { href: topic.page }, S.topic_page));
        group.appendChild(p);
      }
      const details = el("details", { class: "policy-search-prefectures" });
      details.appendChild(el("summary", {}, S.by_prefecture));
      const counts = el("ul", { role: "list" });
      prefectures.forEach((p) => counts.appendChild(el("li", {}, `${p} ${number(perPrefecture[p])}`)));
      details.appendChild(counts);
      group.appendChild(details);
      if (!listed.length) return;
      group.appendChild(el("p", {}, S.examples));
      group.appendChild(list(clauseData[i]));
    });
    show(pageCount, clauseCount);
  }

  function show(pageCount, clauseCount) {
    progress.remove();
    summary.textContent = pageCount + clauseCount ? fill(S.summary, { pages: number(pageCount), clauses: number(clauseCount) }) : S.none;
  }

  run().catch((error) => {
    progress.remove();
    summary.textContent = fill(S.error, { error: String(error && error.message ? error.message : error) });
  });
})();
