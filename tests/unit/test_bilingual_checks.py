"""English lint, parity and pending translations in `make check` (checks/english.py,
parity.py, pending.py), no Sphinx. Each test puts an issue-21 defect back into a copy
of the real policy/ (and of docs/ where the pages are checked) and expects its warning
at file:line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_content_checks import line_of, warnings_of

from helpers.paths import PROJECT_ROOT
from helpers.policy_copy import PolicyCopy
from policy_handbook.checks import pages_warnings
from policy_handbook.checks.english import stray_punctuation
from policy_handbook.cli import check

PROJECT = PROJECT_ROOT


@pytest.fixture
def site(tmp_path: Path) -> tuple[PolicyCopy, Path]:
    """Copies of the real policy/ and docs/ side by side (locations read 'policy/…', 'docs/…')."""
    shutil.copytree(PROJECT / "policy", tmp_path / "policy")
    shutil.copytree(PROJECT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    return PolicyCopy(tmp_path / "policy"), tmp_path / "docs"


def page_warnings(site, code: str) -> list:
    policy, docs = site
    return [w for w in pages_warnings(policy.load(), docs, docs.parent) if w.code == code]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_in(path: Path, text: str) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


# ----------------------------------------------------------------------------- punctuation


@pytest.mark.parametrize(
    ("en", "stray"),
    [
        ("Chikugo states it outright (6(2)・1, 6(2)・2).", ["・", "・"]),
        ("Staff must comply、and report。", ["、", "。"]),
        ("See 「Comparing municipalities」.", ["「", "」"]),
        # quoted Japanese keeps its own marks; a mark mentioned by itself is a mention
        ("「求められる」 is rendered “are required to”.", []),
        ("総務広報課総務広報係 広報・広聴担当 is the contact.", []),
        ("The published sentence lacks its final full stop (。).", []),
        ("Chikugo 6(2)·1 uses the Latin middle dot.", []),
    ],
)
def test_japanese_punctuation_in_english_is_found_outside_quoted_japanese(en, stray):
    assert stray_punctuation(en) == stray


def test_a_japanese_item_separator_in_an_english_summary_is_a_warning(site):
    """C: the English comparison printed 「6(2)・1」 from the summary text."""
    policy, _docs = site
    policy.edit("comparison.yaml", "(6(2)·1, 6(2)·2)", "(6(2)・1, 6(2)・2)")
    found = warnings_of(policy, "policy.english")
    assert [w.message.split(":")[0] for w in found] == ["comparison flaming summary"]
    assert "Japanese punctuation ・ in the English" in found[0].message
    assert str(found[0].location).startswith(f"policy/comparison.yaml:{line_of(policy, 'comparison.yaml', '(6(2)・1, 6(2)・2)')}:")


# ----------------------------------------------------------------------------- glossary beyond clauses


def test_a_role_name_without_the_glossary_rendering_is_a_warning(site):
    """B: 課等 as "(divisions running an account)" in the role label."""
    policy, _docs = site
    policy.edit("situations.yaml", "(divisions and equivalent units running an account)", "(divisions running an account)")
    found = [w for w in warnings_of(policy, "policy.terminology") if w.message.startswith("role account-team label")]
    assert len(found) == 1 and "課等" in found[0].message
    assert str(found[0].location).startswith(
        f"policy/situations.yaml:{line_of(policy, 'situations.yaml', '(divisions running an account)')}:"
    )


def test_a_page_lead_without_the_glossary_rendering_is_a_warning(site):
    """B: 課等 still "divisions" in the Yanagawa page lead (guidelines/yanagawa.po)."""
    _policy, docs = site
    po = docs / "locales/en/LC_MESSAGES/guidelines/yanagawa.po"
    edit(
        po,
        "the divisions and equivalent units that run a Yanagawa City official account",
        "the divisions that run a Yanagawa City official account",
    )
    found = page_warnings(site, "policy.terminology")
    assert len(found) == 1 and "課等" in found[0].message
    msgid = line_in(po, 'msgid "柳川市の公式アカウントを運用する課等と')
    assert str(found[0].location) == f"docs/locales/en/LC_MESSAGES/guidelines/yanagawa.po:{msgid}:1"


def test_the_real_pages_have_no_warnings(site):
    policy, docs = site
    assert [str(w) for w in pages_warnings(policy.load(), docs, docs.parent)] == []


# ----------------------------------------------------------------------------- parity


def test_a_summary_citing_clauses_in_one_language_only_is_a_warning(site):
    policy, _docs = site
    policy.edit("comparison.yaml", " (6(2)·1, 6(2)·2). Yanagawa bars", ". Yanagawa bars")
    found = warnings_of(policy, "policy.parity")
    assert [w.message for w in found] == ["comparison flaming summary: only the Japanese cites 6(2)·1, 6(2)·2"]
    assert str(found[0].location).startswith("policy/comparison.yaml:")


def test_below_pointing_to_a_section_above_is_a_warning(site):
    """B: the owners' page said 下の「自治体どうしの比較」 of a section above it."""
    _policy, docs = site
    page = docs / "owners.md"
    edit(page, "（上の「自治体どうしの比較」）", "（下の「自治体どうしの比較」）")
    found = page_warnings(site, "policy.parity")
    line = line_in(page, "下の「自治体どうしの比較」")
    heading = line_in(page, "## 自治体どうしの比較")
    assert [str(w) for w in found][0].startswith(f"docs/owners.md:{line}:")
    assert found[0].message == (
        f"下の「自治体どうしの比較」 points down, but the heading 「自治体どうしの比較」 is at line {heading}: "
        "write 上の「自治体どうしの比較」"
    )


def test_an_english_direction_unlike_the_japanese_is_a_warning(site):
    _policy, docs = site
    po = docs / "locales/en/LC_MESSAGES/owners.po"
    edit(po, "(see “Comparing municipalities” above)", "(see “Comparing municipalities” below)")
    found = page_warnings(site, "policy.parity")
    assert [w.message for w in found] == ["the Japanese points above (上の/下の「…」) but the English says below"]
    assert str(found[0].location).startswith("docs/locales/en/LC_MESSAGES/owners.po:")


# ----------------------------------------------------------------------------- pending translations


def test_a_guideline_title_without_english_is_a_warning_and_counted(site, capsys):
    """C6: removing the English of a guideline's title passed `make check` silently."""
    policy, _docs = site
    policy.edit(
        "chikugo.yaml",
        "title:\n  ja: 筑後市ソーシャルメディア等の利用に関するガイドライン\n  en: Chikugo City Guideline on the Use of Social Media and Similar Services\n",
        "title:\n  ja: 筑後市ソーシャルメディア等の利用に関するガイドライン\n",
    )
    policy.edit("chikugo.yaml", "heading: {ja: メリット, en: Advantages}", "heading: {ja: メリット}")
    found = warnings_of(policy, "policy.pending")
    assert [w.message.split(":")[0] for w in found] == ["chikugo title", "chikugo-2-1 heading"]
    assert str(found[0].location).startswith(
        f"policy/chikugo.yaml:{line_of(policy, 'chikugo.yaml', 'ja: 筑後市ソーシャルメディア等の利用に関するガイドライン')}:"
    )
    assert check(policy.dir, use_cache=False, fail_on_warnings=True) == 1
    out = capsys.readouterr().out
    assert "chikugo: translation pending: 1 title, 1 heading" in out


def test_a_draft_counts_every_kind_without_a_warning_per_string(site, capsys):
    policy, _docs = site
    text = policy.read("chikugo.yaml")
    import re

    # every clause text and note of chikugo-1 without English: a draft
    text = re.sub(r"(\n +ja: Facebook、Twitter、LINE.*)\n +en: .*", r"\1", text)
    text = re.sub(r"(\n +ja: Google＋（一般向けサービス）は2019年4月に終了した。)\n +en: .*", r"\1", text)
    policy.write("chikugo.yaml", text)
    assert warnings_of(policy, "policy.pending") == []
    check(policy.dir, use_cache=False)
    assert "chikugo: translation pending: 1 clause text, 1 note" in capsys.readouterr().out
