"""Access to the policy data from Sphinx: loaded once per process, reloaded on edits.

The cache key is the name, mtime and size of every file under the policy
directory, so a long-lived process picks up an edited YAML file on the next
build without re-parsing unchanged data on every directive.

Bad data never becomes a traceback. Each problem is logged once per build as a
warning at its file:line:col (type ``policy``, subtype the problem code's last
part, e.g. ``policy.reference``), and ``get_policy`` raises PolicyDataError.
Since Sphinx 9 prints a crash report for *any* exception that ends a build, the
callers in this package catch PolicyDataError and carry on without the data (a
placeholder on the page, no extra pages re-read): the warnings make a ``-W``
build fail with a clean message, and ``make html`` runs ``make check`` first.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..check_cache import load_policy_cached
from ..errors import PolicyError
from ..loader import load_policy
from ..model import Policy
from .config import get_config

if TYPE_CHECKING:
    from .domain import PolicyDomain  # domain.py imports this module

logger = logging.getLogger(__name__)


class PolicyDataError(ExtensionError):
    """The policy files have problems (already reported as warnings)."""


_lock = threading.Lock()
# The process's cache of parsed policy folders, valid while no file changes (a long-lived
# process such as the live preview parses only what was edited):
# policy_dir -> (stamp, Policy | PolicyError). What one build works from is not kept
# here but on that build's policy domain (pin_policy).
_cache: dict[Path, tuple[tuple, Policy | PolicyError]] = {}


def policy_stamp(policy_dir: Path) -> tuple:
    """(relative path, mtime_ns, size) of every file the loader may read."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(policy_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            entries.append((os.path.relpath(path, policy_dir), st.st_mtime_ns, st.st_size))
    return tuple(entries)


EMPTY_POLICY = Policy(guidelines=(), topics=(), kinds=(), actors=(), glossary=(), comparison=None, files=())


def _load(policy_dir: Path, check_cache: Path | None) -> Policy:
    if check_cache is None:
        return load_policy(policy_dir)
    # make check's cache of parsed files (config policy_check_cache): unchanged files
    # are not parsed again.
    return load_policy_cached(policy_dir, check_cache)[0]


def load_cached(policy_dir: Path, check_cache: Path | None = None) -> Policy:
    """The Policy in ``policy_dir``; raises PolicyError (cached too, until a file changes).

    A project that loads the extension but has no policy files (yet) gets an
    empty policy, not an error: its pages build, and only a directive naming
    a guideline or clause says that it does not exist. ``make check`` (the
    CLI) still calls a folder without files an error.
    """
    stamp = policy_stamp(policy_dir)
    if not any(name.endswith(".yaml") for name, _mtime, _size in stamp if os.sep not in name):
        return EMPTY_POLICY
    with _lock:
        cached = _cache.get(policy_dir)
        if cached is None or cached[0] != stamp:
            try:
                result: Policy | PolicyError = _load(policy_dir, check_cache)
            except PolicyError as exc:
                result = exc
            _cache[policy_dir] = cached = (stamp, result)
    result = cached[1]
    if isinstance(result, PolicyError):
        raise result
    return result


def policy_domain(env: BuildEnvironment) -> PolicyDomain:
    """The build's policy domain, typed."""
    return cast("PolicyDomain", env.domains["policy"])


def get_policy(env: BuildEnvironment) -> Policy:
    """The validated policy of this project; PolicyDataError when it has problems."""
    domain = policy_domain(env)  # it holds the build's pinned policy
    if domain.pinned is not None:
        return domain.pinned
    config = get_config(env.config)
    policy_dir, check_cache = config.policy_dir, config.check_cache  # absolute since config-inited (config.py)
    try:
        return load_cached(policy_dir, Path(check_cache) if check_cache else None)
    except PolicyError as exc:
        _report(exc, domain)
        raise PolicyDataError(
            f"the policy data in {policy_dir} has {len(exc.problems)} problem(s): see the warnings above, or run `make check`"
        ) from None


def policy_or_none(env: BuildEnvironment) -> Policy | None:
    """The policy, or None when it has problems (already reported as warnings).

    For event handlers that can simply do nothing without the data.
    """
    try:
        return get_policy(env)
    except PolicyDataError:
        return None


def pin_policy(env: BuildEnvironment) -> Policy:
    """Load the policy and keep using that snapshot until ``unpin_policy``.

    Called before a build reads any page, so that every page, link and index of
    one build comes from the same data even if a file is saved mid-build, and so
    that the policy directory is not re-scanned by every directive and role.
    """
    unpin_policy(env)
    policy = get_policy(env)
    policy_domain(env).pinned = policy
    return policy


def unpin_policy(env: BuildEnvironment) -> None:
    """At the end of a build: the next build of the same application loads afresh."""
    domain = policy_domain(env)
    domain.pinned = None
    domain.reported = ()


def _report(exc: PolicyError, domain: PolicyDomain) -> None:
    """Log each problem once per build (several handlers and directives may ask)."""
    if any(e is exc for e in domain.reported):
        return
    domain.reported = (*domain.reported, exc)
    for problem in exc.problems:
        code = problem.code.rpartition(".")[2] or "invalid"
        location = str(problem.location) if problem.location else None
        logger.warning(problem.message, type="policy", subtype=code, location=location)
