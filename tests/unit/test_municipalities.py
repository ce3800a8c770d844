"""The national code list (package data) and lookups in it."""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import pytest

from policy_handbook import municipalities as m

DATA = Path(m.__file__).parent / "data" / "lg_codes.csv"


def test_the_list_has_the_47_prefectures_and_the_1741_municipalities():
    assert len(m.prefectures()) == 47
    assert len(m.municipalities()) == 1741
    suffixes = collections.Counter(g.name[-1] for g in m.municipalities())
    assert suffixes == {"市": 792, "町": 743, "村": 183, "区": 23}  # 区: Tokyo's special wards only
    assert [p.name for p in m.prefectures()][:2] == ["北海道", "青森県"]
    assert m.prefectures()[-1].name == "沖縄県"


def test_every_code_of_the_list_has_a_valid_check_digit():
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    assert len(rows) == 1788
    assert len({r["code"] for r in rows}) == 1788
    for row in rows:
        assert m.code_problem(row["code"]) is None, row
    # both special remainders occur in the list: r = 0 gives 1, r = 1 gives 0
    remainders = {sum(int(d) * w for d, w in zip(r["code"][:5], (6, 5, 4, 3, 2))) % 11 for r in rows}
    assert {0, 1} <= remainders


def test_check_digit_and_code_problems():
    assert m.check_digit("40211") == "7"
    assert m.check_digit("40207") == "9"
    assert m.code_problem("402117") is None
    assert "wrong check digit: 402117 would be valid" in m.code_problem("402118")
    assert "not six digits" in m.code_problem("40211")
    assert "not six digits" in m.code_problem("４０２１１７")  # full-width digits are not a code
    with pytest.raises(ValueError):
        m.check_digit("4021")


def test_lookup_by_code_and_by_name():
    chikugo = m.by_code("402117")
    assert (chikugo.prefecture, chikugo.name, chikugo.reading, chikugo.full_name) == ("福岡県", "筑後市", "チクゴシ", "福岡県筑後市")
    assert m.resolve("柳川市").code == "402079"
    assert m.resolve("柳川市", "福岡県") == m.resolve("柳川市", "福岡")
    assert m.by_code("402118") is None
    assert m.resolve("千代田区").prefecture == "東京都"
    # a prefecture's own guideline
    assert m.resolve("福岡県").code == "400009" and m.resolve("福岡県").is_prefecture
    assert m.prefecture("京都").name == "京都府" and m.prefecture("東京").name == "東京都"


def test_names_are_matched_with_printing_variants():
    assert m.resolve("龍ヶ崎市").name == "龍ケ崎市"
    assert m.resolve("筑 後 市").code == "402117"  # a PDF's spaces inside a word


@pytest.mark.parametrize(
    ("name", "prefectures"),
    [("南部町", ["青森県", "山梨県", "鳥取県"]), ("府中市", ["東京都", "広島県"]), ("伊達市", ["北海道", "福島県"])],
)
def test_an_ambiguous_name_says_which_prefectures(name, prefectures):
    with pytest.raises(m.AmbiguousPlace) as info:
        m.resolve(name)
    assert [g.prefecture for g in info.value.candidates] == prefectures
    for p in prefectures:
        assert p in str(info.value)
    # the prefecture settles it
    assert m.resolve(name, prefectures[-1]).prefecture == prefectures[-1]


def test_an_unknown_name_gives_the_closest_names():
    with pytest.raises(m.UnknownPlace) as info:
        m.resolve("筑豊市")
    assert "福岡県筑後市" in str(info.value)
    with pytest.raises(m.UnknownPlace) as info:
        m.resolve("柳河市")
    assert "福岡県柳川市" in [g.full_name for g in info.value.suggestions]
    # a real name in the wrong prefecture: where it is
    with pytest.raises(m.UnknownPlace) as info:
        m.resolve("南部町", "福岡県")
    assert [g.prefecture for g in info.value.suggestions] == ["青森県", "山梨県", "鳥取県"]
    with pytest.raises(m.UnknownPlace):
        m.resolve("筑後市", "筑後県")


def test_closest_is_deterministic_and_bounded():
    assert m.closest("筑豊市") == m.closest("筑豊市")
    assert len(m.closest("市", n=3)) <= 3
    assert m.closest("xyz") == []


def test_a_name_typed_in_kana_finds_the_municipality_by_its_reading():
    assert m.closest("やながわ市")[0].full_name == "福岡県柳川市"
    assert m.closest("ちくご")[0].full_name == "福岡県筑後市"
    assert m.by_code("405221").reading_stem == "オオキ"  # 大木町, オオキマチ
    assert m.by_code("313891").reading_stem == "ナンブ"  # 南部町, ナンブチョウ
