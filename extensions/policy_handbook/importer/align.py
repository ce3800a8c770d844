"""Suggested comparison rows for a new guideline: each of its clauses next to the
already-aligned row whose clauses read most alike (character n-gram cosine).

A clause with no row similar enough gets a row of its own under its first
(confirmed or suggested) topic. The result never includes a relation or a
summary: those stay a person's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ngrams import Space, cosine

THRESHOLD = 0.15  # below this, two clauses share little more than the vocabulary of the genre
SECOND_ROW = 0.9  # a clause also joins a second row that is almost as similar
TOPIC_BONUS = 0.05  # sharing a suggested topic with the row


@dataclass(frozen=True)
class SuggestedRow:
    topic: str
    cells: dict[str, list[str]]  # document -> clause IDs (the existing row's cells + the new clause)
    similarity: float
    new_clause: str


def _text(clause, policy=None) -> str:
    """Heading and text, after the headings above (they name what a short item is about)."""
    parts = [clause.heading.ja if clause.heading else "", clause.text.ja if clause.text else ""]
    parent = policy.clause(clause.parent) if policy is not None and clause.parent else None
    while parent is not None:
        if parent.heading is not None:
            parts.insert(0, parent.heading.ja)
        parent = policy.clause(parent.parent) if parent.parent else None
    return " ".join(parts)


def suggest_rows(policy, new_id: str, new_clauses, comparison_rows, topic_of) -> list[SuggestedRow]:
    """``new_clauses``: [(id, text, topics)]; ``comparison_rows``: [(topic, {doc: [ids]})] of the
    aligned guidelines (without the new one); ``topic_of(id)``: first topic for a clause left alone."""
    texts = {}
    for _, cells in comparison_rows:
        for ids in cells.values():
            for cid in ids:
                clause = policy.clause(cid)
                if clause is not None:
                    texts[cid] = _text(clause, policy)
    space = Space([*texts.values(), *(t for _, t, _ in new_clauses)])
    vectors = {cid: space.vector(t) for cid, t in texts.items()}
    # Every (new clause, row) score, then a greedy one-to-one assignment, best first: a
    # row already matched takes a second new clause only when it is far more alike.
    candidates = []
    for position, (cid, text, topics) in enumerate(new_clauses):
        vec = space.vector(text)
        for index, (topic, cells) in enumerate(comparison_rows):
            sims = [cosine(vec, vectors[c]) for ids in cells.values() for c in ids if c in vectors]
            if sims:
                # Sharing a (suggested) topic is evidence too: the texts may word one rule differently.
                candidates.append((max(sims) + (TOPIC_BONUS if topic in topics else 0.0), position, index))
    candidates.sort(key=lambda s: (-s[0], s[1], s[2]))
    matched: dict[int, list[tuple[float, int]]] = {}
    taken: dict[int, float] = {}
    for score, position, index in candidates:
        if score < THRESHOLD:
            break
        mine = matched.get(position, [])
        if len(mine) >= 2 or (mine and score < SECOND_ROW * mine[0][0]):
            continue
        if index in taken and score < SECOND_ROW * taken[index]:
            continue
        matched.setdefault(position, []).append((score, index))
        taken.setdefault(index, score)
    out: list[SuggestedRow] = []
    for position, (cid, text, topics) in enumerate(new_clauses):
        chosen = matched.get(position, [])
        for sim, index in chosen:
            topic, cells = comparison_rows[index]
            merged = {doc: list(ids) for doc, ids in cells.items()}
            merged[new_id] = [cid]
            out.append(SuggestedRow(topic, merged, round(min(1.0, sim), 3), cid))
        if not chosen:
            topic = topic_of(cid) if topics else None
            if topic:
                out.append(SuggestedRow(topic, {new_id: [cid]}, 0.0, cid))
    return out


def pairs(rows: list[SuggestedRow], new_id: str) -> set[tuple[str, str]]:
    """(existing clause, new clause) pairs that the rows suggest."""
    out = set()
    for row in rows:
        for doc, ids in row.cells.items():
            if doc == new_id:
                continue
            for cid in ids:
                out.add((cid, row.new_clause))
    return out
