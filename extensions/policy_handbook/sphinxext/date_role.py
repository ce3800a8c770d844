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
from .incremental import Uses, note_uses

logger = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class time_node(nodes.inline):
    """A date; ``datetime`` holds the ISO form. Non-HTML builders see an inline."""


def visit_time_html(self, node: time_node) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_time_html(self, node: time_node) -> None:
    self.body.append("</time>")


class DateRole(SphinxRole):
    """``{policy:date}`YYYY-MM-DD``` or ``{policy:date}`<guideline id>```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        iso = target if _ISO_DATE.match(target) else self._guideline_date(target)
        if iso is None:
            return [nodes.inline(self.rawtext, target, classes=["policy-date", "policy-broken"])], []
        try:
            label = format_date(iso, page_language(self.config))
        except ValueError as exc:
            logger.warning("policy:date: %s", exc, type="policy", subtype="date", location=self.get_location())
            return [nodes.inline(self.rawtext, target, classes=["policy-date", "policy-broken"])], []
        node = time_node(self.rawtext, label, classes=["policy-date"], datetime=iso)
        return [node], []

    def _guideline_date(self, document_id: str) -> str | None:
        from .data import PolicyDataError, get_policy

        try:
            policy = get_policy(self.env)
        except PolicyDataError:
            return None  # bad data: already reported as warnings
        # Re-read this page when the guideline's metadata (its history) changes or it appears,
        # not on every clause edit of the file: the fingerprint mechanism of incremental.py.
        note_uses(self.env, self.env.docname, Uses("guideline", document_id), policy=policy)
        guideline = policy.guideline(document_id)
        if guideline is None:
            logger.warning(
                "policy:date: %r is neither a date (YYYY-MM-DD) nor a guideline ID",
                document_id,
                type="policy",
                subtype="date",
                location=self.get_location(),
            )
            return None
        date = guideline.current_date
        if date is None:
            logger.warning(
                "policy:date: guideline %r has no published date",
                document_id,
                type="policy",
                subtype="date",
                location=self.get_location(),
            )
        return date


def setup_date_role(app: Sphinx) -> None:
    app.add_node(time_node, html=(visit_time_html, depart_time_html))
    # The policy domain is registered by setup_domain, which runs first.
    app.add_role_to_domain("policy", "date", DateRole())
