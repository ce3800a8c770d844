"""Clause-by-clause comparison of the guidelines: view models built from a Policy.

Sphinx-free: the Sphinx directives (sphinxext/comparison_tables.py) and the JSON
export read these views; they only decide how to show them.

How a row is compared: each row of a topic (policy/comparison.yaml) maps some of
the documents to the clauses shown in their cell. The row's *base* is the first
document, in ``documents`` order, that has a cell in the row (normally the first
document of the file, 筑後). Every other cell is diffed against the base cell
(textdiff.diff: characters for Japanese, words for English) and gets a
similarity. The other cells show what they add (insertions); the base cell shows
what none of the other cells of the row has (deletions), which for two documents
is exactly the usual 新旧対照表 marking. A cell's clauses are compared as one text
(joined by a line break), then the marks are cut back to each clause.

Nothing here depends on how many documents there are: a third guideline listed
in ``documents`` is a third column.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .model import AlignmentRow, Clause, Guideline, Policy, TopicAlignment
from .textdiff import DELETE, EQUAL, INSERT, Run, diff, similarity_of

# Joins the texts of the clauses of one cell before diffing (never inside a clause text).
SEPARATOR = "\n"


@dataclass(frozen=True, slots=True)
class DocumentColumn:
    id: str
    municipality: str
    title: str


@dataclass(frozen=True, slots=True)
class ClauseView:
    """One clause in a cell: its citation, the heading that gives it context, its marked text."""

    id: str
    level: str  # preamble | section | paragraph | item
    number: str
    heading: str | None  # the clause's heading, else its nearest ancestor's
    text: str | None
    runs: tuple[Run, ...]  # the text as runs: equal + delete (base) or equal + insert (others)


@dataclass(frozen=True, slots=True)
class CellView:
    document: str
    clauses: tuple[ClauseView, ...]
    is_base: bool
    similarity: float | None  # vs the row's base; None for the base itself or when nothing to compare


@dataclass(frozen=True, slots=True)
class RowView:
    cells: tuple[CellView | None, ...]  # one per document, in `documents` order; None: no counterpart
    base: str  # document ID of the row's base cell

    def cell(self, document: str) -> CellView | None:
        return next((c for c in self.cells if c is not None and c.document == document), None)


@dataclass(frozen=True, slots=True)
class ExcludedView:
    """A clause tagged with the topic that its rows leave out, and why (a person's note)."""

    document: str
    clause: ClauseView  # its citation only (no text, no runs)
    reason: str


@dataclass(frozen=True, slots=True)
class TopicView:
    topic: str
    label: str
    relation: str  # equivalent | similar | stricter | different | only
    stricter: str | None  # with relation stricter: the document that asks more
    only: str | None  # with relation only: the one document that addresses the topic
    summary: str
    rows: tuple[RowView, ...]
    clause_ids: tuple[tuple[str, tuple[str, ...]], ...]  # per document (documents order), its clauses
    excluded: tuple[ExcludedView, ...] = ()

    def clauses_of(self, document: str) -> tuple[str, ...]:
        return next((ids for doc, ids in self.clause_ids if doc == document), ())


@dataclass(frozen=True, slots=True)
class ComparisonView:
    lang: str
    documents: tuple[DocumentColumn, ...]
    topics: tuple[TopicView, ...]

    def topic(self, topic_id: str) -> TopicView | None:
        return next((t for t in self.topics if t.topic == topic_id), None)


# (id(policy), lang) -> (policy, view). Views are immutable, so the matrix, the tables
# and the JSON export share one computation per policy and language. The policy is
# kept in the entry so its id cannot be reused while cached.
_cache: dict[tuple[int, str], tuple[Policy, ComparisonView]] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 8


def build_comparison(policy: Policy, lang: str = "ja") -> ComparisonView:
    """The whole comparison in one language (``ja`` or ``en``); empty when there is none."""
    key = (id(policy), lang)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] is policy:
        return hit[1]
    view = _build_comparison(policy, lang)
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = (policy, view)
    return view


def _build_comparison(policy: Policy, lang: str) -> ComparisonView:
    comparison = policy.comparison
    if comparison is None:
        return ComparisonView(lang=lang, documents=(), topics=())
    documents = tuple(_column(_guideline(policy, doc), lang) for doc in comparison.documents)
    topics = tuple(build_topic(policy, alignment, lang) for alignment in comparison.topics)
    return ComparisonView(lang=lang, documents=documents, topics=topics)


def build_topic(policy: Policy, alignment: TopicAlignment, lang: str = "ja") -> TopicView:
    documents = policy.comparison.documents if policy.comparison else ()
    entry = policy.topic(alignment.topic)
    clause_ids = tuple((doc, ids) for doc in documents if (ids := _unique(alignment.clauses_of(doc))))
    only = clause_ids[0][0] if alignment.relation == "only" and len(clause_ids) == 1 else None
    return TopicView(
        topic=alignment.topic,
        label=entry.label.get(lang) if entry else alignment.topic,
        relation=alignment.relation,
        stricter=alignment.stricter,
        only=only,
        summary=alignment.summary.get(lang),
        rows=tuple(build_row(policy, row, documents, lang) for row in alignment.rows),
        clause_ids=clause_ids,
        excluded=tuple(_excluded(policy, x.clause, x.reason.get(lang), lang) for x in alignment.excluded),
    )


def _excluded(policy: Policy, clause_id: str, reason: str, lang: str) -> ExcludedView:
    clause = _clause(policy, clause_id)
    (view,) = _clause_views(policy, (clause,), [None], [], lang)  # its citation, no text
    return ExcludedView(document=clause.document, clause=view, reason=reason)


def build_row(policy: Policy, row: AlignmentRow, documents: tuple[str, ...], lang: str = "ja") -> RowView:
    present = [doc for doc in documents if row.clauses_of(doc)]
    base = present[0] if present else ""
    clauses = {doc: tuple(_clause(policy, cid) for cid in row.clauses_of(doc)) for doc in present}
    texts = {doc: [_text(c, lang) for c in clauses[doc]] for doc in present}
    joined = {doc: SEPARATOR.join(t for t in texts[doc] if t) for doc in present}

    others = [doc for doc in present if doc != base]
    # An untranslated text shows its Japanese on the English side: diffing it against
    # English would only mark everything, so such a cell is shown without a diff.
    untranslated = {doc for doc in present if lang == "en" and any(c.text is not None and c.text.pending for c in clauses[doc])}
    compared = [doc for doc in others if base not in untranslated and doc not in untranslated]
    diffs = {doc: diff(joined[base], joined[doc], lang) if doc in compared else [(EQUAL, joined[doc])] for doc in others}
    cells: dict[str, CellView] = {}
    if base:
        base_runs = _base_runs(joined[base], [diffs[doc] for doc in compared])
        cells[base] = CellView(base, _clause_views(policy, clauses[base], texts[base], base_runs, lang), True, None)
    for doc in others:
        runs = diffs[doc]
        ratio = similarity_of(runs) if joined[base] and joined[doc] and doc in compared else None
        side = [(op, text) for op, text in runs if op != DELETE]
        cells[doc] = CellView(doc, _clause_views(policy, clauses[doc], texts[doc], side, lang), False, ratio)
    return RowView(cells=tuple(cells.get(doc) for doc in documents), base=base)


def row_similarities(policy: Policy, row: AlignmentRow, lang: str = "ja") -> dict[str, float]:
    """Similarity of each non-base cell of ``row`` to the row's base cell (for the JSON export)."""
    view = _row_view(policy, row, lang)
    return {c.document: c.similarity for c in view.cells if c is not None and c.similarity is not None}


def _row_view(policy: Policy, row: AlignmentRow, lang: str) -> RowView:
    """The row as the tables show it: taken from the cached comparison when it is one of its rows."""
    comparison = policy.comparison
    if comparison is not None:
        for t_index, alignment in enumerate(comparison.topics):
            for r_index, candidate in enumerate(alignment.rows):
                if candidate is row:
                    return build_comparison(policy, lang).topics[t_index].rows[r_index]
    return build_row(policy, row, comparison.documents if comparison else (), lang)


def _base_runs(text: str, diffs: list[list[Run]]) -> list[Run]:
    """The base text marked deleted where no other cell has it (all of it unmarked when alone)."""
    if not diffs:
        return [(EQUAL, text)] if text else []
    missing = [True] * len(text)
    for runs in diffs:
        here = [False] * len(text)
        pos = 0
        for op, chunk in runs:
            if op == INSERT:
                continue
            if op == DELETE:
                here[pos : pos + len(chunk)] = [True] * len(chunk)
            pos += len(chunk)
        missing = [m and h for m, h in zip(missing, here)]
    out: list[Run] = []
    for ch, gone in zip(text, missing):
        op = DELETE if gone else EQUAL
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + ch)
        else:
            out.append((op, ch))
    return out


def _clause_views(
    policy: Policy, clauses: tuple[Clause, ...], texts: list[str | None], runs: list[Run], lang: str
) -> tuple[ClauseView, ...]:
    """Cut the runs of a joined cell text back into one run list per clause."""
    pieces = _split_runs(runs, [len(t) for t in texts if t])
    views = []
    for clause, text in zip(clauses, texts):
        own = tuple(pieces.pop(0)) if text else ()
        views.append(
            ClauseView(
                id=clause.id,
                level=clause.level,
                number=clause.number,
                heading=_context_heading(policy, clause, lang),
                text=text,
                runs=own,
            )
        )
    return tuple(views)


def _split_runs(runs: list[Run], lengths: list[int]) -> list[list[Run]]:
    """Split runs covering ``SEPARATOR.join(texts)`` into per-text runs (separators dropped)."""
    pieces: list[list[Run]] = [[] for _ in lengths]
    # Boundaries of each text in the joined string.
    spans = []
    pos = 0
    for n in lengths:
        spans.append((pos, pos + n))
        pos += n + len(SEPARATOR)
    pos = 0
    for op, chunk in runs:
        start, end = pos, pos + len(chunk)
        for index, (s, e) in enumerate(spans):
            lo, hi = max(start, s), min(end, e)
            if lo < hi:
                piece = chunk[lo - start : hi - start]
                target = pieces[index]
                if target and target[-1][0] == op:
                    target[-1] = (op, target[-1][1] + piece)
                else:
                    target.append((op, piece))
        pos = end
    return pieces


def _context_heading(policy: Policy, clause: Clause, lang: str) -> str | None:
    """The clause's heading, or that of its nearest ancestor (an item's paragraph heading)."""
    node: Clause | None = clause
    while node is not None:
        if node.heading is not None:
            return node.heading.get(lang)
        node = policy.clause(node.parent) if node.parent else None
    return None


def _clause(policy: Policy, clause_id: str) -> Clause:
    clause = policy.clause(clause_id)
    if clause is None:  # the loader rejects this; a clear message if a caller skipped it
        raise KeyError(f"comparison refers to unknown clause {clause_id!r}")
    return clause


def _text(clause: Clause, lang: str) -> str | None:
    return clause.text.get(lang) if clause.text is not None else None


def _guideline(policy: Policy, document: str) -> Guideline:
    guideline = policy.guideline(document)
    if guideline is None:
        raise KeyError(f"comparison lists unknown document {document!r}")
    return guideline


def _column(guideline: Guideline, lang: str) -> DocumentColumn:
    return DocumentColumn(guideline.id, guideline.municipality.get(lang), guideline.title.get(lang))


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def missing_clauses(policy: Policy) -> list[str]:
    """IDs of clauses with text, of the compared documents, that no comparison row shows."""
    if policy.comparison is None:
        return []
    shown = {cid for t in policy.comparison.topics for row in t.rows for _, ids in row.cells for cid in ids}
    return [
        c.id
        for doc in policy.comparison.documents
        if (g := policy.guideline(doc)) is not None
        for c in g.clauses
        if c.has_text and c.id not in shown
    ]


# --------------------------------------------------------------------------- any two, side by side


@dataclass(frozen=True, slots=True)
class PairRow:
    """One row of ``compare.html`` for two documents: their clauses and texts, diffed."""

    topic: str | None  # the topic the row is under (a row by topic: its topic)
    clauses: tuple[tuple[str, ...], tuple[str, ...]]  # (first's, second's) clause IDs
    texts: tuple[str, str]  # each cell's clause texts joined by SEPARATOR
    runs: tuple[Run, ...]  # textdiff.diff(first, second)
    similarity: float | None  # None when a cell is empty


def pair_rows(policy: Policy, first: str, second: str, lang: str = "ja") -> list[PairRow]:
    """What compare.html shows for two documents, as static/policy-compare.js computes it.

    When a person aligned the two (comparison.yaml with just them, or a pair file),
    its rows in its own document order; otherwise one row per taxonomy topic with
    each document's clauses that have text on it (a clause on two topics is in both).
    """
    declared = next(
        (c for c in (policy.comparison, *policy.pairs) if c is not None and sorted(c.documents) == sorted((first, second))),
        None,
    )
    cells: list[tuple[str | None, tuple[str, ...], tuple[str, ...]]] = []
    if declared is not None:
        first, second = declared.documents
        index = {t.id: i for i, t in enumerate(policy.topics)}
        for alignment in sorted(declared.topics, key=lambda a: (index.get(a.topic, len(index)), a.topic)):
            for row in alignment.rows:
                cells.append((alignment.topic, row.clauses_of(first), row.clauses_of(second)))
    else:
        a, b = _guideline(policy, first), _guideline(policy, second)
        for topic in policy.topics:
            ids_a = tuple(c.id for c in a.clauses if c.text is not None and topic.id in c.topics)
            ids_b = tuple(c.id for c in b.clauses if c.text is not None and topic.id in c.topics)
            if ids_a or ids_b:
                cells.append((topic.id, ids_a, ids_b))
    rows = []
    for row_topic, ids_a, ids_b in cells:
        text_a, text_b = (SEPARATOR.join(t for cid in ids if (t := _text(_clause(policy, cid), lang))) for ids in (ids_a, ids_b))
        runs = tuple(diff(text_a, text_b, lang))
        similarity = similarity_of(list(runs)) if ids_a and ids_b else None
        rows.append(PairRow(row_topic, (ids_a, ids_b), (text_a, text_b), runs, similarity))
    return rows
