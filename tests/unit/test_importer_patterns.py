"""The importer on the patterns of real published guidelines, one invented fixture each
(tests/fixtures/importer/): structure, front matter, nothing lost, a draft for every
readable text (review items, not refusals), generated PDFs, and hostile sizes."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.paths import FIXTURES as PATHS_FIXTURES
from helpers.paths import PROJECT_ROOT
from policy_handbook.importer.errors import ImportRefused
from policy_handbook.importer.pipeline import Imported, import_file, import_text
from policy_handbook.importer.yaml_out import render_yaml
from policy_handbook.loader import load_guideline_from_string

ROOT = PROJECT_ROOT
FIXTURES = PATHS_FIXTURES / "importer"


def imported(name: str, **options) -> Imported:
    return import_text((FIXTURES / name).read_text(encoding="utf-8"), "t", name, **options)


def shape(imp: Imported) -> list[tuple]:
    """(depth, marker, heading, text) of every clause in order: the tree as a reader sees it."""
    out = []
    for c in imp.clauses():
        depth, p = 1, c.parent
        while p is not None:
            depth, p = depth + 1, p.parent
        out.append((depth, c.marker, c.heading, c.text))
    return out


_HYPHENATED = re.compile(r"(?<=[A-Za-z])-(?=[ \t\u3000]*\n\s*[a-z])")
_LIST_RENDERING = re.compile(r"^[ \t\u3000]*(?:[-*+][ \t]+)+")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def nothing_lost(source: str, imp: Imported) -> bool:
    """The draft's printed pieces, in document order, hold every character of the source
    (NFKC, whitespace ignored) but the artefact lines removed, the ○ of a 例規 title and the
    `- ` of list rendering before a printed marker, the hyphen of a word broken at the margin."""
    kept = "\n".join(_LIST_RENDERING.sub("", line) for n, line in enumerate(source.split("\n"), 1) if n not in imp.removed_lines)
    kept = _HYPHENATED.sub("", kept)  # Face-/book: a word hyphenated at the margin is joined
    wanted = norm(kept).replace("○", "").replace("◯", "")
    have = iter(norm("".join(text for _, text in imp.printed_pieces())))
    return all(ch in have for ch in wanted)


# --------------------------------------------------------------------------- structure patterns


def test_caption_without_brackets_above_an_article():
    assert shape(imported("caption_above_article.txt")) == [
        (1, "第1条", "目的", "この規程は、職員がソーシャルメディアを利用する際の基本的な事項を定めることを目的とする。"),
        (1, "第2条", "定義", "この規程においてソーシャルメディアとは、利用者が相互に情報を発信できる媒体をいう。"),
        (1, "第3条", None, "職員は、発信した内容に責任を持たなければならない。"),
    ]


def test_bracket_captions_head_articles_or_body_text():
    assert shape(imported("bracket_caption.txt")) == [
        (1, "第1条", "【運用方針】", "市は、公式アカウントを市政情報の発信に用いる。"),
        (1, "第2条", "【運用時間】", "投稿は、原則として平日の開庁時間内に行う。"),
        (2, None, "【問合せ】", "アカウントに関する問合せは、広報課が受け付ける。"),
    ]


def test_dai_numbers_without_jo():
    assert [(d, m, h) for d, m, h, _ in shape(imported("dai_without_jo.txt"))] == [
        (1, "第1", "趣旨"),
        (2, None, None),
        (1, "第2", "運用体制"),
        (2, None, None),
        (1, "第3", "投稿内容"),
        (2, None, None),
    ]


def test_dai_dot_parts_above_numbered_sections():
    assert [(d, m, h) for d, m, h, _ in shape(imported("dai_dot_parts.txt"))] == [
        (1, "第1.", "総則"),
        (2, "1.", "目的"),
        (2, "2.", "適用範囲"),
        (1, "第2.", "運用"),
        (2, "1.", "発信"),
        (2, "2.", "訂正"),
    ]


def test_kou_numbers_and_gou_under_a_kou():
    assert [(d, m) for d, m, _, _ in shape(imported("kou_and_gou.txt"))] == [
        (1, "第1条"),
        (2, "2"),
        (3, "(1)"),
        (3, "(2)"),
        (2, "3"),
        (1, "第2条"),
    ]


def test_kanji_numbered_gou_of_statute_style():
    imp = imported("kanji_gou.txt")
    assert [(d, m) for d, m, _, _ in shape(imp)] == [(1, "第1条"), (2, "一"), (2, "二"), (2, "2")]
    assert [c.id for c in imp.clauses()] == ["t-1", "t-1-1", "t-1-2", "t-1-k2"]


def test_missing_articles_keep_the_printed_numbers_and_items_follow_the_article():
    imp = imported("missing_articles.txt")
    assert [(d, m) for d, m, _, _ in shape(imp)] == [(1, "第1条"), (2, "(1)"), (2, "(2)"), (1, "第4条")]
    assert [c.id for c in imp.clauses()] == ["t-1", "t-1-1", "t-1-2", "t-4"]


def test_flattened_pdf_line_is_cut_at_units_never_at_references():
    imp = imported("flattened_one_line.txt")
    assert imp.front.title == "架空町ソーシャルメディアによる情報発信に関する要綱"
    assert [(d, m, h) for d, m, h, _ in shape(imp)] == [
        (1, "第 1 条", "(趣旨)"),
        (1, "第 2 条", "(定義)"),
        (2, "(1)", None),
        (2, "(2)", None),
        (1, "第 3 条", "(適用除外)"),
        (2, "2", None),
        (2, "3", None),
    ]
    texts = [t for _, _, _, t in shape(imp)]
    assert texts[4] == "第5条から第8条までの規定は、緊急時には適用しない。"  # a reference, not an article
    assert texts[5].startswith("前項の規定にかかわらず、町長は「5 安全に活用するための留意点」を守らせる もの")
    assert texts[6] == "運用担当者は、次の各号に掲げる事項を守らなければならない。"


def test_flattened_articles_without_captions_start_after_the_title():
    text = (
        "架空町公式アカウント運用要綱 第1条 この要綱は、町が公式アカウントを運用するために必要な事項を定めるものとする。"
        " 第2条 町は、公式アカウントで正確な情報を発信する。 2 町は、誤った情報を発信したときは、速やかに訂正する。\n"
    )
    imp = import_text(text, "t", "a.txt")
    assert imp.front.title == "架空町公式アカウント運用要綱"
    assert [(d, m) for d, m, _, _ in shape(imp)] == [(1, "第1条"), (1, "第2条"), (2, "2")]


def test_flattened_paragraph_starts_are_a_full_stop_and_two_spaces():
    text = (
        "架空町SNS運用要綱 (趣旨) 第1条 この要綱は、町のSNSの運用に関し必要な事項を定めるものとする。  町は、この要綱に"
        "定めのない事項を別に定める。 (定義) 第2条 この要綱においてSNSとは、利用者が相互に情報を交換できるサービスをいう。\n"
    )
    assert [(d, m, t[:6]) for d, m, _, t in shape(import_text(text, "t", "a.txt"))] == [
        (1, "第1条", "この要綱は、"),
        (2, None, "町は、この要"),
        (1, "第2条", "この要綱にお"),
    ]


def test_flattened_numbered_sections_are_cut_after_the_title_sentences_and_items():
    imp = imported("flattened_sections.txt")
    assert imp.front.title == "架空市職員ソーシャルメディア利用ガイドライン"
    assert [(d, m, h) for d, m, h, _ in shape(imp)] == [
        (1, "1", "目的"),
        (1, "2", "対象"),
        (2, "(1)", None),
        (2, "(2)", None),
        (1, "3", "留意事項"),
    ]
    assert imp.split_words == []  # the spaces after a heading or a term are printed ones


def test_caption_or_heading_on_the_marker_line():
    assert shape(imported("inline_headings.txt")) == [
        (1, "第1条", "（目的）", "この規程は、職員のソーシャルメディアの利用について定める。"),
        (1, "第2条", "(遵守事項)", "職員は、次に掲げる事項を守らなければならない。"),
        (2, "(1)", None, "個人情報\u3000本人の同意なく掲載しないこと。"),  # a term and its definition: the text
        (1, "第3条", None, "職員は、(以下「利用者」という。)に配慮する。"),
    ]
    assert shape(imported("inline_section_heading.txt")) == [
        (1, "1", "目的", "この方針は、村の公式アカウントの運用について定めます。"),
        (1, "2", "運用者", "運用者は、総務課の職員とします。"),
        (1, "3", None, "発信内容 村政情報 イベント情報"),  # no sentence after it: not cut
    ]


def test_spaces_inside_words_are_kept_and_listed_or_joined_on_request():
    kept = imported("flattened_one_line.txt")
    assert "情報発 信に関し" in kept.clauses()[0].text  # as printed
    assert [word for _, word in kept.split_words] == ["情報発 信に関", "行う職 員をい", "らせる ものと"]
    assert "(2) 運用担当者 投稿" not in [w for _, w in kept.split_words]  # the term's own space is printed
    joined = imported("flattened_one_line.txt", join_split_words=True)
    assert joined.joined_split_words
    assert "情報発信に関し" in joined.clauses()[0].text
    assert joined.clauses()[3].text == "運用担当者 投稿を行う職員をいう。"


def test_markers_without_space_with_several_spaces_and_full_width():
    assert [(d, m, h) for d, m, h, _ in shape(imported("markers_without_space.txt"))] == [
        (1, "1", "ソーシャルメディアの定義"),
        (2, None, None),
        (1, "2", "利用の原則"),
        (2, "(1)", None),
        (2, "(2)", None),
        (1, "３", "管理の体制"),
        (2, "1.", "目的"),
    ]
    # a number that counts something is no marker
    assert shape(import_text("架空市指針\n3日以内に返信する\n", "t", "a.txt")) == [(1, None, None, "3日以内に返信する")]


def test_list_rendering_and_bare_bullets():
    assert [(d, m, h) for d, m, h, _ in shape(imported("list_rendering.txt"))] == [
        (1, "1", "発信の前に"),
        (2, "ア.", None),
        (2, "イ.", None),
        (1, "2", "投稿してはならないもの"),
        (2, "-", None),
        (2, "-", None),
    ]


def test_square_bullet_lines_head_their_text_and_lists():
    assert [(d, m, h, t) for d, m, h, t in shape(imported("square_bullets.txt"))] == [
        (1, "■", "基本方針", None),
        (2, None, None, "村の魅力を広く発信します。"),
        (1, "■", "禁止事項", None),
        (2, "・", None, "他者を誹謗中傷する投稿"),
        (2, "・", None, "営利を目的とする投稿"),
    ]


def test_proviso_belongs_to_the_paragraph_above():
    texts = [t for _, _, _, t in shape(imported("proviso.txt"))]
    assert "投稿は、原則として平日の日中に行います。ただし、災害時はこの限りではありません。" in texts


def test_ocr_junk_is_no_clause_but_kept_unplaced():
    imp = imported("ocr_junk.txt")
    assert imp.unplaced == [(4, "|| ﾟ ~ ,")]
    assert all("ﾟ" not in (t or "") for _, _, _, t in shape(imp))


def test_html_lines_are_paragraphs_across_blank_and_whitespace_only_lines():
    assert shape(imported("html_lines.txt")) == [
        (1, None, None, "市は、公式ページで行政情報を発信します。"),
        (1, "1", "運用者", None),
        (2, None, None, "運用者は、広報課の職員とします。"),
        (2, None, None, "投稿には、課長の承認を要します。"),
        (1, "2", "コメント", None),
        (2, None, None, "名称:架空市広報"),
        (2, None, None, "URL:https://example.invalid/kakuu"),
    ]


def test_pdf_paragraphs_run_across_line_breaks():
    assert [t for _, _, _, t in shape(imported("pdf_paragraphs.txt"))] == [
        "この方針は、町がツイッターを町民への情報提供の手段として運用するために必要な事項を定めることを目的とする。",
        "町のアカウントの管理者は総務課長とし、投稿は総務課の職員が行うものとする。",
    ]


def test_indentation_on_every_line_says_nothing_about_paragraphs():
    text = (FIXTURES / "pdf_paragraphs.txt").read_text(encoding="utf-8")
    indented = "\n".join(" " + line for line in text.split("\n"))
    assert shape(import_text(indented, "t", "a.txt")) == shape(imported("pdf_paragraphs.txt"))


# --------------------------------------------------------------------------- front matter


def test_front_matter_of_a_reiki_page():
    imp = imported("front_matter.txt")
    f = imp.front
    assert f.title == "架空町公式SNSの運用に関する規程"  # without the ○
    assert [(h.event, h.date, h.instrument, h.printed) for h in f.history] == [
        ("enacted", "2018-04-01", "訓令乙第7号", "平成30年4月1日制定"),
        ("revised", "2020-10-01", None, "2020年10月1日改正"),
        ("revised", "2023-03-01", None, "令和5年3月1日改正"),
    ]
    assert f.department == "総務部 企画課"
    # the repeated title and the page's metadata are no clauses, and not lost
    assert imp.unplaced == [(4, "架空町公式SNSの運用に関する規程"), (5, "ページ番号:0042 更新日:2024年5月1日")]
    assert [(c.marker, c.notes) for c in imp.clauses()] == [("第1条", ["(令5訓令3・一部改正)"]), ("第2条", [])]


def test_office_numbered_instrument_above_its_date_and_a_title_without_municipality():
    imp = imported("reiki_number.txt")
    assert imp.front.title == "職員のソーシャルメディア利用に関する指針"
    assert [(h.date, h.instrument) for h in imp.front.history] == [("2019-07-01", "31総企第208号")]


def test_front_matter_lines_dated_department_month_and_kind():
    imp = imported("front_matter_lines.txt")
    assert [(h.event, h.date, h.printed) for h in imp.front.history] == [
        ("enacted", "2024-04-01", "令和6年4月1日"),
        ("revised", "2025-01-10", "最終改正：2025年1月10日"),
    ]
    assert imp.front.department == "総務部 広報課"
    assert imp.unplaced == [(2, "要綱"), (3, "令和5年4月策定"), (4, "総務部長通知")]  # no day, no number: kept
    assert [m for _, m, _, _ in shape(imp)] == ["1", None]


def test_a_bracketed_issuing_section_at_the_end_but_not_a_caption_over_an_article():
    imp = imported("issuing_section.txt")
    assert imp.front.department == "議会広報編集委員会"
    assert imp.unplaced == [(5, "（担当：議会広報編集委員会）")]  # its label printed too
    assert [(m, h) for _, m, h, _ in shape(imp)] == [("第1条", "(担当課)"), ("第2条", None)]


def test_no_title():
    imp = imported("no_title.txt")
    assert imp.front.title is None
    assert [m for _, m, _, _ in shape(imp)] == ["1", None, "2", None]


# --------------------------------------------------------------------------- nothing lost


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_nothing_of_a_fixture_is_lost(name):
    assert nothing_lost((FIXTURES / name).read_text(encoding="utf-8"), imported(name))


PIECES = [
    "1 ",
    "2.",
    "(1)",
    "（２）",
    "第1条 ",
    "第 2 条 ",
    "第2章 ",
    "（趣旨）",
    "【方針】",
    "目的",
    "ア ",
    "- ア. ",
    "①",
    "・",
    "■ ",
    "- ",
    "※",
    "(令5訓令3・一部改正)",
    "別紙1",
    "様式第1号「申請書」",
    "令和4年4月1日制定",
    "2023年4月1日改正",
    "訓令甲第3号",
    "ページ番号:12",
    "ただし、",
    "職員は、",
    "発信してはならない",
    "。",
    "、",
    "ソーシャル",
    "メディア",
    "Face-",
    "book",
    " ",
    "  ",
    "\u3000",
    "「5 安全に」",
    "第5条から第8条まで",
    "前項の規定",
    "次の各号",
    "|| ﾟ",
    "3日",
    "〇",
    "○",
    "第1条（目的）",
    "1\u3000目的\u3000",
    "令和5年4月策定",
    "要綱",
    " 総務部 広報課",
    "ガイドライン ",
    "発 信",
]
short_lines = st.lists(st.sampled_from(PIECES), min_size=0, max_size=10).map("".join)
long_lines = st.lists(st.sampled_from(PIECES), min_size=20, max_size=60).map("".join)  # flattened text
documents = st.lists(st.one_of(short_lines, short_lines, long_lines), min_size=1, max_size=25).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans())
def test_the_draft_in_document_order_reproduces_the_source(text, join):
    from policy_handbook.importer.errors import ImportRefused

    try:
        imp = import_text(text, "fuzz", "fuzz.txt", join_split_words=join)
    except ImportRefused:
        return
    assert nothing_lost(text, imp)
    # and the YAML written holds the same pieces
    suggestions = {c.id: (None, []) for c in imp.clauses() if c.text is not None}
    yaml_text = render_yaml(
        imp, municipality="試験市", prefecture="試験県", source_file="sources/fuzz.txt", suggestions=suggestions, review=[]
    )
    guideline = load_guideline_from_string(yaml_text, "policy/fuzz.yaml")
    assert all(c.review for c in guideline.clauses if c.text is not None)  # unlabelled: each with its review note
    assert "".join(guideline.unplaced) == "".join(t for _, t in imp.unplaced)


# --------------------------------------------------------------------------- a draft for every readable text


from test_importer import run  # noqa: E402  (the importer command; `workdir`: tests/unit/conftest.py)


def test_unlabelled_clauses_are_review_items_not_refusals(workdir):
    """Field lines the suggester cannot label get a review note; `check` lists them and passes."""
    source = workdir / "fields.txt"
    source.write_text(
        "架空市公式アカウント一覧\nページ番号:0123\n1 アカウント\n市は次のアカウントを運用する。\n(1)動画\n名称:架空市チャンネル\nURL:https://example.invalid/v\n",
        encoding="utf-8",
    )
    result = run("import", str(source), "--id", "kakuu", "--municipality", "久留米市", "--prefecture", "福岡県", cwd=workdir)
    assert result.returncode == 0, result.stderr
    draft = (workdir / "policy" / "kakuu.yaml").read_text(encoding="utf-8")
    assert 'review: "no confident kind suggested: label it by hand"' in draft
    assert "written with a `review:` note" in result.stdout
    check = run("check", "-W", "policy", cwd=workdir)
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"REVIEW ITEM: policy/kakuu\.yaml:\d+:\d+: clause kakuu-1-1-p\d: no confident kind", check.stdout)
    assert "REVIEW ITEM: policy/kakuu.yaml: kakuu: 1 printed line(s) in `unplaced`" in check.stdout
    assert 'unplaced:\n  - "ページ番号:0123"' in draft


def test_a_clause_without_labels_and_without_review_note_is_still_an_error(workdir):
    source = workdir / "fields.txt"
    source.write_text("架空市公式アカウント一覧\n1 アカウント\n名称:架空市チャンネル\n", encoding="utf-8")
    assert run("import", str(source), "--id", "kakuu", "--municipality", "久留米市", "--prefecture", "福岡県", cwd=workdir).returncode == 0
    path = workdir / "policy" / "kakuu.yaml"
    path.write_text(re.sub(r"\n *review: .*", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    check = run("check", "policy", cwd=workdir)
    assert check.returncode == 1
    assert "has text but no kind" in check.stderr + check.stdout


def test_join_split_words_option_is_reported(workdir):
    source = workdir / "flat.txt"
    shutil.copyfile(FIXTURES / "flattened_one_line.txt", source)
    kept = run("import", str(source), "--id", "flat", "--municipality", "大木町", "--prefecture", "福岡県", cwd=workdir)
    assert kept.returncode == 0, kept.stderr
    assert "3 spaces inside words" in kept.stdout and "--join-split-words" in kept.stdout
    joined = run(
        "import",
        str(source),
        "--id",
        "flat",
        "--municipality",
        "大木町",
        "--prefecture",
        "福岡県",
        "--force",
        "--join-split-words",
        cwd=workdir,
    )
    assert joined.returncode == 0, joined.stderr
    assert "3 spaces inside words removed (--join-split-words)" in joined.stdout
    assert "情報発信に関し" in (workdir / "policy" / "flat.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a PDF as municipalities make them


def word_processor_pdf(font: str) -> bytes:
    """A word processor's output: a 目次 page, running header and footer, `- N -` page numbers,
    full-width indentation, paragraphs wrapped at the right margin."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(font))
    pages = [
        [
            "架空市ソーシャルメディア運用ガイドライン",
            "",
            "目次",
            "1 目的 ・・・・・・・・・・・・ 2",
            "2 運用体制 ・・・・・・・・・・ 2",
            "3 禁止事項 ・・・・・・・・・・ 3",
        ],
        [
            "1 目的",
            "\u3000このガイドラインは、架空市の職員が公式アカウントを運用するときに守る",
            "べき事項を定めるものである。",
            "2 運用体制",
            "\u3000公式アカウントの運用責任者は、広報課長とする。",
        ],
        ["3 禁止事項", "(1) 職員は、未公表の情報を発信してはならない。", "(2) 職員は、他者を中傷する投稿をしてはならない。"],
    ]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    for number, lines in enumerate(pages, 1):
        c.setFont(font, 9)
        c.drawString(60, 810, "架空市 総務部広報課")  # running header
        c.drawString(400, 30, "架空市ソーシャルメディア運用ガイドライン")  # running footer
        c.drawString(290, 45, f"- {number} -")
        y = 770
        c.setFont(font, 10.5)
        for line in lines:
            c.drawString(60, y, line)
            y -= 20
        c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.mark.parametrize("font", ["HeiseiMin-W3", "HeiseiKakuGo-W5"])
def test_word_processor_pdf(tmp_path, font):
    path = tmp_path / "guideline.pdf"
    path.write_bytes(word_processor_pdf(font))
    imp = import_file(path, "t")
    assert imp.front.title == "架空市ソーシャルメディア運用ガイドライン"
    assert [(d, m, h, t) for d, m, h, t in shape(imp)] == [
        (1, "1", "目的", None),
        (2, None, None, "このガイドラインは、架空市の職員が公式アカウントを運用するときに守るべき事項を定めるものである。"),
        (1, "2", "運用体制", None),
        (2, None, None, "公式アカウントの運用責任者は、広報課長とする。"),
        (1, "3", "禁止事項", None),
        (2, "(1)", None, "職員は、未公表の情報を発信してはならない。"),
        (2, "(2)", None, "職員は、他者を中傷する投稿をしてはならない。"),
    ]
    removed = "\n".join(imp.removed)
    assert "table of contents" in removed and "page number '- 2 -'" in removed and "running header or footer" in removed
    # what is not an artefact is in the draft, page by page
    assert any(p == 1 for p in (imp.page_of(line) for line, _ in imp.printed_pieces()))


# --------------------------------------------------------------------------- hostile sizes (bench/hostile.py times them)


# The importer's bounds (limits.py) allow 20,000 lines of 20,000 characters; just under them,
# every step is linear (bench/hostile.py times these), and over them the text is refused.
def test_nineteen_thousand_repeated_markers_get_unique_ids():
    imp = import_text("架空市指針\n" + "1 同じ番号の条項である。\n" * 19000, "t", "big.txt")
    ids = [c.id for c in imp.clauses()]
    assert len(ids) == len(set(ids)) == 19000
    assert ids[:3] == ["t-1", "t-1-2", "t-1-3"] and ids[-1] == "t-1-19000"


def test_more_lines_than_the_bound_are_refused_at_the_line():
    with pytest.raises(ImportRefused) as refused:
        import_text("架空市指針\n" + "1 同じ番号の条項である。\n" * 20000, "t", "big.txt")
    assert "more than 20,000 lines" in str(refused.value.problems[0].message)


def test_nineteen_thousand_bullets_are_numbered_in_order():
    imp = import_text("架空市指針\n1 一覧\n" + "".join(f"・項目{i}を守る。\n" for i in range(19000)), "t", "big.txt")
    items = imp.clauses()[0].children
    assert len(items) == 19000 and items[0].id == "t-1-i1" and items[-1].id == "t-1-i19000"


def test_eight_thousand_cited_forms_are_found():
    titles = [f"{chr(0x4E00 + i)}{chr(0x5E00 + i)}申請書" for i in range(8000)]
    body = "".join(f"申請は別紙{i + 1}「{t}」による。\n" for i, t in enumerate(titles))
    imp = import_text("架空市指針\n1 様式\n" + body + "".join(f"{t}\n" for t in titles), "t", "big.txt")
    assert len(imp.forms) == 8000
    assert (imp.forms[0].label, imp.forms[-1].label) == ("別紙1", "別紙8000")


@pytest.mark.parametrize("dot", [".", "．", "・"])
def test_a_line_of_nineteen_thousand_dots_is_text_not_a_toc_entry(dot):
    imp = import_text("架空市指針\n1 目的\n" + dot * 19000 + "\n", "t", "big.txt")
    assert imp.removed == []
    assert nothing_lost("架空市指針\n1 目的\n" + dot * 19000 + "\n", imp)
    suggestions = {c.id: (None, []) for c in imp.clauses() if c.text is not None}
    yaml_text = render_yaml(
        imp, municipality="試験市", prefecture="試験県", source_file="sources/t.txt", suggestions=suggestions, review=[]
    )
    guideline = load_guideline_from_string(yaml_text, "policy/t.yaml")
    printed = "".join((c.marker or "") + (c.text.ja if c.text else "") for c in guideline.clauses)
    assert printed.count(dot) == 19000
    with_page = import_text("架空市指針\n目次\n1 目的" + dot * 19000 + "1\n1 目的\n職員は守る。\n", "t", "toc.txt")
    assert any("table of contents entry" in r for r in with_page.removed)
    with pytest.raises(ImportRefused) as refused:  # 200,000: over the bound on one line
        import_text("架空市指針\n1 目的\n" + dot * 200000 + "\n", "t", "big.txt")
    assert "big.txt" == refused.value.problems[0].file and refused.value.problems[0].line == 3
