"""``python -m policy_handbook import SOURCE --id ID …`` and ``… align ID``.

Refusals print file:line and exit 1; nothing is written unless everything worked.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

from ..files import UnsafeWrite, write_atomic
from . import limits
from .errors import ImportProblem, ImportRefused, printable
from .pipeline import ID_PATTERN, Imported
from .place import infer_place, printed_lines


def _atomic_write(path: Path, data: bytes, root: Path | None = None) -> None:
    """Every file the importer writes: atomic (an interrupted import leaves no half-written
    draft), never through a link, never outside ``root`` (the policy folder)."""
    try:
        write_atomic(path, data, root=root)
    except UnsafeWrite as exc:
        raise ImportRefused([ImportProblem(str(path), 1, f"not written: {exc}")]) from None


def _check_destination(path: Path, policy_dir: Path) -> None:
    """Refused before any work: a link where a file is to be written, or a path outside policy/."""
    if path.is_symlink():
        raise ImportRefused([ImportProblem(str(path), 1, "is a symbolic link: not written through it (remove the link)")])
    real_policy = os.path.realpath(policy_dir)
    real = os.path.realpath(path)
    if not (real == real_policy or real.startswith(real_policy.rstrip(os.sep) + os.sep)):
        raise ImportRefused([ImportProblem(str(path), 1, f"is outside the policy folder {policy_dir}: the importer writes only there")])


_TYPE_LINE = re.compile(rb"^type:[ \t]*['\"]?([A-Za-z]+)", re.M)


def _check_replaces_a_guideline(output: Path) -> None:
    """--force replaces a guideline, never another of the policy's files: ``--id taxonomy``
    (or glossary, comparison, situations) would otherwise overwrite that file with a draft."""
    found = _TYPE_LINE.search(limits.read_regular_file(output, str(output))[:4096])
    kind = found.group(1).decode("ascii") if found else None
    if kind != "guideline":
        what = f"the policy's {kind} file" if kind else "not a guideline (no `type: guideline`)"
        raise ImportRefused([ImportProblem(str(output), 1, f"is {what}: not replaced, even with --force (choose another --id)")])


def _load_policy(policy_dir: Path, source: str):
    from ..errors import PolicyError
    from ..loader import load_policy

    try:
        return load_policy(policy_dir, root=policy_dir.resolve().parent)
    except PolicyError as exc:
        raise ImportRefused(
            [ImportProblem(source, 1, f"the existing policy in {policy_dir} does not load; fix it first:\n{exc.report()}")]
        ) from None


def _check_output(text: str, output: Path, policy, policy_dir: Path) -> None:
    """The draft must pass `make check` as written; if not, that is the importer's bug: say so, write nothing."""
    from ..errors import PolicyError
    from ..loader import load_guideline_from_string

    try:
        # The packaged schema, as `make check` uses: the folder's schema/ is an editor's copy, which anyone may loosen.
        load_guideline_from_string(text, str(output), policy)
    except PolicyError as exc:
        problems = [p for p in exc.problems if p.code != "policy.reference" or "source file" not in p.message]
        if problems:
            raise ImportRefused(
                [ImportProblem(str(output), p.location.line if p.location else 1, f"draft not written, it would not pass `make check`: {p.message}") for p in problems]
            ) from None


def suggestions_for(imported: Imported, policy) -> dict[str, tuple[str | None, list[str]]]:
    from .suggest import Suggester, clause_context, examples_from_policy, topic_descriptions

    suggester = Suggester(
        examples_from_policy(policy, exclude=imported.document_id), topic_descriptions(policy), {k.id for k in policy.kinds}
    )
    out = {}
    for draft in imported.clauses():
        if draft.text is None:
            continue
        headings = []
        parent = draft.parent
        while parent is not None:
            if parent.heading:
                headings.insert(0, parent.heading)
            parent = parent.parent
        context = clause_context(headings, draft.heading, draft.text)
        out[draft.id] = (suggester.kind(draft.text, context), suggester.topics(context))
    return out


def _report(imported: Imported, output: Path, review: list[str]) -> str:
    clauses = imported.clauses()
    levels = Counter(c.level for c in clauses)
    lines = [
        f"imported {imported.source_name} ({imported.encoding}) -> {output}",
        "clauses: " + ", ".join(f"{n} {level}" for level, n in sorted(levels.items())) + f" ({len(clauses)} in all)",
        f"awaiting translation: {sum(1 for c in clauses if c.text or c.heading)} clauses (no English is written)",
        f"PDF artefacts removed: {len(imported.removed)}; broken lines joined: {imported.joined}",
    ]
    lines += [f"  removed {what}" for what in imported.removed[:10]]
    if len(imported.removed) > 10:
        lines.append(f"  ... and {len(imported.removed) - 10} more")
    if imported.forms:
        lines.append(f"forms kept as printed text (unstructured_forms): {len(imported.forms)}")
    if review:
        lines.append("to review by hand:")
        lines += [f"  {r}" for r in review]
    lines.append("next: check the structure against the source, confirm `suggested:` labels, run `make check`,")
    lines.append(f"      then `python -m policy_handbook align {imported.document_id}` to suggest comparison rows")
    return "\n".join(lines)


def run_import(args) -> int:
    source = Path(args.source)
    display = str(args.source)
    if not ID_PATTERN.match(args.id or ""):
        raise ImportRefused([ImportProblem(display, 1, f"--id {args.id!r}: use lower-case ASCII words joined by hyphens (e.g. kurume)")])
    policy_dir = Path(args.policy)  # taxonomy and labelled examples; the source is copied to its sources/
    output = Path(args.output) if args.output else policy_dir / f"{args.id}.yaml"
    _check_destination(output, policy_dir)
    if output.exists() and not args.force:
        raise ImportRefused([ImportProblem(str(output), 1, "already exists: not overwritten (give --force to replace it)")])
    if output.exists():
        _check_replaces_a_guideline(output)
    raw, imported = limits.import_source(source, args.id, display)
    place = infer_place(
        display,
        title=imported.front.title,
        title_line=imported.front.title_line,
        printed=printed_lines(imported.clauses()),
        municipality=args.municipality,
        prefecture=args.prefecture,
        where=imported.place,
        page_of=imported.page_of,
    )

    review = [f"{imported.place(line)}: {what}" for line, what in imported.structure.review]
    review += place.review
    if imported.front.title is None:
        review.append("no title line found: the title is the municipality's name; write the real title")
    if imported.front.department is None:
        review.append("no issuing department printed: add `department` if known")
    review.append("no `scope` written: add a one-sentence summary of who the guideline applies to")
    if imported.joined:
        review.append(f"{imported.joined} broken lines were joined: compare paragraph ends with the source")

    # The source goes beside the others in policy/sources/ (the YAML names it; `make check` needs it).
    sources = policy_dir / "sources"
    # Named from the ID only: nothing of the user's file name ends up in a path under policy/.
    copied = sources / f"{args.id}{'.pdf' if imported.encoding == 'pdf' else '.txt'}"
    try:
        inside = source.resolve().is_relative_to(sources.resolve())
    except OSError:
        inside = False
    source_file = source.resolve().relative_to(policy_dir.resolve()).as_posix() if inside else copied.relative_to(policy_dir).as_posix()
    if not inside:
        _check_destination(copied, policy_dir)
        if copied.exists() and limits.read_regular_file(copied, str(copied)) != raw and not args.force:
            raise ImportRefused([ImportProblem(str(copied), 1, "another source with this name exists: not overwritten (give --force)")])

    policy = _load_policy(policy_dir, display)
    from .yaml_out import render_yaml

    text = render_yaml(
        imported,
        municipality=place.municipality,
        prefecture=place.prefecture,
        lg_code=place.lg_code,
        source_file=source_file,
        suggestions=suggestions_for(imported, policy),
        review=review,
    )
    _check_output(text, output, policy, policy_dir)
    if not inside:  # the bytes that were imported, not the file again (it may have changed since)
        _atomic_write(copied, raw, policy_dir)
    _atomic_write(output, text.encode("utf-8"), policy_dir)
    print(printable(_report(imported, output, review)))
    return 0


def _arguments(argv: list[str]):
    from ..cli import ArgumentParser  # its error line is escaped

    parser = ArgumentParser(prog="python -m policy_handbook import", description="Import a published guideline (UTF-8/Shift_JIS/UTF-16 text or a PDF with a text layer) as draft YAML.")
    parser.add_argument("source", help="the published text or PDF")
    parser.add_argument("--id", required=True, help="document ID: lower-case ASCII words joined by hyphens (kurume)")
    parser.add_argument("--municipality", help="〇〇市 as on 総務省's list (default: the name printed in the title, else in the text)")
    parser.add_argument("--prefecture", help="〇〇県, needed only when the municipality's name is in several prefectures and none is printed")
    parser.add_argument("--output", help="YAML to write (default: POLICY/ID.yaml)")
    parser.add_argument("--policy", default="policy", help="policy directory (default: policy)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output")
    return parser.parse_args(argv)


def main_import(argv: list[str]) -> int:
    args = _arguments(argv)
    return _guarded(lambda: run_import(args))


def _guarded(action) -> int:
    try:
        return action()
    except ImportRefused as exc:
        print(printable(exc.report()), file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback: say what failed
        print(printable(f"import failed: {type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1


def main_align(argv: list[str]) -> int:
    from ..cli import ArgumentParser  # its error line is escaped

    parser = ArgumentParser(prog="python -m policy_handbook align", description="Suggest comparison rows for a guideline.")
    parser.add_argument("id", help="the guideline to align (its YAML is in the policy directory)")
    parser.add_argument("--policy", default="policy", help="policy directory (default: policy)")
    args = parser.parse_args(argv)
    from .align_command import run_align

    return _guarded(lambda: run_align(args.id, Path(args.policy)))
