"""bench/generate.py: the synthetic municipalities every national measurement is made on."""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402  (bench/generate.py)

from policy_handbook import cli


def test_a_generated_policy_passes_the_strict_check_and_is_the_same_every_time(tmp_path):
    """`make html` runs `check -W`: a generated project must pass it, or no national
    measurement can be made; and two generations are byte for byte the same."""
    first, second = tmp_path / "a" / "policy", tmp_path / "b" / "policy"
    documents = generate.generate_policy(8, first)
    generate.generate_policy(8, second)
    out, err = io.StringIO(), io.StringIO()
    assert cli.check(first, out=out, err=err, fail_on_warnings=True, use_cache=False) == 0, err.getvalue()
    assert "policy OK: 8 guidelines" in out.getvalue() and err.getvalue() == ""
    assert {d["prefecture"]["ja"] for d in documents[2:]} <= {ja for ja, _en, _n in generate.PREFECTURES}
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    # each copy is checked against its own published text (its varied clauses, its name)
    assert (first / "sources" / "m0003.txt").read_text(encoding="utf-8").count("第3") >= 1
