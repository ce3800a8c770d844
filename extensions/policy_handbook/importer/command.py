"""``python -m policy_handbook import SOURCE --id ID …`` and ``… align ID``.

Refusals print file:line and exit 1; nothing is written unless everything worked.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from . import limits
from .common import check_destination, load_existing_policy, write_file
from .errors import ImportProblem, ImportRefused, printable
from .pipeline import ID_PATTERN, Imported
from .place import infer_place, printed_lines
from .source import import_source

_TYPE_LINE = re.compile(rb"^type:[ \t]*['\"]?([A-Za-z]+)", re.M)


def _check_replaces_a_guideline(output: Path) -> None:
    """--force replaces a guideline, never another of the policy's files: ``--id taxonomy``
    (or glossary, comparison, situations) would otherwise overwrite that file with a draft."""
    found = _TYPE_LINE.search(limits.read_regular_file(output, str(output))[:4096])
    kind = found.group(1).decode("ascii") if found else None
    if kind != "guideline":
        what = f"the policy's {kind} file" if kind else "not a guideline (no `type: guideline`)"
        raise ImportRefused([ImportProblem(str(output), 1, f"is {what}: not replaced, even with --force (choose another --id)")])


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
                [
                    ImportProblem(
                        str(output), p.location.line if p.location else 1, f"draft not written, it would not pass `make check`: {p.message}"
                    )
                    for p in problems
                ]
            ) from None


def suggestions_for(imported: Imported, policy, review: list[str] | None = None) -> dict[str, tuple[str | None, list[str]]]:
    """Suggested (kind, topics) of each clause with text; a note in ``review`` when they were
    learnt from a sample of the labelled clauses (a large policy and a large text)."""
    from .suggest import Suggester, clause_context, cued_topics, examples_from_policy, topic_descriptions

    suggester = Suggester(
        examples_from_policy(policy, exclude=imported.document_id),
        topic_descriptions(policy),
        {k.id for k in policy.kinds},
        clauses=sum(c.text is not None for c in imported.clauses()),
    )
    if suggester.sampled and review is not None:
        used, labelled = suggester.sampled
        review.append(
            f"suggestions learnt from {used:,} of the policy's {labelled:,} labelled clauses (a sample over every topic: the text and the policy are large)"
        )
    known = {t.id for t in policy.topics}
    out = {}
    seen: dict[tuple, tuple[str | None, list[str]]] = {}  # the same clause repeated is suggested for once
    for draft in imported.clauses():
        if draft.text is None:
            continue
        headings: list[str] = []
        parent = draft.parent
        while parent is not None:
            if parent.heading:
                headings.insert(0, parent.heading)
            parent = parent.parent
        key = (tuple(headings), draft.heading, draft.text)
        if key not in seen:
            context = clause_context(headings, draft.heading, draft.text)
            cued = cued_topics(headings, draft.heading, draft.text, known)
            seen[key] = (suggester.kind(draft.text, context), suggester.topics(context, cued))
        out[draft.id] = seen[key]
    return out


def review_items(imported: Imported) -> list[str]:
    """What the owner checks by hand, each with where it is in the source."""
    points = imported.structure.review
    review = [f"{imported.place(line)}: {what}" for line, what in points[:MAX_POINTS]]
    if len(points) > MAX_POINTS:
        review.append(f"... and {len(points) - MAX_POINTS} more points of the structure to check")
    if imported.front.title is None:
        review.append("no title line found: the title is the municipality's name; write the real title")
    if imported.front.department is None:
        review.append("no issuing department printed: add `department` if known")
    review.append("no `scope` written: add a one-sentence summary of who the guideline applies to")
    if imported.joined:
        review.append(f"{imported.joined} broken lines were joined: compare paragraph ends with the source")
    if imported.split_words:
        shown = ", ".join(f"{word!r} ({imported.place(line)})" for line, word in imported.split_words[:SHOWN])
        more = f" and {len(imported.split_words) - SHOWN} more" if len(imported.split_words) > SHOWN else ""
        if imported.joined_split_words:
            review.append(
                f"{len(imported.split_words)} spaces inside words removed (--join-split-words): {shown}{more}; compare with the source"
            )
        else:
            review.append(
                f"{len(imported.split_words)} spaces inside words, left where the PDF broke its lines, kept as printed: {shown}{more};"
                " import again with --join-split-words to remove them"
            )
    if imported.unplaced:
        review.append(
            f"{len(imported.unplaced)} printed line(s) placed in no clause, kept under `unplaced`: "
            + ", ".join(imported.place(line) for line, _ in imported.unplaced[:SHOWN])
        )
    return review


SHOWN = 8  # examples given of a long list
MAX_POINTS = 200  # points of the structure listed one by one (20,000 repeated numbers are one problem)


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
    check_destination(output, policy_dir)
    if output.exists() and not args.force:
        raise ImportRefused([ImportProblem(str(output), 1, "already exists: not overwritten (give --force to replace it)")])
    if output.exists():
        _check_replaces_a_guideline(output)
    raw, imported = import_source(source, args.id, display, join_split_words=args.join_split_words)
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
    review = [*review_items(imported), *place.review]

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
        check_destination(copied, policy_dir)
        if copied.exists() and limits.read_regular_file(copied, str(copied)) != raw and not args.force:
            raise ImportRefused([ImportProblem(str(copied), 1, "another source with this name exists: not overwritten (give --force)")])

    policy = load_existing_policy(policy_dir, display)
    from .yaml_out import render_yaml

    suggestions = suggestions_for(imported, policy, review)
    unlabelled = [cid for cid, (kind, topics) in suggestions.items() if not kind or not topics]
    if unlabelled:
        review.append(
            f"{len(unlabelled)} clause(s) with no confident kind or topics, written with a `review:` note"
            f" (`make check` lists them): {', '.join(unlabelled[:SHOWN])}{' …' if len(unlabelled) > SHOWN else ''}"
        )
    text = render_yaml(
        imported,
        municipality=place.municipality,
        prefecture=place.prefecture,
        lg_code=place.lg_code,
        source_file=source_file,
        suggestions=suggestions,
        review=review,
    )
    _check_output(text, output, policy, policy_dir)
    if not inside:  # the bytes that were imported, not the file again (it may have changed since)
        write_file(copied, raw, policy_dir)
    write_file(output, text.encode("utf-8"), policy_dir)
    print(printable(_report(imported, output, review)))
    return 0


def _arguments(argv: list[str]):
    from ..errors import ArgumentParser  # its error line is escaped

    parser = ArgumentParser(
        prog="python -m policy_handbook import",
        description="Import a published guideline (UTF-8/Shift_JIS/UTF-16 text or a PDF with a text layer) as draft YAML.",
    )
    parser.add_argument("source", help="the published text or PDF")
    parser.add_argument("--id", required=True, help="document ID: lower-case ASCII words joined by hyphens (kurume)")
    parser.add_argument("--municipality", help="〇〇市 as on 総務省's list (default: the name printed in the title, else in the text)")
    parser.add_argument(
        "--prefecture", help="〇〇県, needed only when the municipality's name is in several prefectures and none is printed"
    )
    parser.add_argument("--output", help="YAML to write (default: POLICY/ID.yaml)")
    parser.add_argument("--policy", default="policy", help="policy directory (default: policy)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output")
    parser.add_argument(
        "--join-split-words",
        action="store_true",
        help="remove the spaces a flattened PDF text left inside words (発 信); by default they are kept and listed to review",
    )
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
    from ..errors import ArgumentParser  # its error line is escaped

    parser = ArgumentParser(prog="python -m policy_handbook align", description="Suggest comparison rows for a guideline.")
    parser.add_argument("id", help="the guideline to align (its YAML is in the policy directory)")
    parser.add_argument("--policy", default="policy", help="policy directory (default: policy)")
    args = parser.parse_args(argv)
    from .align_command import run_align

    return _guarded(lambda: run_align(args.id, Path(args.policy)))
