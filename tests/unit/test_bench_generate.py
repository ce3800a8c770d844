"""bench/generate.py: the synthetic municipalities every national measurement is made on."""

from __future__ import annotations

import io
import sys

from helpers.paths import BENCH

sys.path.insert(0, str(BENCH))
import generate  # noqa: E402  (bench/generate.py)

from policy_handbook import cli, municipalities


def test_a_generated_policy_passes_the_strict_check_and_is_the_same_every_time(tmp_path):
    """`make html` runs `check -W`: a generated project must pass it, or no national
    measurement can be made; and two generations are byte for byte the same."""
    first, second = tmp_path / "a" / "policy", tmp_path / "b" / "policy"
    documents = generate.generate_policy(8, first)
    generate.generate_policy(8, second)
    out, err = io.StringIO(), io.StringIO()
    assert cli.check(first, out=out, err=err, fail_on_warnings=True, use_cache=False) == 0, err.getvalue()
    assert "policy OK: 8 guidelines" in out.getvalue() and err.getvalue() == ""
    # real municipalities of the national list, each with its own code (make check checked they match)
    listed = {g.code: g for g in municipalities.municipalities()}
    codes = [d["lg_code"] for d in documents]
    assert codes[:2] == ["402117", "402079"] and len(set(codes)) == 8
    for d in documents[2:]:
        government = listed[d["lg_code"]]
        assert (d["municipality"]["ja"], d["prefecture"]["ja"]) == (government.name, government.prefecture)
        assert d["prefecture"]["en"] == generate.prefecture_en(government.prefecture)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    # each copy is checked against its own published text (its varied clauses, its name)
    assert documents[2]["municipality"]["ja"] in (first / "sources" / "m0003.txt").read_text(encoding="utf-8")


def test_the_national_set_is_every_municipality_of_the_list_once_in_code_order():
    templates = [{"lg_code": "402117"}, {"lg_code": "402079"}]
    pool = generate.others(templates)
    national = [generate.municipality_of(n, generate.NATIONAL, pool, 3) for n in range(3, generate.NATIONAL + 1)]
    assert {g.code for g in national} | {"402117", "402079"} == {g.code for g in municipalities.municipalities()}
    assert [g.code for g in national] == sorted(g.code for g in national)
    # a smaller count spreads along the list: the prefectures from 北海道 to 沖縄県, in proportion
    hundred = [generate.municipality_of(n, 100, pool, 3) for n in range(3, 101)]
    assert len({g.code for g in hundred}) == 98
    assert hundred[0].prefecture == "北海道" and hundred[-1].prefecture == "沖縄県"
    assert sum(g.prefecture == "北海道" for g in hundred) in (10, 11)  # 179 of 1,739: 98 × 179 / 1,739 = 10.1


def test_english_names_are_romanised_from_the_readings():
    names = {
        code: generate.english_name(municipalities.by_code(code)) for code in ("011002", "252018", "282090", "131041", "024457", "204099")
    }
    assert names == {
        "011002": "Sapporo City",
        "252018": "Otsu City",
        "282090": "Toyooka City",
        "131041": "Shinjuku City",
        "024457": "Nanbu Town",
        "204099": "Hiraya Village",
    }
