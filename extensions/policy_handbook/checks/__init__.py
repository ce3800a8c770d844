"""Content checks of `make check` that look at what the texts say, not at their shape.

Each module returns warnings (Problems) located at file:line: ``style`` (house
rules for modality), ``terminology`` (glossary renderings in every bilingual
string), ``coverage`` (comparison rows and summaries by topic),
``provenance`` (values not printed in the source are marked editorial),
``guides`` (situation guides that do not mislead), ``english`` (Japanese
punctuation in English; the pages' and the UI's catalogs), ``parity`` (the two
languages cite the same clauses; "above"/"below" agree with the page) and
``pending`` (translations still to do, counted by kind). ``pages_warnings`` is
what needs the site's pages (``check --pages docs``).
No Sphinx here: validate.policy_warnings calls ``content_warnings``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model import Guideline, Policy
from . import coverage, english, guides, parity, pending, provenance, style, terminology
from .texts import guideline_strings, shared_strings, situation_strings

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
        strings = list(guideline_strings(g))
        warnings += self.terminology.warnings(strings, self.locate)
        warnings += english.punctuation_warnings(strings, self.locate)
        warnings += parity.citation_parity_warnings(strings, self.locate)
        warnings += pending.pending_warnings(g, self.locate)
        if self.policy_dir is not None:
            warnings += provenance.guideline_provenance_warnings(g, self.locate, self.policy_dir)
        return warnings

    def shared(self) -> list[Problem]:
        strings = list(shared_strings(self.policy))
        return (
            self.terminology.warnings(strings, self.locate)
            + english.punctuation_warnings(strings, self.locate)
            + parity.citation_parity_warnings(strings, self.locate)
            + english.modality_warnings(situation_strings(self.policy), self.locate)
            + coverage.coverage_warnings(self.policy, self.locate)
            + guides.guide_warnings(self.policy, self.locate)
        )


def pages_warnings(policy: Policy, pages_dir: Path, root: Path) -> list[Problem]:
    """What needs the site's pages (``check --pages docs``): the glossary, modality and
    punctuation over every catalog the English site shows, and 上の/下の against the headings."""
    return english.catalog_warnings(terminology.Terminology(policy), pages_dir, root) + parity.page_pointer_warnings(pages_dir, root)
