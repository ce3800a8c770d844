"""Clauses and forms as standard labels, so any Sphinx project can cite them.

Another project (a city's internal manual, training material) links to the
handbook through intersphinx with a plain Sphinx setup: it has no ``policy``
domain, so ``policy:clause`` entries of objects.inv mean nothing to it. Each
shown clause and form is therefore also a ``std:label`` named by its ID, with
a display name in the page language ("6(3) トラブルが発生した場合（…）"), and
``:ref:`handbook:chikugo-6-3``` works there as ``:ref:`chikugo-6-3``` does here.

The labels are set after every read phase (``env-updated``), from the policy
as it is now: a heading edited without any page being read again still gets
its new display name into objects.inv. A label the pages define themselves
keeps its meaning: the clause of the same name is not made a label, with a
warning.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import page_language
from .data import PolicyDataError, get_policy, policy_domain
from .render import clause_label, form_label

logger = logging.getLogger(__name__)


def _refresh_labels(app: Sphinx, env: BuildEnvironment) -> None:
    domain = policy_domain(env)
    std = env.domains.standard_domain
    # Last build's, to be set again (a clause may now be on another page). Sphinx drops a
    # page's labels only when it reads the page again (clear_doc); there is no public call
    # to drop one label.
    for name in domain.data.setdefault("labels", []):
        std.labels.pop(name, None)
        std.anonlabels.pop(name, None)
    domain.data["labels"] = []
    try:
        policy = get_policy(env)
    except PolicyDataError:
        return
    lang = page_language(env.config)
    targets = []
    for clause_id, (docname, anchor) in domain.locations("clause").items():
        clause = policy.clause(clause_id)
        if clause is not None:
            targets.append((clause_id, docname, anchor, clause_label(clause, lang)))
    for form_id, (docname, anchor) in domain.locations("form").items():
        form = policy.form(form_id)
        if form is not None:
            targets.append((form_id, docname, anchor, form_label(form, lang)))
    for name, docname, anchor, title in targets:
        if name in std.anonlabels:
            logger.warning(
                "the label %r of %s is also a clause or form ID: :ref:`%s` keeps going to the label",
                name,
                std.anonlabels[name][0],
                name,
                type="policy",
                subtype="label",
                location=(docname, None),
            )
            continue
        std.note_hyperlink_target(name, docname, anchor, title)
        domain.data["labels"].append(name)


def setup_labels(app: Sphinx) -> None:
    app.connect("env-updated", _refresh_labels)
