"""Citations on one guide: the preamble's paragraphs, which have no parent clause, share
one word (前文, "Preamble") and are told apart like any other paragraphs that share a number.

Before, a guide citing both paragraphs of 筑後's preamble printed "Preamble" twice, and the
check of distinct citations warned about a defect the owner could not fix in the data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from helpers.paths import PROJECT_ROOT
from policy_handbook.citations import shown_citations
from policy_handbook.loader import load_policy

ROOT = PROJECT_ROOT


def test_the_preambles_paragraphs_on_one_guide_are_cited_with_their_paragraph():
    policy = load_policy(ROOT / "policy")
    both = ["chikugo-preamble-1", "chikugo-preamble-2", "chikugo-4-5"]
    assert shown_citations(policy, both, "en", "Preamble") == {
        "chikugo-preamble-1": "Preamble, first paragraph",
        "chikugo-preamble-2": "Preamble, second paragraph",
        "chikugo-4-5": "4(5)",
    }
    assert shown_citations(policy, both, "ja", "前文")["chikugo-preamble-2"] == "前文第2段落"
    # alone on a guide, the word is enough
    assert shown_citations(policy, ["chikugo-preamble-2"], "ja", "前文") == {"chikugo-preamble-2": "前文"}


def test_a_guide_citing_both_preamble_paragraphs_passes_the_check(tmp_path):
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    situations = tmp_path / "policy" / "situations.yaml"
    text = situations.read_text(encoding="utf-8")
    anchor = "          - clause: chikugo-6-1-i2\n          - clause: chikugo-4-5\n        omitted:\n"
    assert anchor in text
    reason = "            reason: {ja: 前文のため。, en: It is the preamble.}\n"
    situations.write_text(
        text.replace(
            anchor, anchor + "          - clause: chikugo-preamble-1\n" + reason + "          - clause: chikugo-preamble-2\n" + reason, 1
        ),
        encoding="utf-8",
    )
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "policy_handbook", "check", "-W", "policy"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "both cited as" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
