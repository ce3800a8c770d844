"""Work around myst-parser building throwaway docutils settings on every parse.

myst-parser 5.2.0 (``myst_parser.mdit_to_docutils.base``) evaluates
``options.get("document", make_document())`` in ``setup_render``: the default
is computed even when a document is passed, and ``make_document`` builds a
fresh docutils option parser (``frontend.get_default_settings``, about 1 ms)
each time. Sphinx parses every translated message separately, so the English
build paid this for each of its ~330 messages (0.15 s of its ~1 s).

The replacement keeps one default-settings object per parser class and gives
each new document its own copy, so nothing a parse changes leaks into the next.
It changes nothing else: the documents are the same. Remove this module once
myst-parser computes the default lazily.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from docutils.frontend import get_default_settings
from docutils.utils import new_document
from sphinx.application import Sphinx


@functools.cache
def _default_settings(parser_cls: type) -> Any:
    return get_default_settings(parser_cls)


def _patch() -> bool:
    try:
        from myst_parser.mdit_to_docutils import base
    except ImportError:  # the project builds without MyST: nothing to fix
        return False
    original = getattr(base, "make_document", None)
    if original is None:  # another myst-parser layout: nothing to replace
        return False
    if getattr(original, "_policy_handbook_cached", False):
        return True

    @functools.wraps(original)
    def make_document(source_path: str = "notset", parser_cls: type = base.RSTParser) -> Any:
        return new_document(source_path, settings=copy.copy(_default_settings(parser_cls)))

    make_document._policy_handbook_cached = True  # type: ignore[attr-defined]
    base.make_document = make_document
    return True


def setup_myst_settings(app: Sphinx) -> None:
    _patch()
