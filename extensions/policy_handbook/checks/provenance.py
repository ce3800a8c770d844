"""Provenance: a value the published text does not print carries an editorial marker.

Checked against the source text (policy/sources/…, whitespace removed):

- a guideline's ``department`` counts as printed when the source names it outside
  the clauses or in a clause of kind ``contact`` (a department that only appears
  in a procedure, such as the office that receives notifications, is inferred);
- its ``scope`` counts as printed when the source has it word for word;
- a form's ``label`` (別紙1) and its fields' labels count as printed when they
  appear on the form (from just before its title to the next form's title);
  a field marked ``required`` needs 必須 on the form.

A value that is not printed needs ``editorial: {<field>: <reason>}`` on its owner;
a marker on a value that is printed is reported too (it would mislabel a fact).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import source_files
from ..confined import source_path
from ..errors import Problem
from ..model import Form, Guideline, editorial_reason

_BEFORE_TITLE = 12  # characters before a form's title that still belong to it (its label)


def normalise(text: str) -> str:
    return "".join(text.split())


def guideline_provenance_warnings(g: Guideline, locate: Callable[..., Any], policy_dir: Path) -> list[Problem]:
    path = source_path(Path(policy_dir), g.source_file)
    if path is None:
        return []  # the loader reports a source outside the policy folder
    try:
        source = normalise(source_files.read_text(path))  # confined, regular file, capped
    except (OSError, UnicodeDecodeError):
        return []  # the loader reports a source it cannot read; a PDF has no text to compare here
    return _guideline(g, source, locate) + _forms(g, source, locate)


def _check(printed: bool, owner: Any, field: str, what: str, where: Callable[[], Any], why_not: str) -> Problem | None:
    # ``where`` is called only for a warning: locating a field of a file taken from the
    # check cache parses that file again (origins.Sources).
    marked = editorial_reason(owner, field) is not None
    if not printed and not marked:
        return Problem(
            where(),
            f"{what} is not printed in the published text ({why_not}): add editorial: {{{field}: {{ja: …, en: …}}}} saying where it comes from",
            "policy.provenance",
        )
    if printed and marked:
        return Problem(
            where(), f"{what} is printed in the published text but marked editorial: remove editorial.{field}", "policy.provenance"
        )
    return None


def _guideline(g: Guideline, source: str, locate) -> list[Problem]:
    outside = source
    for c in g.clauses:
        if c.text is not None and c.kind != "contact":
            outside = outside.replace(normalise(c.text.ja), "", 1)
    found = []
    # An imported draft has neither until its owner adds them (the importer lists them to review).
    if g.department is not None:
        found.append(_check(normalise(g.department.ja) in outside, g, "department", f"{g.id} department 「{g.department.ja}」",
                            lambda: locate(g, "department"), "not as the issuer nor in a contact clause"))  # fmt: skip
    if g.scope is not None:
        found.append(_check(normalise(g.scope.ja) in source, g, "scope", f"{g.id} scope", lambda: locate(g, "scope"), "not word for word"))
    return [p for p in found if p is not None]


def _form_regions(g: Guideline, source: str) -> dict[str, str]:
    """Form ID -> its printed text: from just before its title (the last occurrence:
    clauses cite forms by title before the forms are printed) to the next form."""
    starts = []
    for form in g.forms:
        at = source.rfind(normalise(form.title.ja))
        if at >= 0:
            starts.append((max(0, at - _BEFORE_TITLE), form.id))
    starts.sort()
    regions = {}
    for i, (start, form_id) in enumerate(starts):
        end = starts[i + 1][0] + _BEFORE_TITLE if i + 1 < len(starts) else len(source)
        regions[form_id] = source[start:end]
    return regions


def _forms(g: Guideline, source: str, locate) -> list[Problem]:
    regions = _form_regions(g, source)
    found: list[Problem | None] = []
    for form in g.forms:
        region = regions.get(form.id)
        if region is None:
            continue  # title not printed: the faithfulness test's concern
        found.append(
            _check(
                normalise(form.label.ja) in region,
                form,
                "label",
                f"{form.id} label 「{form.label.ja}」",
                functools.partial(locate, form, "label"),
                "not on the form",
            )
        )
        for f in form.fields:
            found.append(
                _check(
                    normalise(f.label.ja) in region,
                    f,
                    "label",
                    f"{form.id} field {f.id} label 「{f.label.ja}」",
                    functools.partial(locate, f, "label"),
                    "not on the form",
                )
            )
        found += _required(form, region, locate)
    return [p for p in found if p is not None]


def _required(form: Form, region: str, locate) -> list[Problem | None]:
    required = [i for i, f in enumerate(form.fields) if f.required]
    if not required:
        return []
    return [
        _check(
            "必須" in region,
            form,
            "required",
            f"{form.id}: fields marked required",
            lambda: locate(form, "fields", required[0], "required"),
            "the form has no 必須",
        )
    ]
