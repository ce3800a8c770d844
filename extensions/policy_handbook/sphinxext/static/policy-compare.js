/* compare.html?a=<id>&b=<id>: any two guidelines side by side, from the JSON API.
 *
 * Rows: the pair's own alignment when a person made one (comparison.json, or a
 * file of its `pairs` index), else one row per topic with each guideline's
 * clauses on it. Each row is diffed with policyTextdiff (the port of
 * textdiff.py): the first cell marks what only it has (<del>), the second what
 * only it has (<ins>). Policy text is inserted with textContent only.
 * The status line (role=status, aria-live) says when the table changed.
 */
"use strict";
(function () {
  var root = document.querySelector(".policy-compare");
  if (!root || !window.policyTextdiff) return;
  var api = root.dataset.api, lang = root.dataset.lang;
  var topics = new Map(JSON.parse(root.dataset.topics));
  var kinds = new Map(JSON.parse(root.dataset.kinds));
  var labels = JSON.parse(root.dataset.labels);
  var form = root.querySelector(".policy-compare-form");
  var status = root.querySelector(".policy-compare-status");
  var result = root.querySelector(".policy-compare-result");
  var selects = { a: form.querySelector("#policy-compare-a"), b: form.querySelector("#policy-compare-b") };
  var cache = new Map();
  var siteRoot = new URL(api + "../../", window.location.href);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? String(values[key]) : m; });
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function getJSON(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(api + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      }));
    }
    return cache.get(path);
  }
  function sameSet(x, y) { return x.length === 2 && ((x[0] === y[0] && x[1] === y[1]) || (x[0] === y[1] && x[1] === y[0])); }

  // The rows to show, as pair_rows() in comparison.py computes them.
  function rowsFor(a, b, docs, comparison) {
    return comparison.then(function (data) {
      var main = data.comparison;
      if (main && sameSet(main.documents, [a, b])) return { declared: main, file: "comparison.json" };
      var entry = (data.pairs || []).find(function (p) { return sameSet(p.documents, [a, b]); });
      if (!entry) return { declared: null };
      return getJSON(entry.file).then(function (pair) { return { declared: pair.comparison, file: entry.file }; });
    }).then(function (found) {
      var rows = [];
      if (found.declared) {
        var first = found.declared.documents[0], second = found.declared.documents[1];
        found.declared.topics.forEach(function (t) {
          t.rows.forEach(function (row) {
            rows.push({ topic: t.topic, relation: t.relation, summary: t.summary, suggested: row.suggested,
                        ids: [row.clauses[first] || [], row.clauses[second] || []] });
          });
        });
        return { first: first, second: second, rows: rows, file: found.file };
      }
      topics.forEach(function (label, topic) {
        var ids = [a, b].map(function (doc) {
          return docs[doc].clauses.filter(function (c) { return c.text && c.topics.indexOf(topic) >= 0; }).map(function (c) { return c.id; });
        });
        if (ids[0].length || ids[1].length) rows.push({ topic: topic, ids: ids });
      });
      return { first: a, second: b, rows: rows, file: null };
    });
  }

  function clauseCell(doc, ids, runs, keep, mark, markLabel) {
    var td = el("td");
    if (!ids.length) { td.appendChild(el("p", "policy-comparison-none", labels.none)); return td; }
    var byId = new Map(doc.clauses.map(function (c) { return [c.id, c]; }));
    var head = el("p", "policy-compare-numbers");
    ids.forEach(function (id, i) {
      var clause = byId.get(id);
      if (i) head.appendChild(document.createTextNode(lang === "ja" ? "、" : ", "));
      var url = clause && clause.url && clause.url[lang];
      var link = url ? el("a", null, clause.number) : el("span", null, clause ? clause.number : id);
      if (url) link.href = new URL(url, siteRoot).href;
      head.appendChild(link);
      if (clause && clause.kind) head.appendChild(el("span", "policy-national-kind", lang === "ja" ? "（" + (kinds.get(clause.kind) || clause.kind) + "）" : " (" + (kinds.get(clause.kind) || clause.kind) + ")"));
    });
    td.appendChild(head);
    var text = el("p", "policy-compare-text");
    runs.forEach(function (run) {
      if (run[0] === "equal") text.appendChild(document.createTextNode(run[1]));
      else if (run[0] === keep) {
        var m = el(mark, null, run[1]);
        m.setAttribute("title", markLabel);
        text.appendChild(m);
      }
    });
    td.appendChild(text);
    return td;
  }

  function joined(doc, ids) {
    var byId = new Map(doc.clauses.map(function (c) { return [c.id, c]; }));
    return ids.map(function (id) { var c = byId.get(id); return c && c.text ? c.text[lang] : ""; })
      .filter(function (t) { return t; }).join("\n");
  }

  function show(a, b) {
    if (a === b) { status.textContent = labels.same; return; }
    status.textContent = labels.loading;
    result.setAttribute("aria-busy", "true");
    var docs = {};
    var loads = [a, b].map(function (id) {
      return getJSON("documents/" + encodeURIComponent(id) + ".json").then(function (data) { docs[id] = data.guideline; });
    });
    Promise.all(loads).then(function () {
      return rowsFor(a, b, docs, getJSON("comparison.json"));
    }).then(function (plan) {
      var first = docs[plan.first], second = docs[plan.second];
      var table = el("table", "policy-comparison-table policy-compare-table");
      var caption = el("caption", null, first.municipality[lang] + " × " + second.municipality[lang]);
      table.appendChild(caption);
      var thead = el("thead"), hr = el("tr");
      [labels.topic, first.municipality[lang], second.municipality[lang]].forEach(function (h) {
        var th = el("th", null, h); th.scope = "col"; hr.appendChild(th);
      });
      thead.appendChild(hr); table.appendChild(thead);
      var body = el("tbody");
      plan.rows.forEach(function (row) {
        var ta = joined(first, row.ids[0]), tb = joined(second, row.ids[1]);
        var runs = window.policyTextdiff.diff(ta, tb, lang);
        var tr = el("tr");
        var th = el("th", null, topics.get(row.topic) || row.topic); th.scope = "row";
        if (row.ids[0].length && row.ids[1].length) {
          var ratio = window.policyTextdiff.similarityOf(runs);
          tr.dataset.similarity = String(ratio);
          th.appendChild(el("span", "policy-comparison-similarity", fill(labels.similarity, { percent: window.policyTextdiff.percent(ratio) })));
        }
        if (row.suggested) th.appendChild(el("span", "policy-compare-suggested", labels.suggested));
        tr.appendChild(th);
        tr.appendChild(clauseCell(first, row.ids[0], runs, "delete", "del", labels.del));
        tr.appendChild(clauseCell(second, row.ids[1], runs, "insert", "ins", labels.ins));
        body.appendChild(tr);
      });
      table.appendChild(body);
      var wrap = el("div", "policy-national-scroll");
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption.textContent);
      wrap.appendChild(table);
      var note = el("p", "policy-compare-source", plan.file ? fill(labels.declared, { file: plan.file }) : labels.by_topic);
      result.replaceChildren(note, wrap);
      result.removeAttribute("aria-busy");
      status.textContent = fill(labels.shown, { a: first.municipality[lang], b: second.municipality[lang], rows: plan.rows.length });
    }).catch(function () {
      result.removeAttribute("aria-busy");
      status.textContent = labels.failed;
    });
  }

  var params = new URLSearchParams(window.location.search);
  ["a", "b"].forEach(function (side) {
    var value = params.get(side);
    if (value && Array.from(selects[side].options).some(function (o) { return o.value === value; })) selects[side].value = value;
  });
  if (!params.get("b") && selects.a.value === selects.b.value && selects.b.options.length > 1) {
    selects.b.selectedIndex = selects.b.selectedIndex === 0 ? 1 : 0;
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var a = selects.a.value, b = selects.b.value;
    var url = new URL(window.location.href);
    url.searchParams.set("a", a);
    url.searchParams.set("b", b);
    window.history.replaceState(null, "", url.href);
    show(a, b);
  });
  if (params.get("a") && params.get("b")) show(selects.a.value, selects.b.value);
})();
