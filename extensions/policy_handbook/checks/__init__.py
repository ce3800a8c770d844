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
from ..model import Guideline, Policy
from . import coverage, guides, provenance, style, terminology
from .texts import guideline_strings, shared_strings

Locate = Callable[..., Any]


def content_warnings(policy: Policy, locate: Locate, policy_dir: Path | None = None) -> list[Problem]:
    checks = ContentChecks(policy, locate, policy_dir)
    return [w for g in policy.guidelines for w in checks.guideline(g)] + checks.shared()


class ContentChecks:
    """The content warnings, split where `make check`'s cache needs it: ``guideline(g)``
    depends only on that guideline, the glossary, the taxonomy and its source file (so
    check_cache can keep it per file); ``shared()`` is everything else."""

    def __init__(self, policy: Policy, locate: Locate, policy_dir: Path | None = None) -> None:
        self.policy, self.locate, self.policy_dir = policy, locate, policy_dir
        self.terminology = terminology.Terminology(policy)

    def guideline(self, g: Guideline) -> list[Problem]:
        warnings = style.guideline_modality_warnings(g, self.locate)
        warnings += self.terminology.warnings(guideline_strings(g), self.locate)
        if self.policy_dir is not None:
            warnings += provenance.guideline_provenance_warnings(g, self.locate, self.policy_dir)
        return warnings

    def shared(self) -> list[Problem]:
        return (
            self.terminology.warnings(shared_strings(self.policy), self.locate)
            + coverage.coverage_warnings(self.policy, self.locate)
            + guides.guide_warnings(self.policy, self.locate)
        )
