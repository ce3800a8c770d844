"""The two languages say the same thing where a reader can compare them.

- ``policy.parity``: the Japanese and the English of a string cite the same clause
  numbers (a summary that gives 6(2)・1 in one language gives 6(2)·1 in the other).
- ``policy.parity``: on a page, 上の「…」 / 下の「…」 ("… above" / "… below") before a
  quoted section title agrees with where that heading is; the English of the
  message says the same direction as its Japanese.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model import Location
from .texts import Bilingual

Locate = Callable[..., Any]

# 6(2)・1, 4(1), 5(3): a section number with at least one (n) (bare digits are too often counts).
_CITATION = re.compile(r"(?<![0-9A-Za-z.])\d+(?:\(\d+\))+(?:[・·]\d+)?")


def cited(text: str) -> Counter[str]:
    return Counter(m.group().replace("・", "·") for m in _CITATION.finditer(text))


def citation_parity_warnings(strings: Iterable[Bilingual], locate: Locate) -> list[Problem]:
    out = []
    for s in strings:
        if s.text.en is None:  # pending
            continue
        ja, en = cited(s.text.ja), cited(s.text.en)
        if set(ja) != set(en):
            only_ja = sorted(set(ja) - set(en))
            only_en = sorted(set(en) - set(ja))
            said = "; ".join(
                part
                for part in (
                    f"only the Japanese cites {', '.join(only_ja)}" if only_ja else "",
                    f"only the English cites {', '.join(only_en)}" if only_en else "",
                )
                if part
            )
            out.append(Problem(locate(s.owner, *s.path, "en"), f"{s.where}: {said}", "policy.parity"))
    return out


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_POINTER = re.compile(r"([上下])の「([^「」]+)」")
_EN_DIRECTION = re.compile(r"\b(above|below)\b")


def _headings(lines: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    fenced = False
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        if m:
            found.setdefault(m.group(2), number)
    return found


def page_pointer_warnings(pages_dir: Path, root: Path) -> list[Problem]:
    """上の/下の「title」 on every page against the line of that heading, and the English
    catalog's direction against the Japanese."""
    out = []
    for page in sorted(pages_dir.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in page.relative_to(pages_dir).parts):
            continue
        lines = page.read_text(encoding="utf-8").splitlines()
        headings = _headings(lines)
        for number, line in enumerate(lines, 1):
            for m in _POINTER.finditer(line):
                where, title = m.groups()
                heading = headings.get(title)
                if heading is None:
                    continue
                right = "上" if heading < number else "下"
                if where != right:
                    out.append(
                        Problem(
                            Location(_shown(page, root), number, m.start() + 1),
                            f"{where}の「{title}」 points {'up' if where == '上' else 'down'}, but the heading "
                            f"「{title}」 is at line {heading}: write {right}の「{title}」",
                            "policy.parity",
                        )
                    )
    out += _catalog_directions(pages_dir, root)
    return out


def _catalog_directions(pages_dir: Path, root: Path) -> list[Problem]:
    from babel.messages.pofile import read_po

    out = []
    for path in sorted((pages_dir / "locales" / "en" / "LC_MESSAGES").rglob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if not (message.id and message.string and isinstance(message.id, str) and isinstance(message.string, str)):
                continue  # a plural entry, or untranslated
            ja = {"above" if w == "上" else "below" for w, _t in _POINTER.findall(message.id)}
            en = set(_EN_DIRECTION.findall(message.string))
            if ja and en and ja != en:
                out.append(
                    Problem(
                        Location(_shown(path, root), message.lineno or 1, 1),  # read_po numbers every message
                        f"the Japanese points {' and '.join(sorted(ja))} (上の/下の「…」) but the English says {' and '.join(sorted(en))}",
                        "policy.parity",
                    )
                )
    return out


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
