"""Suggested topics and kind for a clause, learnt from the clauses people labelled.

k nearest neighbours over character n-grams of the clause's text and the
headings above it; each topic's label and description count as one more
labelled example, so a topic no guideline has used yet can still be suggested.
The kind adds rules on sentence endings (してはならない -> prohibition), which
say more than the words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .ngrams import Space, Vector, cosine

MAX_TOPICS = 3
NEIGHBOURS = 5
# Similarities one import may compute (clauses x labelled examples): a national policy has
# ~64,000 labelled clauses, and a hostile text up to 5,000 clauses (limits.py). Over the
# budget the examples are a deterministic sample spread over their topics, so an import
# stays at a few seconds of CPU whatever the two sizes; the report says when it sampled.
MAX_COMPARISONS = 200_000  # about 2 s of CPU (a similarity of two clauses: ~10 µs)
MIN_EXAMPLES = 40  # and every topic's description
_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # First match wins: the endings of Japanese administrative prose, most specific first.
    ("definition", re.compile(r"(をいう|を言う|のことを言う|のことをいう|(?<!こ)とは、|もの。$)")),
    ("assessment", re.compile(r"(可能である|できる。?$|期待できる|可能性がある|危険性がある|おそれがある|場合がある。$)")),
    ("background", re.compile(r"(増えている|急増|想定される|普及に伴い|ことがある。$|見受けられ)")),
    ("scope", re.compile(r"適用(する|される)")),
    ("principle", re.compile(r"(自覚と責任|心がける|原則)")),
    ("prohibition", re.compile(r"(してはならない|してはいけない|禁止する|行わない|しないこと|しない。|慎む|避ける|控える)")),
    ("exception", re.compile(r"^(ただし|なお、.*この限りでない)")),
    ("purpose", re.compile(r"(目的と(する|して)|を策定する|策定したものである)")),
    ("procedure", re.compile(r"(届け出|届出|依頼を行|掲載する|報告する|連絡する|周知する)")),
    ("duty", re.compile(r"(必要がある|なければならない|ものとする|すること。|努める|留意する|遵守する)")),
    ("contact", re.compile(r"(問合せ|問い合わせ|電話|内線|[0-9]{2,4}-[0-9]{2,4}-[0-9]{3,4})")),
)


# Words that name a topic outright in a heading (運用時間, 定義, 問合せ) or a sentence that
# defines (…をいう。): they outrank the neighbours, which come from two guidelines only and
# know little of 例規-style account rules. Topics the taxonomy lacks are never suggested.
_TOPIC_CUES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # (topic, pattern, also in the clause's own text rather than only in headings)
    ("definition", re.compile(r"定義|用語の意義|(?:をいう|を言う|のことをいう|のことを言う)。?$"), True),
    ("purpose", re.compile(r"目的|趣旨"), False),
    ("purpose", re.compile(r"(?:を目的と(?:する|して|します)|目的として策定)"), True),
    ("contact", re.compile(r"問い?合わ?せ"), False),
    ("impersonation", re.compile(r"なりすまし|成りすまし"), True),
    ("account-hijacking", re.compile(r"乗っ取|パスワード"), True),
    ("replies", re.compile(r"リプライ|返信|コメントへの"), False),
    ("quoting-and-linking", re.compile(r"リツイート|リポスト|引用|シェア|リンク"), False),
    ("conduct", re.compile(r"心構え|基本原則|心得"), False),
    ("merits-and-demerits", re.compile(r"メリット|デメリット|特性|利点"), False),
    (
        "account-operation",
        re.compile(
            r"運用(?:主体|管理者?|担当者?|責任者|時間|方法|方針|者)|運営(?:主体|管理者|責任者|者)|管理者|アカウント(?:名|情報)?$"
            r"|ユーザー名|発信(?:内容|者|する情報)|情報発信の|投稿内容|対応時間|運用する|名称"
        ),
        False,
    ),
)


def cued_topics(headings: list[str], heading: str | None, text: str | None, known: set[str] | None) -> list[str]:
    """Topics named by the nearest heading (own first) or by the clause's own sentence."""
    out: list[str] = []
    for topic, pattern, in_text in _TOPIC_CUES:
        if known is not None and topic not in known or topic in out:
            continue
        if in_text and text and pattern.search(text):
            out.append(topic)
    for h in [heading, *reversed(headings)]:
        if not h:
            continue
        found = [t for t, pattern, _ in _TOPIC_CUES if (known is None or t in known) and t not in out and pattern.search(h)]
        if found:
            out += found
            break  # the nearest heading that names a topic decides
    return out


@dataclass(frozen=True)
class Example:
    text: str  # headings above + heading + text
    topics: tuple[str, ...]
    kind: str | None


def clause_context(headings: list[str], heading: str | None, text: str | None) -> str:
    """What the suggester reads: the headings above the clause count as much as its own words."""
    return " ".join([*headings, heading or "", heading or "", text or ""])


class Suggester:
    def __init__(
        self,
        examples: list[Example],
        topic_descriptions: dict[str, str] | None = None,
        kinds: set[str] | None = None,
        *,
        clauses: int = 1,
    ):
        self.kinds = kinds  # the taxonomy's kinds: a rule never suggests another
        unique = list(dict.fromkeys(examples))  # copies of one clause teach nothing more
        chosen = spread(unique, max(MIN_EXAMPLES, MAX_COMPARISONS // max(clauses, 1)))
        self.sampled = (len(chosen), len(unique)) if len(chosen) < len(unique) else None
        extra = [Example(text, (topic,), None) for topic, text in (topic_descriptions or {}).items()]
        self.examples = chosen + extra
        self.space = Space([e.text for e in self.examples])
        self.vectors: list[Vector] = [self.space.vector(e.text) for e in self.examples]
        self._near: dict[str, list[tuple[float, Example]]] = {}  # topics() and kind() ask for the same text

    def _neighbours(self, text: str) -> list[tuple[float, Example]]:
        found = self._near.get(text)
        if found is None:
            vec = self.space.vector(text)
            scored = sorted(((cosine(vec, v), i) for i, v in enumerate(self.vectors)), reverse=True)
            found = self._near[text] = [(s, self.examples[i]) for s, i in scored[:NEIGHBOURS] if s > 0]
        return found

    def topics(self, text: str, cued: list[str] | None = None) -> list[str]:
        """Up to MAX_TOPICS: the ``cued`` ones (see cued_topics) first, then the neighbours' votes."""
        cued = list(cued or [])[:MAX_TOPICS]
        return cued + [t for t in self._voted(text) if t not in cued][: MAX_TOPICS - len(cued)]

    def _voted(self, text: str) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        for rank, (sim, example) in enumerate(self._neighbours(text)):
            for topic in example.topics:
                scores[topic] += sim / (1 + 0.3 * rank) / len(example.topics) ** 0.5
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return []
        best = ranked[0][1]
        return [t for t, s in ranked[:MAX_TOPICS] if s >= 0.25 * best]

    def kind(self, own_text: str, context: str) -> str | None:
        for kind, pattern in _KIND_RULES:
            if (self.kinds is None or kind in self.kinds) and pattern.search(own_text):
                return kind
        votes: dict[str, float] = defaultdict(float)
        for sim, example in self._neighbours(context):
            if example.kind:
                votes[example.kind] += sim
        return max(sorted(votes), key=lambda k: votes[k]) if votes else None


def spread(examples: list[Example], limit: int) -> list[Example]:
    """At most ``limit`` examples, taken in turn from each topic (by first topic, in the order
    they come), so that a sample of a large policy still knows every topic; all when they fit."""
    if len(examples) <= limit:
        return examples
    by_topic: dict[str, list[Example]] = {}
    for e in examples:
        by_topic.setdefault(e.topics[0] if e.topics else "", []).append(e)
    queues = list(by_topic.values())
    chosen: list[Example] = []
    depth = 0
    while len(chosen) < limit:
        for queue in queues:
            if depth < len(queue) and len(chosen) < limit:
                chosen.append(queue[depth])
        depth += 1
    return chosen


def examples_from_policy(policy, exclude: str | None = None) -> list[Example]:
    """Labelled clauses of every guideline but ``exclude`` (confirmed labels only)."""
    out = []
    for g in policy.guidelines:
        if g.id == exclude:
            continue
        by_id = {c.id: c for c in g.clauses}
        for c in g.clauses:
            if c.text is None or not c.topics:
                continue
            headings: list[str] = []
            parent = by_id.get(c.parent) if c.parent else None
            while parent is not None:
                if parent.heading is not None:
                    headings.insert(0, parent.heading.ja)
                parent = by_id.get(parent.parent) if parent.parent else None
            out.append(Example(clause_context(headings, c.heading.ja if c.heading else None, c.text.ja), c.topics, c.kind))
    return out


def topic_descriptions(policy) -> dict[str, str]:
    return {t.id: " ".join(filter(None, [t.label.ja, t.description.ja if t.description else ""])) for t in policy.topics}
