"""The national views list municipalities by their national code (the list's order) within a prefecture."""

from __future__ import annotations

from policy_handbook.sphinxext.national import by_prefecture, prefecture_order


def test_prefectures_in_jis_order_from_the_list():
    order = prefecture_order()
    assert len(order) == 47
    assert order[:3] == ("北海道", "青森県", "岩手県") and order[39] == "福岡県"


def test_within_a_prefecture_guidelines_are_in_code_order_not_id_order(minimal_policy):
    # north (ID first) is 筑後市 402117, south is 柳川市 402079: the code puts south first
    minimal_policy.edit(
        "north.yaml", "municipality: {ja: 北市, en: North City}", 'municipality: {ja: 筑後市, en: Chikugo City}\nlg_code: "402117"'
    )
    minimal_policy.edit(
        "south.yaml", "municipality: {ja: 南市, en: South City}", 'municipality: {ja: 柳川市, en: Yanagawa City}\nlg_code: "402079"'
    )
    groups = by_prefecture(minimal_policy.load())
    assert [(slug, [g.id for g in gs]) for slug, gs in groups] == [("fukuoka", ["south", "north"])]


def test_a_guideline_without_a_code_comes_after_those_with_one(minimal_policy):
    minimal_policy.edit(
        "south.yaml", "municipality: {ja: 南市, en: South City}", 'municipality: {ja: 柳川市, en: Yanagawa City}\nlg_code: "402079"'
    )
    groups = by_prefecture(minimal_policy.load())
    assert [g.id for g in groups[0][1]] == ["south", "north"]
