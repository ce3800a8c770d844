"""Front matter: title, dates (元号 or Western -> ISO), 訓令/告示 number, department; and the
forms (別紙, 様式) at the end, kept as printed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, field

from .lines import TITLE_END as _TITLE_END
from .lines import Line
from .markers import classify, ends_sentence, width

_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_D = r"[0-9０-９]{1,4}"
_S = r"[ \u3000]*"
_DATE = re.compile(
    rf"(?P<era>令和|平成|昭和|大正|明治){_S}(?P<ey>元|{_D}){_S}年{_S}(?P<em>{_D}){_S}月{_S}(?P<ed>{_D}){_S}日"
    rf"|(?P<wy>[0-9０-９]{{4}}){_S}(?:年{_S}(?P<wm>{_D}){_S}月{_S}(?P<wd>{_D}){_S}日|[/.\-]{_S}(?P<wm2>{_D}){_S}[/.\-]{_S}(?P<wd2>{_D}))"
)
_EVENT_REVISED = re.compile(r"改定|改正|一部改正|全部改正|改訂|更新")
_INSTRUMENT = re.compile(
    rf"[^ \u3000。、]{{0,12}}?(?:訓令|告示|要綱|要領|規則|規程|通知|通達|達|指令)[甲乙丙]?{_S}(?:第{_S})?[0-9０-９一二三四五六七八九十百]+{_S}号"
)
# An instrument number of any office on a line of its own (27港企区第1416号, 総務部通知第3号).
_INSTRUMENT_LINE = re.compile(rf"[0-9０-９]{{0,4}}[^ \u3000。、「」()（）]{{1,12}}?第{_S}[0-9０-９一二三四五六七八九十百]+{_S}号")
# A web page's own metadata printed after the title (ページ番号:…, 更新日:…): no clause.
_PAGE_META = re.compile(r"(?:ページ番号|ページID|コンテンツ番号|記事番号|更新日|最終更新日?|掲載日|公開日|登録日|作成日)[ \u3000]*[:：]")
_DATE_LINE_REST = re.compile(
    rf"[（(]?{_S}(?:最終)?(?:制定|策定|施行|作成|適用|改定|改正|一部改正|全部改正|改訂|更新|発行|から施行|決定|施行日)?日?{_S}[:：]?{_S}[)）]?{_S}"
)
# Front matter that is no history entry: a month without a day (令和5年4月策定), the kind of
# instrument on a line of its own (要綱). Kept in `unplaced`.
_MONTH_LINE = re.compile(
    rf"[（(]?{_S}(?:令和|平成|昭和|[0-9０-９]{{4}}{_S}年)?{_S}(?:元|{_D})?{_S}年?{_S}{_D}{_S}月{_S}(?:制定|策定|施行|作成|改定|改正|一部改正|改訂|更新|発行)?{_S}[)）]?"
)
_KIND_LINE = re.compile(r"要綱|要領|規則|規程|[^ \u3000。、「」()（）]{0,12}?(?:訓令|告示|通知|通達)[甲乙丙]?")
_UNIT = r"[^ \u3000。、:：()（）]{1,20}?(?:部|局|課|室|係|センター|委員会|事務局|本部|担当)"
_DEPARTMENT = re.compile(rf"(?:(?:担当|所管|作成|発行|問合せ先?|問い合わせ先?)[:：]?[ \u3000]*)?({_UNIT}(?:[ \u3000]{_UNIT})?)")
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
    printed: str = ""  # the date as printed
    instrument_printed: tuple[int, str] | None = None  # (line, text) of an instrument number on a line of its own
    column: int = 0  # where on its line the date starts (several dates on one line)


@dataclass
class FrontMatter:
    title: str | None = None
    title_line: int = 0
    history: list[History] = field(default_factory=list)
    department: str | None = None
    department_line: int = 0
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # page metadata, a repeated title


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


def _date_entry(text: str, lineno: int) -> History | None:
    parsed = parse_date(text)
    if parsed is None:
        return None
    iso, start, end = parsed
    before, after = text[:start], text[end:]
    instrument = _INSTRUMENT.search(after) or _INSTRUMENT.search(before)
    rest = _INSTRUMENT.sub("", before + after) if instrument else before + after
    if not _DATE_LINE_REST.fullmatch(rest.strip(" \u3000")):
        return None
    event = "revised" if _EVENT_REVISED.search(text) else "enacted"
    return History(event, iso, re.sub(r"[ \u3000]", "", instrument.group()) if instrument else None, lineno, text)


def _date_line(line: Line) -> list[History] | None:
    """A line of dates only (with 制定/改正, a 訓令 number, in brackets): a history entry per date.

    Several on one line (令和2年4月1日制定 令和5年3月1日改正) are cut before each date.
    """
    starts = [m.start() for m in _DATE.finditer(line.text)]
    if not starts:
        return None
    bounds = [0, *starts[1:], len(line.text)]
    entries = []
    for a, b in zip(bounds, bounds[1:]):
        entry = _date_entry(line.text[a:b].strip(" \u3000"), line.lineno)
        if entry is None:
            return None
        entry.column = a
        entries.append(entry)
    return entries


def split_front_matter(lines: list[Line], taken: Set[int] = frozenset()) -> tuple[FrontMatter, list[Line]]:
    """Take the title, date lines, 訓令 numbers and a printed department out of the body lines.

    ``taken``: lines already taken out (OCR junk): a title is not continued across one."""
    front = FrontMatter()
    body = list(lines)
    if body:
        first = body[0]
        candidate = first.text[1:].lstrip(" \u3000") if first.text[:1] in "○◯" else first.text  # ○title of 例規集 pages
        mark = classify(first.text)
        if candidate and (mark is None or first.text[:1] in "○◯") and not ends_sentence(candidate) and width(candidate) <= 60:
            title, used = candidate, 1
            apart = any(first.lineno < n < (body[1].lineno if len(body) > 1 else 0) for n in taken)  # junk between
            if (
                not _TITLE_END.search(title)
                and len(body) > 1
                and not apart
                and classify(body[1].text) is None
                and _TITLE_END.search(body[1].text)
                and width(title + body[1].text) <= 60
            ):
                title, used = title + body[1].text, 2
            front.title, front.title_line = title, first.lineno
            body = body[used:]
    kept = []
    title_key = _key(front.title or "")
    in_front = True  # before the first clause: where 例規 pages print their numbers and dates
    pending: Line | None = None  # an instrument number printed above its date
    for index, line in enumerate(body):
        if line.column:  # a unit inside a flattened line: text, kept in order with the units around it
            if classify(line.text) is not None:
                in_front = False
            kept.append(line)
            continue
        entries = _date_line(line)
        if entries is not None:
            if pending is not None and entries[0].instrument is None:
                entries[0].instrument = re.sub(r"[ \u3000]", "", pending.text)[:40]
                entries[0].instrument_printed = (pending.lineno, pending.text)
                pending = None
            front.history += entries
            continue
        if entries is None and in_front and front.department is None:
            dated = _dated_department(line)  # 令和5年4月1日 総務部広報課
            if dated is not None:
                front.history += dated[0]
                front.department, front.department_line = dated[1], line.lineno
                continue
        if in_front and (_MONTH_LINE.fullmatch(line.text) or _KIND_LINE.fullmatch(line.text)):
            front.unplaced.append((line.lineno, line.text))
            continue
        if in_front and (_INSTRUMENT.fullmatch(line.text) or _INSTRUMENT_LINE.fullmatch(line.text)):
            # 訓令第5号 on the line below its date: the number of the first date of that line (its enactment)
            last = [h for h in front.history if h.lineno == front.history[-1].lineno] if front.history else []
            free = next((h for h in last if h.instrument is None), None)
            if free is not None:
                free.instrument, free.instrument_printed = re.sub(r"[ \u3000]", "", line.text)[:40], (line.lineno, line.text)
            elif pending is None:
                pending = line
            else:
                front.unplaced.append((line.lineno, line.text))
            continue
        if _PAGE_META.match(line.text) and width(line.text) <= 80 and not ends_sentence(line.text):
            front.unplaced.append((line.lineno, line.text))
            continue
        if in_front and title_key and _key(line.text) == title_key:
            front.unplaced.append((line.lineno, line.text))  # the title printed again
            continue
        if classify(line.text) is not None:
            in_front = False
        near_edge = index < 4 or index >= len(body) - 3
        mark = classify(line.text)
        nxt = classify(body[index + 1].text) if index + 1 < len(body) else None
        bracketed = mark is not None and mark.style == "caption" and nxt is None  # (担当:総務課), no caption over a clause
        if near_edge and (mark is None or bracketed) and width(line.text) <= 24 and not ends_sentence(line.text):
            m = _DEPARTMENT.fullmatch(line.text.strip("()（）【】"))  # (担当:総務課)
            if m and front.department is None:
                front.department, front.department_line = m.group(1), line.lineno
                if m.group(1) != line.text:  # 担当:総務課: the label is printed too
                    front.unplaced.append((line.lineno, line.text))
                continue
        kept.append(line)
    if pending is not None:
        front.unplaced.append((pending.lineno, pending.text))
    front.history.sort(key=lambda h: h.date)
    return front, kept


def _dated_department(line: Line) -> tuple[list[History], str] | None:
    """A date line that ends with the issuing department: (its history entries, the department)."""
    if width(line.text) > 60 or parse_date(line.text) is None:
        return None
    m = re.fullmatch(rf"(.+?)[ \u3000]+({_UNIT}(?:[ \u3000]{_UNIT})?)", line.text)
    if m is None:
        return None
    entries = _date_line(Line(line.lineno, m[1]))
    return (entries, m[2]) if entries else None


def _key(text: str) -> str:
    return re.sub(r"[ \u3000○◯]", "", unicodedata.normalize("NFKC", text))


def split_forms(lines: list[Line], all_text: str) -> tuple[list[Line], list[RawForm], dict[str, str]]:
    """(body lines, forms at the end kept as printed, form title -> label cited in the body).

    A form starts at a short line 別紙1 / 様式第1号…, or at a line that is exactly a title
    the body cites as 別紙1「…」.
    """
    cited = {m["title"].strip(): re.sub(r"[ \u3000]", "", m["label"]) for m in _FORM_REFERENCE.finditer(all_text)}
    # Title without spaces -> label, built once: every line is looked up in it (linear in the citations).
    label_of: dict[str, str] = {}
    for cited_title, cited_label in cited.items():
        label_of.setdefault(re.sub(r"[ \u3000]", "", cited_title), cited_label)
    starts: list[int] = []
    seen_marker = False
    for i, line in enumerate(lines):
        mark = classify(line.text)
        if mark is not None and mark.style not in ("note", "caption"):
            seen_marker = True
        if not seen_marker:
            continue
        text = line.text
        is_start = (_FORM_START.match(text) is not None and width(text) <= 30 and not ends_sentence(text)) or re.sub(
            r"[ \u3000]", "", text
        ) in label_of
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
            title = first.text[label_match.end() :].strip(" \u3000（）()") or nxt.strip(" \u3000") or first.text
        else:
            label = label_of.get(re.sub(r"[ \u3000]", "", first.text))
        printed = physical[first.lineno - 1 : end_line]
        while printed and not printed[-1].strip():
            printed.pop()
        forms.append(RawForm(label, title, first.lineno, printed))
    return lines[: merged[0]], forms, cited
