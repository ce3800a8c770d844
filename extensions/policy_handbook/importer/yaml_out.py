"""Write an imported guideline as the project's YAML.

Every string is written as a JSON string (a valid YAML double-quoted scalar), so
no byte of the source can become YAML structure, an anchor or a tag.
"""

from __future__ import annotations

import json

from .pipeline import Imported
from .structure import Draft


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _parts(text: str, limit: int) -> list[str]:
    """``text`` in pieces the schema's length limit allows: a long printed line is kept whole."""
    return [text[i : i + limit] for i in range(0, len(text), limit)] or [text]


def _ja(value: str) -> str:
    return "{ja: " + q(value) + "}"


def _clause(d: Draft, suggestions: dict, indent: str, out: list[str]) -> None:
    out.append(f"{indent}- id: {d.id}")
    pad = indent + "  "
    out.append(f"{pad}level: {d.level}")
    if d.marker:
        out.append(f"{pad}marker: {q(d.marker)}")
    if d.heading is not None:
        out.append(f"{pad}heading: {_ja(d.heading)}")
    if d.text is not None:
        out.append(f"{pad}text: {_ja(d.text)}")
        kind, topics = suggestions.get(d.id, (None, []))
        out.append(f"{pad}suggested:  # not confirmed: move to kind/topics once checked")
        if kind:
            out.append(f"{pad}  kind: {kind}")
        if topics:
            out.append(f"{pad}  topics: [{', '.join(topics)}]")
        if not kind or not topics:
            missing = " or ".join(what for what, got in (("kind", kind), ("topics", topics)) if not got)
            out.append(f"{pad}  review: {q(f'no confident {missing} suggested: label it by hand')}")
    if d.notes:
        out.append(f"{pad}notes:")
        for note in d.notes:
            for part in _parts(note, 20000):
                out.append(f"{pad}  - type: printed")
                out.append(f"{pad}    text: {_ja(part)}")
    if d.children:
        out.append(f"{pad}children:")
        for child in d.children:
            _clause(child, suggestions, pad + "  ", out)


def render_yaml(
    imported: Imported,
    *,
    municipality: str,
    prefecture: str,
    source_file: str,
    lg_code: str | None = None,
    suggestions: dict[str, tuple[str | None, list[str]]],
    review: list[str],
) -> str:
    f = imported.front
    out = [
        "# yaml-language-server: $schema=schema/policy.schema.json",
        f"# DRAFT imported by `python -m policy_handbook import` from {source_file}.",
        "# Japanese as extracted (PDF line breaks removed); no English yet (translation pending).",
        "# `suggested:` labels are the importer's guesses: confirm them by moving them to kind/topics.",
    ]
    if review:
        out.append("# To review by hand:")
        out += [f"#   - {line}" for line in review]
    out += [
        "type: guideline",
        f"id: {imported.document_id}",
        f"municipality: {_ja(municipality)}",
        f"prefecture: {_ja(prefecture)}",
        *([f"lg_code: {q(lg_code)}  # 全国地方公共団体コード (総務省)"] if lg_code else []),
        f"title: {_ja(f.title or municipality)}",
    ]
    if f.department:
        out.append(f"department: {_ja(f.department)}")
    if f.history:
        out.append("history:")
        for h in f.history:
            out.append(f"  - event: {h.event}")
            out.append(f"    date: {q(h.date)}")
            out.append("    published: true")
            if h.instrument:
                out.append(f"    instrument: {q(h.instrument)}")
            printed = " ".join(filter(None, [h.printed, h.instrument_printed[1] if h.instrument_printed else ""]))
            if printed:
                out.append(f"    printed: {q(printed[:200])}")
    else:
        out.append("history: []  # no date printed")
    out.append("source:")
    out.append(f"  file: {q(source_file)}")
    out.append("clauses:")
    for root in imported.structure.roots:
        _clause(root, suggestions, "  ", out)
    if imported.unplaced:
        out.append("# Printed lines not placed in a clause (page metadata, junk, a repeated title): place or delete each.")
        out.append("unplaced:")
        out += [f"  - {q(part)}" for _, text in imported.unplaced for part in _parts(text, 2000)]
    if imported.forms:
        out.append("# Forms as printed: structure each into `forms` by hand, then delete it here.")
        out.append("unstructured_forms:")
        for i, form in enumerate(imported.forms, 1):
            out.append(f"  - id: {imported.document_id}-form-{i}")
            if form.label:
                out.append(f"    label: {q(form.label[:40])}")
            out.append(f"    title: {q(form.title[:200])}")  # the schema's limits; the whole is in `printed`
            out.append("    printed:")
            out += [f"      - {q(part)}" for line in form.printed for part in _parts(line, 2000)]
    return "\n".join(out) + "\n"
