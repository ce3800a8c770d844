"""Readable differences between two clause texts, and how similar they are.

Japanese is compared character by character (it has no spaces between words),
English word by word. The result is a list of ``(op, text)`` runs with ``op`` one
of ``"equal"``, ``"delete"`` (only in the old/base text) and ``"insert"`` (only in
the new/other text): the equal and delete runs concatenate to the first text,
the equal and insert runs to the second, character for character.

Choices, and why:

* ``difflib.SequenceMatcher(autojunk=False)``: with autojunk on, characters that
  make up more than 1 % of a text longer than 200 characters (の, は, 、 …) are
  treated as junk and never matched, which turns a Japanese diff into noise.
* Semantic cleanup (in the spirit of diff-match-patch's ``diff_cleanupSemantic``):
  a raw character diff of two rewordings keeps tiny coincidental matches (a
  shared の or を between two replaced phrases), which makes the marks
  unreadable. An equal run between two changes that together replace text (a
  deletion and an insertion) is folded into them when it carries no content:
  in Japanese at most one character, or two with no kanji, katakana, letter or
  digit (particles, okurigana, punctuation); in English only whitespace,
  punctuation and a few function words (the, of, to …). Between two pure
  deletions a shared particle stays unmarked: folding would invent an insertion.
  diff-match-patch's own rule (fold any equality no longer than the edits on
  both sides) was tried and rejected: it also folds shared words such as
  インターネット上 or 双方向 between two long rewordings, hiding real agreement.
  Then each pure insertion or deletion slides to the best equivalent position
  (after 。 or a space: "…除く。" + "ただし…。" rather than "…除く" + "。ただし…"), as
  diff-match-patch's cleanupSemanticLossless does. No dependency is needed.
* A cost cap: SequenceMatcher is quadratic in the worst case. Clause texts are a
  few hundred characters; above ``MAX_DIFF_CELLS`` (product of the token counts
  left after trimming the common prefix and suffix) the middle is shown as one
  replacement instead of hanging the build on a hostile 1 MB text.

Similarity is ``2 * M / T`` where ``T`` is the number of non-whitespace
characters of both texts and ``M`` the number of non-whitespace characters in the
equal runs of the displayed (cleaned-up) diff: the share of the text the reader
sees unmarked. Whitespace never counts, so re-wrapping a text changes nothing.
Two empty texts are identical (1.0); an empty and a non-empty text share
nothing (0.0).
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

Op = Literal["equal", "insert", "delete"]
Run = tuple[Op, str]

EQUAL: Op = "equal"
INSERT: Op = "insert"
DELETE: Op = "delete"

# Tokens compared beyond which the middle of the texts is one replacement.
MAX_DIFF_CELLS = 4_000_000
# English words that carry no content on their own: an equal island made only of these
# (and spaces/punctuation) between two changes is folded into them.
FUNCTION_WORDS = frozenset("a an the of to in on at by for as and or but be is are was were it its this that with from".split())
_CONTENT_JA = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u30a0-\u30ff\uff66-\uff9fA-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# Japanese: one token per character, but a run of ASCII letters/digits (Facebook,
# Web, 0942) stays whole so "Twitter" is never half-matched against "Instagram".
_JA_TOKEN = re.compile(r"[A-Za-z0-9]+|.", re.DOTALL)
# English: words, runs of whitespace, and single other characters (punctuation).
_EN_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def tokenize(text: str, lang: str) -> list[str]:
    """Split ``text`` into the units compared; they concatenate back to ``text``."""
    pattern = _EN_TOKEN if lang == "en" else _JA_TOKEN
    return pattern.findall(text)


def diff(old: str, new: str, lang: str = "ja") -> list[Run]:
    """Runs turning ``old`` into ``new``: character-level for ``ja``, word-level for ``en``."""
    if old == new:
        return [(EQUAL, old)] if old else []
    if not old:
        return [(INSERT, new)]
    if not new:
        return [(DELETE, old)]

    a, b = tokenize(old, lang), tokenize(new, lang)
    # Trim the common prefix and suffix first: cheap, and keeps the quadratic part small.
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]

    runs: list[Run] = []
    if start:
        runs.append((EQUAL, "".join(a[:start])))
    if len(a_mid) * len(b_mid) > MAX_DIFF_CELLS:
        runs += [(DELETE, "".join(a_mid)), (INSERT, "".join(b_mid))]
    else:
        runs += _sequence_runs(a_mid, b_mid)
    if end:
        runs.append((EQUAL, "".join(a[len(a) - end :])))
    return cleanup(runs, lang)


def _sequence_runs(a: list[str], b: list[str]) -> list[Run]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append((EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append((DELETE, "".join(a[i1:i2])))
        if j2 > j1:
            runs.append((INSERT, "".join(b[j1:j2])))
    return runs


def cleanup(runs: list[Run], lang: str = "ja") -> list[Run]:
    """Fold content-free equal islands between changes into the changes; normalise the runs.

    The result has no empty runs, no two adjacent runs with the same op, and in each
    change block the deletion before the insertion. One linear pass.
    """
    blocks = _blocks(runs)
    out: list[list[str]] = []  # [text] for an equal block, [deleted, inserted] for a change
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if (
            len(block) == 1
            and out
            and i + 1 < len(blocks)
            and is_noise(block[0], lang)
            and _visible_change(out[-1])
            and _visible_change(blocks[i + 1])
            and _replaces(out[-1], blocks[i + 1])
        ):
            # blocks alternate, so out[-1] and blocks[i + 1] are both changes
            text, following = block[0], blocks[i + 1]
            out[-1] = [out[-1][0] + text + following[0], out[-1][1] + text + following[1]]
            i += 2
            continue
        out.append(list(block))
        i += 1
    _slide_to_boundaries(out)
    runs_out: list[Run] = []
    for block in out:
        if len(block) == 1:
            runs_out.append((EQUAL, block[0]))
            continue
        if block[0]:
            runs_out.append((DELETE, block[0]))
        if block[1]:
            runs_out.append((INSERT, block[1]))
    return runs_out


_PUNCT = set("。、，．！？）」』】.,;:!?)")


def _boundary_score(before: str, edit: str, after: str) -> int:
    """How well an edit sits: after a sentence/clause end and on word boundaries."""
    score = 0
    if not before or before[-1] in _PUNCT or before[-1].isspace():
        score += 2
    if edit and (edit[-1] in _PUNCT):
        score += 1
    if not after or after[0].isspace() or after[0] in _PUNCT:
        score += 1
    return score


def _slide_to_boundaries(blocks: list[list[str]]) -> None:
    """Slide each pure insertion or deletion between two equal runs to the best boundary.

    "…除く。" + inserted "ただし…除く。"? The diff may as well have found
    "…除く" + "。ただし…除く" + "。"; both are correct, the first reads better (as
    diff-match-patch's cleanupSemanticLossless does). Changes the blocks in place.
    """
    for i in range(1, len(blocks) - 1):
        change = blocks[i]
        if len(change) != 2 or (change[0] and change[1]):
            continue
        side = 0 if change[0] else 1
        before, edit, after = blocks[i - 1][0], change[side], blocks[i + 1][0]
        # Slide fully left, then try each position to the right.
        while before and edit and before[-1] == edit[-1]:
            before, edit, after = before[:-1], before[-1] + edit[:-1], edit[-1] + after
        best = (_boundary_score(before, edit, after), before, edit, after)
        while after and edit and after[0] == edit[0]:
            before, edit, after = before + edit[0], edit[1:] + after[0], after[1:]
            score = _boundary_score(before, edit, after)
            if score > best[0]:
                best = (score, before, edit, after)
        _, before, edit, after = best
        blocks[i - 1][0], blocks[i + 1][0] = before, after
        change[side] = edit
    # A slide may empty an equal run: merge its neighbours back.
    merged: list[list[str]] = []
    for block in blocks:
        if len(block) == 1 and not block[0]:
            continue
        if merged and len(block) == len(merged[-1]) == 1:
            merged[-1][0] += block[0]
        elif merged and len(block) == len(merged[-1]) == 2:
            merged[-1] = [merged[-1][0] + block[0], merged[-1][1] + block[1]]
        else:
            merged.append(block)
    blocks[:] = merged


def _visible_change(change: list[str]) -> bool:
    """A change of more than whitespace (re-wrapping must not fold the words around it)."""
    return not (change[0].isspace() or not change[0]) or not (change[1].isspace() or not change[1])


def _replaces(left: list[str], right: list[str]) -> bool:
    """Whether folding would make a replacement: between two pure deletions (or two pure
    insertions) a small shared word reads fine and folding would invent a change."""
    return bool(left[0] or right[0]) and bool(left[1] or right[1])


def is_noise(island: str, lang: str) -> bool:
    """Whether an equal run between two changes is a coincidence not worth showing."""
    if lang == "en":
        words = re.findall(r"\w+", island.lower())
        return all(w in FUNCTION_WORDS for w in words)
    visible = "".join(ch for ch in island if not ch.isspace())
    return len(visible) <= 1 or (len(visible) <= 2 and not _CONTENT_JA.search(visible))


def _blocks(runs: list[Run]) -> list[list[str]]:
    """Runs as alternating blocks: ``[equal]`` or ``[deleted, inserted]``, none empty."""
    blocks: list[list[str]] = []
    for op, text in runs:
        if not text:
            continue
        if op == EQUAL:
            if blocks and len(blocks[-1]) == 1:
                blocks[-1][0] += text
            else:
                blocks.append([text])
            continue
        if not blocks or len(blocks[-1]) == 1:
            blocks.append(["", ""])
        blocks[-1][0 if op == DELETE else 1] += text
    return blocks


def old_text(runs: list[Run]) -> str:
    """The first text back from its diff (equal + deleted runs)."""
    return "".join(text for op, text in runs if op != INSERT)


def new_text(runs: list[Run]) -> str:
    """The second text back from its diff (equal + inserted runs)."""
    return "".join(text for op, text in runs if op != DELETE)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def similarity_of(runs: list[Run]) -> float:
    """Similarity (0–1) of the two texts of a diff; see the module docstring."""
    matched = total = 0
    for op, text in runs:
        n = _visible(text)
        if op == EQUAL:
            matched += 2 * n
            total += 2 * n
        else:
            total += n
    return 1.0 if total == 0 else matched / total


def similarity(old: str, new: str, lang: str = "ja") -> float:
    """Similarity (0–1) of two texts: ``2 * matched / total`` non-whitespace characters."""
    return similarity_of(diff(old, new, lang))


def percent(ratio: float) -> int:
    """A similarity as a whole percentage that never claims 100 % or 0 % wrongly."""
    value = round(ratio * 100)
    if value == 100 and ratio < 1.0:
        return 99
    if value == 0 and ratio > 0.0:
        return 1
    return value
