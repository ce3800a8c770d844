"""Command line: ``python -m policy_handbook check [POLICY_DIR]`` and ``diff ...``.

``check`` must stay fast, so nothing here imports Sphinx.
"""

from __future__ import annotations

import importlib
import argparse
import sys
from pathlib import Path

from .errors import PolicyError


def check(policy_dir: Path, *, out=None, err=None, cache_dir: Path | None = None, use_cache: bool = True) -> int:
    """Validate policy_dir; print a summary or every problem. Exit status 1 on errors.

    Unchanged files come from the cache in ``cache_dir`` (default: _build/check-cache
    beside policy_dir), which never changes the outcome (see check_cache).
    """
    from .loader import load_policy

    out = out or sys.stdout
    err = err or sys.stderr
    policy_dir = Path(policy_dir)
    root = policy_dir.resolve().parent
    warnings: list = []
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
        print(f"{policy_dir}: could not load the policy ({type(exc).__name__}: {exc})", file=err)
        return 1
    for w in warnings:
        location = f"{w.location}: " if w.location else ""
        print(f"{location}warning: {w.message}", file=err)
    clauses = sum(len(g.clauses) for g in policy.guidelines)
    forms = sum(len(g.forms) for g in policy.guidelines)
    summary = (
        f"policy OK: {len(policy.guidelines)} guidelines, {clauses} clauses, {forms} forms, {len(policy.topics)} topics"
    )
    if warnings:
        summary += f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
    print(summary, file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "diff":
        revision = importlib.import_module("policy_handbook.revision")  # imported only when asked for

        return revision.main(argv[1:]) or 0
    parser = argparse.ArgumentParser(prog="python -m policy_handbook", description="Policy handbook tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate the policy YAML files")
    p_check.add_argument("policy_dir", nargs="?", default="policy", type=Path, help="directory of the policy files (default: policy)")
    p_check.add_argument("--no-cache", action="store_true", help="parse every file (default: unchanged files come from _build/check-cache)")
    p_check.add_argument("--cache-dir", type=Path, help="where the parsed files are cached (default: _build/check-cache beside POLICY_DIR)")
    sub.add_parser("diff", help="新旧対照表 of a guideline against a git revision (see diff --help)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.policy_dir, cache_dir=args.cache_dir, use_cache=not args.no_cache)
    return 2  # pragma: no cover - argparse enforces the choices
