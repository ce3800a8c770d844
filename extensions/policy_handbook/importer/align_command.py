"""``align ID``: write suggested rows into comparison.yaml, keeping the file as written.

The rows are inserted as text under each topic (comments and layout stay); the
result is loaded before it replaces the file, so a failure changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from .align import suggest_rows
from .common import load_existing_policy, write_atomic
from .errors import ImportProblem, ImportRefused


def _q(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def run_align(document_id: str, policy_dir: Path) -> int:
    from ..errors import PolicyError
    from ..loader import load_policy
    from .align import _text

    comparison_path = policy_dir / "comparison.yaml"
    policy = load_existing_policy(policy_dir, str(comparison_path))
    guideline = policy.guideline(document_id)
    if guideline is None:
        raise ImportRefused([ImportProblem(str(policy_dir), 1, f"no guideline '{document_id}' in {policy_dir}: import it first")])
    cmp = policy.comparison
    if cmp is None or not comparison_path.is_file():
        raise ImportRefused([ImportProblem(str(comparison_path), 1, "no comparison file to add rows to")])
    for ta in cmp.topics:
        for row, _ in ta.suggested_rows:
            if row.clauses_of(document_id):
                raise ImportRefused([ImportProblem(str(comparison_path), row.location.line, f"suggested rows for {document_id} are already there: confirm or delete them first")])
    others = [d for d in cmp.documents if d != document_id]
    rows, seen = [], set()
    for ta in cmp.topics:
        for row in ta.rows:
            cells = {d: list(row.clauses_of(d)) for d in others if row.clauses_of(d)}
            key = tuple((d, tuple(ids)) for d, ids in cells.items())
            if cells and key not in seen:
                seen.add(key)
                rows.append((ta.topic, cells))
    compared = {ta.topic for ta in cmp.topics}
    already = {cid for ta in cmp.topics for row in ta.rows for cid in row.clauses_of(document_id)}
    new_clauses = []
    for c in guideline.clauses:
        if c.text is None or c.id in already:
            continue
        topics = [t for t in (*c.topics, *c.suggested_topics) if t in compared]
        new_clauses.append((c.id, _text(c, policy), topics))
    first_topic = {cid: topics[0] for cid, _, topics in new_clauses if topics}
    suggested = suggest_rows(policy, document_id, new_clauses, rows, first_topic.get)
    placed = {r.new_clause for r in suggested}
    unplaced = [cid for cid, _, _ in new_clauses if cid not in placed]

    text = comparison_path.read_text(encoding="utf-8")
    if document_id not in cmp.documents:
        m = re.search(r"^documents:\s*\[([^\]]*)\]", text, re.M)
        if not m:
            raise ImportRefused([ImportProblem(str(comparison_path), 1, f"write `documents:` as a [flow, list] or add {document_id} to it by hand")])
        text = text[: m.end(1)] + f", {document_id}" + text[m.end(1):]
    by_topic: dict[str, list] = {}
    for r in suggested:
        by_topic.setdefault(r.topic, []).append(r)
    for topic, topic_rows in by_topic.items():
        m = re.search(rf"^  - topic: {re.escape(topic)}\s*$", text, re.M)
        if not m:
            continue
        nxt = re.compile(r"^  - topic: ", re.M).search(text, m.end())
        end = nxt.start() if nxt else len(text)
        block = text[m.start():end].rstrip("\n")
        lines = [f"    suggested_rows:  # by `align`, not confirmed: move a row's cells to rows, or delete it"]
        for r in topic_rows:
            lines.append(f"      - similarity: {r.similarity}")
            lines.append("        cells:")
            for doc, ids in r.cells.items():
                lines.append(f"          {doc}: {_q(ids)}")
        text = text[: m.start()] + block + "\n" + "\n".join(lines) + "\n" + ("\n" if nxt else "") + text[end:]
    # Check the result loads before it replaces the file.
    original = comparison_path.read_bytes()
    write_atomic(comparison_path, text.encode("utf-8"))
    try:
        load_policy(policy_dir, root=policy_dir.resolve().parent)
    except PolicyError as exc:
        write_atomic(comparison_path, original)
        problems = [p for p in exc.problems if p.code != "policy.coverage"]
        if problems:
            raise ImportRefused([ImportProblem(str(comparison_path), 1, "the suggested rows do not load (file left as it was):\n" + exc.report())]) from None
        write_atomic(comparison_path, text.encode("utf-8"))
    print(f"{len(suggested)} suggested rows for {document_id} written to {comparison_path}")
    for r in suggested:
        partner = ", ".join(cid for d, ids in r.cells.items() if d != document_id for cid in ids) or "(no counterpart)"
        print(f"  {r.topic}: {r.new_clause} ~ {partner}  similarity {r.similarity}")
    for cid in unplaced:
        print(f"  {cid}: no compared topic suggested: add it to a topic's rows by hand")
    print("relation and summary of each topic stay yours to write or update")
    return 0
