"""`python -m policy_handbook import` on real guidelines it was not built from (`make bench`).

Reads ../shared/real-guidelines/<slug>.txt with its hand annotation <slug>.json (conventions
in that folder's README) and, per document and overall, prints:

* structure: annotated clauses whose marker, level (depth) and parent are right;
* heading: of those, the ones whose heading is right too (information);
* text lost: characters of the source (NFKC, whitespace ignored) missing from the draft's
  text in document order, with the lost runs;
* topics: annotated clauses (topic in the taxonomy) whose topic is among the suggested ones;
* review: points the draft lists to review by hand, clauses written with a `review:` note
  (no confident kind or topics: review items of `make check`), and the refusals.

The draft is compared as the command writes it: the YAML rendered, and checked as
`make check` would. The annotation's "a section with a heading carries its first body
paragraph" is the project's heading clause plus its first unnumbered paragraph child.
The corpus is third-party text: it is read from the shared folder, never copied here.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "extensions"))

from policy_handbook.importer.command import (  # noqa: E402
    _check_output,
    review_items,
    suggestions_for,
)
from policy_handbook.importer.errors import ImportRefused  # noqa: E402
from policy_handbook.importer.pipeline import import_text  # noqa: E402
from policy_handbook.importer.yaml_out import render_yaml  # noqa: E402
from policy_handbook.loader import load_policy  # noqa: E402

# ../shared/real-guidelines beside the project (or beside the folder of a git worktree).
CORPUS = next(
    (p for p in (ROOT.parent / "shared" / "real-guidelines", ROOT.parent.parent / "shared" / "real-guidelines") if p.is_dir()),
    ROOT.parent / "shared" / "real-guidelines",
)
_WS = re.compile(r"\s+")
# Keys whose values are the importer's own words, not printed text.
# What the annotation conventions drop: the ○ of a 例規 title, the brackets of a caption.
_CONVENTION_DROPS = "○◯()【】"
_NOT_PRINTED = {"type", "id", "level", "event", "date", "published", "file", "kind", "topics", "review"}


def norm(text: str | None) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Entry:
    marker: str | None
    heading: str | None
    text: str | None
    depth: int
    parent: int | None  # index of the parent entry
    suggest_id: str | None  # the draft clause whose suggestions count


def draft_entries(roots) -> list[Entry]:
    """The draft's clauses as the annotation counts them (heading + first paragraph = one entry)."""
    out: list[Entry] = []

    def visit(drafts, depth: int, parent: int | None) -> None:
        for d in drafts:
            children = list(d.children)
            text, sid = d.text, d.id
            if (
                text is None
                and d.heading is not None
                and children
                and children[0].style is None
                and children[0].marker is None
                and children[0].heading is None
                and not children[0].children
            ):
                text, sid = children[0].text, children[0].id
                children = children[1:]
            out.append(Entry(d.marker, d.heading, text, depth, parent, sid if text is not None else None))
            visit(children, depth + 1, len(out) - 1)

    visit(roots, 1, None)
    return out


def match(annotated: list[dict], entries: list[Entry]) -> list[int | None]:
    """For each annotated clause, the draft entry it is (in order), or None."""
    found: list[int | None] = []
    j = 0
    for a in annotated:
        first, heading = norm(a["first"]), norm(a["heading"])
        hit = None
        for k in range(j, len(entries)):
            e = entries[k]
            if first and norm(e.text).startswith(first) or not first and heading and norm(e.heading) == heading and not e.text:
                hit = k
                break
        found.append(hit)
        if hit is not None:
            j = hit + 1
    return found


def annotated_parents(annotated: list[dict]) -> list[int | None]:
    parents: list[int | None] = []
    for i, a in enumerate(annotated):
        parents.append(next((k for k in range(i - 1, -1, -1) if annotated[k]["level"] < a["level"]), None))
    return parents


def printed_strings(value, key: str | None = None):
    """Every string of the parsed draft, in document order, but the importer's own words."""
    if key in _NOT_PRINTED:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from printed_strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from printed_strings(v, key)


def lost_runs(source: str, draft: str) -> list[str]:
    matcher = difflib.SequenceMatcher(None, source, draft, autojunk=False)
    return [source[i1:i2] for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("delete", "replace")]


def measure_one(slug: str, policy, policy_dir: Path, topic_ids: set[str], join_split_words: bool = False) -> dict:
    text = (CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    note = json.loads((CORPUS / f"{slug}.json").read_text(encoding="utf-8"))
    annotated = note["clauses"]
    result = {
        "slug": slug,
        "clauses": len(annotated),
        "structure": 0,
        "heading": 0,
        "topic": 0,
        "topic_of": 0,
        "lost": 0,
        "moved": 0,
        "lost_runs": [],
        "review": 0,
        "unlabelled": 0,
        "refused": None,
        "cpu": 0.0,
    }
    topic_of = [a for a in annotated if a["topic"] in topic_ids]
    result["topic_of"] = len(topic_of)
    start = time.process_time()
    try:
        imported = import_text(text, slug, f"{slug}.txt", join_split_words=join_split_words)
        suggestions = suggestions_for(imported, policy)
        review = review_items(imported)
        draft = render_yaml(
            imported,
            municipality=note["municipality"],
            prefecture=note["prefecture"],
            source_file=f"sources/{slug}.txt",
            suggestions=suggestions,
            review=review,
        )
        result["cpu"] = time.process_time() - start
        _check_output(draft, policy_dir / f"{slug}.yaml", policy, policy_dir)
    except ImportRefused as exc:
        result["refused"] = str(exc.problems[0]) if exc.problems else "refused"
        return result
    result["review"] = len(review)
    result["unlabelled"] = sum(1 for kind, topics in suggestions.values() if not kind or not topics)
    entries = draft_entries(imported.structure.roots)
    found = match(annotated, entries)
    parents = annotated_parents(annotated)
    wrong = []
    for i, (a, k) in enumerate(zip(annotated, found)):
        ok = False
        if k is not None:
            e = entries[k]
            parent_ok = (e.parent is None and parents[i] is None) or (
                parents[i] is not None and e.parent is not None and found[parents[i]] == e.parent
            )
            ok = (e.marker or None) == a["marker"] and e.depth == a["level"] and parent_ok
            if ok:
                result["structure"] += 1
                if norm(e.heading).strip("()【】") == norm(a["heading"]):  # (趣旨) is annotated 趣旨
                    result["heading"] += 1
            if a["topic"] in topic_ids and e.suggest_id and a["topic"] in suggestions.get(e.suggest_id, (None, []))[1]:
                result["topic"] += 1
        if not ok:
            got = f"{entries[k].marker!r} L{entries[k].depth}" if k is not None else "not found"
            wrong.append(f"{a['marker']!r} L{a['level']} {a['first'] or a['heading']!r}: {got}")
    result["wrong"] = wrong
    printed = norm("".join(printed_strings(yaml.safe_load(draft))))
    runs = [r for r in lost_runs(norm(text), printed) if r.strip(_CONVENTION_DROPS)]
    # A run out of document order (a caption printed above its 第1条 is written after the
    # marker; `unplaced` lines come at the end) is still in the draft: counted apart.
    result["moved"] = sum(len(r) for r in runs if r in printed)
    runs = [r for r in runs if r not in printed]
    result["lost"] = sum(len(r) for r in runs)
    result["lost_runs"] = runs
    return result


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--verbose", "-v", action="store_true", help="also list the clauses counted wrong")
    parser.add_argument("--join-split-words", action="store_true", help="import as with --join-split-words")
    args = parser.parse_args(argv)
    global CORPUS
    CORPUS = args.corpus or CORPUS
    if not CORPUS.is_dir():
        print(f"bench/importer_real.py: {CORPUS} does not exist: skipped (the real-guidelines corpus is not here)")
        return 0
    policy_dir = ROOT / "policy"
    policy = load_policy(policy_dir)
    topic_ids = {t.id for t in policy.topics}
    results = [measure_one(p.stem, policy, policy_dir, topic_ids, args.join_split_words) for p in sorted(CORPUS.glob("*.json"))]
    print(
        "| document | clauses | structure | heading | text lost (chars) | out of order (chars) | topics | review items | review notes | refused |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['slug']} | {r['clauses']} | {pct(r['structure'], r['clauses'])} | {pct(r['heading'], r['clauses'])} | "
            f"{r['lost']} | {r['moved']} | {pct(r['topic'], r['topic_of'])} | {r['review']} | {r['unlabelled']} | {'yes' if r['refused'] else 'no'} |"
        )
    total = sum(r["clauses"] for r in results)
    structure = sum(r["structure"] for r in results)
    heading = sum(r["heading"] for r in results)
    topic, topic_of = sum(r["topic"] for r in results), sum(r["topic_of"] for r in results)
    refused = [r for r in results if r["refused"]]
    print(
        f"| **all {len(results)}** | {total} | **{pct(structure, total)}** ({structure}) | {pct(heading, total)} | "
        f"{sum(r['lost'] for r in results)} | {sum(r['moved'] for r in results)} | **{pct(topic, topic_of)}** ({topic}/{topic_of}) | "
        f"{sum(r['review'] for r in results)} | {sum(r['unlabelled'] for r in results)} | {len(refused)} |"
    )
    print(f"max import CPU: {max(r['cpu'] for r in results):.3f} s")
    for r in results:
        if r["refused"]:
            print(f"refused {r['slug']}: {r['refused']}")
        if r["lost_runs"]:
            print(f"lost in {r['slug']}: " + " | ".join(repr(x[:40]) for x in r["lost_runs"][:8]))
        if args.verbose:
            for w in r.get("wrong", []):
                print(f"  {r['slug']}: {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
