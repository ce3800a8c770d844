"""Command line: ``python -m policy_handbook check [POLICY_DIR]``, ``schema``, ``diff …``, ``import …``, ``align …``.

One argparse parser with a subparser per command, each naming its function
(``set_defaults(func=…)``). ``diff``, ``import`` and ``align`` have parsers and
messages of their own (revision.py, importer/command.py), imported only when the
command runs: their arguments pass through to them. ``check`` must stay fast, so
nothing here imports Sphinx.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from .characters import sanitise
from .errors import ArgumentParser, PolicyError


def check(
    policy_dir: Path,
    *,
    out=None,
    err=None,
    fail_on_warnings: bool = False,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    pages_dir: Path | None = None,
) -> int:
    """Validate policy_dir; print a summary or every problem. Exit status 1 on errors
    (and on warnings with ``fail_on_warnings``: `make html` builds with -W).

    Unchanged files come from the cache in ``cache_dir`` (default: _build/check-cache
    beside policy_dir), which never changes the outcome (see check_cache).
    ``pages_dir`` (the site's docs/): its catalogs and pages are checked too (checks.pages_warnings).
    """
    from .loader import load_policy

    out = out or sys.stdout
    err = err or sys.stderr
    policy_dir = Path(policy_dir)
    root = policy_dir.resolve().parent
    warnings: list = []
    stale = _stale_editor_schema(policy_dir)
    if stale:  # said first, and whatever the result: it explains surprises in the editor
        print(f"{stale.location}: warning: {stale.message}", file=err)
    try:
        if use_cache:
            from .check_cache import load_policy_cached

            cache_dir = cache_dir if cache_dir is not None else root / "_build" / "check-cache"
            policy, _ = load_policy_cached(policy_dir, cache_dir, root=root, warnings=warnings)
        else:
            policy = load_policy(policy_dir, root=root, warnings=warnings)
    except PolicyError as exc:
        print(exc.report(), file=err)
        return 1
    except Exception as exc:  # never a traceback: say what failed
        print(sanitise(f"{policy_dir}: could not load the policy ({type(exc).__name__}: {exc})"), file=err)
        return 1
    if pages_dir is not None:
        from .checks import pages_warnings

        warnings = list(warnings) + pages_warnings(policy, Path(pages_dir), root)
    for w in warnings:
        location = f"{w.location}: " if w.location else ""
        print(f"{location}warning: {w.message}", file=err)
    clauses = sum(len(g.clauses) for g in policy.guidelines)
    forms = sum(len(g.forms) for g in policy.guidelines)
    summary = f"policy OK: {len(policy.guidelines)} guidelines, {clauses} clauses, {forms} forms, {len(policy.topics)} topics"
    warnings_count = len(warnings) + (1 if stale else 0)
    if warnings_count:
        summary += f" ({warnings_count} warning{'s' if warnings_count != 1 else ''})"
    print(summary, file=out)
    from .checks.pending import count_line

    for g in policy.guidelines:  # information, not an error: an imported draft is valid data
        pending = g.pending_translations
        suggested = sum(1 for c in g.clauses if c.suggested_kind or c.suggested_topics)
        if pending:
            print(f"{g.id}: {pending} clause{'s' if pending != 1 else ''} await translation", file=out)
        by_kind = count_line(g)
        if by_kind:
            print(by_kind, file=out)
        if suggested:
            print(f"{g.id}: {suggested} clause{'s' if suggested != 1 else ''} with suggested labels to confirm", file=out)
        if g.unstructured_forms:
            print(f"{g.id}: {len(g.unstructured_forms)} form(s) kept as printed text, to structure", file=out)
        if g.unplaced:
            print(
                sanitise(f"REVIEW ITEM: {g.location.file}: {g.id}: {len(g.unplaced)} printed line(s) in `unplaced`: place or delete them"),
                file=out,
            )
        for c in g.clauses:
            if c.review is not None and c.text is not None and (c.kind is None or not c.topics):
                print(sanitise(f"REVIEW ITEM: {c.location}: clause {c.id}: {c.review}"), file=out)
    return 1 if fail_on_warnings and warnings else 0


def _stale_editor_schema(policy_dir: Path):
    """A warning when the folder's schema/ copy (for editors) differs from the one checks use."""
    from .confined import inside
    from .errors import Problem
    from .model import Location
    from .schema import DEFAULT_SCHEMA

    copy = policy_dir / "schema" / "policy.schema.json"
    where = Location(f"{policy_dir.name}/schema/policy.schema.json", 1, 1)
    fix = f"replace it: python -m policy_handbook schema > {policy_dir.name}/schema/policy.schema.json"
    if copy.is_symlink() and not inside(copy, policy_dir):  # never read a file outside policy/
        return Problem(where, f"links to a file outside the policy folder; {fix}", "policy.schema")
    try:
        # Compared by size first: a 300 MB copy is never read whole.
        if not copy.is_file() or (
            copy.stat().st_size == DEFAULT_SCHEMA.stat().st_size and copy.read_bytes() == DEFAULT_SCHEMA.read_bytes()
        ):
            return None
    except OSError:
        return None
    return Problem(where, f"this copy for editors differs from the schema make check validates with; {fix}", "policy.schema")


def _run_check(args: argparse.Namespace) -> int:
    # A short process that builds ~1 million acyclic objects: the cyclic collector would
    # only scan them (up to a second at 1,741 municipalities) and find nothing to free.
    gc.disable()
    return check(
        args.policy_dir,
        fail_on_warnings=args.fail_on_warnings,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        pages_dir=args.pages,
    )


def _run_schema(args: argparse.Namespace) -> int:
    from .schema import DEFAULT_SCHEMA

    sys.stdout.write(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    return 0


# Commands with a parser (and messages) of their own, imported only when asked for:
# their arguments pass through to it unparsed.
def _run_import(args: argparse.Namespace) -> int:
    return importlib.import_module("policy_handbook.importer.command").main_import(args.rest)


def _run_align(args: argparse.Namespace) -> int:
    return importlib.import_module("policy_handbook.importer.command").main_align(args.rest)


def _run_diff(args: argparse.Namespace) -> int:
    return importlib.import_module("policy_handbook.revision").main(args.rest) or 0


def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="python -m policy_handbook", description="Policy handbook tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate the policy YAML files")
    p_check.add_argument("policy_dir", nargs="?", default="policy", type=Path, help="directory of the policy files (default: policy)")
    p_check.add_argument("-W", "--fail-on-warnings", action="store_true", help="exit with status 1 if there are warnings")
    p_check.add_argument("--no-cache", action="store_true", help="parse every file (default: unchanged files come from _build/check-cache)")
    p_check.add_argument("--pages", type=Path, help="the site's pages (docs/): check their catalogs and 上の/下の pointers too")
    p_check.add_argument("--cache-dir", type=Path, help="where the parsed files are cached (default: _build/check-cache beside POLICY_DIR)")
    p_check.set_defaults(func=_run_check)

    def passing_through(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> None:
        sub.add_parser(name, help=help_text, add_help=False).set_defaults(func=func, passes_through=True)

    passing_through("diff", _run_diff, "新旧対照表 of a guideline against a git revision (see diff --help)")
    sub.add_parser("schema", help="print the JSON Schema of the policy files (for editors: policy/schema/)").set_defaults(func=_run_schema)
    passing_through("import", _run_import, "import a published text or PDF as draft YAML (see import --help)")
    passing_through("align", _run_align, "suggest comparison rows for a guideline (see align --help)")
    return parser  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if rest and not getattr(args, "passes_through", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    return args.func(args)
