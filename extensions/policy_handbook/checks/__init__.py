"""Content checks of `make check` that look at what the texts say, not at their shape.

Each module returns warnings (Problems) located at file:line: ``style`` (house
rules for modality), ``terminology`` (glossary renderings in every bilingual
string), ``coverage`` (comparison rows and summaries by topic) and
``provenance`` (values not printed in the source are marked editorial).
No Sphinx here: validate.policy_warnings calls ``content_warnings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..errors import Problem
from ..model import Policy
from . import coverage, provenance, style, terminology

Locate = Callable[..., Any]


def content_warnings(policy: Policy, locate: Locate, policy_dir: Path | None = None) -> list[Problem]:
    warnings: list[Problem] = []
    warnings += style.modality_warnings(policy, locate)
    warnings += terminology.terminology_warnings(policy, locate)
    warnings += coverage.coverage_warnings(policy, locate)
    if policy_dir is not None:
        warnings += provenance.provenance_warnings(policy, locate, policy_dir)
    return warnings
