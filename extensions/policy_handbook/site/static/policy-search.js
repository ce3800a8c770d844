/* policy_handbook: the search page (site/search_index.py writes its files).
 *
 * One query loads the site data (the pages' kinds, titles and excerpts, the topics,
 * the prefectures; fetched by the page's head) and one bucket of the search table per
 * word (site/search_table.py): per word, the pages with it, and per topic the
 * guidelines with a clause on that topic containing it, so intersecting the words'
 * sets finds the pages and counts the municipalities with a clause on the topic that
 * has every word, per prefecture too, without loading any guideline. The list:
 * situation guides, topics and comparisons, guidelines, other pages, then the clauses
 * by topic. Where few guidelines match (a two-city site), their listings are loaded
 * and each matching clause is listed, linking to its anchor.
 *
 * Words are spelled as the index spells them (search_records.words_of, mirrored in
 * wordsOf below): Japanese as character bigrams, English as Sphinx's stems
 * (language_data.js's Stemmer, on the English page only).
 *
 * From file:// the browser refuses these requests: the page says so and runs
 * Sphinx's own search (searchtools.js + searchindex.js) instead.
 */
"use strict";

(() => {
  const PAGE_KINDS = ["situation", "topic", "comparison", "guideline", "page"];
  // A list a phone's reader can take in: a short one (up to LIST_ALL pages) is shown
  // whole, a longer one PAGES_PER_KIND of each kind; the clauses are listed one by one
  // when up to LIST_GUIDELINES guidelines match (each guideline's listing is a request).
  const LIST_ALL = 12;
  // (A guideline's listing holds all its clauses: the largest.)
  const PAGES_PER_KIND = { situation: 3, topic: 2, comparison: 1, guideline: 0, page: 1 };
  const LIST_GUIDELINES = 4;

  // The page runs this script from its head, async (templates/search.html): its requests
  // start before the page is parsed; what touches the page waits for it (parsed).
  const config = JSON.parse(document.getElementById("policy-search-config").textContent);
  const S = config.strings;
  const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  const parsed = new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
    else resolve();
  });
  parsed.then(() => document.querySelectorAll('input[name="q"]').forEach((input) => (input.value = query)));

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const number = (n) => n.toLocaleString(config.lang);
  const href = (url) => config.root + url.replace(/^\/+/, ""); // the index's URLs are relative to the site's root

  if (window.location.protocol === "file:") {
    parsed.then(() => {
      const note = document.getElementById("policy-search-note");
      note.textContent = S.file;
      note.hidden = false;
      // Sphinx's search, as on a page without the search table: searchtools.js, then its
      // index; without its snippets, which it would fetch from each result page (refused
      // too). The scripts it needs are not on this page over HTTP (a phone would load
      // them for nothing): doctools.js, the translations, language_data.js on the
      // Japanese site, searchtools.js and searchindex.js, in order.
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
    });
    return;
  }
  if (!query) return;

  // Filled when the list is complete (as Sphinx's search does): a reader, or a test, can
  // tell a finished list from one still growing.
  let out = null;
  const progress = el("p", { class: "policy-search-progress" }, S.searching);
  const summary = el("p", { class: "search-summary", role: "status" });
  parsed.then(() => {
    out = document.getElementById("search-results");
    out.append(progress, summary);
  });

  // As search_records.words_of: Japanese runs as bigrams (a run of one character
  // dropped, as the index has none), other words lower-cased and, on the English site,
  // stemmed as Sphinx stems them (language_data.js's Stemmer, which the page runs
  // later than this script: the English words wait for the page). The English pages
  // have Japanese too (the glossary's 炎上): bigrams there as well.
  const cjk = /^[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const token = /[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|(?:(?![\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[\p{L}\p{N}_])+/gu;
  const bigrams = (run) => [...Array(Math.max(run.length - 1, 0)).keys()].map((i) => run.slice(i, i + 2));
  let stemmer = null;
  const wordsOf = (text) =>
    (text.normalize("NFKC").match(token) || []).flatMap((w) => (cjk.test(w) ? bigrams(w) : [stemmer ? stemmer.stemWord(w.toLowerCase()) : w.toLowerCase()]));
  let bases = [];
  // What the table matched, checked again on one clause: every word of the query in it or
  // in its guideline's name (inName(i): query word i is), and one word at least in it.
  const clauseMatches = (text, inName) => {
    const own = wordsOf(text);
    return bases.some((w) => own.includes(w)) && bases.every((w, i) => own.includes(w) || inName(i));
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

  // The search table's files are gzip JSON; a host may have decoded one already
  // (Content-Encoding: gzip for a .gz file).
  const gzipJson = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    let bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  };
  const cached = (fn) => {
    const seen = new Map();
    return (key) => {
      if (!seen.has(key)) seen.set(key, fn(key));
      return seen.get(key);
    };
  };
  // search_table.bucket: FNV-1a of the word's UTF-8.
  const fnv = (word) => {
    let h = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(word)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h;
  };

  async function run() {
    if (config.lang === "en") {
      await parsed;
      stemmer = new Stemmer();
    }
    bases = wordsOf(query);
    if (!bases.length) return parsed.then(() => show(0, 0));
    const bucket = cached((n) => gzipJson(`${config.bundle}/policy-terms/${n}.gz`));
    const listing = cached((n) => gzipJson(`${config.bundle}/policy-guidelines/${n}.gz`));
    const entriesOf = (buckets) => Promise.all(bases.map((w) => bucket(fnv(w) & (buckets - 1)).then((b) => b[w] || {})));
    // The table's size is in the page (search_index writes the table before it): the
    // words' buckets load with the site data, and a site of few guidelines (two cities)
    // has their listings load too, not a round trip later.
    const early = config.buckets ? entriesOf(config.buckets) : null;
    const prefetch = (guidelines) => guidelines <= LIST_GUIDELINES && [...Array(guidelines).keys()].forEach(listing);
    if (config.guidelines !== undefined) prefetch(config.guidelines);
    // Fetched by the page's head (templates/search.html) before its style sheets.
    const response = await (window.policySearchData || fetch(config.data));
    if (response instanceof Error) throw response;
    if (!response.ok) throw new Error(`${response.status} ${config.data}`);
    const data = await response.json();
    prefetch(data.guidelines);
    // (A page from another build than its site data: the data's size.)
    const entries = await (early && data.buckets === config.buckets ? early : entriesOf(data.buckets));

    // Sets of guidelines, as bits (guideline i: bit i % 8 of byte i / 8).
    const size = Math.ceil(data.guidelines / 8);
    const decode = (value) => {
      const bits = new Uint8Array(size);
      if (typeof value === "string") {
        const raw = atob(value);
        for (let i = 0; i < raw.length; i++) bits[i] = raw.charCodeAt(i);
      } else {
        let member = 0;
        value.forEach((gap, i) => {
          member = i ? member + gap : gap;
          bits[member >> 3] |= 1 << (member & 7);
        });
      }
      return bits;
    };
    const and = (a, b) => a.map((x, i) => x & b[i]);
    const or = (a, b) => a.map((x, i) => x | b[i]);
    const has = (bits, i) => (bits[i >> 3] >> (i & 7)) & 1;
    const count = (bits, from = 0, to = data.guidelines) => {
      let n = 0;
      for (let i = from; i < to; i++) n += has(bits, i);
      return n;
    };
    const members = (bits) => [...Array(data.guidelines).keys()].filter((i) => has(bits, i));
    // Per query word, the guidelines with it in their name (municipality, prefecture, title).
    const names = entries.map((e) => (e.n !== undefined ? decode(e.n) : new Uint8Array(size)));
    // Per key (a topic's number, 0 for none, "n" for the guidelines' names): the
    // guidelines that have every word of the query there or in their name, and one word
    // at least there (福岡県 炎上: the Fukuoka guidelines' clauses on 炎上), or null.
    const setOf = (key) => {
      const own = entries.map((e) => (e[key] !== undefined ? decode(e[key]) : new Uint8Array(size)));
      const bits = and(own.map((b, i) => or(b, names[i])).reduce(and), own.reduce(or));
      return bits.some(Boolean) ? bits : null;
    };
    const sets = new Map(["n", 0, ...data.topics.map((t) => t.number)].map((key) => [key, setOf(String(key))]));
    // The guidelines with every word; few of them are listed clause by clause.
    const found = [...sets.values()].filter(Boolean);
    const ids = found.length ? members(found.reduce(or)) : [];
    if (ids.length <= LIST_GUIDELINES) ids.forEach(listing);

    // The pages with every word, by the words' weights (search_table: ten for a word
    // in the title or search words, one in the text), shown at once.
    let scores = null;
    for (const entry of entries) {
      const postings = entry.p || [];
      const next = new Map();
      for (let k = 0, page = 0; k < postings.length; k += 2) {
        page += postings[k];
        if (!scores || scores.has(page)) next.set(page, (scores ? scores.get(page) : 0) + postings[k + 1]);
      }
      scores = next;
    }
    await parsed;
    const byKind = new Map(PAGE_KINDS.map((kind) => [kind, []]));
    for (const [page] of [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
      const [kind, url, title, text] = data.pages[page];
      if (byKind.has(kind)) byKind.get(kind).push({ url, meta: { title, text } });
    }
    const pageKinds = PAGE_KINDS.filter((kind) => kind !== "guideline" && byKind.get(kind).length);
    const pageCounts = pageKinds.reduce((sum, kind) => sum + byKind.get(kind).length, 0);
    const whole = pageCounts <= LIST_ALL;
    const pageData = pageKinds.map((kind) => byKind.get(kind).slice(0, whole ? Infinity : PAGES_PER_KIND[kind]));
    const sections = new Map(pageKinds.map((kind, i) => [kind, section(S[kind])]));
    pageKinds.forEach((kind, i) => sections.get(kind).appendChild(list(pageData[i])));

    // Pages of the guidelines' kind that are not a guideline (none on these sites), then the guidelines.
    const otherGuidelinePages = byKind.get("guideline");
    const guidelines = otherGuidelinePages.length + ids.length;
    const pageCount = pageCounts + guidelines;
    if (guidelines) {
      // In the order of the kinds: before the other pages, if any.
      const part = el("section", { class: "policy-search-group" });
      part.appendChild(el("h2", {}, S.guideline));
      const next = sections.get("page");
      out.insertBefore(part, next || null);
      const shownGuidelines = guidelines <= LIST_GUIDELINES ? guidelines : PAGES_PER_KIND.guideline;
      if (shownGuidelines) {
        const others = otherGuidelinePages.slice(0, shownGuidelines);
        const own = await Promise.all(ids.slice(0, shownGuidelines - others.length).map(listing));
        part.appendChild(list([...others, ...own.map((g) => ({ url: g.url, meta: { title: g.title } }))]));
      }
      if (guidelines > shownGuidelines) part.appendChild(el("p", {}, fill(S.more_guidelines, { count: number(guidelines) })));
    }

    // Topics named by the query first (乗っ取り: the topic 乗っ取り), then by matches.
    const named = (t) => wordsOf(t.label).filter((w) => bases.includes(w)).length;
    const topics = data.topics
      .map((t, i) => ({ ...t, bits: sets.get(t.number), order: i, named: named(t) }))
      .map((t) => ({ ...t, count: t.bits ? count(t.bits) : 0 }))
      .filter((t) => t.count)
      .sort((a, b) => b.named - a.named || b.count - a.count || a.order - b.order);
    let clauseCount = 0;
    if (ids.length && guidelines <= LIST_GUIDELINES) {
      // Few guidelines: every matching clause, under the first of its topics in the list.
      const clauses = (await Promise.all(ids.map(listing))).flatMap((g, k) => g.clauses.map((c) => [c, ids[k]]));
      const matching = clauses.filter(([c, id]) => clauseMatches(c[4], (i) => has(names[i], id))).map(([c]) => c);
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
    } else if (topics.length || (sets.get(0) && count(sets.get(0)))) {
      // Many: per topic, how many municipalities, per prefecture, and the topic's page;
      // the clauses on no topic (a preamble, rules of conduct) last.
      const part = section(S.clause);
      const other = sets.get(0);
      const otherCount = other ? count(other) : 0;
      const noTopic = { bits: other, count: otherCount, page: null, heading: S.no_topic_count };
      for (const topic of otherCount ? [...topics, noTopic] : topics) {
        clauseCount += topic.count;
        const group = el("div", { class: "policy-search-topic" });
        part.appendChild(group);
        group.appendChild(el("h3", {}, fill(topic.heading || S.topic_count, { count: number(topic.count), topic: topic.label })));
        if (topic.page) {
          const p = el("p");
          p.appendChild(el("a", { href: href(topic.page) }, S.topic_page));
          group.appendChild(p);
        }
        const details = el("details", { class: "policy-search-prefectures" });
        details.appendChild(el("summary", {}, S.by_prefecture));
        const counts = el("ul", { role: "list" });
        details.appendChild(counts);
        details.addEventListener("toggle", () => {
          if (!details.open || details.dataset.counted) return;
          details.dataset.counted = "1";
          // The guidelines come in runs of one prefecture (site data: [number, how many]).
          const per = new Map();
          let start = 0;
          for (const [prefecture, length] of data.prefecture_runs) {
            per.set(prefecture, (per.get(prefecture) || 0) + count(topic.bits, start, start + length));
            start += length;
          }
          data.prefectures.forEach((p, i) => {
            if (per.get(i + 1)) counts.appendChild(el("li", {}, `${p} ${number(per.get(i + 1))}`));
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

  run().catch(async (error) => {
    await parsed;
    progress.remove();
    summary.textContent = fill(S.error, { error: String(error && error.message ? error.message : error) });
  });
})();
