"""What every directive that shows policy data starts with (sphinx-design's ``SdDirective``
is the model): one ``run`` that loads the build's policy, and one ``pending``.

With errors in the data (already reported at their file:line) the directive shows
that something is missing and the page is read again next time, when the data may
be fixed; otherwise ``plan(policy)`` gives what the directive leaves on the page. Everything a
directive returns is generated text: not the page author's to translate.
"""

from __future__ import annotations

from typing import Any, ClassVar, final

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..model import Policy
from .data import PolicyDataError, get_policy, policy_domain
from .deferred import pending, unavailable
from .nodes import policy_pending
from .render import not_for_gettext

logger = logging.getLogger(__name__)


class PolicyDirective(SphinxDirective):
    """Base of the policy directives: override ``plan``, not ``run``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    @final
    def run(self) -> list[nodes.Node]:
        try:
            policy = get_policy(self.env)
        except PolicyDataError:
            self.env.note_reread()
            result: list[nodes.Node] = [unavailable()]
        else:
            result = self.plan(policy)
        not_for_gettext(result)
        return result

    def plan(self, policy: Policy) -> list[nodes.Node]:
        raise NotImplementedError

    @property
    def heading_level(self) -> int:
        """The level of a heading the rendering starts with: one below the section's (h2..h6)."""
        section_level = getattr(self.state.memo, "section_level", 1) or 1
        return max(2, min(6, section_level + 1))

    def pending(self, what: str, **attributes: Any) -> policy_pending:
        """The placeholder rendered when the page is written (deferred.py), at this line."""
        node = pending(what, self.env.docname, heading_level=self.heading_level, **attributes)
        self.set_source_info(node)
        return node

    def show_once(self, kind: str, object_id: str, anchor: str, twice: str) -> bool:
        """Record in the domain that this page shows the object at ``anchor``; False, with
        the warning ``twice``, when the page already does."""
        if policy_domain(self.env).show(kind, object_id, self.env.docname, self.lineno, anchor):
            return True
        logger.warning(twice, type="policy", subtype="duplicate", location=self.get_location())
        return False

    def unknown(self, what: str, object_id: str) -> list[nodes.Node]:
        """A warning at the directive's line: no such object (the directive shows nothing)."""
        logger.warning("%s: no %s with ID '%s'", self.name, what, object_id, type="policy", subtype="ref", location=self.get_location())
        return []
