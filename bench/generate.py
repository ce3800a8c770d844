"""Synthetic policy projects for the scale benchmarks: N municipalities' guidelines.

    python bench/generate.py 100 /tmp/bench-100     # writes /tmp/bench-100/{conf.py,docs,policy,extensions}

Each synthetic guideline is a copy of one of the real guidelines (taking turns), so the
clause counts, the nesting, the text lengths, the forms and the notes are realistic
(~40–60 clauses each). The copies vary, deterministically (seeded by the municipality
number), so the comparison has real differences to diff:
- the municipality is a real one, with its national code (lg_code), from 総務省's list
  (policy_handbook/data/lg_codes.csv): its name replaces the template's in both
  languages (the English romanised from the list's reading: ジョウエツシ -> Joetsu City);
- in ~30% of the multi-sentence clauses the sentences are rotated (both languages);
- in ~15% the last sentence is dropped (both languages).
Only whole sentences move, so every glossary term stays paired with its English and
the build stays warning-free under -W.

- the municipalities are taken evenly along the list in code order, so they sit in
  the 47 prefectures in proportion to the real number of each (北海道 179 … 鳥取県 19),
  grouped by the prefecture of their code; ``--national`` is every one of the 1,741;
- about one in five leaves out each optional topic (impersonation, hijacking,
  flaming, …): its clauses on that topic are dropped, so the national overview
  and the per-topic pages show real gaps.

Municipalities 1 and 2 keep the real IDs (chikugo, yanagawa), so every hand-written
page of docs/ (forms, comparison, owners' guide citing clause IDs) still resolves;
the others are m0003, m0004, … (the IDs do not change with the names: municipality N
of a count is always the same) with their clause and form IDs renamed accordingly.
taxonomy.yaml, glossary.yaml and the real comparison.yaml (筑後 × 柳川) are copied.
Comparison data is in the per-pair model: each other municipality has
policy/comparisons/<id>.yaml, its judgement against its reference guideline (the
real guideline it was copied from): per topic a relation and summary, and one row
per clause of the reference, clause-ID based. Every third municipality's rows are
machine-suggested (``suggested: true`` with a ``similarity``), as the importer's
suggested alignment writes them before a person reviews them.

``--national`` is 1,741 municipalities.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

NATIONAL = 1741
# English names of the 47 prefectures (JIS X 0401 order, as in the list).
PREFECTURE_EN = {
    "北海道": "Hokkaido", "青森県": "Aomori", "岩手県": "Iwate", "宮城県": "Miyagi", "秋田県": "Akita",
    "山形県": "Yamagata", "福島県": "Fukushima", "茨城県": "Ibaraki", "栃木県": "Tochigi", "群馬県": "Gunma",
    "埼玉県": "Saitama", "千葉県": "Chiba", "東京都": "Tokyo", "神奈川県": "Kanagawa", "新潟県": "Niigata",
    "富山県": "Toyama", "石川県": "Ishikawa", "福井県": "Fukui", "山梨県": "Yamanashi", "長野県": "Nagano",
    "岐阜県": "Gifu", "静岡県": "Shizuoka", "愛知県": "Aichi", "三重県": "Mie", "滋賀県": "Shiga",
    "京都府": "Kyoto", "大阪府": "Osaka", "兵庫県": "Hyogo", "奈良県": "Nara", "和歌山県": "Wakayama",
    "鳥取県": "Tottori", "島根県": "Shimane", "岡山県": "Okayama", "広島県": "Hiroshima", "山口県": "Yamaguchi",
    "徳島県": "Tokushima", "香川県": "Kagawa", "愛媛県": "Ehime", "高知県": "Kochi", "福岡県": "Fukuoka",
    "佐賀県": "Saga", "長崎県": "Nagasaki", "熊本県": "Kumamoto", "大分県": "Oita", "宮崎県": "Miyazaki",
    "鹿児島県": "Kagoshima", "沖縄県": "Okinawa",
}  # fmt: skip
# Topics a municipality may leave out (the others every guideline has: purpose, conduct …).
OPTIONAL_TOPICS = frozenset({
    "merits-and-demerits", "impersonation", "account-hijacking", "flaming", "quoting-and-linking",
    "hostile-reactions", "corrections", "account-closure", "monitoring-and-reporting", "rights-and-privacy",
})  # fmt: skip
OMIT_TOPIC = 0.2
SUGGESTED_EVERY = 3

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
    return SCHEMA_LINE + yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


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


def _list():
    sys.path.insert(0, str(ROOT / "extensions"))
    from policy_handbook import municipalities

    return municipalities


def others(templates: list[dict]) -> list:
    """The list's municipalities in code order, without those the templates are (筑後市, 柳川市)."""
    taken = {t.get("lg_code") for t in templates}
    return [g for g in _list().municipalities() if g.code not in taken]


def municipality_of(number: int, count: int, pool: list, first: int):
    """The real municipality copy ``number`` (from ``first``, the first copy) of ``count``
    stands for: taken evenly along the list, so every prefecture has its share, and every
    one of them at 1,741."""
    return pool[(number - first) * len(pool) // max(count - first + 1, 1)]


_KINDS = {"市": "City", "町": "Town", "村": "Village", "区": "City"}  # Tokyo's wards call themselves cities
# Long vowels without macrons: ou, uu, and oo at the start (大津 Otsu); inside a name an oo is
# mostly two words (豊岡 Toyooka), kept.
_LONG_VOWELS = re.compile(r"ou|uu|^oo")


def english_name(government) -> str:
    """'Joetsu City' for 上越市 (ジョウエツシ): the reading without its ending, romanised
    (Hepburn without macrons) by jaconv."""
    import jaconv

    roman = _LONG_VOWELS.sub(lambda m: m.group()[0], jaconv.kata2alphabet(government.reading_stem))
    return f"{roman.capitalize()} {_KINDS[government.name[-1]]}"


def prefecture_en(ja: str) -> str:
    en = PREFECTURE_EN[ja]
    return en if ja == "北海道" else f"{en} Prefecture"


def drop_topics(clauses: list[dict], omitted: set[str]) -> list[dict]:
    """The clauses without those whose text is only on omitted topics; emptied headings go too."""
    kept = []
    for clause in clauses:
        if "children" in clause:
            clause["children"] = drop_topics(clause["children"], omitted)
            if not clause["children"]:
                del clause["children"]
        on_omitted = "text" in clause and set(clause.get("topics", ())) <= omitted
        if on_omitted or ("text" not in clause and "children" not in clause):
            continue
        kept.append(clause)
    return kept


def municipality_copy(template: dict, number: int, rng: random.Random, keep_ids: bool, government=None) -> dict:
    """A copy of ``template`` as municipality ``number``: ``government`` (from the list) unless
    ``keep_ids`` (the template itself)."""
    doc = copy.deepcopy(template)
    old = template["id"]
    new = old if keep_ids else f"m{number:04d}"
    name_ja, name_en = template["municipality"]["ja"], template["municipality"]["en"]
    if keep_ids:
        new_ja, new_en = name_ja, name_en
    else:
        new_ja, new_en = government.name, english_name(government)
        doc["prefecture"] = {"ja": government.prefecture, "en": prefecture_en(government.prefecture)}
        doc["lg_code"] = government.code
    doc["id"] = new
    doc["municipality"] = {"ja": new_ja, "en": new_en}

    def retext(text: dict) -> None:
        text["ja"] = text["ja"].replace(name_ja, new_ja)
        text["en"] = text["en"].replace(name_en, new_en)

    retext(doc["title"])
    if not keep_ids:
        omitted = {t for t in sorted(OPTIONAL_TOPICS) if rng.random() < OMIT_TOPIC}
        doc["clauses"] = drop_topics(doc["clauses"], omitted)
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


RELATION_SUMMARY = {
    "equivalent": ("{ref}と同じ定め。", "The same rule as {ref_en}."),
    "similar": ("{ref}と同じ趣旨で、文言が異なる。", "The same aim as {ref_en}, in other words."),
    "only": ("{ref}だけが定める。", "Only {ref_en} addresses this."),
}


def pair_comparison(reference: dict, doc: dict, topic_order: list[str], suggested: bool) -> dict:
    """One municipality against its reference guideline, in the per-pair model.

    Per topic the reference addresses: a relation judged from the texts (equivalent when
    every clause kept its text, only when the municipality left the topic out), a summary
    and one row per reference clause with text: that clause beside the municipality's
    clause copied from it (same ID suffix), or alone when it was dropped.
    """
    ref_id, doc_id = reference["id"], doc["id"]
    mine = {c["id"][len(doc_id) :]: c for c in walk_clauses(doc["clauses"])}
    by_topic: dict[str, list[dict]] = {}
    for clause in walk_clauses(reference["clauses"]):
        if "text" in clause:
            for topic in clause.get("topics", ())[:1]:  # a row sits under the clause's first topic
                by_topic.setdefault(topic, []).append(clause)
    # Every topic any clause of either carries is judged, those only headings carry included.
    used = {t for c in walk_clauses(reference["clauses"]) for t in c.get("topics", ())}
    used |= {t for c in mine.values() for t in c.get("topics", ())}
    topics = []
    for topic in sorted(used, key=lambda t: topic_order.index(t) if t in topic_order else len(topic_order)):
        rows, same, missing = [], True, 0
        for clause in by_topic.get(topic, []):
            counterpart = mine.get(clause["id"][len(ref_id) :])
            row: dict = {ref_id: [clause["id"]]}
            if counterpart is not None:
                row[doc_id] = [counterpart["id"]]
                same = same and counterpart["text"]["ja"] == clause["text"]["ja"]
                if suggested:
                    row["suggested"] = True
                    row["similarity"] = round(
                        difflib.SequenceMatcher(None, clause["text"]["ja"], counterpart["text"]["ja"], autojunk=False).quick_ratio(), 2
                    )
            else:
                missing += 1
            rows.append(row)
        if not rows:
            # A topic only headings carry: the heading clauses, side by side.
            ids = [c["id"] for c in walk_clauses(reference["clauses"]) if topic in c.get("topics", ())]
            rows = [{ref_id: ids[:1]}]
            counterpart = mine.get(ids[0][len(ref_id) :])
            if counterpart is not None:
                rows[0][doc_id] = [counterpart["id"]]
        relation = "only" if missing == len(rows) else "equivalent" if same and not missing else "similar"
        ja, en = RELATION_SUMMARY[relation]
        topics.append({
            "topic": topic,
            "relation": relation,
            "summary": {"ja": ja.format(ref=reference["municipality"]["ja"]),
                        "en": en.format(ref_en=reference["municipality"]["en"])},
            "rows": rows,
        })  # fmt: skip
    return {"type": "comparison", "documents": [ref_id, doc_id], "topics": topics}


def write_situations(source_policy: Path, out_policy: Path) -> None:
    """The real situation guides (docs/situations/ is built from them), each synthetic
    municipality's clauses of a situation's topics listed as omitted: no guide is invented."""
    sys.path.insert(0, str(ROOT / "extensions"))
    from policy_handbook.loader import load_policy
    from policy_handbook.situations import uncovered

    generated = load_policy(out_policy)  # valid without situations.yaml
    real = load_policy(source_policy).situations
    data = yaml.load((source_policy / "situations.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    reason = {"ja": "合成データのため、ガイドを作っていない。", "en": "Synthetic data: no guide is written for it."}
    by_id = {s.id: s for s in real.situations}
    known = {g.id for g in load_policy(source_policy).guidelines}
    for raw in data["situations"]:
        for g in generated.guidelines:
            if g.id in known:
                continue
            missing = uncovered(by_id[raw["id"]], g)
            if missing:
                raw.setdefault("guides", []).append(
                    {"document": g.id, "omitted": [{"clause": c.id, "reason": dict(reason)} for c in missing]}
                )
    (out_policy / "situations.yaml").write_text(
        SCHEMA_LINE + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _normalise(text: str) -> str:
    return "".join(text.split())


def published_text(template: dict, doc: dict, source_policy: Path) -> str:
    """The copy's own published text: the template's, with the copy's clause texts and name.

    Each municipality is checked against its own source (checks/provenance.py), as a
    real import would be: a copy whose sentences were rotated or dropped no longer
    matches its template's source, which would make inferred values look printed.
    Whitespace is dropped, as the checks compare without it.
    """
    text = _normalise((source_policy / template["source"]["file"]).read_text(encoding="utf-8"))
    new_texts = {c["id"]: c["text"]["ja"] for c in walk_clauses(doc["clauses"]) if "text" in c}
    for clause in walk_clauses(template["clauses"]):
        if "text" in clause:
            new_id = rename(clause["id"], template["id"], doc["id"])
            text = text.replace(_normalise(clause["text"]["ja"]), _normalise(new_texts.get(new_id, "")), 1)
    return text.replace(template["municipality"]["ja"], doc["municipality"]["ja"]) + "\n"


def generate_policy(count: int, out_policy: Path, source_policy: Path = ROOT / "policy") -> list[dict]:
    templates = read_templates(source_policy)
    out_policy.mkdir(parents=True, exist_ok=True)
    for name in ("schema", "sources"):
        shutil.copytree(source_policy / name, out_policy / name, dirs_exist_ok=True)
    for name in ("taxonomy.yaml", "glossary.yaml", "comparison.yaml"):
        shutil.copy(source_policy / name, out_policy / name)
    taxonomy = yaml.load((source_policy / "taxonomy.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    topic_order = [t["id"] for t in taxonomy["topics"]]
    pairs = out_policy / "comparisons"
    pool = others(templates)
    if count > len(templates) + len(pool):
        sys.exit(f"{count} municipalities asked for: Japan has {NATIONAL:,}")
    documents = []
    for number in range(1, count + 1):
        template = templates[(number - 1) % len(templates)]
        rng = random.Random(number)
        keep = number <= len(templates)
        government = None if keep else municipality_of(number, count, pool, len(templates) + 1)
        doc = municipality_copy(template, number, rng, keep_ids=keep, government=government)
        if not keep:
            doc["source"] = {"file": f"sources/{doc['id']}.txt"}
            (out_policy / doc["source"]["file"]).write_text(published_text(template, doc, source_policy), encoding="utf-8")
        documents.append(doc)
        (out_policy / f"{doc['id']}.yaml").write_text(dump(doc), encoding="utf-8")
        if not keep:
            pairs.mkdir(exist_ok=True)
            comparison = pair_comparison(template, doc, topic_order, suggested=number % SUGGESTED_EVERY == 0)
            (pairs / f"{doc['id']}.yaml").write_text(
                dump(comparison).replace(SCHEMA_LINE, SCHEMA_LINE.replace("schema/", "../schema/")), encoding="utf-8"
            )
    if (source_policy / "situations.yaml").is_file():
        write_situations(source_policy, out_policy)
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


NATIONAL_INDEX = """\
# 全国の比較

```{{toctree}}
:hidden:

compare
```

[二つの自治体を並べて比較する](compare.md)

## 都道府県

```{{policy:prefecture-index}}
:pages: national/prefectures/{{slug}}
```

## トピック

{topics}

## 全国の概観

```{{policy:national-overview}}
```
"""
NATIONAL_TOPIC = """\
---
orphan: true
---

# {label}

```{{policy:topic-across}} {id}
```
"""
NATIONAL_PREFECTURE = """\
---
orphan: true
---

# {label}

```{{policy:prefecture}} {slug}
```
"""
NATIONAL_COMPARE = """\
# 二つの自治体を比較する

```{policy:compare}
```
"""


def write_national_pages(docs: Path, policy_dir: Path, documents: list[dict]) -> None:
    """docs/national/: the overview and prefecture index, one page per topic and per prefecture, compare."""
    sys.path.insert(0, str(ROOT / "extensions"))
    from policy_handbook.sphinxext.national import prefecture_order  # the order the pages list them in

    taxonomy = yaml.load((policy_dir / "taxonomy.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    national = docs / "national"
    (national / "topics").mkdir(parents=True, exist_ok=True)
    (national / "prefectures").mkdir(exist_ok=True)
    links = "\n".join(f"- [{t['label']['ja']}](topics/{t['id']}.md)" for t in taxonomy["topics"])
    (national / "index.md").write_text(NATIONAL_INDEX.format(topics=links), encoding="utf-8")
    (national / "compare.md").write_text(NATIONAL_COMPARE, encoding="utf-8")
    for t in taxonomy["topics"]:
        (national / "topics" / f"{t['id']}.md").write_text(NATIONAL_TOPIC.format(label=t["label"]["ja"], id=t["id"]), encoding="utf-8")
    seen = {}
    for doc in documents:
        en = doc["prefecture"]["en"].lower().replace(" prefecture", "").replace(" metropolis", "")
        slug = re.sub(r"[^a-z0-9]+", "-", en).strip("-")
        seen[slug] = doc["prefecture"]["ja"]
    assert set(seen.values()) <= set(prefecture_order())
    for slug, label in seen.items():
        (national / "prefectures" / f"{slug}.md").write_text(NATIONAL_PREFECTURE.format(label=label, slug=slug), encoding="utf-8")


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
            (pages / f"{doc['id']}.md").write_text(GUIDELINE_PAGE.format(title=doc["title"]["ja"], id=doc["id"]) + forms, encoding="utf-8")
        (pages / "list.md").write_text(LIST_PAGE, encoding="utf-8")
        write_national_pages(out / "docs", out / "policy", documents)
        with (out / "docs" / "index.md").open("a", encoding="utf-8") as index:
            index.write("\n```{toctree}\n:hidden:\n\nguidelines/list\nnational/index\n```\n")
        with (out / "conf.py").open("a", encoding="utf-8") as conf:
            # The compare page's links; no clause index: one page listing every clause of every
            # municipality (~10 KB each) would pass 1 MB at 100 municipalities; and situation pages
            # with a part only for the municipalities that have a guide written (~1.7 KB each
            # otherwise: 3 MB a page at 1,741).
            conf.write('\npolicy_compare_page = "national/compare"\nhtml_domain_indices = False\npolicy_situations_written_only = True\n')
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=None, help="number of municipalities")
    parser.add_argument("out", type=Path, help="project directory to (re)create")
    parser.add_argument("--national", action="store_true", help=f"all {NATIONAL:,} municipalities of Japan")
    parser.add_argument("--policy-only", action="store_true", help="write only OUT/policy/")
    args = parser.parse_args(argv)
    if args.count is None:
        if not args.national:
            parser.error("give COUNT or --national")
        args.count = NATIONAL
    if args.policy_only:
        docs = generate_policy(args.count, args.out / "policy")
    else:
        generate_project(args.count, args.out)
        docs = [None] * args.count
    print(f"generated {len(docs)} guidelines in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
