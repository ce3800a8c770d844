"""The content checks of `make check` (extensions/policy_handbook/checks/), no Sphinx.

Each test puts one of the defects found by the expert review (issue 10) back into
a copy of the real policy/ and expects the warning that names it, at its file:line.
The real data itself must stay free of warnings (`make html` fails on them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from helpers.policy_copy import PolicyCopy
from policy_handbook.checks.style import sentence_modals
from policy_handbook.errors import Problem
from policy_handbook.export import guideline_json

PROJECT = PROJECT_ROOT


@pytest.fixture
def real(tmp_path: Path) -> PolicyCopy:
    """A writable copy of the real policy/ (locations read 'policy/...')."""
    dest = tmp_path / "policy"
    shutil.copytree(PROJECT / "policy", dest)
    return PolicyCopy(dest)


def warnings_of(policy: PolicyCopy, code: str | None = None) -> list[Problem]:
    found: list[Problem] = []
    policy.load(warnings=found)
    return [w for w in found if code is None or w.code == code]


def line_of(policy: PolicyCopy, file: str, text: str) -> int:
    """1-based line of the only line of ``file`` containing ``text``."""
    lines = [i for i, line in enumerate(policy.read(file).splitlines(), 1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


def test_the_real_policy_has_no_content_warnings(real):
    assert [str(w) for w in warnings_of(real)] == []


# ----------------------------------------------------------------------------- modality


@pytest.mark.parametrize(
    ("ja", "modals"),
    [
        ("誤りは直ちに認め、訂正しなければならない。", ["must"]),
        ("誤りは直ちに認め、訂正しなればならない。", ["must"]),  # chikugo-6-1-i2's typo is still a must
        ("冷静に対応する必要がある。", ["must"]),
        ("返信はしないこととする。ただし、緊急時は返信する。", ["shall"]),
        ("慎重に行うこと。", ["shall"]),
        ("総務広報課長に協議するものとする。", ["shall"]),
        ("他の利用者の権利を侵害してはならない。", ["must not"]),
        ("正しく理解されるよう努める。", ["endeavour to"]),
        ("事前に確認することが望ましい。", ["should"]),
        ("軟式アカウントでも同様とする。", []),  # not a form of the house rules
        ("権利を侵害してはならず、法令を遵守する必要がある。", ["must"]),  # only sentence endings count
    ],
)
def test_sentence_endings_of_the_house_rules(ja, modals):
    assert [rule.name for _, rule in sentence_modals(ja)] == modals


def test_make_every_effort_for_tsutomeru_is_a_style_warning(real):
    """yanagawa-4-2-p2 as first translated: 努める rendered "make every effort"."""
    real.edit(
        "yanagawa.yaml", "and endeavour to ensure that it is correctly understood.", "and make every effort to be correctly understood."
    )
    (w,) = warnings_of(real, "policy.style")
    line = line_of(real, "yanagawa.yaml", "make every effort")
    assert str(w.location).startswith(f"policy/yanagawa.yaml:{line}:")
    assert w.message.startswith("yanagawa-4-2-p2 text: the Japanese calls for 'endeavour to'")
    assert "「意図せずして自らが発信した情報により" in w.message
    assert "calls for 'endeavour to'" in w.message and "make every effort" in w.message


def test_a_rule_rendered_as_a_description_is_a_style_warning(real):
    """chikugo-5-3 as first translated: 「返信はしないこととする」 as "no replies are made"."""
    real.edit(
        "chikugo.yaml",
        "As a rule, staff shall not reply to comments or questions about the information posted.",
        "As a rule, no replies are made to comments or questions about the information posted.",
    )
    (w,) = warnings_of(real, "policy.style")
    assert w.message.startswith("chikugo-5-3 text: the Japanese calls for 'shall'")
    assert "「発信した情報に対する意見や質問に対しては、基本的に返信はしないこととする。」" in w.message


def test_a_note_that_waives_style_answers_the_warning(real):
    real.edit(
        "yanagawa.yaml", "and endeavour to ensure that it is correctly understood.", "and make every effort to be correctly understood."
    )
    real.edit(
        "yanagawa.yaml",
        "            kind: duty\n            topics: [corrections, conduct]\n",
        "            kind: duty\n            topics: [corrections, conduct]\n            notes:\n"
        "              - type: translation\n                waives: [style]\n"
        "                text: {ja: 意図的に強めて訳した。, en: Deliberately stronger.}\n",
    )
    assert warnings_of(real, "policy.style") == []


# ----------------------------------------------------------------------------- terminology


@pytest.mark.parametrize(
    ("file", "fixed", "defect", "where", "term"),
    [
        # 課等 rendered "divisions" (narrows who the guideline applies to): clause, metadata, taxonomy
        (
            "yanagawa.yaml",
            "This guideline applies to divisions and equivalent units that obtain",
            "This guideline applies to divisions that obtain",
            "yanagawa-3-p1 text",
            "課等",
        ),
        (
            "yanagawa.yaml",
            "  en: Applies to divisions and equivalent units that obtain",
            "  en: Applies to divisions that obtain",
            "yanagawa scope",
            "課等",
        ),
        (
            "taxonomy.yaml",
            "label: {ja: 課等, en: divisions and equivalent units}",
            "label: {ja: 課等, en: divisions}",
            "actor divisions label",
            "課等",
        ),
        # 当該ソーシャルメディア管理者 as "the operator" (read as the city's own account operator)
        (
            "chikugo.yaml",
            "request deletion from the provider of the social media service concerned",
            "request deletion from the operator of the social media service concerned",
            "chikugo-6-3-i1 text",
            "当該ソーシャルメディア管理者",
        ),
        # 届出 as "Registering"
        (
            "taxonomy.yaml",
            "en: Notification and review of an account}",
            "en: Registering an account}",
            "topic account-registration label",
            "届出",
        ),
        # 信頼性のあるもの as "trustworthy", in a comparison summary
        (
            "comparison.yaml",
            "because their content may be taken as reliable.",
            "because their content may be taken as trustworthy.",
            "comparison quoting-and-linking summary",
            "信頼性のあるもの",
        ),
        # 地方公務員 as "local government employees", in a glossary definition
        (
            "glossary.yaml",
            "governs the status of local public employees and their",
            "governs the status of local government employees and their",
            "glossary term local-public-service-act definition",
            "地方公務員",
        ),
        # 地方公務員 as "local public servants", in a note
        (
            "chikugo.yaml",
            "the two categories of local public employees under Article 3",
            "the two categories of local public servants under Article 3",
            "chikugo-3-p1 note 1",
            "地方公務員",
        ),
        # メリット as "Merits", in a heading
        (
            "chikugo.yaml",
            "heading: {ja: メリット, en: Advantages}",
            "heading: {ja: メリット, en: Merits}",
            "chikugo-2-1 heading",
            "メリット",
        ),
        # 協議 as "discussed with"
        (
            "chikugo.yaml",
            "Staff shall consult the Director of the General Affairs and Public Relations Division on matters not covered",
            "Staff shall discuss with the Director of the General Affairs and Public Relations Division matters not covered",
            "chikugo-3-p1 text",
            "協議",
        ),
        # 注意喚起 as "issue a warning"
        (
            "chikugo.yaml",
            "staff must warn the public that the impersonation exists",
            "staff must issue a warning that the impersonation exists",
            "chikugo-6-3-i2 text",
            "注意喚起",
        ),
        # 管理者 dropped from a form field label
        (
            "yanagawa.yaml",
            "label: {ja: 所属長名(管理者), en: Name of head of division (account administrator)}",
            "label: {ja: 所属長名(管理者), en: Name of head of division}",
            "yanagawa-form-1 field division-head-name label",
            "管理者",
        ),
    ],
)
def test_a_term_without_its_rendering_is_a_terminology_warning(real, file, fixed, defect, where, term):
    real.edit(file, fixed, defect)
    found = warnings_of(real, "policy.terminology")
    assert found, "no terminology warning"
    w = found[0]
    assert w.message.startswith(f"{where}: the Japanese uses {term} but the English lacks ")
    # both texts are shown, the English as it now stands
    assert "(glossary): ja 「" in w.message
    assert defect.split("en: ")[-1].rstrip("}") + ('"' if "{" in defect else "") in w.message
    assert str(w.location).startswith(f"policy/{file}:{line_of(real, file, defect)}:")


def test_english_variants_and_hyphens_are_accepted(real):
    """'third-party pages' renders 第三者 (third party); 'warns the public' is a declared variant of 注意喚起."""
    assert "third-party pages" in real.read("comparison.yaml")
    assert "warns the public" in real.read("comparison.yaml")
    assert warnings_of(real, "policy.terminology") == []
    real.edit("glossary.yaml", "    en_variants: [warns the public, warning the public]\n", "")
    (w,) = warnings_of(real, "policy.terminology")
    assert w.message.startswith("comparison account-hijacking summary: the Japanese uses 注意喚起")


def test_a_note_that_waives_terminology_answers_the_warning(real):
    real.edit("chikugo.yaml", "heading: {ja: メリット, en: Advantages}", "heading: {ja: メリット, en: Merits}")
    real.edit(
        "chikugo.yaml",
        "        heading: {ja: メリット, en: Merits}\n",
        "        heading: {ja: メリット, en: Merits}\n        notes:\n          - type: translation\n            waives: [terminology]\n"
        "            text: {ja: 見出しは原文の語感を残した。, en: The heading keeps the original's word.}\n",
    )
    assert warnings_of(real, "policy.terminology") == []


# ----------------------------------------------------------------------------- comparison coverage


def test_a_tagged_clause_missing_from_its_topic_rows_is_a_coverage_warning(real):
    """corrections as first written: chikugo-4-5 and yanagawa-4-2-p2 tagged, not in the rows."""
    real.edit(
        "comparison.yaml",
        "      - chikugo: [chikugo-4-5]\n        yanagawa: [yanagawa-4-2-p2]\n      - chikugo: [chikugo-6-2-i2]",
        "      - chikugo: [chikugo-6-2-i2]",
    )
    found = warnings_of(real, "policy.coverage")
    assert [w.message.partition(" (comparison.yaml")[0] for w in found] == [
        "chikugo-4-5 is tagged 'corrections' but is not in that topic's rows in the comparison: "
        "add it to a row, or to the topic's `excluded` with a reason",
        "yanagawa-4-2-p2 is tagged 'corrections' but is not in that topic's rows in the comparison: "
        "add it to a row, or to the topic's `excluded` with a reason",
    ]
    # at the clause's topic tag
    assert str(found[0].location).startswith(f"policy/chikugo.yaml:{line_of(real, 'chikugo.yaml', 'topics: [conduct, corrections]')}:")


def test_an_exclusion_needs_a_clause_of_the_topic_that_the_rows_leave_out(real):
    real.edit("comparison.yaml", "      - clause: chikugo-4-3\n", "      - clause: chikugo-4-2\n")
    messages = [w.message for w in warnings_of(real, "policy.coverage")]
    assert "comparison legal-compliance: 'chikugo-4-2' is both in the rows and excluded" in messages
    assert any(m.startswith("chikugo-4-3 is tagged 'legal-compliance' but is not in that topic's rows") for m in messages)
    real.edit("comparison.yaml", "      - clause: chikugo-4-2\n", "      - clause: chikugo-7-p1\n")
    messages = [w.message for w in warnings_of(real, "policy.coverage")]
    assert "comparison legal-compliance: excluded 'chikugo-7-p1' is not a clause tagged 'legal-compliance'" in messages


def test_a_summary_naming_a_city_without_clauses_in_the_topic_is_a_warning(real):
    """account-registration as first written: `only` Yanagawa, yet its summary cites 筑後 5(2)."""
    real.edit(
        "comparison.yaml",
        "ja: 柳川のみ、アカウントを作成する際に",
        "ja: 筑後は届出や審査の手続を定めない〔5(2)〕。柳川のみ、アカウントを作成する際に",
    )
    real.edit(
        "comparison.yaml",
        'en: "Only Yanagawa sets a procedure:',
        'en: "Chikugo sets no notification or review procedure (5(2)). Only Yanagawa sets a procedure:',
    )
    messages = [w.message for w in warnings_of(real, "policy.coverage")]
    assert messages == [
        "comparison account-registration summary (ja) names 筑後, which has no clauses in the topic's rows",
        "comparison account-registration summary (en) names Chikugo, which has no clauses in the topic's rows",
    ]


def test_a_summary_must_name_every_city_with_clauses_in_both_languages(real):
    """impersonation as first written: 「ほぼ同文。」 named neither city."""
    real.edit("comparison.yaml", "ja: 筑後と柳川はほぼ同文。", "ja: ほぼ同文。")
    real.edit("comparison.yaml", 'en: "Chikugo and Yanagawa are almost word for word the same:', 'en: "Almost word for word the same:')
    found = warnings_of(real, "policy.coverage")
    assert [w.message for w in found] == [
        "comparison impersonation summary (ja) does not name 筑後, which has clauses in the topic's rows",
        "comparison impersonation summary (en) does not name Chikugo, which has clauses in the topic's rows",
        # the Japanese still names 柳川: 「公式ホームページ（柳川は市公式 Web サイト）」
        "comparison impersonation summary (en) does not name Yanagawa, which has clauses in the topic's rows",
    ]
    assert str(found[0].location).startswith(f"policy/comparison.yaml:{line_of(real, 'comparison.yaml', 'ja: ほぼ同文。')}:")


# ----------------------------------------------------------------------------- provenance


def test_an_inferred_department_without_its_marker_is_a_provenance_warning(real):
    """柳川's 総務部企画課 is not printed as its department: shown as fact before the review."""
    real.edit(
        "yanagawa.yaml",
        "  department:\n    ja: 発行部署は印刷されていない。届出を受けて審査する課（4(1)）であることから推定した。\n"
        "    en: No issuing department is printed; inferred from the division that receives and reviews the notifications (4(1)).\n",
        "",
    )
    (w,) = warnings_of(real, "policy.provenance")
    assert str(w.location).startswith(f"policy/yanagawa.yaml:{line_of(real, 'yanagawa.yaml', '  ja: 総務部企画課')}:")
    assert w.message.startswith("yanagawa department 「総務部企画課」 is not printed in the published text")


def test_form_labels_required_flags_and_an_unlabelled_date_need_markers(real):
    text = real.read("yanagawa.yaml")
    start = text.index("    editorial:\n      label:\n        ja: 様式には「別紙1」")
    end = text.index("  - id: yanagawa-form-2")
    form1 = text[start:end]
    form1 = form1[: form1.index("    statement:")]  # only the form's own editorial block
    real.write("yanagawa.yaml", text.replace(form1, "", 1))
    text = real.read("yanagawa.yaml")
    date_marker = (
        "        editorial:\n          label:\n            ja: 様式には項目名がなく、「令和　年　月　日」の欄だけが印刷されている。\n"
        "            en: The form prints no label, only the blank “令和　年　月　日” (Reiwa era year, month, day).\n"
    )
    real.write("yanagawa.yaml", text.replace(date_marker, "", 1))  # form 1's date field
    messages = [w.message.partition(" (")[0] for w in warnings_of(real, "policy.provenance")]
    assert messages == [
        "yanagawa-form-1 label 「別紙1」 is not printed in the published text",
        "yanagawa-form-1 field date label 「日付」 is not printed in the published text",
        "yanagawa-form-1: fields marked required is not printed in the published text",
    ]


def test_a_marker_on_a_printed_value_is_a_provenance_warning(real):
    real.edit(
        "chikugo.yaml",
        "editorial:\n  scope:",
        "editorial:\n  department: {ja: 推定。, en: Inferred.}\n  scope:",
    )
    (w,) = warnings_of(real, "policy.provenance")
    assert (
        w.message == "chikugo department 「総務広報課」 is printed in the published text but marked editorial: remove editorial.department"
    )


def test_a_draft_without_department_or_scope_has_nothing_to_prove(real):
    """An imported draft has neither until its owner adds them: `make check -W` must not crash on it."""
    real.edit("chikugo.yaml", "department: {ja: 総務広報課, en: General Affairs and Public Relations Division}\n", "")
    real.edit(
        "chikugo.yaml",
        "scope:\n  ja: 地方公務員法の一般職、特別職の区別なく、市の職員全てに適用される。\n"
        "  en: The guideline applies to all city staff, whether in the regular service or the special service under the Local Public Service Act.\n",
        "",
    )
    real.edit(
        "chikugo.yaml",
        "editorial:\n  scope:\n    ja: 3の適用範囲を編集で要約したもの。\n    en: An editorial summary of the scope clause, 3.\n",
        "",
    )
    assert [str(w) for w in warnings_of(real)] == []


def test_the_json_shows_editorial_values_with_their_reasons(real):
    policy = real.load()
    yanagawa = guideline_json(policy.guideline("yanagawa"), {})
    assert sorted(yanagawa["editorial"]) == ["department", "scope"]
    assert yanagawa["editorial"]["department"]["en"].startswith("No issuing department is printed")
    form = yanagawa["forms"][0]
    assert sorted(form["editorial"]) == ["label", "required"]
    assert [f["id"] for f in form["fields"] if f["editorial"]] == ["date"]
    chikugo = guideline_json(policy.guideline("chikugo"), {})
    assert list(chikugo["editorial"]) == ["scope"]  # its department is printed (7)
