"""新旧対照表: a guideline against an earlier git revision of itself, as printable HTML.

``python -m policy_handbook diff --document chikugo --rev HEAD~1 [--output FILE]``
(``make diff DOC=chikugo REV=HEAD~1``) reads the guideline's YAML as it was at
``--rev`` (``git show REV:./policy/chikugo.yaml``) and as it is now (the working
tree, or ``--new-rev``), aligns the clauses by ID and writes one standalone HTML
file: columns 改正後 | 改正前 as in Japanese practice, what was added underlined on
the 改正後 side, what was removed struck through on the 改正前 side, new clauses
（新設）, removed ones （削除）, and clauses whose position changed （移動）.

Alignment: the same ID is the same clause (IDs never derive from the text). The
clauses are matched in document order with difflib over the ID sequences, so a
clause whose ID is on both sides but out of order is "moved" and shown at its
new place. Only the Japanese text is compared — it is the official one; changes
to the English translation alone are counted in the summary, not shown.

The page is self-contained (inline CSS, no scripts, no external resources),
``lang="ja"``, every text escaped, and prints on A4 (landscape by default,
``--paper a4-portrait``). Errors are one line each on stderr, never a traceback:
exit 2 for usage and git problems, 1 when a version of the YAML is invalid.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import yamlio
from .characters import sanitise
from .errors import PolicyError
from .files import write_atomic
from .model import Clause, Guideline
from .textdiff import DELETE, INSERT, Run, diff


class RevisionError(Exception):
    """A problem with the arguments or git: one line for the user, exit status 2."""


# ----------------------------------------------------------------------------- git


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None


def git_show(path: Path, rev: str) -> bytes:
    """The bytes of ``path`` (a file in a git work tree) at revision ``rev``."""
    cwd = path.parent
    if not cwd.is_dir():
        raise RevisionError(f"{cwd} is not a directory")
    if _git(["rev-parse", "--is-inside-work-tree"], cwd).returncode != 0:
        raise RevisionError(f"{cwd} is not inside a git repository")
    if rev.startswith("-") or _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd).returncode != 0:
        raise RevisionError(f"unknown git revision {rev!r}")
    size = _git(["cat-file", "-s", f"{rev}:./{path.name}"], cwd)
    if size.returncode != 0:
        raise RevisionError(f"{path.name} does not exist at revision {rev!r}")
    if int(size.stdout.strip() or 0) > yamlio.MAX_FILE_BYTES:  # never read into memory whole
        raise RevisionError(f"{path.name} at revision {rev!r} is larger than {yamlio.MAX_FILE_BYTES // 2**20} MB: not a policy file")
    shown = _git(["show", f"{rev}:./{path.name}"], cwd)
    if shown.returncode != 0:
        raise RevisionError(f"{path.name} does not exist at revision {rev!r}")
    return shown.stdout


def describe(path: Path, rev: str) -> str:
    """'HEAD~1 (1a2b3c4, 2026-01-31)': the revision as given, its short hash and date."""
    out = _git(["log", "-1", "--format=%h, %cs", rev, "--"], path.parent)
    detail = out.stdout.decode("utf-8", "replace").strip()
    return f"{rev}（{detail}）" if detail else rev


# ----------------------------------------------------------------------------- alignment


@dataclass(frozen=True, slots=True)
class RevisionRow:
    status: str  # changed | added | removed | moved | unchanged
    new: Clause | None
    old: Clause | None


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    document: str
    rows: tuple[RevisionRow, ...]  # every clause of both versions, in the new document order
    translation_only: int  # clauses whose English alone changed

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _official(clause: Clause) -> tuple:
    """What the 新旧対照表 compares: the Japanese as published and the place in the hierarchy."""
    return (
        clause.marker,
        clause.number,
        clause.heading.ja if clause.heading else None,
        clause.text.ja if clause.text else None,
    )


def _translation(clause: Clause) -> tuple:
    return (clause.heading.en if clause.heading else None, clause.text.en if clause.text else None)


def align(old: Guideline, new: Guideline) -> RevisionDiff:
    old_by_id = {c.id: c for c in old.clauses}
    new_by_id = {c.id: c for c in new.clauses}
    old_ids = [c.id for c in old.clauses]
    new_ids = [c.id for c in new.clauses]
    rows: list[RevisionRow] = []

    def pair(clause_id: str, moved: bool) -> RevisionRow:
        before, after = old_by_id[clause_id], new_by_id[clause_id]
        if moved:
            return RevisionRow("moved", after, before)
        status = "unchanged" if _official(before) == _official(after) else "changed"
        return RevisionRow(status, after, before)

    matcher = difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [pair(cid, moved=False) for cid in new_ids[j1:j2]]
            continue
        # Removed clauses first (at their old place), then the new side of the block.
        rows += [RevisionRow("removed", None, old_by_id[cid]) for cid in old_ids[i1:i2] if cid not in new_by_id]
        for cid in new_ids[j1:j2]:
            rows.append(pair(cid, moved=True) if cid in old_by_id else RevisionRow("added", new_by_id[cid], None))
    translation_only = sum(
        1
        for r in rows
        if r.status == "unchanged" and r.old is not None and r.new is not None and _translation(r.old) != _translation(r.new)
    )
    return RevisionDiff(new.id, tuple(rows), translation_only)


# ----------------------------------------------------------------------------- HTML

STATUS_LABEL = {"changed": "改正", "added": "新設", "removed": "削除", "moved": "移動", "unchanged": "変更なし"}

CSS = """
:root { color-scheme: light; }
body { font-family: "Hiragino Mincho ProN", "Yu Mincho", "Noto Serif CJK JP", "Noto Serif JP", serif;
  line-height: 1.8; margin: 1.5rem; color: #111; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.05rem; margin: 0 0 .25rem; }
.meta, .summary { margin: .25rem 0; }
.legend { border: 1px solid #888; padding: .5rem 1rem; margin: 1rem 0; }
.legend ul { margin: 0; padding-left: 1.25rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #444; padding: .4rem .6rem; vertical-align: top; width: 50%;
  overflow-wrap: anywhere; }
thead th { background: #eee; }
thead { display: table-header-group; }
.label { font-weight: bold; margin: 0; }
.clause-id { font-weight: normal; font-size: .8em; color: #555; font-family: monospace; }
.status { font-weight: normal; }
.text { margin: .25rem 0 0; white-space: pre-wrap; }
.none { color: #333; }
ins { text-decoration: underline; text-decoration-thickness: .12em; text-underline-offset: .2em; }
del { text-decoration: line-through; text-decoration-thickness: .1em; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
@page { size: A4 ORIENTATION; margin: 15mm; }
@media print {
  body { margin: 0; font-size: 10.5pt; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _marked(runs: list[Run], side: str) -> str:
    """Runs of one side as HTML: ``new`` shows insertions, ``old`` deletions."""
    parts = []
    for op, text in runs:
        if op == INSERT and side == "new":
            parts.append(f'<ins><span class="sr">［挿入：</span>{escape(text)}<span class="sr">］</span></ins>')
        elif op == DELETE and side == "old":
            parts.append(f'<del><span class="sr">［削除：</span>{escape(text)}<span class="sr">］</span></del>')
        elif op in (INSERT, DELETE):
            continue  # the other side's change
        else:
            parts.append(escape(text))
    return "".join(parts)


def _runs(old: str | None, new: str | None) -> list[Run]:
    return diff(old or "", new or "", "ja")


def _heading(clause: Clause | None) -> str | None:
    return clause.heading.ja if clause is not None and clause.heading is not None else None


def _body(clause: Clause | None) -> str | None:
    return clause.text.ja if clause is not None and clause.text is not None else None


def _cell(row: RevisionRow, side: str) -> str:
    """One side of a row: number, heading and text with that side's marks."""
    clause = row.new if side == "new" else row.old
    if clause is None:
        return f'<td class="none">（{STATUS_LABEL[row.status]}）</td>'
    old, new = row.old, row.new
    label = _marked(_runs(old.number if old else None, new.number if new else None), side)
    if clause.heading is not None:
        label += "　" + _marked(_runs(_heading(old), _heading(new)), side)
    status = ""
    if row.status in ("added", "removed", "moved"):
        status = f' <span class="status">（{STATUS_LABEL[row.status]}）</span>'
    parts = [f'<p class="label">{label}{status} <span class="clause-id">{escape(clause.id)}</span></p>']
    if clause.text is not None:
        parts.append(f'<p class="text">{_marked(_runs(_body(old), _body(new)), side)}</p>')
    return f'<td class="{escape(row.status)}">{"".join(parts)}</td>'


def render_html(
    result: RevisionDiff,
    guideline: Guideline,
    old_label: str,
    new_label: str,
    *,
    show_unchanged: bool = False,
    orientation: str = "landscape",
) -> str:
    title = f"{guideline.title.ja} 新旧対照表"
    shown = [r for r in result.rows if show_unchanged or r.status != "unchanged"]
    counts = {s: result.count(s) for s in STATUS_LABEL}
    summary = "、".join(f"{STATUS_LABEL[s]} {counts[s]}件" for s in ("changed", "added", "removed", "moved"))
    summary += "。"
    if not show_unchanged and counts["unchanged"]:
        summary += f"変更のない条項 {counts['unchanged']}件は省略しています。"
    if result.translation_only:
        summary += f"英語訳のみ変更された条項が {result.translation_only}件あります（この表には含みません）。"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS.replace('ORIENTATION', orientation)}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(guideline.municipality.ja)}　改正前：{escape(old_label)}　改正後：{escape(new_label)}</p>',
        f'<p class="summary">{escape(summary)}</p>',
        '<div class="legend">',
        "<h2>表の見方</h2>",
        "<ul>",
        "<li>改正後欄の<ins>下線</ins>の部分は、改正により加わった部分です。</li>",
        "<li>改正前欄の<del>取消線</del>の部分は、改正により削られた部分です。</li>",
        "<li>（新設）は新しく設けられた条項、（削除）は削られた条項、（移動）は位置が変わった条項です。</li>",
        "<li>条項は ID で対応させています。日本語の本文を比べ、英語訳は比べていません。</li>",
        "</ul>",
        "</div>",
    ]
    if not shown:
        lines.append('<p class="no-change">日本語の本文に変更はありません。</p>')
    else:
        lines += [
            "<table>",
            f"<caption>{escape(guideline.title.ja)}（{escape(old_label)} → {escape(new_label)}）</caption>",
            '<thead><tr><th scope="col">改正後</th><th scope="col">改正前</th></tr></thead>',
            "<tbody>",
        ]
        for row in shown:
            lines.append(f'<tr class="{escape(row.status)}">{_cell(row, "new")}{_cell(row, "old")}</tr>')
        lines += ["</tbody>", "</table>"]
    lines += ["</main>", "</body>", "</html>", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- command line


# A guideline ID as the schema allows it (fullmatch: no trailing newline slips through).
_GUIDELINE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOP_LEVEL_ID = re.compile(r"""^id:[ \t]*['"]?([a-z0-9]+(?:-[a-z0-9]+)*)['"]?[ \t]*(?:#.*)?$""", re.M)
_IS_GUIDELINE = re.compile(r"""^type:[ \t]*['"]?guideline['"]?[ \t]*(?:#.*)?$""", re.M)


def known_guidelines(policy_dir: Path) -> dict[str, Path]:
    """Guideline ID -> its YAML file, for the *.yaml files directly in ``policy_dir``.

    A file whose real path (symlinks resolved) is not in ``policy_dir`` is skipped:
    the diff never reads YAML from elsewhere.
    """
    root = policy_dir.resolve()
    found: dict[str, Path] = {}
    for candidate in sorted(policy_dir.glob("*.yaml")):
        try:
            real = candidate.resolve(strict=True)
            if real.parent != root or not real.is_file():
                continue
            data = yamlio.read_bytes(real)  # at most one byte past the cap, as `make check` reads it
        except OSError:
            continue
        if len(data) > yamlio.MAX_FILE_BYTES:  # not a policy file `make check` would read: never read whole
            continue
        text = data.decode("utf-8", "replace")
        match = _TOP_LEVEL_ID.search(text)
        if match and _IS_GUIDELINE.search(text):
            found.setdefault(match.group(1), candidate)
    return found


def _guideline_file(policy_dir: Path, document: str) -> Path:
    """The YAML file of guideline ``document``: only a known guideline ID is accepted."""
    known = known_guidelines(policy_dir) if policy_dir.is_dir() else {}
    if not _GUIDELINE_ID.fullmatch(document) or document not in known:
        names = ", ".join(sorted(known)) or "none"
        raise RevisionError(f"no guideline {document!r} in {policy_dir} (known guidelines: {names})")
    return known[document]


def default_output(document: str, rev: str) -> Path:
    """_build/diff/<document>-<rev>.html, the revision reduced to [A-Za-z0-9._-] (no path, no dotfile)."""
    safe_rev = re.sub(r"[^A-Za-z0-9._-]", "_", rev)[:80]
    return Path("_build/diff") / f"{document}-{safe_rev}.html"


def _load(data: bytes, filename: str) -> Guideline:
    from .loader import load_guideline_from_string

    return load_guideline_from_string(data, filename)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``error: ...``), exit status 2."""

    def error(self, message: str):
        raise RevisionError(f"{message} (see --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m policy_handbook diff",
        description="新旧対照表: a guideline compared with an earlier git revision, as printable HTML.",
    )
    # `make diff` passes DOC and REV in the environment (never through a shell).
    doc_env, rev_env = os.environ.get("POLICY_DIFF_DOC"), os.environ.get("POLICY_DIFF_REV")
    parser.add_argument(
        "--document", required=doc_env is None, default=doc_env, help="guideline ID, e.g. chikugo (default: $POLICY_DIFF_DOC)"
    )
    parser.add_argument(
        "--rev",
        required=rev_env is None,
        default=rev_env,
        help="the earlier git revision (改正前), e.g. HEAD~1 (default: $POLICY_DIFF_REV)",
    )
    parser.add_argument("--new-rev", help="the later revision (改正後); default: the file as it is now")
    parser.add_argument("--output", type=Path, help="HTML file to write (default: _build/diff/<document>-<rev>.html)")
    parser.add_argument("--policy-dir", type=Path, default=Path("policy"), help="default: policy")
    parser.add_argument("--all", action="store_true", help="also list the clauses that did not change")
    parser.add_argument("--paper", choices=["a4-landscape", "a4-portrait"], default="a4-landscape")
    return parser


def _error(message: str) -> None:
    print(sanitise(f"error: {message}"), file=sys.stderr)  # revisions, paths and data quoted: escaped


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except RevisionError as exc:
        _error(f"{exc}")
        return 2
    try:
        path = _guideline_file(args.policy_dir, args.document)
        label = f"{args.policy_dir.name}/{path.name}"
        old_data = git_show(path, args.rev)
        old = _load(old_data, f"{label}@{args.rev}")
        if args.new_rev:
            new = _load(git_show(path, args.new_rev), f"{label}@{args.new_rev}")
            new_label = describe(path, args.new_rev)
        else:
            new = _load(yamlio.read_bytes(path), label)  # capped: the loader reports a file over the limit
            new_label = "現在のファイル"
        old_label = describe(path, args.rev)
        if new.id != args.document:
            raise RevisionError(f"{label} holds guideline {new.id!r}, not {args.document!r}")
        result = align(old, new)
        html = render_html(
            result,
            new,
            old_label,
            new_label,
            show_unchanged=args.all,
            orientation=args.paper.split("-", 1)[1],
        )
        output = args.output or default_output(args.document, args.rev)
        write_atomic(output, html.encode("utf-8"))  # never through a link left where the table goes
    except RevisionError as exc:
        _error(f"{exc}")
        return 2
    except PolicyError as exc:
        for problem in exc.problems:
            _error(f"{problem}")
        return 1
    except OSError as exc:
        _error(f"{exc.filename or ''}: {exc.strerror or exc}")
        return 2
    except Exception as exc:  # a bug must still not be a traceback for the policy owner
        _error(f"could not build the 新旧対照表 ({type(exc).__name__}: {exc})")
        return 1
    print(sanitise(str(output)))
    return 0
