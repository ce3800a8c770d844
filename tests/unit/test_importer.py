"""The importer: every numbering style and PDF artefact on small invented texts,
encodings and refusals, the command line, and the held-out figures on the real sources."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.importer.errors import ImportRefused
from policy_handbook.importer.pipeline import import_file, import_text

ROOT = PROJECT_ROOT
sys.path.insert(0, str(ROOT / "bench"))


def tree(text: str, doc: str = "t") -> list[tuple]:
    """(id, level, marker, heading, text) of every clause, in order."""
    imported = import_text(text, doc, "fixture.txt")
    return [(c.id, c.level, c.marker, c.heading, c.text) for c in imported.clauses()]


# --------------------------------------------------------------------------- numbering styles


@pytest.mark.parametrize(
    "first, second, marker1, marker2",
    [
        ("1 目的", "2 定義", "1", "2"),
        ("1. 目的", "2. 定義", "1.", "2."),
        ("1．目的", "2．定義", "1．", "2．"),
        ("１　目的", "２　定義", "１", "２"),
        ("- 1. 目的", "- 2. 定義", "1.", "2."),
    ],
)
def test_numbered_sections(first, second, marker1, marker2):
    text = f"テスト市ソーシャルメディアガイドライン\n{first}\nこの指針は、職員の利用について定める。\n{second}\nソーシャルメディアとは、双方向のサービスをいう。\n"
    assert tree(text) == [
        ("t-1", "section", marker1, "目的", None),
        ("t-1-p1", "paragraph", None, None, "この指針は、職員の利用について定める。"),
        ("t-2", "section", marker2, "定義", None),
        ("t-2-p1", "paragraph", None, None, "ソーシャルメディアとは、双方向のサービスをいう。"),
    ]


def test_articles_with_captions_paragraphs_and_items_under_chapters():
    text = "\n".join(
        [
            "○テスト町職員のソーシャルメディア利用に関する規程",
            "第1章 総則",
            "（趣旨）",
            "第1条 この規程は、職員のソーシャルメディアの利用に関し必要な事項を定めるものとする。",
            "(定義)",
            "第 2 条 この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。",
            "（１）ソーシャルメディア　双方向のサービスをいう。",
            "（２）職員　町の職員をいう。",
            "2 前項の規定は、委託先にも準用する。",
            "第2章 利用",
            "第3条 職員は、秘密を発信してはならない。",
        ]
    )
    assert tree(text) == [
        ("t-ch1", "section", "第1章", "総則", None),
        ("t-ch1-1", "paragraph", "第1条", "（趣旨）", "この規程は、職員のソーシャルメディアの利用に関し必要な事項を定めるものとする。"),
        ("t-ch1-2", "paragraph", "第 2 条", "(定義)", "この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。"),
        ("t-ch1-2-1", "paragraph", "（１）", None, "ソーシャルメディア　双方向のサービスをいう。"),
        ("t-ch1-2-2", "paragraph", "（２）", None, "職員　町の職員をいう。"),
        ("t-ch1-2-k2", "paragraph", "2", None, "前項の規定は、委託先にも準用する。"),
        ("t-ch2", "section", "第2章", "利用", None),
        ("t-ch2-3", "paragraph", "第3条", None, "職員は、秘密を発信してはならない。"),
    ]


def test_article_paragraph_numbers_nest_under_the_article():
    text = "第1条 職員は、誠実に対応する。\n2 職員は、誤りを訂正する。\n3 職員は、記録を残す。\n第2条 この規程は、公布の日から施行する。\n"
    assert [(i, lvl, m) for i, lvl, m, _, _ in tree(text)] == [
        ("t-1", "section", "第1条"),
        ("t-1-k2", "paragraph", "2"),
        ("t-1-k3", "paragraph", "3"),
        ("t-2", "section", "第2条"),
    ]


def test_kana_circled_and_bullets():
    text = "\n".join(
        [
            "1 留意事項",
            "(1) 発信",
            "ア 正確な情報を発信すること。",
            "イ 誤解を招かないこと。",
            "① 伏せ字を使わないこと。",
            "② 繰り返し投稿しないこと。",
            "ウ 著作権に留意すること。",
            "(2) 禁止",
            "・秘密を発信しない。",
            "・他者を中傷しない。",
        ]
    )
    assert [(i, lvl, m, h) for i, lvl, m, h, _ in tree(text)] == [
        ("t-1", "section", "1", "留意事項"),
        ("t-1-1", "paragraph", "(1)", "発信"),
        ("t-1-1-1", "paragraph", "ア", None),
        ("t-1-1-2", "paragraph", "イ", None),
        ("t-1-1-2-1", "paragraph", "①", None),
        ("t-1-1-2-2", "paragraph", "②", None),
        ("t-1-1-3", "paragraph", "ウ", None),
        ("t-1-2", "paragraph", "(2)", "禁止"),
        ("t-1-2-i1", "item", "・", None),
        ("t-1-2-i2", "item", "・", None),
    ]


def test_unnumbered_headings_and_paragraphs():
    text = "\n".join(
        [
            "テスト村ソーシャルメディア利用指針",
            "村は、情報発信のためにソーシャルメディアを活用する。",
            "基本的な考え方",
            "職員は、村の代表である自覚をもって発信する。",
            "発信した情報に誤りがあれば、速やかに訂正する。",
            "炎上への対応",
            "批判が殺到した場合は、冷静に対応する。",
        ]
    )
    assert tree(text) == [
        ("t-preamble-1", "preamble", None, None, "村は、情報発信のためにソーシャルメディアを活用する。"),
        ("t-h1", "section", None, "基本的な考え方", None),
        ("t-h1-p1", "paragraph", None, None, "職員は、村の代表である自覚をもって発信する。"),
        ("t-h1-p2", "paragraph", None, None, "発信した情報に誤りがあれば、速やかに訂正する。"),
        ("t-h2", "section", None, "炎上への対応", None),
        ("t-h2-p1", "paragraph", None, None, "批判が殺到した場合は、冷静に対応する。"),
    ]


def test_reiki_style_with_instrument_line_and_supplementary_provisions():
    text = "\n".join(
        [
            "○テスト市職員によるソーシャルメディアの利用に関する指針",
            "平成26年4月1日",
            "訓令第12号",
            "（目的）",
            "第1条 この指針は、職員によるソーシャルメディアの利用に関し必要な事項を定める。",
            "（遵守事項）",
            "第2条 職員は、次に掲げる事項を遵守しなければならない。",
            "(1) 秘密を発信しないこと。",
            "(2) 他者を中傷しないこと。",
            "附 則",
            "この訓令は、平成26年4月1日から施行する。",
        ]
    )
    imported = import_text(text, "t", "fixture.txt")
    assert [(h.event, h.date, h.instrument) for h in imported.front.history] == [("enacted", "2014-04-01", "訓令第12号")]
    assert [(c.id, c.level, c.marker, c.heading) for c in imported.clauses()] == [
        ("t-1", "section", "第1条", "（目的）"),
        ("t-2", "section", "第2条", "（遵守事項）"),
        ("t-2-1", "paragraph", "(1)", None),
        ("t-2-2", "paragraph", "(2)", None),
        ("t-h1", "section", None, "附 則"),
        ("t-h1-p1", "paragraph", None, None),
    ]


def test_dai_roman_alpha_and_heading_bullets():
    text = "\n".join(
        [
            "Ⅰ 総論",
            "第1 趣旨",
            "この要領は、ソーシャルメディアの運用について定める。",
            "第2 運用",
            "■ 基本方針",
            "・正確に発信する。",
            "・誤りは訂正する。",
            "■ 禁止事項",
            "(a) 秘密を発信しない。",
            "(b) 中傷しない。",
            "Ⅱ 各論",
            "第3 炎上への対応",
            "批判が殺到した場合は、冷静に対応する。",
        ]
    )
    assert [(i, lvl, m, h) for i, lvl, m, h, _ in tree(text)] == [
        ("t-1", "section", "Ⅰ", "総論"),
        ("t-1-1", "paragraph", "第1", "趣旨"),  # one paragraph under a sub-heading: its text
        ("t-1-2", "paragraph", "第2", "運用"),
        ("t-1-2-i1", "paragraph", "■", "基本方針"),
        ("t-1-2-i1-i1", "item", "・", None),
        ("t-1-2-i1-i2", "item", "・", None),
        ("t-1-2-i2", "paragraph", "■", "禁止事項"),
        ("t-1-2-i2-1", "paragraph", "(a)", None),
        ("t-1-2-i2-2", "paragraph", "(b)", None),
        ("t-2", "section", "Ⅱ", "各論"),
        ("t-2-3", "paragraph", "第3", "炎上への対応"),
    ]


# --------------------------------------------------------------------------- PDF artefacts


BROKEN = "\n".join(
    [
        "テスト市ソーシャルメディアガイドライン",
        "目次",
        "1 目的 ・・・・・・・・・・・・ 1",
        "2 留意事項 ………………… 2",
        "テスト市ソーシャルメディアガイドライン",
        "1 目的",
        "このガイドラインは、職員がソーシャルメディアを利用するに当たり留意すべき事",
        "項を定めることを目的とする。",
        "- 1 -",
        "テスト市ソーシャルメディアガイドライン",
        "2 留意事項",
        "(1)職員は、発信する情報の正確さに留意し、内容について誤解を招かないよう注意",
        "する必要がある。",
        "(2)Face-",
        "book などの English words split across lines are joined.",
        "-2-",
        "テスト市ソーシャルメディアガイドライン",
        "(3)職員は、冷静に対応する。",
        "3",
    ]
)


def test_pdf_artefacts_are_removed_and_broken_lines_joined():
    imported = import_text(BROKEN, "t", "fixture.txt")
    assert imported.front.title == "テスト市ソーシャルメディアガイドライン"
    assert [(c.id, c.heading, c.text) for c in imported.clauses()] == [
        ("t-1", "目的", None),
        ("t-1-p1", None, "このガイドラインは、職員がソーシャルメディアを利用するに当たり留意すべき事項を定めることを目的とする。"),
        ("t-2", "留意事項", None),
        ("t-2-1", None, "職員は、発信する情報の正確さに留意し、内容について誤解を招かないよう注意する必要がある。"),
        ("t-2-2", None, "Facebook などの English words split across lines are joined."),
        ("t-2-3", None, "職員は、冷静に対応する。"),
    ]
    assert any("page number" in r for r in imported.removed)
    assert any("table of contents" in r for r in imported.removed)
    assert any("running header" in r for r in imported.removed)


def test_lines_are_not_joined_across_a_sentence_end_or_a_heading():
    text = "1 目的\n職員の利用について定める。\n発信は、所属長の承認を得る。\n2 運用\n"
    assert [c[4] for c in tree(text)][:3] == [None, "職員の利用について定める。", "発信は、所属長の承認を得る。"]


def test_an_indented_line_starts_a_paragraph_and_a_full_line_ending_in_a_full_stop_goes_on():
    lines = [f"このガイドラインの第{n}段落は、職員が業務でソーシャルメディアを利用する事項を定める。" for n in range(1, 6)]
    text = "\n".join(
        ["1 目的", *("\u3000" + line for line in lines[:2]), "なお、詳細は別に定める。", *("\u3000" + line for line in lines[2:])]
    )
    paragraphs = [c.text for c in import_text(text, "t", "fixture.txt").clauses()[1:]]
    assert paragraphs == [lines[0], lines[1] + "なお、詳細は別に定める。", *lines[2:]]


# --------------------------------------------------------------------------- front matter, notes, forms


def test_front_matter_dates_instrument_and_department():
    text = "\n".join(
        [
            "○テスト市ソーシャルメディア運用指針",
            "平成25年3月29日訓令第5号",
            "総務部広報課",
            "1 目的",
            "この指針は、運用について定める。",
            "令和元年5月1日 改正",
            "2020年4月1日改定",
        ]
    )
    imported = import_text(text, "t", "fixture.txt")
    front = imported.front
    assert front.title == "テスト市ソーシャルメディア運用指針"
    assert [(h.event, h.date, h.instrument) for h in front.history] == [
        ("enacted", "2013-03-29", "訓令第5号"),
        ("revised", "2019-05-01", None),
        ("revised", "2020-04-01", None),
    ]
    assert front.department == "総務部広報課"
    assert [c.id for c in imported.clauses()] == ["t-1", "t-1-p1"]


def test_notes_are_kept_as_printed_on_the_clause_they_follow():
    text = "1 定義\nソーシャルメディアとは、双方向のサービスをいう。(注1)\n(注1)ブログを含む。\n※ 電子掲示板も含む。\n2 運用\n運用は、所属長が行う。\n"
    clauses = import_text(text, "t", "fixture.txt").clauses()
    assert clauses[1].text == "ソーシャルメディアとは、双方向のサービスをいう。(注1)"
    assert clauses[1].notes == ["(注1)ブログを含む。", "※ 電子掲示板も含む。"]
    assert clauses[3].notes == []


def test_forms_at_the_end_are_kept_as_printed():
    text = "1 届出\n所属長は、別紙1「利用届出書」を提出する。\n別紙1\n利用届出書\n所属名\t\n担当者名 : _____\n"
    imported = import_text(text, "t", "fixture.txt")
    assert [c.text for c in imported.clauses()] == [None, "所属長は、別紙1「利用届出書」を提出する。"]
    (form,) = imported.forms
    assert (form.label, form.title, form.printed) == (
        "別紙1",
        "利用届出書",
        ["別紙1", "利用届出書", "所属名 ", "担当者名 : _____"],
    )  # a tab is layout: a space


# --------------------------------------------------------------------------- encodings and refusals

SAMPLE = "大木町ガイドライン\n1 目的\n職員の利用について定める。\n"  # 福岡県大木町, the only 大木町


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "shift_jis", "cp932", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "source.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    imported = import_file(path, "t")
    assert [c.text for c in imported.clauses()] == [None, "職員の利用について定める。"]


def test_unreadable_bytes_are_refused_with_file_and_line(tmp_path):
    path = tmp_path / "source.txt"
    path.write_bytes("1 目的\n".encode() + b"\x80\x81\xff\xfe garbage \xff\n")
    with pytest.raises(ImportRefused) as exc:
        import_file(path, "t", "source.txt")
    assert str(exc.value).startswith("source.txt:2: cannot read the text")


def test_binary_is_refused(tmp_path):
    path = tmp_path / "source.txt"
    path.write_bytes(b"1 \x00\x01\x02 abc\n")
    with pytest.raises(ImportRefused) as exc:
        import_file(path, "t", "source.txt")
    assert "source.txt:1:" in str(exc.value)


# --------------------------------------------------------------------------- PDF input


def make_pdf(pages: list[list[str]], font: str = "HeiseiMin-W3") -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    for lines in pages:
        y = 800
        for line in lines:
            c.setFont(font, 10.5)
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()
    return buffer.getvalue()


PDF_PAGES = [
    [
        "テスト市ソーシャルメディア運用指針",
        "1．目的",
        "この指針は、職員がソーシャルメディアを利用する際に守るべき事項を定めるこ",
        "とを目的とする。",
        "- 1 -",
    ],
    [
        "テスト市ソーシャルメディア運用指針",
        "2．禁止事項",
        "(1)職員は、秘密情報を発信してはならない。",
        "(2)職員は、他者を中傷してはならない。",
        "- 2 -",
    ],
]


@pytest.mark.parametrize("font", ["HeiseiMin-W3", "HeiseiKakuGo-W5"])
def test_pdf_import(tmp_path, font):
    path = tmp_path / "guideline.pdf"
    path.write_bytes(make_pdf(PDF_PAGES, font))
    imported = import_file(path, "t")
    assert imported.encoding == "pdf"
    assert imported.front.title == "テスト市ソーシャルメディア運用指針"
    assert [(c.id, c.marker, c.heading, c.text) for c in imported.clauses()] == [
        ("t-1", "1．", "目的", None),
        ("t-1-p1", None, None, "この指針は、職員がソーシャルメディアを利用する際に守るべき事項を定めることを目的とする。"),
        ("t-2", "2．", "禁止事項", None),
        ("t-2-1", "(1)", None, "職員は、秘密情報を発信してはならない。"),
        ("t-2-2", "(2)", None, "職員は、他者を中傷してはならない。"),
    ]


def test_what_to_review_in_a_pdf_is_named_by_page(tmp_path):
    """A line of the extracted text means nothing to the owner holding the PDF: its page does."""
    pages = [PDF_PAGES[0], ["テスト市ソーシャルメディア運用指針", "その他", "職員は、この指針に定めのない事項を課長と協議する。", "- 2 -"]]
    path = tmp_path / "guideline.pdf"
    path.write_bytes(make_pdf(pages))
    imported = import_file(path, "t")
    ((line, what),) = imported.structure.review
    assert what == "unnumbered heading 'その他': check it is a heading"
    assert imported.place(line) == "page 2"
    assert imported.removed == [  # the PDF's artefacts by page too
        "page 1: page number '- 1 -'",
        "page 2: page number '- 2 -'",
        "page 2: running header or footer 'テスト市ソーシャルメディア運用指針'",
    ]
    assert import_text("1 目的\nその他\n職員は協議する。\n", "t", "a.txt").place(2) == "line 2"  # a text file keeps lines


def test_a_pdf_without_clauses_is_refused_at_its_page(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf([["テスト市ソーシャルメディア運用指針", "令和4年4月1日"]]))  # a cover page alone
    with pytest.raises(ImportRefused) as exc:
        import_file(path, "t", "letter.pdf")
    assert str(exc.value) == "letter.pdf: page 1: no clause found: is this a guideline text?"


def test_a_broken_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    with pytest.raises(ImportRefused) as exc:
        import_file(path, "t", "broken.pdf")
    assert str(exc.value).startswith("broken.pdf:1: ")


# --------------------------------------------------------------------------- command line


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_import_then_check_then_align(workdir):
    source = workdir / "kensho.pdf"
    source.write_bytes(make_pdf(PDF_PAGES))
    result = run("import", str(source), "--id", "kensho", "--municipality", "福岡県大木町", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "clauses:" in result.stdout and "to review by hand" in result.stdout
    written = (workdir / "policy" / "kensho.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*en:|\ben: ", written, re.M)  # no invented English
    assert (workdir / "policy" / "sources" / "kensho.pdf").read_bytes() == source.read_bytes()
    check = run("check", "policy", cwd=workdir)
    assert check.returncode == 0, check.stderr
    assert "kensho: 5 clauses await translation" in check.stdout
    align = run("align", "kensho", cwd=workdir)
    assert align.returncode == 0, align.stderr
    comparison = (workdir / "policy" / "comparison.yaml").read_text(encoding="utf-8")
    assert "documents: [chikugo, yanagawa, kensho]" in comparison and "suggested_rows:" in comparison
    assert run("check", "policy", cwd=workdir).returncode == 0
    # the suggested rows are data, not a judgement: the relation of each topic is unchanged
    from policy_handbook.loader import load_policy

    policy = load_policy(workdir / "policy")
    assert any(ta.suggested_rows for ta in policy.comparison.topics)
    assert all(not row.clauses_of("kensho") for ta in policy.comparison.topics for row in ta.rows)


def test_shift_jis_source_and_prefecture_found_in_the_text(workdir):
    source = workdir / "guideline.txt"
    # 府中市 is in 東京都 and 広島県: the text's 東京都 settles it
    source.write_bytes("府中市ガイドライン\n1 目的\nこの指針は、東京都府中市の職員に適用する。\n".encode("shift_jis"))
    result = run("import", str(source), "--id", "kensho", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "(shift_jis)" in result.stdout
    written = (workdir / "policy" / "kensho.yaml").read_text(encoding="utf-8")
    assert 'prefecture: {ja: "東京都"}' in written and 'municipality: {ja: "府中市"}' in written
    assert 'lg_code: "132063"' in written
    assert 'source:\n  file: "sources/kensho.txt"' in written


def test_import_refuses_to_overwrite_without_force(workdir):
    source = workdir / "source.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    assert run("import", str(source), "--id", "kensho", "--prefecture", "福岡県", cwd=workdir).returncode == 0
    again = run("import", str(source), "--id", "kensho", "--prefecture", "福岡県", cwd=workdir)
    assert again.returncode == 1
    assert again.stderr.startswith("policy/kensho.yaml:1: already exists")
    assert "Traceback" not in again.stderr
    assert run("import", str(source), "--id", "kensho", "--prefecture", "福岡県", "--force", cwd=workdir).returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt", "--id", "x"], "missing.txt:1: cannot read the file"),
        (["source.txt", "--id", "Bad_ID"], "source.txt:1: --id 'Bad_ID'"),
        (
            ["source.txt", "--id", "x", "--prefecture", "佐賀県"],
            "source.txt:1: '大木町' printed in the title: '大木町' in 佐賀県 is not on the list",
        ),
    ],
)
def test_refusals_name_file_and_line_without_traceback(workdir, args, message):
    (workdir / "source.txt").write_text(SAMPLE, encoding="utf-8")
    result = run("import", *args, cwd=workdir)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / "policy" / "x.yaml").exists()


def test_a_forty_clause_guideline_imports_in_well_under_a_second():
    parts = ["テスト市ソーシャルメディアガイドライン"]
    for section in range(1, 9):
        parts.append(f"{section}．留意事項その{section}")
        for item in range(1, 5):
            parts.append(f"({item})職員は、発信する情報の正確さに留意し、内容について誤解を招かないよう注意する必要がある。")
    text = "\n".join(parts)
    start = time.process_time()
    imported = import_text(text, "t", "fixture.txt")
    assert time.process_time() - start < 0.3
    assert len(imported.clauses()) == 40


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("職員は、個人情報を発信してはならない。", "prohibition"),
        ("職員は、速やかに訂正しなければならない。", "duty"),
        ("ソーシャルメディアとは、双方向のサービスをいう。", "definition"),
        ("所属長は、開設届を広報課に届け出る。", "procedure"),
        ("このガイドラインは、全職員に適用する。", "scope"),
        ("情報が拡散し、訂正が難しくなる可能性がある。", "assessment"),
    ],
)
def test_kind_rules_read_sentence_endings(sentence, kind):
    from policy_handbook.importer.suggest import Suggester

    kinds = {"prohibition", "duty", "definition", "procedure", "scope", "assessment"}
    assert Suggester([], {}, kinds).kind(sentence, sentence) == kind
    assert Suggester([], {}, kinds - {kind}).kind(sentence, sentence) != kind  # never a kind the taxonomy lacks


# --------------------------------------------------------------------------- held-out figures on the real sources


@pytest.fixture(scope="module")
def measures():
    import importer_quality

    return importer_quality.measure()


@pytest.mark.parametrize("doc", ["chikugo", "yanagawa"])
def test_held_out_structure_and_text(measures, doc):
    assert measures[doc]["structure"] >= 0.98
    assert measures[doc]["text_equal"]


@pytest.mark.parametrize("doc", ["chikugo", "yanagawa"])
def test_held_out_topics(measures, doc):
    assert measures[doc]["topic_first_in_suggestions"] >= 0.70


@pytest.mark.parametrize("doc", ["chikugo", "yanagawa"])
def test_held_out_alignment(measures, doc):
    assert measures[doc]["alignment_precision"] >= 0.80
    assert measures[doc]["alignment_recall"] >= 0.80


# --------------------------------------------------------------------------- an untranslated clause in the comparison


def test_untranslated_cell_is_not_diffed_against_english(tmp_path):
    from policy_handbook.comparison import build_row
    from policy_handbook.loader import load_policy

    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    path = tmp_path / "policy" / "yanagawa.yaml"
    text = path.read_text(encoding="utf-8")
    # the English of yanagawa-2-p1's text, whatever its wording: the translation is now pending
    start = text.index("id: yanagawa-2-p1")
    line_start = text.index("          en: ", start)
    line = text[line_start : text.index("\n", line_start) + 1]
    path.write_text(text[:line_start] + text[line_start + len(line) :], encoding="utf-8")
    policy = load_policy(tmp_path / "policy")
    row = next(r for t in policy.comparison.topics if t.topic == "definition" for r in t.rows)
    english = {c.document: c for c in build_row(policy, row, policy.comparison.documents, "en").cells}
    assert english["yanagawa"].similarity is None
    from policy_handbook.textdiff import EQUAL

    assert [op for cell in english.values() for cv in cell.clauses for op, _ in cv.runs] == [EQUAL, EQUAL]  # nothing marked
    japanese = {c.document: c for c in build_row(policy, row, policy.comparison.documents, "ja").cells}
    assert japanese["yanagawa"].similarity is not None
