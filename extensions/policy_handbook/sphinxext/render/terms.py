"""Glossary terms in clause texts, linked to the glossary."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ...glossary_match import GlossaryMatcher
from ...model import Policy


class TermLinker:
    """Links the first occurrence of each glossary term in a text to the glossary.

    Where terms occur is policy_handbook.glossary_match's rule, the one the checks
    use too: leftmost-longest, and never inside a longer name (an actor such as
    当該ソーシャルメディア管理者 is not the glossary's 管理者).
    """

    def __init__(self, policy: Policy, lang: str):
        self.lang = lang
        self.matcher = GlossaryMatcher.of(policy, lang)

    def link(self, text: str, docname: str) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        linked: set[str] = set()
        pos = 0
        for match in self.matcher.matches(text):
            if match.term.id in linked or not match.term.link:  # link: false, a common word
                continue
            linked.add(match.term.id)
            if match.start > pos:
                out.append(nodes.Text(text[pos : match.start]))
            xref = addnodes.pending_xref(
                "",
                nodes.inline(match.surface, match.surface, classes=["xref", "std", "std-term"]),
                refdomain="std",
                reftype="term",
                reftarget=match.term.term.get(self.lang),
                refexplicit=True,
                refwarn=False,  # a site without a glossary page just shows the text
                refdoc=docname,
            )
            out.append(xref)
            pos = match.end
        if pos < len(text) or not out:
            out.append(nodes.Text(text[pos:]))
        return out
