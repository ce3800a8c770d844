"""The importer's municipality, prefecture and national code (importer/place.py), and on the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.importer.errors import ImportRefused
from policy_handbook.importer.place import infer_place

ROOT = PROJECT_ROOT


def place(title, printed=(), **options):
    return infer_place("source.txt", title=title, title_line=1, printed=list(printed), **options)


def refusal(title, printed=(), **options) -> str:
    with pytest.raises(ImportRefused) as info:
        place(title, printed, **options)
    return str(info.value)


def test_the_title_names_the_municipality_and_settles_the_prefecture():
    found = place("筑後市ソーシャルメディア等の利用に関するガイドライン")
    assert (found.municipality, found.prefecture, found.lg_code, found.review) == ("筑後市", "福岡県", "402117", ())
    assert place("○柳川市職員のソーシャルメディア利用指針").lg_code == "402079"
    # printing variants: ヶ/ケ, a PDF's spaces inside a word; the list's spelling is written
    assert place("龍ヶ崎市 ソーシャルメディア運用方針").municipality == "龍ケ崎市"
    assert place("筑 後 市ソーシャルメディア指針").lg_code == "402117"
    assert place("東京都千代田区ソーシャルメディア運用方針").lg_code == "131016"
    assert place("京都府京都市ソーシャルメディア指針").lg_code == "261009"


def test_a_prefectures_own_guideline():
    found = place("福岡県ソーシャルメディア利用ガイドライン")
    assert (found.municipality, found.prefecture, found.lg_code) == ("福岡県", "福岡県", "400009")


def test_an_ambiguous_name_is_settled_by_a_printed_prefecture_or_refused_naming_each():
    assert place("鳥取県南部町ソーシャルメディア指針").lg_code == "313891"
    assert place("鳥取県南部町ソーシャルメディア指針").review == ()
    with_name = place("南部町ソーシャルメディア指針", [(5, "この指針は、山梨県南部町の職員に適用する。")])
    assert (with_name.lg_code, with_name.review) == ("193666", ())
    elsewhere = place("南部町ソーシャルメディア指針", [(5, "山梨県の町村の例にならい、町の職員に適用する。")])
    assert elsewhere.lg_code == "193666"
    assert elsewhere.review == ("the prefecture (山梨県) of 南部町, which is in 3 prefectures, was inferred from the text: check it",)
    assert place("南部町ソーシャルメディア指針", prefecture="青森県").lg_code == "024457"
    message = refusal("○南部町職員のソーシャルメディア利用指針")
    assert message.startswith("source.txt:1: '南部町' printed in the title: there is a '南部町' in 3 prefectures")
    assert message.endswith("give --prefecture (青森県, 山梨県, 鳥取県)")
    # printed with its prefecture further on: settled, nothing to review
    later = place("府中市ソーシャルメディア指針", [(3, "この指針は、府中市の職員に適用する。"), (6, "広島県府中市の全職員")])
    assert (later.lg_code, later.review) == ("342084", ())
    # two of the candidates' prefectures printed: still ambiguous
    assert "give --prefecture" in refusal("府中市ソーシャルメディア指針", [(4, "東京都及び広島県の事例を参考にした。")])


def test_without_a_name_in_the_title_the_text_names_it_for_review():
    found = place(
        "職員のソーシャルメディア利用指針",
        [(3, "この指針は、柳川市の職員に適用する。"), (7, "柳川市の公式アカウントは、福岡県の例による。")],
        where=lambda line: f"line {line}",
    )
    assert (found.municipality, found.lg_code) == ("柳川市", "402079")
    assert found.review == ("line 3: the municipality (柳川市) was inferred from the text, not the title: check it",)


def test_no_name_anywhere_is_refused_asking_for_municipality():
    message = refusal("職員のソーシャルメディア利用指針", [(3, "この指針は、本市の職員に適用する。")])
    assert message.startswith("source.txt:1: cannot tell the municipality")
    assert message.endswith("give --municipality 〇〇市")


def test_municipality_option_alone_or_with_its_prefecture():
    assert place("テスト市ガイドライン", municipality="大木町").lg_code == "405221"
    assert place(None, municipality="福岡県筑後市").lg_code == "402117"
    assert place(None, municipality="伊達市", prefecture="福島県").lg_code == "072133"


def test_a_municipality_not_on_the_list_is_refused_with_the_closest_names():
    message = refusal(None, municipality="筑豊市")
    assert message.startswith("source.txt:1: --municipality 筑豊市: '筑豊市' is not on the list of local governments")
    assert "福岡県筑後市" in message
    message = refusal(None, municipality="南部町", prefecture="福岡県")
    assert "closest names: 青森県南部町, 山梨県南部町, 鳥取県南部町" in message
    assert (
        refusal(None, municipality="筑後市", prefecture="北県")
        == "source.txt:1: --prefecture 北県: not a prefecture (did you mean 北海道?)"
    )


def test_a_refusal_never_prints_control_characters_of_the_option():
    message = refusal(None, municipality="\x1b[2J筑後\u202e市")
    assert "\x1b" not in message and "\u202e" not in message
    assert "\\x1b[2J" in message


def test_a_refusal_in_a_pdf_names_the_page():
    message = str(
        pytest.raises(
            ImportRefused, infer_place, "g.pdf", title="南部町ソーシャルメディア指針", title_line=4, printed=[], page_of=lambda line: 2
        ).value
    )
    assert message.startswith("g.pdf: page 2: '南部町' printed in the title")


# --------------------------------------------------------------------------- command line

FIXTURE = """\
○南部町ソーシャルメディア運用指針
令和5年4月1日制定
1 目的
この指針は、町の職員がソーシャルメディアを利用する際に守るべき事項を定めることを目的とする。
2 禁止事項
職員は、職務上知り得た秘密を発信してはならない。
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    (tmp_path / "nanbu.txt").write_text(FIXTURE, encoding="utf-8")
    return tmp_path


def test_import_asks_for_the_prefecture_only_when_ambiguous_and_writes_the_code(workdir):
    refused = run("import", "nanbu.txt", "--id", "nanbu", cwd=workdir)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("nanbu.txt:1: '南部町' printed in the title: there is a '南部町' in 3 prefectures")
    assert "give --prefecture (青森県, 山梨県, 鳥取県)" in refused.stderr
    assert not (workdir / "policy" / "nanbu.yaml").exists()

    done = run("import", "nanbu.txt", "--id", "nanbu", "--prefecture", "鳥取県", cwd=workdir)
    assert done.returncode == 0, done.stderr
    written = (workdir / "policy" / "nanbu.yaml").read_text(encoding="utf-8")
    assert 'municipality: {ja: "南部町"}\nprefecture: {ja: "鳥取県"}\nlg_code: "313891"' in written
    check = run("check", "policy", cwd=workdir)
    assert check.returncode == 0, check.stdout + check.stderr


def test_import_of_a_title_naming_one_municipality_needs_no_option(workdir):
    (workdir / "oki.txt").write_text(FIXTURE.replace("南部町", "大木町"), encoding="utf-8")
    done = run("import", "oki.txt", "--id", "oki", cwd=workdir)
    assert done.returncode == 0, done.stderr
    written = (workdir / "policy" / "oki.yaml").read_text(encoding="utf-8")
    assert 'prefecture: {ja: "福岡県"}\nlg_code: "405221"' in written


def test_import_refuses_an_unknown_municipality_with_the_closest_names(workdir):
    refused = run("import", "nanbu.txt", "--id", "nanbu", "--municipality", "柳河市", cwd=workdir)
    assert refused.returncode == 1
    assert refused.stderr.startswith("nanbu.txt:1: --municipality 柳河市: '柳河市' is not on the list")
    assert "福岡県柳川市" in refused.stderr
