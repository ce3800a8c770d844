/* The character/word diff of policy_handbook/textdiff.py, in the browser.
 *
 * A line-by-line port (difflib.SequenceMatcher with autojunk off, the same
 * tokens, the same clean-up and sliding, the same similarity), so a pair shown
 * by compare.html carries exactly the marks and percentages the Python side
 * computes; tests/browser/test_browser_national.py runs both on the same texts.
 * Strings are handled as arrays of code points where Python indexes characters.
 */
"use strict";
(function (root) {
  var MAX_DIFF_CELLS = 4000000;
  var FUNCTION_WORDS = new Set("a an the of to in on at by for as and or but be is are was were it its this that with from".split(" "));
  // Python's str.isspace() characters and \w (alphanumerics and _).
  var WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var WORD = "\\p{L}\\p{N}_";
  var JA_TOKEN = /[A-Za-z0-9]+|[\s\S]/gu;
  var EN_TOKEN = new RegExp("[" + WORD + "]+|[" + WS + "]+|[^" + WORD + WS + "]", "gu");
  var SPACE = new RegExp("^[" + WS + "]$", "u");
  var WORDS = new RegExp("[" + WORD + "]+", "gu");
  var CONTENT_JA = /[\u3400-\u9fff\uf900-\ufaff\u30a0-\u30ff\uff66-\uff9fA-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/u;
  var PUNCT = new Set(Array.from("。、，．！？）」』】.,;:!?)"));

  function isSpaceChar(ch) { return SPACE.test(ch); }
  function isSpace(s) { // Python's s.isspace(): non-empty and all whitespace
    var chars = Array.from(s);
    return chars.length > 0 && chars.every(isSpaceChar);
  }
  function tokenize(text, lang) { return text.match(lang === "en" ? EN_TOKEN : JA_TOKEN) || []; }

  // --- difflib.SequenceMatcher(None, a, b, autojunk=False) -------------------------
  function matchingBlocks(a, b) {
    var b2j = new Map();
    b.forEach(function (elt, i) {
      if (!b2j.has(elt)) b2j.set(elt, []);
      b2j.get(elt).push(i);
    });
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
      for (var i = alo; i < ahi; i++) {
        var newj2len = new Map(), js = b2j.get(a[i]) || [];
        for (var n = 0; n < js.length; n++) {
          var j = js[n];
          if (j < blo) continue;
          if (j >= bhi) break;
          var k = (j2len.get(j - 1) || 0) + 1;
          newj2len.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = newj2len;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      return [besti, bestj, bestsize];
    }
    var queue = [[0, a.length, 0, b.length]], blocks = [];
    while (queue.length) {
      var q = queue.pop(), m = longest(q[0], q[1], q[2], q[3]), i = m[0], j = m[1], k = m[2];
      if (k) {
        blocks.push(m);
        if (q[0] < i && q[2] < j) queue.push([q[0], i, q[2], j]);
        if (i + k < q[1] && j + k < q[3]) queue.push([i + k, q[1], j + k, q[3]]);
      }
    }
    blocks.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    var out = [], i1 = 0, j1 = 0, k1 = 0;
    blocks.forEach(function (m) {
      if (i1 + k1 === m[0] && j1 + k1 === m[1]) { k1 += m[2]; }
      else { if (k1) out.push([i1, j1, k1]); i1 = m[0]; j1 = m[1]; k1 = m[2]; }
    });
    if (k1) out.push([i1, j1, k1]);
    out.push([a.length, b.length, 0]);
    return out;
  }

  function sequenceRuns(a, b) {
    var runs = [], i = 0, j = 0;
    matchingBlocks(a, b).forEach(function (m) {
      var ai = m[0], bj = m[1], size = m[2];
      if (i < ai) runs.push(["delete", a.slice(i, ai).join("")]);
      if (j < bj) runs.push(["insert", b.slice(j, bj).join("")]);
      i = ai + size; j = bj + size;
      if (size) runs.push(["equal", a.slice(ai, i).join("")]);
    });
    return runs;
  }

  function diff(oldText, newText, lang) {
    if (oldText === newText) return oldText ? [["equal", oldText]] : [];
    if (!oldText) return [["insert", newText]];
    if (!newText) return [["delete", oldText]];
    var a = tokenize(oldText, lang), b = tokenize(newText, lang);
    var start = 0, limit = Math.min(a.length, b.length);
    while (start < limit && a[start] === b[start]) start++;
    var end = 0;
    while (end < limit - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
    var aMid = a.slice(start, a.length - end), bMid = b.slice(start, b.length - end);
    var runs = [];
    if (start) runs.push(["equal", a.slice(0, start).join("")]);
    if (aMid.length * bMid.length > MAX_DIFF_CELLS) {
      runs.push(["delete", aMid.join("")], ["insert", bMid.join("")]);
    } else {
      runs = runs.concat(sequenceRuns(aMid, bMid));
    }
    if (end) runs.push(["equal", a.slice(a.length - end).join("")]);
    return cleanup(runs, lang);
  }

  // --- clean-up ---------------------------------------------------------------------
  function blocksOf(runs) {
    var blocks = [];
    runs.forEach(function (run) {
      var op = run[0], text = run[1];
      if (!text) return;
      if (op === "equal") {
        if (blocks.length && blocks[blocks.length - 1].length === 1) blocks[blocks.length - 1][0] += text;
        else blocks.push([text]);
        return;
      }
      if (!blocks.length || blocks[blocks.length - 1].length === 1) blocks.push(["", ""]);
      blocks[blocks.length - 1][op === "delete" ? 0 : 1] += text;
    });
    return blocks;
  }
  function isNoise(island, lang) {
    if (lang === "en") {
      var words = island.toLowerCase().match(WORDS) || [];
      return words.every(function (w) { return FUNCTION_WORDS.has(w); });
    }
    var visible = Array.from(island).filter(function (ch) { return !isSpaceChar(ch); }).join("");
    var n = Array.from(visible).length;
    return n <= 1 || (n <= 2 && !CONTENT_JA.test(visible));
  }
  function visibleChange(c) { return !(isSpace(c[0]) || !c[0]) || !(isSpace(c[1]) || !c[1]); }
  function replaces(left, right) { return Boolean(left[0] || right[0]) && Boolean(left[1] || right[1]); }

  function cleanup(runs, lang) {
    var blocks = blocksOf(runs), out = [], i = 0;
    while (i < blocks.length) {
      var block = blocks[i];
      if (block.length === 1 && out.length && i + 1 < blocks.length && isNoise(block[0], lang) &&
          visibleChange(out[out.length - 1]) && visibleChange(blocks[i + 1]) && replaces(out[out.length - 1], blocks[i + 1])) {
        var prev = out[out.length - 1], following = blocks[i + 1];
        out[out.length - 1] = [prev[0] + block[0] + following[0], prev[1] + block[0] + following[1]];
        i += 2;
        continue;
      }
      out.push(block.slice());
      i++;
    }
    slideToBoundaries(out);
    var result = [];
    out.forEach(function (b) {
      if (b.length === 1) { result.push(["equal", b[0]]); return; }
      if (b[0]) result.push(["delete", b[0]]);
      if (b[1]) result.push(["insert", b[1]]);
    });
    return result;
  }

  function boundaryScore(before, edit, after) { // arrays of code points
    var score = 0;
    if (!before.length || PUNCT.has(before[before.length - 1]) || isSpaceChar(before[before.length - 1])) score += 2;
    if (edit.length && PUNCT.has(edit[edit.length - 1])) score += 1;
    if (!after.length || isSpaceChar(after[0]) || PUNCT.has(after[0])) score += 1;
    return score;
  }

  function slideToBoundaries(blocks) {
    for (var i = 1; i < blocks.length - 1; i++) {
      var change = blocks[i];
      if (change.length !== 2 || (change[0] && change[1])) continue;
      var side = change[0] ? 0 : 1;
      var before = Array.from(blocks[i - 1][0]), edit = Array.from(change[side]), after = Array.from(blocks[i + 1][0]);
      while (before.length && edit.length && before[before.length - 1] === edit[edit.length - 1]) {
        var last = before.pop();
        after = [edit[edit.length - 1]].concat(after);
        edit = [last].concat(edit.slice(0, -1));
      }
      var best = [boundaryScore(before, edit, after), before, edit, after];
      while (after.length && edit.length && after[0] === edit[0]) {
        before = before.concat([edit[0]]);
        edit = edit.slice(1).concat([after[0]]);
        after = after.slice(1);
        var score = boundaryScore(before, edit, after);
        if (score > best[0]) best = [score, before, edit, after];
      }
      blocks[i - 1][0] = best[1].join("");
      blocks[i + 1][0] = best[3].join("");
      change[side] = best[2].join("");
    }
    var merged = [];
    blocks.forEach(function (block) {
      if (block.length === 1 && !block[0]) return;
      var last = merged[merged.length - 1];
      if (last && block.length === 1 && last.length === 1) last[0] += block[0];
      else if (last && block.length === 2 && last.length === 2) merged[merged.length - 1] = [last[0] + block[0], last[1] + block[1]];
      else merged.push(block);
    });
    blocks.length = 0;
    merged.forEach(function (b) { blocks.push(b); });
  }

  // --- similarity -------------------------------------------------------------------
  function visibleCount(text) { return Array.from(text).filter(function (ch) { return !isSpaceChar(ch); }).length; }
  function similarityOf(runs) {
    var matched = 0, total = 0;
    runs.forEach(function (run) {
      var n = visibleCount(run[1]);
      if (run[0] === "equal") { matched += 2 * n; total += 2 * n; } else { total += n; }
    });
    return total === 0 ? 1 : matched / total;
  }
  function roundHalfEven(x) { // Python's round()
    var r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }
  function percent(ratio) {
    var value = roundHalfEven(ratio * 100);
    if (value === 100 && ratio < 1) return 99;
    if (value === 0 && ratio > 0) return 1;
    return value;
  }

  root.policyTextdiff = { diff: diff, tokenize: tokenize, similarityOf: similarityOf, percent: percent };
})(window);
