"""In-page checks shared by the browser tests (JavaScript evaluated in Chromium)."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# axe-core as bundled by the pinned axe-playwright-python==0.1.8 (axe v4.12.1).
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = r"""async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    summary: (v.nodes[0] && v.nodes[0].failureSummary || '').replace(/\s+/g, ' ').slice(0, 300),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 A+AA violations on the loaded page (axe injected from the pinned file)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


# Text in the wrong language without a lang attribute saying so. On the English
# site: every text node with kana or kanji must sit inside an element whose nearest
# lang is "ja". On both sites: the other-language tab of each clause (sphinx-design
# label with data-sync-id = the other language) must carry that language.
UNMARKED_LANGUAGE = """(siteLang) => {
  const other = siteLang === 'ja' ? 'en' : 'ja';
  const problems = [];
  const langOf = (node) => {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const holder = el && el.closest('[lang]');
    return holder ? holder.getAttribute('lang').toLowerCase().split('-')[0] : '';
  };
  const describe = (node) => {
    const el = node.parentElement;
    const id = el.closest('[id]');
    return `<${el.tagName.toLowerCase()}>${id ? ' in #' + id.id : ''}: ${node.textContent.trim().slice(0, 40)}`;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  // Kana and kanji; not the middle dot (・), which clause numbers such as 2(1)・3 use as a symbol.
  const japanese = /[\\u3040-\\u30fa\\u30fc-\\u30ff\\u3400-\\u9fff\\uff66-\\uff9f]/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, noscript, template')) continue;
    if (siteLang === 'en' && japanese.test(node.textContent) && langOf(node) !== 'ja') {
      problems.push('Japanese text without lang="ja": ' + describe(node));
    }
  }
  document.querySelectorAll(`.sd-tab-set > label[data-sync-id="${other}"]`).forEach((label) => {
    const panel = label.nextElementSibling;
    // A clause awaiting translation shows its Japanese there, under a "pending" label: Japanese
    // text in the page's (or an explicit) lang="ja", which the loop above checks on the English site.
    if (!panel || (other === 'en' && panel.querySelector('.policy-translation-pending'))) return;
    const w = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    for (let node = w.nextNode(); node; node = w.nextNode()) {
      if (!node.textContent.trim()) continue;
      if (langOf(node) !== other) {
        problems.push(`${other} tab text without lang="${other}": ` + describe(node));
        break;
      }
    }
  });
  return problems;
}"""


def unmarked_language(page, site_lang: str) -> list[str]:
    return page.evaluate(UNMARKED_LANGUAGE, site_lang)


# On the Japanese site: text that is one of the policy's English texts (a clause's
# English tab, a note, a glossary term's English, a comparison summary) must carry
# lang="en". Only Latin-only text nodes of at least two words are compared, so
# product names inside Japanese sentences ("Facebook や Twitter") are not flagged.
ENGLISH_WITHOUT_LANG = """(corpus) => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text.length < 12 || !/[A-Za-z]+[ ,.'-]+[A-Za-z]+/.test(text) || /[^\\x00-\\u024f\\u2010-\\u2027]/.test(text)) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, pre, code, [lang|="en"]')) continue;
    if (corpus.includes(text)) problems.push(`English text without lang="en": <${el.tagName.toLowerCase()}>: ${text.slice(0, 50)}`);
  }
  return problems;
}"""


def english_without_lang(page, corpus: str) -> list[str]:
    """`corpus`: the policy's English texts joined by newlines."""
    return page.evaluate(ENGLISH_WITHOUT_LANG, corpus)


HORIZONTAL_OVERFLOW = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= doc.clientWidth) return null;
  // Name the widest offenders so a failure says what to fix.
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && r.width > 0) {
      const style = getComputedStyle(el);
      if (style.position === 'fixed' || style.visibility === 'hidden') continue;
      offenders.push({tag: el.tagName.toLowerCase(), id: el.id, cls: el.className.toString().slice(0, 60),
                      right: Math.round(r.right)});
    }
  }
  offenders.sort((a, b) => b.right - a.right);
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, offenders: offenders.slice(0, 5)};
}"""


def horizontal_overflow(page):
    """None when the page has no horizontal scrolling, else the widths and the widest elements."""
    return page.evaluate(HORIZONTAL_OVERFLOW)


def open_role_filter(page) -> None:
    """A guide's role filter is collapsed (a <details>): open it as a reader does."""
    summary = page.locator(".policy-role-filter-summary")
    if page.locator("details.policy-role-filter[open]").count() == 0:
        summary.click()
