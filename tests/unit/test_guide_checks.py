"""The situation-guide checks of `make check` (checks/guides.py), no Sphinx.

Each test puts one of the defects of issue 21 back into a copy of the real
policy/ and expects the warning that names it, at its file:line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_content_checks import PROJECT, warnings_of

from helpers.policy_copy import PolicyCopy


@pytest.fixture
def real(tmp_path: Path) -> PolicyCopy:
    """A writable copy of the real policy/ (locations read 'policy/...')."""
    shutil.copytree(PROJECT / "policy", tmp_path / "policy")
    return PolicyCopy(tmp_path / "policy")


def test_a_flaming_step_in_the_mistaken_post_guide_is_a_warning(real):
    """A1: 筑後 6(2)・2 (under 炎上状態になった場合) shown as a step for an ordinary mistake."""
    real.edit(
        "situations.yaml",
        "          - clause: chikugo-4-5\n        omitted:\n          - clause: chikugo-6-2-i2\n            reason:\n",
        "          - clause: chikugo-4-5\n          - clause: chikugo-6-2-i2\n        omitted:\n          - clause: chikugo-6-2-i3\n            reason:\n",
    )
    found = warnings_of(real, "policy.guides.occurrence")
    assert [w.message for w in found] == [
        "chikugo-6-2-i2 (6(2)・2) is a step of 'mistaken-post', but it is about flaming, which this situation "
        "is not: move it to omitted with a reason, or give the step a note"
    ]
    steps = [i for i, line in enumerate(real.read("situations.yaml").splitlines(), 1) if "- clause: chikugo-6-2-i2" in line]
    assert str(found[0].location).startswith(f"policy/situations.yaml:{steps[1]}:")


def test_a_reporting_step_without_its_note_is_a_warning(real):
    """A5: 柳川 4(5) shown on the hijacking guide as if 6(4) asked for the report."""
    text = real.read("situations.yaml")
    start = text.index("  - id: account-hijacked")
    note = text.index("            note:\n", start)
    end = text.index("\n\n", note)
    real.write("situations.yaml", text[:note] + text[end:])
    found = warnings_of(real, "policy.guides.occurrence")
    assert [w.message for w in found] == [
        "yanagawa-4-5 (4(5)) is a step of 'account-hijacked', but its topics (monitoring-and-reporting, "
        "hostile-reactions) are not the situation's (account-hijacking): say why in a note on the step "
        "(or the guide), or move it to omitted"
    ]
    hijacked = real.read("situations.yaml").index("  - id: account-hijacked")
    line = real.read("situations.yaml")[:hijacked].count("\n") + 1
    lines = real.read("situations.yaml").splitlines()
    step = next(i for i in range(line, len(lines) + 1) if "- clause: yanagawa-4-5" in lines[i - 1])
    assert str(found[0].location).startswith(f"policy/situations.yaml:{step}:")


def test_a_clause_cited_with_other_actors_is_a_warning(real):
    """A2: 柳川 6(2) was "Who: staff" on one guide and the divisions on another."""
    real.edit("situations.yaml", "            actors: [staff, divisions]\n", "            actors: [divisions]\n")
    real.edit(
        "situations.yaml",
        "          - clause: yanagawa-6-1\n          - clause: yanagawa-4-2-p2\n        omitted:\n          - clause: yanagawa-6-2\n",
        "          - clause: yanagawa-6-1\n          - clause: yanagawa-4-2-p2\n          - clause: yanagawa-6-2\n"
        "            actors: [staff]\n            note: {ja: 注, en: A note.}\n        omitted:\n          - clause: yanagawa-5-2-p1\n",
    )
    found = [w for w in warnings_of(real, "policy.guides.actors") if "one reading" in w.message]
    assert len(found) == 1
    assert found[0].message.startswith("yanagawa-6-2 is cited with actors [staff] here but [divisions] at policy/situations.yaml:")
    lines = real.read("situations.yaml").splitlines()
    second = [i for i, line in enumerate(lines, 1) if "- clause: yanagawa-6-2" in line][1]
    assert str(found[0].location).startswith(f"policy/situations.yaml:{second}:")


def test_a_covered_role_with_no_step_is_a_warning(real):
    """A4: 柳川 6(4) as "Who: staff, Director": the contractor running the account saw nothing."""
    real.edit(
        "situations.yaml",
        "            everyone: true\n            actors: [planning-division-director]\n",
        "            actors: [staff, planning-division-director]\n",
    )
    real.edit(
        "situations.yaml",
        "          - clause: yanagawa-4-5\n            contacts: [division-head, planning-division]\n",
        "          - clause: yanagawa-4-5\n            actors: [staff]\n            contacts: [division-head, planning-division]\n",
    )
    found = [w for w in warnings_of(real, "policy.guides.actors") if "'account-hijacked'" in w.message]
    assert [w.message.split(",")[0] for w in found] == [
        "'account-hijacked' (yanagawa): no step is for the role 'account-team'",
        "'account-hijacked' (yanagawa): no step is for the role 'contractor'",
    ]
    text = real.read("situations.yaml")
    guide = text[: text.index("      - document: yanagawa", text.index("  - id: account-hijacked"))].count("\n") + 1
    assert str(found[0].location).startswith(f"policy/situations.yaml:{guide}:")


def test_a_role_the_guidelines_scope_leaves_out_needs_no_step(real):
    """Contractors are not Chikugo staff: nothing on a Chikugo guide has to be theirs."""
    assert not [w for w in warnings_of(real, "policy.guides.actors") if "'contractor'" in w.message]
    real.edit(
        "situations.yaml",
        "    actors: [staff, division-head, account-administrator, account-operator, general-affairs-pr-director]",
        "    actors: [staff, division-head, account-administrator, account-operator, general-affairs-pr-director, contractor]",
    )
    real.edit(
        "situations.yaml", "          - clause: chikugo-6-2-i1\n", "          - clause: chikugo-6-2-i1\n            actors: [staff]\n"
    )
    real.edit(
        "situations.yaml", "          - clause: chikugo-6-2-i2\n", "          - clause: chikugo-6-2-i2\n            actors: [staff]\n"
    )
    real.edit(
        "situations.yaml", "          - clause: chikugo-6-2-i3\n", "          - clause: chikugo-6-2-i3\n            actors: [staff]\n"
    )
    roles = sorted(w.message.split("'")[3] for w in warnings_of(real, "policy.guides.actors") if "'flaming' (chikugo)" in w.message)
    assert roles == ["account-team", "contractor", "division-head", "policy-division"]


def test_a_gap_not_said_aloud_is_a_warning(real):
    """A3: 筑後 opening-account listed 5(2) and 5(1) with no note and no 3 or 7."""
    text = real.read("situations.yaml")
    start = text.index("  - id: opening-account")
    note = text.index("        note:\n", start)
    steps = text.index("        steps:\n", note)
    cut = text.index("          - clause: chikugo-3-p1\n", steps)
    end = text.index("      - document: yanagawa", cut)
    real.write("situations.yaml", text[:note] + text[steps:cut] + text[end:])
    found = warnings_of(real, "policy.guides.gap")
    assert [w.message for w in found] == [
        "'opening-account' (chikugo): the comparison gives account-registration to yanagawa only, so the guide "
        "needs a handbook note saying so and the clause on matters the guideline does not cover (chikugo-3-p1) as a step"
    ]
    text = real.read("situations.yaml")
    guide = text[: text.index("      - document: chikugo", text.index("  - id: opening-account"))].count("\n") + 1
    assert str(found[0].location).startswith(f"policy/situations.yaml:{guide}:")
    # the hijacking guide without its note: no step on account-hijacking at all
    real.edit(
        "situations.yaml",
        "          ja: 筑後市のガイドラインには乗っ取りについての定めがありません。定めのない事項についての条項と問合せ先を示します。\n",
        "",
    )
    real.edit(
        "situations.yaml",
        '          en: "Chikugo\'s guideline has no clause on account hijacking. Shown here: the clause on matters it does not cover, and its contact point."\n',
        "",
    )
    real.edit(
        "situations.yaml", "      - document: chikugo\n        note:\n        steps:\n", "      - document: chikugo\n        steps:\n"
    )
    assert any(
        w.message.startswith("'account-hijacked' (chikugo): no step is on its main topic, account-hijacking")
        for w in warnings_of(real, "policy.guides.gap")
    )


def test_two_clauses_of_one_guide_are_never_cited_alike(real):
    """C: "4(3)" twice on the comment-or-question guide (its two paragraphs) is told apart by
    the paragraph; two groups of paragraphs that share a number are not, and are a warning."""
    assert warnings_of(real, "policy.guides.citation") == []
    real.edit("yanagawa.yaml", '        marker: "(4)"\n        heading: {ja: 法令', '        marker: "(3)"\n        heading: {ja: 法令')
    real.edit(
        "situations.yaml",
        "          - clause: yanagawa-4-3-p2\n        avoid: [yanagawa-5-1-p1]\n",
        "          - clause: yanagawa-4-3-p2\n        avoid: [yanagawa-5-1-p1, yanagawa-4-4-p2]\n",
    )
    found = warnings_of(real, "policy.guides.citation")
    assert [w.message for w in found] == [
        'yanagawa-4-4-p2 and yanagawa-4-3-p2 are both cited as "4(3)第2段落" (ja) on one guide',
        'yanagawa-4-4-p2 and yanagawa-4-3-p2 are both cited as "4(3), second paragraph" (en) on one guide',
    ]
    text = real.read("situations.yaml")
    guide = text[: text.index("      - document: yanagawa", text.index("  - id: comment-or-question"))].count("\n") + 1
    assert str(found[0].location).startswith(f"policy/situations.yaml:{guide}:")
