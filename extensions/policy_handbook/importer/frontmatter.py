"""Front matter: title, dates (元号 or Western -> ISO), 訓令/告示 number, department; and the
forms (別紙, 様式) at the end, kept as printed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .lines import Line
from .markers import classify, ends_sentence, width

_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_D = r"[0-9０-９]{1,4}"
# Possessive: what follows a run of spaces is never a space, so giving spaces back can only
# fail again; with a plain * a long run of spaces costs quadratic backtracking.
_S = r"[ \u3000]*+"
_DATE = re.compile(
    rf"(?P<era>令和|平成|昭和|大正|明治){_S}(?P<ey>元|{_D}){_S}年{_S}(?P<em>{_D}){_S}月{_S}(?P<ed>{_D}){_S}日"
    rf"|(?P<wy>[0-9０-９]{{4}}){_S}(?:年{_S}(?P<wm>{_D}){_S}月{_S}(?P<wd>{_D}){_S}日|[/.\-]{_S}(?P<wm2>{_D}){_S}[/.\-]{_S}(?P<wd2>{_D}))"
)
_EVENT_REVISED = re.compile(r"改定|改正|一部改正|全部改正|改訂|更新")
_INSTRUMENT = re.compile(rf"[^ \u3000。、]{{0,12}}?(?:訓令|告示|要綱|通知){_S}(?:第{_S})?[0-9０-９一二三四五六七八九十百]+{_S}号")
_DATE_LINE_REST = re.compile(rf"[（(]?{_S}(?:制定|策定|施行|作成|適用|改定|改正|一部改正|全部改正|改訂|更新|発行|から施行)?{_S}[)）]?")
_TITLE_END = re.compile(r"(ガイドライン|指針|要領|規程|規則|方針|基準|要綱|ポリシー|マニュアル|手引き?)[ \u3000]*$")
_DEPARTMENT = re.compile(r"(?:(?:担当|所管|作成|発行|問合せ先?)[:：]?[ \u3000]*)?([^ \u3000。、:：]{1,20}?(?:部|局|課|室|係|センター))")
_FORM_START = re.compile(rf"(別紙|別記様式|様式|別表|別添){_S}(?:第{_S})?[0-9０-９一二三四五六七八九十]*{_S}号?")
_FORM_REFERENCE = re.compile(
    rf"(?P<label>(?:別紙|様式|別記様式|別添){_S}(?:第{_S})?[0-9０-９]+{_S}号?){_S}[「『](?P<title>[^」』]{{2,40}})[」』]"
)


@dataclass
class History:
    event: str
    date: str
    instrument: str | None
    lineno: int


@dataclass
class FrontMatter:
    title: str | None = None
    title_line: int = 0
    history: list[History] = field(default_factory=list)
    department: str | None = None


@dataclass
class RawForm:
    label: str | None
    title: str
    lineno: int
    printed: list[str]


def _n(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def parse_date(text: str) -> tuple[str, int, int] | None:
    """ISO date and the span of the first date in ``text``; None when it has none (or it is no calendar date)."""
    m = _DATE.search(text)
    if not m:
        return None
    if m["era"]:
        year = _ERA_START[m["era"]] + (1 if m["ey"] == "元" else _n(m["ey"]))
        month, day = _n(m["em"]), _n(m["ed"])
    else:
        year = _n(m["wy"])
        month, day = _n(m["wm"] or m["wm2"]), _n(m["wd"] or m["wd2"])
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1868 <= year <= 2200):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", m.start(), m.end()


def _date_line(line: Line) -> History | None:
    """A line that is only a date (with 制定/改定, a 訓令 number, in brackets): a history entry."""
    parsed = parse_date(line.text)
    if parsed is None:
        return None
    iso, start, end = parsed
    before, after = line.text[:start], line.text[end:]
    instrument = _INSTRUMENT.search(after) or _INSTRUMENT.search(before)
    rest = _INSTRUMENT.sub("", before + after) if instrument else before + after
    if not _DATE_LINE_REST.fullmatch(rest.strip(" \u3000")):
        return None
    event = "revised" if _EVENT_REVISED.search(line.text) else "enacted"
    return History(event, iso, re.sub(r"[ \u3000]", "", instrument.group()) if instrument else None, line.lineno)


def split_front_matter(lines: list[Line]) -> tuple[FrontMatter, list[Line]]:
    """Take the title, date lines, 訓令 numbers and a printed department out of the body lines."""
    front = FrontMatter()
    body = list(lines)
    if body:
        first = body[0]
        candidate = first.text.lstrip("○◯〇 \u3000") if first.text[:1] in "○◯" else first.text
        mark = classify(first.text)
        if (mark is None or first.text[:1] in "○◯") and not ends_sentence(candidate) and width(candidate) <= 60:
            title, used = candidate, 1
            if not _TITLE_END.search(title) and len(body) > 1 and classify(body[1].text) is None and _TITLE_END.search(body[1].text) and width(title + body[1].text) <= 60:
                title, used = title + body[1].text, 2
            front.title, front.title_line = title, first.lineno
            body = body[used:]
    kept = []
    for index, line in enumerate(body):
        entry = _date_line(line)
        if entry is not None:
            front.history.append(entry)
            continue
        if _INSTRUMENT.fullmatch(line.text) and front.history and front.history[-1].instrument is None:
            front.history[-1].instrument = re.sub(r"[ \u3000]", "", line.text)  # 訓令第5号 on the line below its date
            continue
        near_edge = index < 4 or index >= len(body) - 3
        if near_edge and classify(line.text) is None and width(line.text) <= 20 and not ends_sentence(line.text):
            m = _DEPARTMENT.fullmatch(line.text)
            if m and front.department is None:
                front.department = m.group(1)
                continue
        kept.append(line)
    front.history.sort(key=lambda h: h.date)
    return front, kept


def split_forms(lines: list[Line], all_text: str) -> tuple[list[Line], list[RawForm], dict[str, str]]:
    """(body lines, forms at the end kept as printed, form title -> label cited in the body).

    A form starts at a short line 別紙1 / 様式第1号…, or at a line that is exactly a title
    the body cites as 別紙1「…」.
    """
    cited = {m["title"].strip(): re.sub(r"[ \u3000]", "", m["label"]) for m in _FORM_REFERENCE.finditer(all_text)}
    # The cited titles without spaces, each with the label of the first citation: built once,
    # not for every line (thousands of citations made that quadratic).
    label_by_key: dict[str, str] = {}
    for t, lab in cited.items():
        label_by_key.setdefault(re.sub(r"[ \u3000]", "", t), lab)
    starts: list[int] = []
    seen_marker = False
    for i, line in enumerate(lines):
        mark = classify(line.text)
        if mark is not None and mark.style not in ("note", "caption"):
            seen_marker = True
        if not seen_marker:
            continue
        text = line.text
        is_start = (
            _FORM_START.match(text) is not None and width(text) <= 30 and not ends_sentence(text)
        ) or re.sub(r"[ \u3000]", "", text) in label_by_key
        if is_start:
            starts.append(i)
    if not starts:
        return lines, [], cited
    # A label line directly above its title line is one start.
    merged: list[int] = []
    for s in starts:
        if merged and s == merged[-1] + 1 and _FORM_START.match(lines[merged[-1]].text):
            continue
        merged.append(s)
    forms = []
    physical = all_text.split("\n")
    for k, s in enumerate(merged):
        end_line = lines[merged[k + 1]].lineno - 1 if k + 1 < len(merged) else len(physical)
        first = lines[s]
        label_match = _FORM_START.match(first.text)
        label = re.sub(r"[ \u3000]", "", label_match.group()) if label_match else None
        title = first.text
        if label_match:
            nxt = lines[s + 1].text if s + 1 < len(lines) else ""
            title = first.text[label_match.end():].strip(" \u3000（）()") or nxt
        else:
            title_key = re.sub(r"[ \u3000]", "", first.text)
            label = label_by_key.get(title_key)
        printed = physical[first.lineno - 1 : end_line]
        while printed and not printed[-1].strip():
            printed.pop()
        forms.append(RawForm(label, title, first.lineno, printed))
    return lines[: merged[0]], forms, cited
