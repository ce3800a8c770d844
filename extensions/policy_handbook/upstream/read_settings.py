"""Work around Sphinx building docutils' option parser for every page it reads.

Sphinx 9.0.4 (``sphinx.util.docutils._parse_str_to_doctree``) calls
``_get_settings(standalone.Reader, parser, defaults=..., read_config_files=True)``
for each page: a docutils ``OptionParser`` over every component's settings
spec, its config files read again, ~2 ms a page whatever the page holds; 4% of
``make json`` at 1,741 guideline pages.

The replacement builds the settings once per component classes and defaults
(compared by value, so a changed ``env.settings`` builds them anew) and gives
every page its own shallow copy, as Sphinx's own ``new_document`` does, with
its own lists, so that nothing a page records (``record_dependencies``,
included files) reaches another. When a docutils.conf writes the
dependencies to a file, or the settings hold another shared object kind this
module does not know, every page gets settings built afresh, as before.
Remove this module once Sphinx builds the settings once per build.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Mapping
from typing import Any

from docutils.utils import DependencyList
from sphinx.application import Sphinx

_lock = threading.Lock()
# (component classes, read_config_files) -> (defaults as given, settings built from them)
_built: dict[tuple, tuple[dict[str, Any], Any]] = {}
# Attribute values a shallow copy may share between pages: immutable, or Sphinx's env.
_SHARED_OK = (str, int, float, bool, type(None), tuple, frozenset)


def _copy_for_one_page(settings: Any) -> Any | None:
    """A copy whose mutable parts are the page's own; None if it cannot be made safely."""
    page = copy.copy(settings)
    for name, value in vars(settings).items():
        if isinstance(value, DependencyList):
            if value.file is not None:  # written out by docutils: keep its own handling
                return None
            setattr(page, name, DependencyList())
        elif isinstance(value, list):
            setattr(page, name, list(value))
        elif isinstance(value, dict):
            setattr(page, name, dict(value))
        elif not isinstance(value, _SHARED_OK) and name != "env":
            return None
    return page


def cached(get_settings: Callable[..., Any]) -> Callable[..., Any]:
    """``get_settings`` (Sphinx's ``_get_settings``) building each distinct settings once."""

    @functools.wraps(get_settings)
    def get_settings_once(*components: Any, defaults: Mapping[str, Any], read_config_files: bool = False) -> Any:
        key = (tuple(c if isinstance(c, type) else type(c) for c in components), read_config_files)
        with _lock:
            hit = _built.get(key)
        if hit is None or hit[0] != defaults:
            hit = (dict(defaults), get_settings(*components, defaults=defaults, read_config_files=read_config_files))
            with _lock:
                _built[key] = hit
        page = _copy_for_one_page(hit[1])
        if page is None:
            return get_settings(*components, defaults=defaults, read_config_files=read_config_files)
        return page

    get_settings_once._policy_handbook_cached = True  # type: ignore[attr-defined]
    return get_settings_once


def _patch() -> bool:
    from sphinx.util import docutils as sphinx_docutils

    original = getattr(sphinx_docutils, "_get_settings", None)
    if original is None:  # another Sphinx layout: nothing to replace
        return False
    if getattr(original, "_policy_handbook_cached", False):
        return True
    # Only the page reader's call: the builders' own settings are built once anyway.
    sphinx_docutils._get_settings = cached(original)
    return True


def setup_read_settings(app: Sphinx) -> None:
    _patch()
