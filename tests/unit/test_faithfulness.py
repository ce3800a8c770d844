"""Each guideline YAML reproduces its published text, sentence for sentence.

For every guideline, the published text (policy/sources/*.txt) is rebuilt from
the loaded policy in document order:

1. the title;
2. each clause (flattened, document order): marker + heading + text, Japanese;
3. the printed date line of every `history` entry with `published: true`
   (policy_handbook.dates.format_date + 制定/改定, e.g. 「令和 4年 4月 1日 改定」);
4. each form as printed (see `form_pieces`): title; the date blank of a header
   date field; addressee; the other header fields (submitter); the statement
   sentences; the table fields with their printed answer area (choices, scale,
   date blank, hint); the footer fields.

Both sides are then normalised by removing all whitespace (every character
for which str.isspace() is true: spaces, tabs, line breaks and the ideographic
space U+3000), so the PDF's line breaks, page breaks and table layout do not
count, and compared for exact equality. Nothing fuzzy: the only other
differences allowed are the exact source fragments in INTENDED_DIFFERENCES,
each with its reason and the number of times it occurs; they are removed from
the source before comparing.

A sentence dropped from the YAML, a sentence added to it, a changed character
or a clause out of order all fail, with the first differing position shown in
context and every difference attributed to the clause it falls in.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from bisect import bisect_right
from typing import NamedTuple

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.characters import sanitise
from policy_handbook.dates import format_date
from policy_handbook.loader import load_policy, source_path
from policy_handbook.model import Form, FormField, Guideline, Policy

ROOT = PROJECT_ROOT
POLICY_DIR = ROOT / "policy"


class IntendedDifference(NamedTuple):
    fragment: str  # exact text of the source file, removed before comparing
    count: int  # how many times it occurs in the source (checked, so the list cannot go stale)
    reason: str


# Every guideline must have an entry here (an empty tuple when the YAML models everything).
INTENDED_DIFFERENCES: dict[str, tuple[IntendedDifference, ...]] = {
    "chikugo": (),
    "yanagawa": (
        IntendedDifference(
            " : _____",
            4,
            "footer blanks of both forms (担当者名, 連絡先): a colon and an underline to write on, "
            "drawn by the form, not text of the field",
        ),
    ),
}

# Printed after the era date of a history entry: 「令和 4年 4月 1日 改定」.
EVENT_WORDS = {"enacted": "制定", "revised": "改定"}

# Printed form layout, derived from the field data rather than stored as text.
DATE_BLANK = "令和 年 月 日"  # a date field's space to write an era date
FREE_TEXT_BLANK = "()"  # after a choice with free_text: その他 ()
CHOICE_SEPARATOR = "・"  # between printed choices and scale values
SCALE_ARROW = "← →"  # between the labels of the two ends of a scale


def normalise(text: str) -> str:
    """Remove all whitespace, U+3000 included (str.split() splits on every str.isspace() character)."""
    return "".join(text.split())


class Piece(NamedTuple):
    origin: str  # where in the YAML the text comes from, for failure messages
    text: str  # as printed, before normalisation


def clause_pieces(guideline: Guideline) -> list[Piece]:
    pieces = []
    for clause in guideline.clauses:
        where = f"clause {clause.id} ({clause.number})"
        if clause.marker:
            pieces.append(Piece(f"{where} marker", clause.marker))
        if clause.heading:
            pieces.append(Piece(f"{where} heading", clause.heading.ja))
        if clause.text:
            pieces.append(Piece(f"{where} text", clause.text.ja))
    return pieces


def date_line_pieces(guideline: Guideline) -> list[Piece]:
    return [
        Piece(f"history {entry.event} {entry.date} (printed date line)", format_date(entry.date, "ja") + EVENT_WORDS[entry.event])
        for entry in guideline.history
        if entry.published
    ]


def answer_area(field: FormField) -> str:
    """What the printed form shows next to a field's label."""
    if field.type == "choice":
        return CHOICE_SEPARATOR.join(c.label.ja + (FREE_TEXT_BLANK if c.free_text else "") for c in field.choices)
    if field.type == "scale":
        scale = field.scale
        descending = scale.order == "descending"
        values = range(scale.max, scale.min - 1, -1) if descending else range(scale.min, scale.max + 1)
        first, last = (scale.max_label, scale.min_label) if descending else (scale.min_label, scale.max_label)
        return CHOICE_SEPARATOR.join(str(v) for v in values) + first.ja + SCALE_ARROW + last.ja
    if field.type == "date":
        return DATE_BLANK
    return ""


def form_pieces(form: Form) -> list[Piece]:
    """A form as printed: the date blank at the top, then the addressee, the submitter, the
    statement, the table and the footer. The header date field prints only its blank, not its
    label; a hint is printed in parentheses after the answer area. The attachment label
    (別紙1) is not printed with the form in the source."""
    where = f"form {form.id}"
    pieces = [Piece(f"{where} title", form.title.ja)]

    def field_piece(field: FormField, *, with_label: bool = True) -> Piece:
        printed = (field.label.ja if with_label else "") + answer_area(field)
        if field.hint:
            printed += f"({field.hint.ja})"
        return Piece(f"{where} field {field.id}", printed)

    header = [f for f in form.fields if f.section == "header"]
    pieces += [field_piece(f, with_label=False) for f in header if f.type == "date"]
    if form.addressee:
        pieces.append(Piece(f"{where} addressee", form.addressee.ja))
    pieces += [field_piece(f) for f in header if f.type != "date"]
    pieces += [Piece(f"{where} statement {i}", s.ja) for i, s in enumerate(form.statement, 1)]
    pieces += [field_piece(f) for f in form.fields if f.section in ("table", None)]
    pieces += [field_piece(f) for f in form.fields if f.section == "footer"]
    return pieces


def published_pieces(guideline: Guideline) -> list[Piece]:
    pieces = [Piece("title", guideline.title.ja)]
    pieces += clause_pieces(guideline)
    pieces += date_line_pieces(guideline)
    for form in guideline.forms:
        pieces += form_pieces(form)
    return pieces


def source_text(guideline: Guideline) -> str:
    """The published text, intended differences removed, normalised."""
    path = source_path(POLICY_DIR, guideline.source_file)  # what the loader allows: inside policy/
    assert path is not None, f"{guideline.id}: source.file is outside policy/"
    text = path.read_text(encoding="utf-8")
    for diff in INTENDED_DIFFERENCES[guideline.id]:
        found = text.count(diff.fragment)
        assert found == diff.count, (
            f"{guideline.id}: intended difference {diff.fragment!r} ({diff.reason}) occurs {found} times "
            f"in {guideline.source_file}, expected {diff.count}: update INTENDED_DIFFERENCES"
        )
        text = text.replace(diff.fragment, "")
    return normalise(text)


# A failure shows short excerpts only, escaped: the source is a file, and a report
# must never print a file (or a secret a symlink pointed at) whole, or raw to a terminal.
EXCERPT_CHARS = 80


def _excerpt(text: str, at: int, width: int = 30) -> str:
    before, after = text[max(0, at - width) : at], text[at : at + width]
    return sanitise(("…" if at > width else "") + before + "▶" + after + ("…" if at + width < len(text) else ""), 2 * width + 3)


def _shown(fragment: str) -> str:
    return sanitise(fragment, EXCERPT_CHARS)


def compare(pieces: list[Piece], source: str, source_name: str) -> str | None:
    """None when the pieces rebuild the source exactly; otherwise a readable report."""
    texts = [normalise(p.text) for p in pieces]
    rebuilt = "".join(texts)
    if rebuilt == source:
        return None
    starts, offset = [], 0
    for t in texts:
        starts.append(offset)
        offset += len(t)

    def piece_at(pos: int) -> str:
        """The piece the rebuilt character at pos belongs to (the last piece when at the end)."""
        i = max(0, min(bisect_right(starts, pos) - 1, len(pieces) - 1))
        while i > 0 and not texts[i]:
            i -= 1
        return pieces[i].origin

    first = next((i for i, (a, b) in enumerate(zip(source, rebuilt)) if a != b), min(len(source), len(rebuilt)))
    lines = [
        f"the YAML does not rebuild {source_name} (whitespace removed from both sides).",
        f"First difference at character {first} of the published text, in or after {piece_at(first)}:",
        f"  published: {_excerpt(source, first)}",
        f"  YAML:      {_excerpt(rebuilt, first)}",
        "Differences (published text → YAML):",
    ]
    opcodes = [op for op in difflib.SequenceMatcher(None, source, rebuilt, autojunk=False).get_opcodes() if op[0] != "equal"]
    for tag, i1, i2, j1, j2 in opcodes[:8]:
        if tag == "delete":
            where = f"after {piece_at(j1 - 1)}" if j1 > 0 else "at the start"
            lines.append(f"  - missing from the YAML, {where}: 「{_shown(source[i1:i2])}」")
        elif tag == "insert":
            lines.append(f"  - not in the published text, in {piece_at(j1)}: 「{_shown(rebuilt[j1:j2])}」")
        else:
            lines.append(f"  - published 「{_shown(source[i1:i2])}」 but YAML 「{_shown(rebuilt[j1:j2])}」, in {piece_at(j1)}")
    if len(opcodes) > 8:
        lines.append(f"  … and {len(opcodes) - 8} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR)


def test_every_guideline_is_checked(policy: Policy) -> None:
    assert sorted(g.id for g in policy.guidelines) == sorted(INTENDED_DIFFERENCES)


@pytest.mark.parametrize("document", sorted(INTENDED_DIFFERENCES))
def test_yaml_rebuilds_the_published_text(policy: Policy, document: str) -> None:
    guideline = policy.guideline(document)
    assert guideline is not None, f"no guideline {document!r} in policy/"
    report = compare(published_pieces(guideline), source_text(guideline), f"policy/{guideline.source_file}")
    if report:
        pytest.fail(f"{document}: {report}", pytrace=False)


@pytest.mark.parametrize("document", sorted(INTENDED_DIFFERENCES))
def test_every_clause_prints_something(policy: Policy, document: str) -> None:
    """A clause with no marker, heading or text would be in the YAML but in no published line."""
    guideline = policy.guideline(document)
    empty = [
        c.id
        for c in guideline.clauses
        if not normalise((c.marker or "") + (c.heading.ja if c.heading else "") + (c.text.ja if c.text else ""))
    ]
    assert not empty, f"{document}: clauses that print nothing: {empty}"


@pytest.mark.parametrize("document", sorted(INTENDED_DIFFERENCES))
def test_no_clause_text_is_duplicated(policy: Policy, document: str) -> None:
    guideline = policy.guideline(document)
    by_text: dict[str, list[str]] = {}
    for clause in guideline.clauses:
        if clause.text:
            by_text.setdefault(normalise(clause.text.ja), []).append(clause.id)
    duplicated = {text: ids for text, ids in by_text.items() if len(ids) > 1}
    assert not duplicated, f"{document}: the same text in several clauses: {duplicated}"


# The check itself must notice a dropped or an added sentence, and say where.

SENTENCE_END = re.compile(r"(?<=。)(?=.)")


def _with_clause_text(guideline: Guideline, clause_id: str, ja: str) -> Guideline:
    clauses = tuple(dataclasses.replace(c, text=dataclasses.replace(c.text, ja=ja)) if c.id == clause_id else c for c in guideline.clauses)
    return dataclasses.replace(guideline, clauses=clauses)


@pytest.mark.parametrize("document", sorted(INTENDED_DIFFERENCES))
def test_a_dropped_sentence_is_reported(policy: Policy, document: str) -> None:
    guideline = policy.guideline(document)
    # The clause with the most sentences; drop its last one.
    clause = max((c for c in guideline.clauses if c.text), key=lambda c: len(SENTENCE_END.split(c.text.ja)))
    *kept, dropped = SENTENCE_END.split(clause.text.ja)
    assert kept, f"{document}: no clause with two sentences to test with"
    changed = _with_clause_text(guideline, clause.id, "".join(kept))
    report = compare(published_pieces(changed), source_text(guideline), f"policy/{guideline.source_file}")
    assert report is not None
    assert f"missing from the YAML, after clause {clause.id} (" in report
    # The diff may align the gap one 。 earlier, so look for the sentence without its full stop.
    assert normalise(dropped).rstrip("。") in report


@pytest.mark.parametrize("document", sorted(INTENDED_DIFFERENCES))
def test_an_unpublished_sentence_is_reported(policy: Policy, document: str) -> None:
    guideline = policy.guideline(document)
    clause = next(c for c in guideline.clauses if c.text)
    added = "この文は公表されていない。"
    changed = _with_clause_text(guideline, clause.id, clause.text.ja + added)
    report = compare(published_pieces(changed), source_text(guideline), f"policy/{guideline.source_file}")
    assert report is not None
    assert f"not in the published text, in clause {clause.id} (" in report
    assert added.rstrip("。") in report


def test_a_report_shows_short_escaped_excerpts_only():
    """A wrong source (say a file full of secrets) is never printed whole, nor raw."""
    secret = "\x1b]0;x\x07" + "".join(f"SECRET{i}=value{i}" for i in range(2000))
    report = compare([Piece("title", "題名")], normalise(secret), "policy/sources/x.txt")
    assert report is not None
    assert "\x1b" not in report and "\x07" not in report
    assert max(len(line) for line in report.splitlines()) < 200
    assert "SECRET20=" not in report  # a few of the 2,000 at most
