"""policy/situations.yaml as a policy owner meets it: one edit, the exact report."""

from __future__ import annotations

import pytest

from helpers.paths import POLICY
from helpers.situations import SITUATIONS
from policy_handbook.loader import load_policy


@pytest.fixture
def with_situations(minimal_policy):
    north = minimal_policy.read("north.yaml")
    minimal_policy.write(
        "north.yaml",
        north.replace(
            "scope: {ja: 全職員に適用する。, en: The guideline applies to all staff.}\n",
            "scope: {ja: 全職員に適用する。, en: The guideline applies to all staff.}\n"
            "contact:\n  department: {ja: 広報課, en: Public Relations Division}\n  phone: 000-0000\n  extension: '12'\n",
        ),
    )
    minimal_policy.write("situations.yaml", SITUATIONS)
    return minimal_policy


def test_the_fixture_loads(with_situations):
    policy = with_situations.load()
    assert [s.id for s in policy.situations.situations] == ["new-account", "comment"]
    guide = policy.situations.situation("new-account").guide("north")
    assert [s.clause for s in guide.steps] == ["north-2-p1"]
    assert policy.situations.contact_actor("north") == "account-administrator"


def test_a_missing_clause(with_situations):
    with_situations.edit("situations.yaml", "- clause: south-2\n", "- clause: south-9\n")
    assert with_situations.problems() == [
        # south-2 is a procedure of topic 'contact': no longer accounted for
        "policy/situations.yaml:13:19: procedure clause south-2 (2) is about this situation's topics (contact) "
        "but is not in the south guide of 'new-account': add it as a step, or to omitted with a reason",
        "policy/situations.yaml:15:21: unknown clause 'south-9'",
    ]


def test_an_uncovered_procedure_clause(with_situations):
    with_situations.edit(
        "situations.yaml", "          - clause: north-1-1-i2\n            reason: {ja: 緊急時のため。, en: It is about emergencies.}\n", ""
    )
    assert with_situations.problems() == [
        "policy/situations.yaml:25:19: duty clause north-1-1-i2 (1(1)・2) is about this situation's topics "
        "(replies) but is not in the north guide of 'comment': add it as a step, or to omitted with a reason"
    ]


def test_a_guideline_without_a_guide_is_reported_with_its_clauses(with_situations):
    start = SITUATIONS.index("      - document: south\n")
    end = SITUATIONS.index("      - document: north\n")
    with_situations.write("situations.yaml", SITUATIONS[:start] + SITUATIONS[end:])
    problems = with_situations.problems()
    assert problems == [
        "policy/situations.yaml:13:7: situation 'new-account' has no guide for south, whose clauses south-2 "
        "are about its topics: add a guide with them as steps, or in omitted with a reason"
    ]


def test_an_unknown_actor(with_situations):
    with_situations.edit("situations.yaml", "actors: [account-administrator]\ncontacts", "actors: [account-admin]\ncontacts")
    with_situations.edit("situations.yaml", "            actors: [staff]\n", "            actors: [staff]\n            contacts: [press]\n")
    assert with_situations.problems() == [
        "policy/situations.yaml:5:14: unknown actor 'account-admin': did you mean 'account-administrator'?",
        "policy/situations.yaml:17:24: unknown actor 'press' (known: account-administrator, service-operator, staff)",
    ]


def test_a_clause_of_another_guideline_and_a_clause_without_text(with_situations):
    with_situations.edit("situations.yaml", "- clause: north-1-1\n", "- clause: south-2\n")
    with_situations.edit("situations.yaml", "- clause: north-2-p1\n", "- clause: north-2\n")
    problems = with_situations.problems()
    assert "policy/situations.yaml:19:21: clause 'north-2' has no text to quote: cite its sub-clauses" in problems
    assert "policy/situations.yaml:27:21: clause 'south-2' belongs to south, not north" in problems


def test_unknown_topic_duplicate_id_and_blank_translation(with_situations):
    with_situations.edit("situations.yaml", "topics: [replies]", "topics: [replys]")
    with_situations.edit("situations.yaml", "id: comment", "id: new-account")
    with_situations.edit("situations.yaml", "en: A comment arrives", "en: ' '")
    problems = with_situations.problems()
    assert "policy/situations.yaml:23:14: unknown topic 'replys': did you mean 'replies'?" in problems
    assert "policy/situations.yaml:21:9: duplicate situation ID 'new-account' (also at line 9)" in problems
    assert "policy/situations.yaml:22:28: title.en: English text is empty" in problems


def test_contact_owner_needs_a_contact_block(with_situations):
    with_situations.edit("situations.yaml", "  north: account-administrator", "  south: account-administrator")
    assert with_situations.problems() == [
        "policy/situations.yaml:7:10: guideline south has no contact block for account-administrator to own"
    ]


def test_schema_errors_name_the_line(with_situations):
    with_situations.edit("situations.yaml", "            actors: [staff]\n", "            actor: [staff]\n")
    problems = with_situations.problems()
    assert problems == ["policy/situations.yaml:16:13: situations[0].guides[0].steps[0]: unknown key 'actor': did you mean 'actors'?"]


def test_a_third_municipality_needs_only_data(with_situations):
    """A guideline with no clause on a situation's topics needs no guide; with one, the check names it."""
    south = with_situations.read("south.yaml")
    with_situations.write("east.yaml", south.replace("south", "east").replace("南市", "東市").replace("South", "East"))
    (with_situations.dir / "sources" / "east.txt").write_text("east", encoding="utf-8")
    problems = with_situations.problems()
    assert any("situation 'new-account' has no guide for east, whose clauses east-2" in p for p in problems), problems
    with_situations.edit(
        "situations.yaml",
        "      - document: north\n        steps:\n          - clause: north-2-p1",
        "      - document: east\n        steps:\n          - clause: east-2\n"
        "      - document: north\n        steps:\n          - clause: north-2-p1",
    )
    assert not any("situations.yaml" in p for p in with_situations.problems())


def test_the_real_situations_cover_every_situation_of_the_issue(policy_dir):
    policy = load_policy(policy_dir)
    ids = {s.id for s in policy.situations.situations}
    assert {
        "account-hijacked",
        "impersonation-found",
        "flaming",
        "mistaken-post",
        "hostile-comments",
        "emergency",
        "comment-or-question",
        "opening-account",
        "closing-account",
        "quoting-linking",
        "personal-information",
    } <= ids
    for situation in policy.situations.situations:
        assert {g.document for g in situation.guides} == {g.id for g in policy.guidelines}, situation.id


# ----------------------------------------------------------------------------- issue 21, on the real policy


def real_policy():
    return load_policy(POLICY)


def test_steps_for_everyone_concern_every_role_the_scope_covers_and_only_those():
    from policy_handbook.situations import step_concerns

    policy = real_policy()
    data = policy.situations
    assert [r.id for r in data.covered_roles("chikugo")] == ["staff", "division-head", "account-team", "policy-division"]
    assert [r.id for r in data.covered_roles("yanagawa")] == ["staff", "division-head", "account-team", "contractor"]
    hijack = data.situation("account-hijacked").guide("yanagawa").steps[0]  # 6(4): no subject, and the Director
    assert hijack.for_everyone and hijack.actors == ("planning-division-director",)
    clause = policy.clause(hijack.clause)
    roles = {r.id: r for r in data.roles}
    covered = {r.id for r in data.covered_roles("yanagawa")}
    shown = [r for r in roles if step_concerns(hijack, clause, roles[r], r in covered)]
    assert shown == ["staff", "division-head", "account-team", "policy-division", "contractor"]
    chikugo_step = data.situation("flaming").guide("chikugo").steps[0]
    assert not step_concerns(chikugo_step, policy.clause(chikugo_step.clause), roles["contractor"], False)


def test_two_clauses_sharing_a_number_on_one_guide_are_cited_with_their_paragraph():
    from policy_handbook.citations import shown_citations

    policy = real_policy()
    guide = policy.situations.situation("emergency").guide("yanagawa")
    ids = [*guide.clause_ids(), *(o.clause for o in guide.omitted)]
    assert shown_citations(policy, ids, "en", "Preamble") == {
        "yanagawa-4-3-p1": "4(3), first paragraph",
        "yanagawa-5-1-p1": "5(1)",
        "yanagawa-4-3-p2": "4(3), second paragraph",
    }
    assert shown_citations(policy, ids, "ja", "前文")["yanagawa-4-3-p2"] == "4(3)第2段落"
    # alone on a guide, the number is enough; English writes ・ as ·
    assert shown_citations(policy, ["yanagawa-4-4-p2"], "en", "Preamble") == {"yanagawa-4-4-p2": "4(4)"}
    assert shown_citations(policy, ["chikugo-6-2-i1"], "en", "Preamble") == {"chikugo-6-2-i1": "6(2)\u00b71"}


def test_unknown_roles_documents_and_clauses_in_the_new_fields_are_errors(with_situations):
    with_situations.edit(
        "situations.yaml",
        "contacts:\n",
        "applies_to:\n  - document: nowhere\n    actors: [nobody]\n    reason: {ja: 理由, en: Why.}\n"
        "not_covered:\n  north: south-2\noccurrence_topics: [flamingo]\ncontacts:\n",
    )
    with_situations.edit(
        "situations.yaml",
        "            reason: {ja: 緊急時のため。, en: It is about emergencies.}\n",
        "            reason: {ja: 緊急時のため。, en: It is about emergencies.}\n"
        "        unaddressed:\n          - roles: [ghost]\n            reason: {ja: 理由, en: Why.}\n",
    )
    problems = with_situations.problems()
    assert any("unknown guideline 'nowhere'" in p for p in problems), problems
    assert any("unknown actor 'nobody'" in p for p in problems), problems
    assert any("'south-2' is not a clause of north" in p for p in problems), problems
    assert any("unknown topic 'flamingo'" in p for p in problems), problems
    assert any("unknown role 'ghost'" in p for p in problems), problems
