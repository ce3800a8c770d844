"""Suggested comparison rows for a new guideline: each of its clauses next to the
already-aligned row whose clauses read most alike (character n-gram cosine, plus a
little for a shared suggested topic and for the same relative place in the document),
assigned greedily, best first.

A clause with no row similar enough gets a row of its own under its first
(confirmed or suggested) topic. The result never includes a relation or a
summary: those stay a person's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ngrams import Space, cosine

THRESHOLD = 0.2  # below this, two clauses share little more than the vocabulary of the genre
SECOND_ROW = 0.9  # a clause also joins a second row that is almost as similar
TOPIC_BONUS = 0.05  # sharing a suggested topic with the row
POSITION_WEIGHT = 0.1  # at most this much for the same relative place in both documents


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
    position = _positions(policy, texts)
    # Every (new clause, row) score, then a greedy one-to-one assignment, best first: a
    # row already matched takes a second new clause only when it is far more alike.
    candidates = []
    count = max(1, len(new_clauses) - 1)
    for place, (_cid, text, topics) in enumerate(new_clauses):
        vec = space.vector(text)
        here = place / count
        for index, (topic, cells) in enumerate(comparison_rows):
            # Guidelines mostly keep one order (purpose, definition, scope, rules, trouble):
            # a clause at the same relative place is a little more likely to correspond.
            sims = [
                cosine(vec, vectors[c]) + POSITION_WEIGHT * (1 - abs(here - position[c]))
                for ids in cells.values()
                for c in ids
                if c in vectors
            ]
            if sims:
                # Sharing a (suggested) topic is evidence too: the texts may word one rule differently.
                candidates.append((max(sims) + (TOPIC_BONUS if topic in topics else 0.0), place, index))
    candidates.sort(key=lambda s: (-s[0], s[1], s[2]))
    matched: dict[int, list[tuple[float, int]]] = {}
    taken: dict[int, tuple[float, str | None]] = {}  # row -> (best score, parent of the clause that took it)
    parents = [_parent(policy, cid) for cid, _, _ in new_clauses]
    for score, place, index in candidates:
        if score < THRESHOLD:
            break
        mine = matched.get(place, [])
        if len(mine) >= 2 or (mine and score < SECOND_ROW * mine[0][0]):
            continue
        # A row matched already takes another clause only if it is nearly as alike, or if
        # it is an item of the same list (the items of one list often answer one clause elsewhere).
        if index in taken and score < SECOND_ROW * taken[index][0] and (taken[index][1] is None or taken[index][1] != parents[place]):
            continue
        matched.setdefault(place, []).append((score, index))
        taken.setdefault(index, (score, parents[place]))
    out: list[SuggestedRow] = []
    for place, (cid, _clause_text, topics) in enumerate(new_clauses):
        chosen = matched.get(place, [])
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


def _parent(policy, clause_id: str) -> str | None:
    """The list a bullet item belongs to (None for anything but an item)."""
    clause = policy.clause(clause_id)
    return clause.parent if clause is not None and clause.level == "item" else None


def _positions(policy, clause_ids) -> dict[str, float]:
    """Relative place (0-1) of each clause among the clauses with text of its guideline."""
    out = {}
    for g in policy.guidelines:
        with_text = [c.id for c in g.clauses if c.text is not None]
        count = max(1, len(with_text) - 1)
        for i, cid in enumerate(with_text):
            if cid in clause_ids:
                out[cid] = i / count
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
