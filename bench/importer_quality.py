"""Held-out quality and speed of `python -m policy_handbook import` and `align` (`make bench`).

Each real source in policy/sources/ is imported with its own guideline's labels
hidden (leave one guideline out) and compared with the hand-made YAML:

* structure: share of clauses whose ID, level, marker, parent, heading and text match;
* text: the concatenated Japanese (headings and texts in order) equals the hand-made one;
* topics: share of clauses whose (first) hand topic is among the <= 3 suggestions;
* alignment: the pairs of comparison.yaml recovered (recall), and the share of
  suggested pairs that are in it (precision), aligning each guideline against the other;
* speed: CPU seconds to import each source (about 40 clauses).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "extensions"))

from policy_handbook.importer.align import _text, pairs, suggest_rows  # noqa: E402
from policy_handbook.importer.command import suggestions_for  # noqa: E402
from policy_handbook.importer.pipeline import import_file  # noqa: E402
from policy_handbook.loader import load_policy  # noqa: E402

SOURCES = {"chikugo": "chikugo-social-media-guideline.txt", "yanagawa": "yanagawa-social-media-guideline.txt"}


def _concat(items) -> str:
    return "".join((h or "") + (t or "") for h, t in items)


def measure(policy_dir: Path = ROOT / "policy") -> dict:
    policy = load_policy(policy_dir)
    result: dict = {}
    for doc, name in SOURCES.items():
        start = time.process_time()
        imported = import_file(policy_dir / "sources" / name, doc)
        seconds = time.process_time() - start
        hand = policy.guideline(doc)
        mine = {c.id: c for c in imported.clauses()}
        same = 0
        for c in hand.clauses:
            m = mine.get(c.id)
            if m is not None and (m.level, m.marker, m.parent.id if m.parent else None, m.heading, m.text) == (
                c.level,
                c.marker,
                c.parent,
                c.heading.ja if c.heading else None,
                c.text.ja if c.text else None,
            ):
                same += 1
        suggestions = suggestions_for(imported, policy)  # excludes `doc` itself: held out
        with_text = [c for c in hand.clauses if c.text is not None]
        first_hit = sum(1 for c in with_text if c.topics and c.topics[0] in suggestions.get(c.id, (None, []))[1])
        any_hit = sum(1 for c in with_text if set(c.topics) & set(suggestions.get(c.id, (None, []))[1]))
        kind_hit = sum(1 for c in with_text if c.kind == suggestions.get(c.id, (None, []))[0])
        result[doc] = {
            "clauses": len(hand.clauses),
            "structure": same / max(len(hand.clauses), len(mine)),
            "text_equal": _concat((c.heading.ja if c.heading else None, c.text.ja if c.text else None) for c in hand.clauses)
            == _concat((c.heading, c.text) for c in imported.clauses()),
            "topic_first_in_suggestions": first_hit / len(with_text),
            "topic_any_in_suggestions": any_hit / len(with_text),
            "kind": kind_hit / len(with_text),
            "import_cpu_seconds": round(seconds, 4),
            "_suggested_topics": {cid: s[1] for cid, s in suggestions.items()},
        }
    cmp = policy.comparison
    gold = {(c, y) for ta in cmp.topics for r in ta.rows for c in r.clauses_of("chikugo") for y in r.clauses_of("yanagawa")}
    for new, old in (("yanagawa", "chikugo"), ("chikugo", "yanagawa")):
        rows, seen = [], set()
        for ta in cmp.topics:
            for r in ta.rows:
                ids = r.clauses_of(old)
                if ids and ids not in seen:
                    seen.add(ids)
                    rows.append((ta.topic, {old: list(ids)}))
        suggested_topics = result[new]["_suggested_topics"]
        clauses = [(c.id, _text(c, policy), suggested_topics.get(c.id, [])) for c in policy.guideline(new).clauses if c.text is not None]
        found = pairs(suggest_rows(policy, new, clauses, rows, lambda cid: None), new)
        if new == "chikugo":
            found = {(b, a) for a, b in found}
        hit = len(found & gold)
        result[new]["alignment_recall"] = hit / len(gold)
        result[new]["alignment_precision"] = hit / len(found) if found else 0.0
    for doc in SOURCES:
        del result[doc]["_suggested_topics"]
    return result


def main() -> int:
    result = measure()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
