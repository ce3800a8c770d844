"""``{policy:date}`2022-04-01``` -> 令和4年4月1日 (ja) / 1 April 2022 (en).

``{policy:date}`chikugo``` gives the date of the guideline's latest enactment or
revision, from its metadata (so a page never repeats a date by hand). Rendered
as ``<time datetime="2022-04-01">``; other builders see an inline.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from ..dates import format_date
from .config import page_language
from .data import PolicyDataError, get_policy
from .incremental import Uses, note_uses
from .nodes import element_visitors

logger = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class time_node(nodes.inline):
    """A date; ``datetime`` holds the ISO form. Non-HTML builders see an inline."""


class DateRole(SphinxRole):
    """``{policy:date}`YYYY-MM-DD``` or ``{policy:date}`<guideline id>```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        iso = target if _ISO_DATE.match(target) else self._guideline_date(target)
        broken = [nodes.inline(self.rawtext, target, classes=["policy-date", "policy-broken"])]
        if iso is None:
            return broken, []
        try:
            label = format_date(iso, page_language(self.config))
        except ValueError as exc:
            self.warn(str(exc))
            return broken, []
        node = time_node(self.rawtext, label, classes=["policy-date"], datetime=iso)
        return [node], []

    def warn(self, message: str) -> None:
        logger.warning("policy:date: %s", message, type="policy", subtype="date", location=self.get_location())

    def _guideline_date(self, document_id: str) -> str | None:
        try:
            policy = get_policy(self.env)
        except PolicyDataError:
            return None  # bad data: already reported as warnings
        # Re-read this page when the guideline's metadata (its history) changes or it appears,
        # not on every clause edit of the file: the fingerprint mechanism of incremental.py.
        note_uses(self.env, self.env.docname, Uses("guideline", document_id), policy=policy)
        guideline = policy.guideline(document_id)
        if guideline is None:
            self.warn(f"{document_id!r} is neither a date (YYYY-MM-DD) nor a guideline ID")
            return None
        if guideline.current_date is None:
            self.warn(f"guideline {document_id!r} has no published date")
        return guideline.current_date


def setup_date_role(app: Sphinx) -> None:
    app.add_node(time_node, html=element_visitors("time", datetime=lambda node: node["datetime"]))
    # The policy domain is registered by setup_domain, which runs first.
    app.add_role_to_domain("policy", "date", DateRole())
