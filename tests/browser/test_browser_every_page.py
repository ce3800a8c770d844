"""Every built page of both sites, in Chromium: accessibility, language, console, requests.

The pages are visited once (module fixture ``crawl``) and each test asserts one
aspect over all of them, so a failure lists every page at fault at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .pagecheck import ROOT, axe_violations, english_without_lang, unmarked_language

pytestmark = pytest.mark.browser


@dataclass
class PageReport:
    path: str
    html_lang: str | None
    problems: list[str]  # console errors, uncaught exceptions, failed requests
    violations: list[dict]  # axe WCAG 2.1 A/AA
    unmarked: list[str]  # other-language text without lang


def expected_lang(path: str) -> str | None:
    """ja/... pages are Japanese and en/... English; the root page is bilingual (Japanese first)."""
    first = path.split("/", 1)[0]
    return first if first in ("ja", "en") else "ja"


def english_corpus() -> str:
    """Every English text of the policy data (clauses, notes, glossary, taxonomy, comparison), one a line."""
    from policy_handbook.loader import load_policy

    policy = load_policy(ROOT / "policy")
    texts = []
    for guideline in policy.guidelines:
        texts += [guideline.title.en, guideline.scope.en]
        for clause in guideline.clauses:
            texts += [t.en for t in (clause.heading, clause.text) if t is not None]
            texts += [note.text.en for note in clause.notes]
    texts += [term.term.en for term in policy.glossary] + [term.definition.en for term in policy.glossary]
    for entry in (*policy.topics, *policy.kinds, *policy.actors):
        texts += [entry.label.en] + ([entry.description.en] if entry.description else [])
    if policy.comparison:
        texts += [topic.summary.en for topic in policy.comparison.topics]
    if policy.situations:
        texts += [s.title.en for s in policy.situations.situations] + [r.label.en for r in policy.situations.roles]
    return "\n".join(" ".join(t.split()) for t in texts)


@pytest.fixture(scope="module")
def crawl(shared_page, pages) -> list[PageReport]:
    corpus = english_corpus()
    reports = []
    for path in pages:
        visit = shared_page.visit(path)
        page = shared_page.page
        lang = expected_lang(path)
        unmarked = []
        if path != "index.html":  # the root page is bilingual by design (checked by axe and by hand)
            unmarked = unmarked_language(page, lang)
            if lang == "ja":
                unmarked += english_without_lang(page, corpus)
        reports.append(
            PageReport(
                path=path,
                html_lang=page.evaluate("() => document.documentElement.getAttribute('lang')"),
                problems=list(visit.problems),
                violations=axe_violations(page),
                unmarked=unmarked,
            )
        )
    return reports


def test_every_page_was_visited(crawl, pages):
    # Both sites have the same pages; a missing language would halve this list.
    ja = {p.removeprefix("ja/") for p in pages if p.startswith("ja/")}
    en = {p.removeprefix("en/") for p in pages if p.startswith("en/")}
    assert ja == en, f"pages only in ja: {sorted(ja - en)}, only in en: {sorted(en - ja)}"
    for required in ("index.html", "search.html", "guidelines/chikugo.html", "guidelines/yanagawa.html"):
        assert required in ja, f"ja/{required} was not built"
    assert len(crawl) == len(pages)


def test_no_accessibility_violations(crawl):
    """axe-core WCAG 2.0/2.1 A and AA rules, zero violations on every page."""
    failures = [
        f"{r.path}: {v['id']} ({v['impact']}): {v['help']}\n      {v['summary']}\n      " + "\n      ".join(v["targets"][:8])
        for r in crawl
        for v in r.violations
    ]
    assert not failures, f"{len(failures)} axe violation(s):\n  " + "\n  ".join(failures)


def test_html_lang_matches_site(crawl):
    wrong = [f"{r.path}: <html lang={r.html_lang!r}>" for r in crawl if r.html_lang != expected_lang(r.path)]
    assert not wrong, "\n".join(wrong)


def test_other_language_passages_carry_lang(crawl):
    failures = [f"{r.path}: {u}" for r in crawl for u in r.unmarked]
    assert not failures, f"{len(failures)} passage(s) without lang:\n  " + "\n  ".join(failures[:40])


def test_no_console_errors_or_failed_requests(crawl):
    failures = [f"{r.path}: {p}" for r in crawl for p in r.problems]
    assert not failures, "\n".join(failures)
