"""``align ID``: write suggested rows into comparison.yaml, keeping the file as written.

The rows are inserted as text (comments, layout, line endings and the file's mode
stay): where each goes is found by parsing the file (PyYAML's node positions), so a
topic written in block or in flow style (``- {topic: …}``) gets its rows, in its own
style. Before the file is replaced the result is parsed again and must hold exactly
the old data plus every suggested row (and the ID in ``documents``), and load as a
policy; otherwise nothing is written and the refusal says why.

(Why not a round-trip YAML library such as ruamel.yaml 0.19, measured on this file: its
load and dump alone took ~115 ms where the edit and its check take ~25 ms; it needed
its indentation set to give this file back unchanged, so a file indented otherwise
would come back re-indented throughout; it writes LF only; and it would be a new
dependency. Here only the inserted text differs.)
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import yaml

from .align import suggest_rows
from .common import load_existing_policy, write_file
from .errors import ImportProblem, ImportRefused

NOTE = "# by `align`, not confirmed: move a row's cells to rows, or delete it"


def _q(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class _Unplaceable(Exception):
    """The file is shaped so that the text edit cannot place a row: the message says where."""


def _line_after(text: str, index: int) -> int:
    """The start of the line after the one holding ``index`` (already a line start: itself)."""
    if index == 0 or text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The last node written inside a block collection: a scalar, or a flow collection (whose end is its bracket)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _after_node(text: str, node: yaml.Node, nl: str) -> tuple[int, str]:
    """Where lines go after ``node`` (a block collection), and a newline to put first if the file lacks one."""
    index = _line_after(text, _last_leaf(node).end_mark.index)
    return index, ("" if index == 0 or text[index - 1] == "\n" else nl)


def _before_close(text: str, node: yaml.Node, close: str, item: str) -> tuple[int, str]:
    """A flow collection: ``item`` goes before its closing bracket."""
    index = node.end_mark.index - 1
    if text[index : index + 1] != close:
        raise _Unplaceable(f"line {node.end_mark.line + 1}: no closing {close!r} where the parser ends the list")
    return index, (", " if node.value else "") + item


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _flow_row(r) -> str:
    cells = ", ".join(f"{doc}: {_q(ids)}" for doc, ids in r.cells.items())
    return f"{{similarity: {r.similarity}, cells: {{{cells}}}}}"


def _block_rows(rows, indent: str, nl: str) -> str:
    lines = []
    for r in rows:
        lines.append(f"{indent}- similarity: {r.similarity}")
        lines.append(f"{indent}  cells:")
        lines += [f"{indent}    {doc}: {_q(ids)}" for doc, ids in r.cells.items()]
    return "".join(line + nl for line in lines)


def _edits(text: str, document_id: str, add_document: bool, by_topic: dict[str, list]) -> list[tuple[int, str]]:
    """(offset, text to insert) for the document ID and every topic's rows, found by parsing ``text``."""
    nl = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    root = yaml.compose(text, Loader=yaml.CSafeLoader)  # marks count characters, as str indices do
    if not isinstance(root, yaml.MappingNode):
        raise _Unplaceable("line 1: not a mapping")
    edits = []
    if add_document:
        documents = _value(root, "documents")
        if not isinstance(documents, yaml.SequenceNode):
            raise _Unplaceable("`documents:` is not a list")
        if documents.flow_style:
            edits.append(_before_close(text, documents, "]", document_id))
        else:
            index, first = _after_node(text, documents, nl)
            edits.append((index, f"{first}{' ' * documents.start_mark.column}- {document_id}{nl}"))
    topics = _value(root, "topics")
    if not isinstance(topics, yaml.SequenceNode):
        raise _Unplaceable("`topics:` is not a list")
    for node in topics.value:
        name = _value(node, "topic") if isinstance(node, yaml.MappingNode) else None
        rows = by_topic.get(name.value) if isinstance(name, yaml.ScalarNode) else None
        if not rows:
            continue
        existing = _value(node, "suggested_rows")
        if existing is not None and not isinstance(existing, yaml.SequenceNode):
            raise _Unplaceable(f"line {existing.start_mark.line + 1}: `suggested_rows:` is not a list")
        if existing is not None and existing.flow_style:
            edits.append(_before_close(text, existing, "]", ", ".join(_flow_row(r) for r in rows)))
        elif existing is not None:
            index, first = _after_node(text, existing, nl)
            edits.append((index, first + _block_rows(rows, " " * existing.start_mark.column, nl)))
        elif node.flow_style:
            edits.append(_before_close(text, node, "}", "suggested_rows: [" + ", ".join(_flow_row(r) for r in rows) + "]"))
        else:
            indent = " " * node.value[0][0].start_mark.column
            index, first = _after_node(text, node, nl)
            edits.append((index, f"{first}{indent}suggested_rows:  {NOTE}{nl}" + _block_rows(rows, indent + "  ", nl)))
    return edits


def _expected(data: dict, document_id: str, add_document: bool, by_topic: dict[str, list]) -> tuple[dict, int]:
    """The file's data as it must read once the rows are in, and how many rows that adds."""
    data = copy.deepcopy(data)
    if add_document:
        data["documents"].append(document_id)
    added = 0
    for topic in data["topics"]:
        for r in by_topic.get(topic.get("topic"), ()):
            topic.setdefault("suggested_rows", []).append(
                {"similarity": r.similarity, "cells": {d: list(ids) for d, ids in r.cells.items()}}
            )
            added += 1
    return data, added


def _with_rows(comparison_path: Path, original: bytes, document_id: str, add_document: bool, by_topic: dict[str, list]) -> bytes:
    """The file's bytes with the rows inserted, checked to read back as exactly the intended data."""
    from .. import yamlio
    from ..errors import PolicyError

    where = str(comparison_path)
    total = sum(len(rows) for rows in by_topic.values())
    text = original.decode("utf-8")  # as written: CRLF stays CRLF
    try:
        edits = _edits(text, document_id, add_document, by_topic)
    except (_Unplaceable, yaml.YAMLError) as exc:
        raise ImportRefused(
            [ImportProblem(where, 1, f"cannot place the suggested rows ({exc}): file left as it was; add them by hand")]
        ) from None
    for index, insertion in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:index] + insertion + text[index:]
    try:
        wanted, added = _expected(yamlio.read_yaml(original, where).data, document_id, add_document, by_topic)
        written = yamlio.read_yaml(text, where).data
    except PolicyError as exc:
        raise ImportRefused(
            [ImportProblem(where, 1, "the suggested rows would break the file (file left as it was):\n" + exc.report())]
        ) from None
    if added != total or written != wanted:
        raise ImportRefused([ImportProblem(
            where, 1, f"the edited file would not read as the data it holds plus the {total} suggested rows: "
            "file left as it was; add them by hand (or report this as a bug of align)",
        )])  # fmt: skip
    return text.encode("utf-8")


def run_align(document_id: str, policy_dir: Path) -> int:
    from .align import _text

    comparison_path = policy_dir / "comparison.yaml"
    policy = load_existing_policy(policy_dir, str(comparison_path))
    guideline = policy.guideline(document_id)
    if guideline is None:
        raise ImportRefused([ImportProblem(str(policy_dir), 1, f"no guideline '{document_id}' in {policy_dir}: import it first")])
    cmp = policy.comparison
    if cmp is None or not comparison_path.is_file():
        raise ImportRefused([ImportProblem(str(comparison_path), 1, "no comparison file to add rows to")])
    for ta in cmp.topics:
        for row, _ in ta.suggested_rows:
            if row.clauses_of(document_id):
                raise ImportRefused(
                    [
                        ImportProblem(
                            str(comparison_path),
                            row.location.line,
                            f"suggested rows for {document_id} are already there: confirm or delete them first",
                        )
                    ]
                )
    others = [d for d in cmp.documents if d != document_id]
    rows, seen = [], set()
    for ta in cmp.topics:
        for row in ta.rows:
            cells = {d: list(row.clauses_of(d)) for d in others if row.clauses_of(d)}
            key = tuple((d, tuple(ids)) for d, ids in cells.items())
            if cells and key not in seen:
                seen.add(key)
                rows.append((ta.topic, cells))
    compared = {ta.topic for ta in cmp.topics}
    already = {cid for ta in cmp.topics for row in ta.rows for cid in row.clauses_of(document_id)}
    new_clauses = []
    for c in guideline.clauses:
        if c.text is None or c.id in already:
            continue
        topics = [t for t in (*c.topics, *c.suggested_topics) if t in compared]
        new_clauses.append((c.id, _text(c, policy), topics))
    first_topic = {cid: topics[0] for cid, _, topics in new_clauses if topics}
    suggested = suggest_rows(policy, document_id, new_clauses, rows, first_topic.get)
    placed = {r.new_clause for r in suggested}
    unplaced = [cid for cid, _, _ in new_clauses if cid not in placed]

    by_topic: dict[str, list] = {}
    for r in suggested:
        by_topic.setdefault(r.topic, []).append(r)
    original = comparison_path.read_bytes()
    text = _with_rows(comparison_path, original, document_id, document_id not in cmp.documents, by_topic)
    _check_loads(policy_dir, comparison_path, text)
    write_file(comparison_path, text, policy_dir)  # keeps the owner's mode and line endings
    print(f"{len(suggested)} suggested rows for {document_id} written to {comparison_path}")
    for r in suggested:
        partner = ", ".join(cid for d, ids in r.cells.items() if d != document_id for cid in ids) or "(no counterpart)"
        print(f"  {r.topic}: {r.new_clause} ~ {partner}  similarity {r.similarity}")
    for cid in unplaced:
        print(f"  {cid}: no compared topic suggested: add it to a topic's rows by hand")
    print("relation and summary of each topic stay yours to write or update")
    return 0


def _check_loads(policy_dir: Path, comparison_path: Path, text: bytes) -> None:
    """The policy must load with the new comparison file (read from memory: the file is not touched yet).

    Coverage problems are expected: the new document's clauses are in no confirmed row yet.
    """
    from ..errors import PolicyError
    from ..loader import load_policy, read_file

    target = os.path.realpath(comparison_path)

    def reader(raw, file, schema_path, sources):
        same = os.path.realpath(policy_dir.resolve().parent / file) == target
        return read_file(text if same else raw, file, schema_path, sources)

    try:
        load_policy(policy_dir, root=policy_dir.resolve().parent, reader=reader)
    except PolicyError as exc:
        problems = [p for p in exc.problems if p.code != "policy.coverage"]
        if problems:
            raise ImportRefused(
                [ImportProblem(str(comparison_path), 1, "the suggested rows do not load (file left as it was):\n" + exc.report())]
            ) from None
