/* policy_handbook: the search page (site/search_index.py writes the Pagefind bundle).
 *
 * One query loads Pagefind (its script, worker and WebAssembly), the index chunks of
 * the query's words, the filter chunks and one fragment per result shown. The list:
 * situation guides, topics and comparisons, guidelines, other pages, then the clauses
 * by topic. A guideline is one record (search_records.py says why) whose clauses'
 * words are indexed once more per topic, with the topic's number as a suffix: one
 * search per topic counts the municipalities with a clause on it that has every word,
 * without loading any of them; with a prefecture's word (zp + two letters) added, per prefecture
 * (counted when the reader opens that list). Kinds of page are words too (zk<kind>):
 * Pagefind's filters would make the index differ from build to build.
 * Where few guidelines match (a two-city site), their fragments are loaded and each
 * matching clause is listed, linking to its anchor.
 *
 * Words are spelled as the index spells them: Japanese as character bigrams
 * (splitQuery from language_data.js, as Sphinx's search here) written in hex, English
 * as Sphinx's stems (language_data.js's Stemmer).
 *
 * From file:// the browser refuses Pagefind's requests: the page says so and runs
 * Sphinx's own search (searchtools.js + searchindex.js) instead.
 */
"use strict";

(() => {
  const PAGE_KINDS = ["situation", "topic", "comparison", "guideline", "page"];
  // A phone's budget: each result shown costs one request (its fragment). A short list
  // (up to LIST_ALL pages) is shown whole, a longer one PAGES_PER_KIND of each kind; the
  // clauses are listed one by one when up to LIST_GUIDELINES guidelines match.
  const LIST_ALL = 12;
  // (A guideline's fragment holds all its clauses: the largest.)
  const PAGES_PER_KIND = { situation: 3, topic: 2, comparison: 1, guideline: 0, page: 1 };
  const LIST_GUIDELINES = 4;

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
    // Sphinx's search, as on a page without Pagefind: searchtools.js, then its index;
    // without its snippets, which it would fetch from each result page (refused too).
    // The scripts it needs are not on this page over HTTP (a phone would load them for
    // nothing): doctools.js, the translations, searchtools.js and searchindex.js, in order.
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
    window.SPHINX_HIGHLIGHT_ENABLED = false; // sphinx_highlight.js's flag, read by searchtools.js
    const next = (i) => {
      if (i >= config.fallback.length) return;
      const script = document.createElement("script");
      script.src = config.fallback[i];
      script.onload = () => next(i + 1);
      document.body.appendChild(script);
    };
    next(0);
    return;
  }
  if (!query) return;

  // Filled when the list is complete (as Sphinx's search does): a reader, or a test, can
  // tell a finished list from one still growing.
  const progress = el("p", { class: "policy-search-progress" }, S.searching);
  const summary = el("p", { class: "search-summary", role: "status" });
  out.append(progress, summary);

  // As search_records.words_of: 乗っ -> qjbdrjasil, other words lower-cased (stemmed in English).
  const cjk = /^[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const letters = (n, width) => {
    let out = "";
    for (let i = 0; i < width; i++, n = Math.floor(n / 26)) out = String.fromCharCode(97 + (n % 26)) + out;
    return out;
  };
  const bigramWord = (piece) => "qj" + [...piece].map((c) => letters(c.codePointAt(0), 4)).join("");
  const stemmer = config.lang === "en" ? new Stemmer() : null;
  const wordsOf = (text) => {
    if (config.lang === "ja") return splitQuery(text).map((p) => (cjk.test(p) ? bigramWord(p) : p.toLowerCase()));
    return (text.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) || []).map((w) => stemmer.stemWord(w.toLowerCase()));
  };
  const topicWord = (word, number) => `${word}x${letters(number, 2)}`;
  const bases = wordsOf(query);
  // search_records.plain_word: every indexed word ends in a mark (w, or x + a topic).
  const words = bases.map((w) => `${w}w`);
  const term = words.join(" ");
  // What Pagefind matched, checked again on one clause: every word of the query in it.
  const clauseMatches = (text) => {
    const own = wordsOf(text);
    return bases.every((w) => own.includes(w));
  };

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

  // The searches are queued (see search below); the fragments shown load at once.
  async function run() {
    const pagefind = await import(new URL(config.bundle + "/pagefind.js", document.baseURI).href);
    await pagefind.options({ baseUrl: "/" });
    const siteData = fetch(config.data).then((r) => r.json());
    if (!term) return show(0, 0);
    const data = await siteData;
    // Pagefind leaves out of a query the words its index does not have (a query of
    // 著作 + 作権 would find every page with 著作 if no page had 作権): a query here
    // finds nothing unless each of its words, searched alone, finds something.
    // One search at a time: Pagefind 1.5.2 mixed up the results of searches run at once.
    let queue = Promise.resolve();
    const search = (text) => (queue = queue.then(() => pagefind.search(text)));
    const known = new Map();
    const isKnown = (word) => {
      if (!known.has(word)) known.set(word, search(word).then((s) => s.results.length > 0));
      return known.get(word);
    };
    const searchAll = async (list) => ((await Promise.all(list.map(isKnown))).every(Boolean) ? (await search(list.join(" "))).results : []);
    // A clause's words are indexed per topic (or as they are if it has none): the
    // guidelines with a matching clause are the union of these searches.
    const topicWords = (t) => bases.map((w) => topicWord(w, t.number));
    // The pages first (their searches are queued first and shown at once), then the topics.
    const kindSearches = Promise.all(PAGE_KINDS.map((kind) => searchAll([...words, `zk${kind}`])));
    const topicSearches = Promise.all(data.topics.map((t) => searchAll(topicWords(t))));
    const byKind = await kindSearches;
    const pageKinds = PAGE_KINDS.filter((kind, i) => kind !== "guideline" && byKind[i].length);
    const pageCounts = pageKinds.reduce((sum, kind) => sum + byKind[PAGE_KINDS.indexOf(kind)].length, 0);
    const whole = pageCounts <= LIST_ALL;
    const pageData = await Promise.all(pageKinds.map((kind) => load(byKind[PAGE_KINDS.indexOf(kind)], whole ? Infinity : PAGES_PER_KIND[kind])));
    const sections = new Map(pageKinds.map((kind, i) => [kind, section(S[kind])]));
    pageKinds.forEach((kind, i) => sections.get(kind).appendChild(list(pageData[i])));

    const byId = new Map();
    for (const results of [byKind[PAGE_KINDS.indexOf("guideline")], ...(await topicSearches)]) {
      for (const r of results) if (!byId.has(r.id)) byId.set(r.id, r);
    }
    const guidelineResults = [...byId.values()];
    const guidelines = guidelineResults.length;
    const pageCount = pageCounts + guidelines;
    if (guidelines) {
      // In the order of the kinds: before the other pages, if any.
      const part = el("section", { class: "policy-search-group" });
      part.appendChild(el("h2", {}, S.guideline));
      const next = sections.get("page");
      out.insertBefore(part, next || null);
      const shownGuidelines = guidelines <= LIST_GUIDELINES ? guidelines : PAGES_PER_KIND.guideline;
      if (shownGuidelines) part.appendChild(list(await load(guidelineResults, shownGuidelines)));
      if (guidelines > shownGuidelines) part.appendChild(el("p", {}, fill(S.more_guidelines, { count: number(guidelines) })));
    }

    // Topics named by the query first (乗っ取り: the topic 乗っ取り), then by matches.
    const named = (t) => wordsOf(t.label).filter((w) => bases.includes(w)).length;
    const topics = (await topicSearches)
      .map((results, i) => ({ ...data.topics[i], count: results.length, order: i, named: named(data.topics[i]) }))
      .filter((t) => t.count)
      .sort((a, b) => b.named - a.named || b.count - a.count || a.order - b.order);
    let clauseCount = 0;
    if (guidelines && guidelines <= LIST_GUIDELINES) {
      // Few guidelines: every matching clause, under the first of its topics in the list.
      const clauses = (await load(guidelineResults, Infinity)).flatMap((d) => JSON.parse(d.meta.clauses || "[]"));
      const matching = clauses.filter((c) => clauseMatches(c[4]));
      clauseCount = matching.length;
      const groups = [...topics.map((t) => ({ label: t.label, number: t.number, items: [] })), { label: S.no_topic, number: null, items: [] }];
      for (const clause of matching) {
        const group = groups.find((g) => g.number === null || clause[2].includes(g.number));
        group.items.push({ url: clause[0], meta: { title: clause[1], text: clause[3] } });
      }
      const part = clauseCount ? section(S.clause) : null;
      for (const group of groups.filter((g) => g.items.length)) {
        const div = el("div", { class: "policy-search-topic" });
        div.append(el("h3", {}, group.label), list(group.items));
        part.appendChild(div);
      }
    } else if (topics.length) {
      // Many: per topic, how many municipalities, per prefecture, and the topic's page.
      const part = section(S.clause);
      for (const topic of topics) {
        clauseCount += topic.count;
        const group = el("div", { class: "policy-search-topic" });
        part.appendChild(group);
        group.appendChild(el("h3", {}, fill(S.topic_count, { count: number(topic.count), topic: topic.label })));
        if (topic.page) {
          const p = el("p");
          p.appendChild(el("a", { href: topic.page }, S.topic_page));
          group.appendChild(p);
        }
        const details = el("details", { class: "policy-search-prefectures" });
        details.appendChild(el("summary", {}, S.by_prefecture));
        const counts = el("ul", { role: "list" });
        details.appendChild(counts);
        details.addEventListener("toggle", async () => {
          if (!details.open || details.dataset.counted) return;
          details.dataset.counted = "1";
          const per = await Promise.all(data.prefectures.map((_, i) => searchAll([...topicWords(topic), `zp${letters(i + 1, 2)}`])));
          data.prefectures.forEach((p, i) => {
            if (per[i].length) counts.appendChild(el("li", {}, `${p} ${number(per[i].length)}`));
          });
          details.dataset.done = "1";
        });
        group.appendChild(details);
      }
    }
    show(pageCount, clauseCount, !whole || guidelines > LIST_GUIDELINES);
  }

  function show(pageCount, clauseCount, grouped = false) {
    progress.remove();
    if (!pageCount) summary.textContent = S.none;
    else summary.textContent = fill(grouped ? S.summary_grouped : S.summary, { pages: number(pageCount), clauses: number(clauseCount) });
  }

  run().catch((error) => {
    progress.remove();
    summary.textContent = fill(S.error, { error: String(error && error.message ? error.message : error) });
  });
})();
