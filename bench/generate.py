"""Synthetic policy projects for the scale benchmarks: N municipalities' guidelines.

    python bench/generate.py 100 /tmp/bench-100     # writes /tmp/bench-100/{conf.py,docs,policy,extensions}

Each synthetic guideline is a copy of one of the real guidelines (taking turns), so the
clause counts, the nesting, the text lengths, the forms and the notes are realistic
(~40–60 clauses each). The copies vary, deterministically (seeded by the municipality
number), so the comparison has real differences to diff:
- the municipality's name is replaced in both languages;
- in ~30% of the multi-sentence clauses the sentences are rotated (both languages);
- in ~15% the last sentence is dropped (both languages).
Only whole sentences move, so every glossary term stays paired with its English and
the build stays warning-free under -W.

Municipalities 1 and 2 keep the real IDs (chikugo, yanagawa), so every hand-written
page of docs/ (forms, comparison, owners' guide citing clause IDs) still resolves;
the others are m0003, m0004, … with their clause and form IDs renamed accordingly.
taxonomy.yaml and glossary.yaml are copied; comparison.yaml is generated to cover
every clause (one topic per taxonomy topic in use, one row per template clause,
holding that clause of every municipality copied from the template).
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_LINE = "# yaml-language-server: $schema=schema/policy.schema.json\n"

try:  # libyaml when present, like the loader
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


class _NoAliasDumper(_Dumper):
    """The policy files forbid anchors/aliases; repeated objects must be written out."""

    def ignore_aliases(self, data):
        return True


def dump(data: dict) -> str:
    return SCHEMA_LINE + yaml.dump(
        data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False
    )


def read_templates(policy_dir: Path) -> list[dict]:
    templates = []
    for path in sorted(policy_dir.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if isinstance(data, dict) and data.get("type") == "guideline":
            templates.append(data)
    if not templates:
        sys.exit(f"no guideline YAML in {policy_dir}")
    # The real documents in a fixed order (chikugo, yanagawa): generation is deterministic.
    return sorted(templates, key=lambda d: d["id"])


def walk_clauses(clauses: list[dict]):
    for clause in clauses:
        yield clause
        yield from walk_clauses(clause.get("children", []))


_JA_SENTENCE = re.compile(r"[^。]+。")
_EN_SENTENCE = re.compile(r"[^.]+\.(?:\s+|$)")


def _sentences(text: str, pattern: re.Pattern) -> list[str] | None:
    parts = pattern.findall(text)
    return parts if len(parts) >= 2 and "".join(parts) == text else None


def vary_text(text: dict, rng: random.Random) -> None:
    """Rotate or drop whole sentences, the same way in both languages (when both split evenly)."""
    roll = rng.random()
    if roll > 0.45:
        return
    ja = _sentences(text["ja"], _JA_SENTENCE)
    en = _sentences(text["en"].strip(), _EN_SENTENCE)
    if not ja or not en or len(ja) != len(en):
        return
    if roll < 0.30:
        ja, en = ja[1:] + ja[:1], en[1:] + en[:1]
    else:
        ja, en = ja[:-1], en[:-1]
    text["ja"] = "".join(ja)
    text["en"] = " ".join(s.strip() for s in en)


def rename(value, old: str, new: str):
    """Rename IDs of the form '<old>-…' to '<new>-…' everywhere in a guideline."""
    if isinstance(value, str):
        return new + value[len(old) :] if value.startswith(old + "-") else value
    return value


def municipality_copy(template: dict, number: int, rng: random.Random, keep_ids: bool) -> dict:
    doc = copy.deepcopy(template)
    old = template["id"]
    new = old if keep_ids else f"m{number:04d}"
    name_ja, name_en = template["municipality"]["ja"], template["municipality"]["en"]
    new_ja, new_en = (name_ja, name_en) if keep_ids else (f"第{number}市", f"Municipality {number}")
    doc["id"] = new
    doc["municipality"] = {"ja": new_ja, "en": new_en}

    def retext(text: dict) -> None:
        text["ja"] = text["ja"].replace(name_ja, new_ja)
        text["en"] = text["en"].replace(name_en, new_en)

    retext(doc["title"])
    for clause in walk_clauses(doc["clauses"]):
        clause["id"] = rename(clause["id"], old, new)
        if "forms" in clause:
            clause["forms"] = [rename(f, old, new) for f in clause["forms"]]
        for key in ("heading", "text"):
            if key in clause:
                retext(clause[key])
        if "text" in clause and not keep_ids:
            vary_text(clause["text"], rng)
    for form in doc.get("forms", []):
        form["id"] = rename(form["id"], old, new)
    return doc


def comparison_for(documents: list[dict], templates: list[dict], topic_order: list[str]) -> dict:
    """One topic per topic in use; one row per template clause, holding that clause in every copy."""
    # Template clause position -> (template index, topics, has text).
    by_topic: dict[str, list[tuple[int, int]]] = {}
    for t_index, template in enumerate(templates):
        for c_index, clause in enumerate(walk_clauses(template["clauses"])):
            if "text" not in clause:
                continue
            for topic in clause.get("topics", []):
                by_topic.setdefault(topic, []).append((t_index, c_index))
    # Topics used only by heading clauses must be in the comparison too: give them their sections.
    headings_only: dict[str, list[tuple[int, int]]] = {}
    for t_index, template in enumerate(templates):
        for c_index, clause in enumerate(walk_clauses(template["clauses"])):
            for topic in clause.get("topics", []):
                if topic not in by_topic:
                    headings_only.setdefault(topic, []).append((t_index, c_index))
    by_topic.update(headings_only)
    copies: dict[int, list[tuple[str, list[str]]]] = {}
    for d_index, doc in enumerate(documents):
        ids = [c["id"] for c in walk_clauses(doc["clauses"])]
        copies.setdefault(d_index % len(templates), []).append((doc["id"], ids))

    topics = []
    for topic in sorted(by_topic, key=lambda t: topic_order.index(t) if t in topic_order else len(topic_order)):
        rows = []
        for t_index, c_index in by_topic[topic]:
            row = {doc_id: [ids[c_index]] for doc_id, ids in copies.get(t_index, [])}
            if row:
                rows.append(row)
        docs_in_topic = {doc for row in rows for doc in row}
        entry = {
            "topic": topic,
            "relation": "only" if len(docs_in_topic) == 1 else "similar",
            "summary": {"ja": "合成データの比較。", "en": "Comparison of synthetic data."},
            "rows": rows,
        }
        topics.append(entry)
    return {"type": "comparison", "documents": [d["id"] for d in documents], "topics": topics}


def generate_policy(count: int, out_policy: Path, source_policy: Path = ROOT / "policy") -> list[dict]:
    templates = read_templates(source_policy)
    out_policy.mkdir(parents=True, exist_ok=True)
    for name in ("schema", "sources"):
        shutil.copytree(source_policy / name, out_policy / name, dirs_exist_ok=True)
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(source_policy / name, out_policy / name)
    taxonomy = yaml.load((source_policy / "taxonomy.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    documents = []
    for number in range(1, count + 1):
        template = templates[(number - 1) % len(templates)]
        rng = random.Random(number)
        doc = municipality_copy(template, number, rng, keep_ids=number <= len(templates))
        documents.append(doc)
        (out_policy / f"{doc['id']}.yaml").write_text(dump(doc), encoding="utf-8")
    comparison = comparison_for(documents, templates, [t["id"] for t in taxonomy["topics"]])
    (out_policy / "comparison.yaml").write_text(dump(comparison), encoding="utf-8")
    return documents


GUIDELINE_PAGE = """\
---
orphan: true
---

# {title}

```{{policy:guideline}} {id}
```
"""
LIST_PAGE = """\
# 自治体一覧

```{policy:guideline-list}
```
"""
FORM_BLOCK = """
```{{policy:form}} {id}
```
"""


def generate_project(count: int, out: Path, source: Path = ROOT) -> Path:
    """A buildable project: the real conf.py and docs/, the synthetic policy/, the real extension.

    Extra municipalities get one page each under docs/guidelines/ (the guideline, then
    its forms), as a site with many municipalities should have them: listed on one
    page, docs/guidelines/list.md (``policy:guideline-list``), and not in the sidebar
    (``orphan: true``). furo renders the whole sidebar on every page, so N pages in
    it cost N² to build: at 100 municipalities a guideline page took 54 ms to write
    with all of them in the sidebar and 41 ms without, a gap that grows with N.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(source / "conf.py", out / "conf.py")
    shutil.copytree(source / "docs", out / "docs")
    (out / "extensions").symlink_to(source / "extensions", target_is_directory=True)
    documents = generate_policy(count, out / "policy", source / "policy")
    extra = [d for d in documents if d["id"].startswith("m")]
    if extra:
        pages = out / "docs" / "guidelines"
        pages.mkdir(exist_ok=True)
        for doc in extra:
            # The municipality's forms on its own page (the real site has a forms page).
            forms = "".join(FORM_BLOCK.format(id=form["id"]) for form in doc.get("forms", []))
            (pages / f"{doc['id']}.md").write_text(
                GUIDELINE_PAGE.format(title=doc["title"]["ja"], id=doc["id"]) + forms, encoding="utf-8"
            )
        (pages / "list.md").write_text(LIST_PAGE, encoding="utf-8")
        with (out / "docs" / "index.md").open("a", encoding="utf-8") as index:
            index.write("\n```{toctree}\n:hidden:\n\nguidelines/list\n```\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of municipalities")
    parser.add_argument("out", type=Path, help="project directory to (re)create")
    parser.add_argument("--policy-only", action="store_true", help="write only OUT/policy/")
    args = parser.parse_args(argv)
    if args.policy_only:
        docs = generate_policy(args.count, args.out / "policy")
    else:
        generate_project(args.count, args.out)
        docs = [None] * args.count
    print(f"generated {len(docs)} guidelines in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
