"""Suggestions stay within a budget of similarities (clauses x labelled examples): an import
into a national-size policy, or of a text of thousands of clauses, learns from a sample
spread over every topic, and the draft's review list says so."""

from __future__ import annotations

from policy_handbook.importer import suggest
from policy_handbook.importer.suggest import Example, Suggester, spread


def examples(per_topic: int, topics: int) -> list[Example]:
    return [Example(f"第{i}の規定 話題{t}について職員が守ること", (f"topic-{t}",), "duty") for i in range(per_topic) for t in range(topics)]


def test_a_sample_keeps_every_topic_and_its_order():
    many = examples(50, 7)
    chosen = spread(many, 21)
    assert len(chosen) == 21
    assert {e.topics[0] for e in chosen} == {f"topic-{t}" for t in range(7)}
    assert chosen == spread(many, 21)  # deterministic
    assert spread(many, 1000) == many


def test_the_examples_shrink_as_the_text_grows():
    many = examples(100, 10)  # 1,000 labelled clauses
    small = Suggester(many, {}, {"duty"}, clauses=40)
    assert small.sampled is None and len(small.examples) == 1000
    large = Suggester(many, {}, {"duty"}, clauses=4000)
    used, labelled = large.sampled
    assert labelled == 1000 and used == max(suggest.MIN_EXAMPLES, suggest.MAX_COMPARISONS // 4000)
    assert used * 4000 <= max(suggest.MAX_COMPARISONS, suggest.MIN_EXAMPLES * 4000)
    assert large.topics("話題3について職員が守ること")  # still suggests


def test_copies_of_one_clause_count_once():
    one = Example("職員は正確な情報を発信しなければならない", ("accuracy",), "duty")
    assert len(Suggester([one] * 500, {}, None).examples) == 1
