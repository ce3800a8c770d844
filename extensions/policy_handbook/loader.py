"""Load policy/*.yaml into the model: strict YAML, JSON Schema, then semantic checks.

``load_policy`` reads every file, reports every problem of every file at once
(each with file:line:col) and only returns a Policy when there are none.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from . import schema, situations, source_files, validate, yamlio
from .checks import ContentChecks
from .confined import _resolve_dir, _resolving_once, inside, source_path
from .errors import PolicyError, Problem
from .model import (
    AlignmentRow,
    Choice,
    Clause,
    Comparison,
    Contact,
    Editorial,
    Entry,
    Exclusion,
    Form,
    FormField,
    GlossaryTerm,
    Guideline,
    HistoryEntry,
    Location,
    Note,
    Policy,
    Scale,
    Text,
    TopicAlignment,
    UnstructuredForm,
)
from .origins import Sources

FILE_TYPES = schema.FILE_TYPES
DEFAULT_SCHEMA = schema.DEFAULT_SCHEMA


# --------------------------------------------------------------------------- model building


_DIGITS = re.compile(r"[0-9]+")


def clause_number(level: str, marker: str | None, parent_number: str | None, item_ordinal: int) -> str:
    """The citation number of a clause: '前文', '6', '6(3)', '2(1)・3'."""
    parent_number = parent_number or ""
    if level == "preamble":
        return "前文"
    if level == "item":
        return f"{parent_number}・{item_ordinal}"
    if not marker:
        return parent_number  # unnumbered paragraph: cited by its parent's number
    normal = unicodedata.normalize("NFKC", marker).strip()
    digits = _DIGITS.search(normal)
    label = digits.group() if digits else normal.strip("()（）.．、 ")
    if level == "section":
        return label
    return f"{parent_number}({label})"


class _Builder:
    def __init__(self, doc: yamlio.YamlDocument, sources: Sources):
        self.doc = doc
        self.sources = sources

    def loc(self, raw: Any) -> Location:
        return self.doc.locate(raw)

    def reg(self, obj: Any, raw: Any) -> Any:
        return self.sources.register(obj, self.doc, raw)

    # -- guideline

    def guideline(self) -> Guideline:
        raw = self.doc.data
        document = raw["id"]
        clauses: list[Clause] = []
        self._clauses(raw["clauses"], document, None, "", 0, clauses)
        contact = None
        if raw.get("contact"):
            c = raw["contact"]
            contact = self.reg(Contact(Text.of(c["department"]), Text.of(c.get("unit")), c.get("phone"), c.get("extension")), c)
        g = Guideline(
            id=document,
            municipality=Text.of(raw["municipality"]),
            prefecture=Text.of(raw["prefecture"]),
            lg_code=raw.get("lg_code"),
            title=Text.of(raw["title"]),
            department=Text.of(raw.get("department")),
            history=tuple(
                self.reg(HistoryEntry(h["event"], h["date"], h.get("published", True), h.get("instrument")), h) for h in raw["history"]
            ),
            scope=Text.of(raw.get("scope")),
            contact=contact,
            source_file=raw["source"]["file"],
            source_url=raw["source"].get("url"),
            clauses=tuple(clauses),
            forms=tuple(self._form(f, document) for f in raw.get("forms", ())),
            location=Location(self.doc.file, 1, 1),
            editorial=self._editorial(raw),
            unstructured_forms=tuple(
                self.reg(UnstructuredForm(f["id"], f.get("label"), f["title"], tuple(f["printed"]), self.loc(f)), f)
                for f in raw.get("unstructured_forms", ())
            ),
            unplaced=tuple(raw.get("unplaced", ())),
        )
        return self.reg(g, raw)

    def _clauses(self, raws: list, document: str, parent: str | None, parent_number: str, depth: int, out: list) -> None:
        items = 0
        for raw in raws:
            level = raw["level"]
            if level == "item":
                items += 1
            number = clause_number(level, raw.get("marker"), parent_number, items)
            children = raw.get("children", ())
            clause = Clause(
                id=raw["id"],
                document=document,
                level=level,
                marker=raw.get("marker"),
                number=number,
                heading=Text.of(raw.get("heading")),
                text=Text.of(raw.get("text")),
                kind=raw.get("kind"),
                topics=tuple(raw.get("topics", ())),
                actors=tuple(raw.get("actors", ())),
                forms=tuple(raw.get("forms", ())),
                notes=self._notes(raw),
                parent=parent,
                children=tuple(c["id"] for c in children),
                depth=depth,
                location=self.loc(raw),
                suggested_kind=raw.get("suggested", {}).get("kind"),
                suggested_topics=tuple(raw.get("suggested", {}).get("topics", ())),
                review=raw.get("suggested", {}).get("review"),
            )
            out.append(self.reg(clause, raw))
            self._clauses(children, document, clause.id, number, depth + 1, out)

    def _form(self, raw: dict, document: str) -> Form:
        form = Form(
            id=raw["id"],
            document=document,
            label=Text.of(raw["label"]),
            title=Text.of(raw["title"]),
            addressee=Text.of(raw.get("addressee")),
            statement=tuple(Text.of(s) for s in raw.get("statement", ())),
            fields=tuple(self._field(f) for f in raw["fields"]),
            location=self.loc(raw),
            editorial=self._editorial(raw),
        )
        return self.reg(form, raw)

    def _notes(self, raw: dict) -> tuple[Note, ...]:
        return tuple(self.reg(Note(n["type"], Text.of(n["text"]), tuple(n.get("waives", ()))), n) for n in raw.get("notes", ()))

    def _editorial(self, raw: dict) -> tuple[Editorial, ...]:
        # registered with its reason's mapping: problems point at the reason
        return tuple(self.reg(Editorial(name, Text.of(reason)), reason) for name, reason in raw.get("editorial", {}).items())

    def _field(self, raw: dict) -> FormField:
        scale = None
        if raw.get("scale"):
            s = raw["scale"]
            scale = self.reg(Scale(s["min"], s["max"], Text.of(s["min_label"]), Text.of(s["max_label"]), s.get("order", "ascending")), s)
        choices = tuple(self.reg(Choice(c["id"], Text.of(c["label"]), c.get("free_text", False)), c) for c in raw.get("choices", ()))
        f = FormField(
            id=raw["id"],
            label=Text.of(raw["label"]),
            type=raw["type"],
            required=raw["required"],
            section=raw.get("section"),
            choices=choices,
            scale=scale,
            hint=Text.of(raw.get("hint")),
            notes=self._notes(raw),
            editorial=self._editorial(raw),
        )
        return self.reg(f, raw)

    # -- taxonomy, glossary, comparison

    def entries(self, key: str) -> tuple[Entry, ...]:
        return tuple(
            self.reg(Entry(e["id"], Text.of(e["label"]), Text.of(e.get("description")), self.loc(e)), e) for e in self.doc.data[key]
        )

    def glossary(self) -> tuple[GlossaryTerm, ...]:
        return tuple(
            self.reg(
                GlossaryTerm(
                    t["id"],
                    Text.of(t["term"]),
                    t.get("reading"),
                    tuple(t.get("variants", ())),
                    Text.of(t["definition"]),
                    self.loc(t),
                    tuple(t.get("en_variants", ())),
                    t.get("link", True),
                ),
                t,
            )
            for t in self.doc.data["terms"]
        )

    def comparison(self) -> Comparison:
        raw = self.doc.data
        topics = []
        for t in raw["topics"]:
            rows = tuple(self.reg(_row(r, self.loc(r)), r) for r in t["rows"])
            excluded = tuple(self.reg(Exclusion(e["clause"], Text.of(e["reason"])), e) for e in t.get("excluded", ()))
            suggested = tuple(
                (
                    self.reg(AlignmentRow(tuple((doc, tuple(ids)) for doc, ids in r["cells"].items()), self.loc(r)), r["cells"]),
                    r["similarity"],
                )
                for r in t.get("suggested_rows", ())
            )
            topics.append(
                self.reg(
                    TopicAlignment(
                        t["topic"],
                        t["relation"],
                        t.get("stricter"),
                        Text.of(t["summary"]),
                        rows,
                        self.loc(t),
                        excluded=excluded,
                        suggested_rows=suggested,
                    ),
                    t,
                )
            )
        return self.reg(Comparison(tuple(raw["documents"]), tuple(topics), Location(self.doc.file, 1, 1)), raw)


# Keys of a comparison row that are not document IDs (the schema declares them).
ROW_FLAGS = ("suggested", "similarity")


def _row(raw: dict, location: Location) -> AlignmentRow:
    cells = tuple((doc, tuple(ids)) for doc, ids in raw.items() if doc not in ROW_FLAGS)
    return AlignmentRow(cells, location, bool(raw.get("suggested", False)), raw.get("similarity"))


# --------------------------------------------------------------------------- entry points

# Per-pair comparison files (a municipality against a reference guideline) live here,
# one file each, so that 1,741 municipalities do not share one file.
PAIRS_DIR = "comparisons"


def _relative(path: Path, root: Path) -> str:
    # The file's own name, not its symlink target's: problems point where the owner looks.
    real = os.path.join(_resolve_dir(os.path.dirname(os.fspath(path))), os.path.basename(os.fspath(path)))
    base = _resolve_dir(os.fspath(root)).rstrip(os.sep) + os.sep
    if not real.startswith(base):
        return Path(path).as_posix()
    return real[len(base) :].replace(os.sep, "/")


OUTSIDE = "links to a file outside the policy folder: policy files must be inside policy/"


def _read_checked(source: bytes | str, file: str, schema_path: Path | None) -> tuple[yamlio.YamlDocument, str]:
    """Parse and schema-check one file; PolicyError with all its problems."""
    doc = yamlio.read_yaml(source, file)
    file_type, problems = schema.check_document(doc, schema_path)
    if problems:
        raise PolicyError(problems)
    assert file_type is not None
    return doc, file_type


def _internal_problem(file: str, exc: BaseException) -> Problem:
    return Problem(Location(file, 1, 1), f"could not load this file ({type(exc).__name__}: {exc})", "policy.internal")


def read_file(raw: bytes, file: str, schema_path: Path, sources: Sources) -> tuple[Any, str, Any]:
    """One file's bytes parsed, schema-checked and built: (document, file type, model object).

    The document only needs a ``file`` attribute for what follows. PolicyError on a problem.
    """
    doc, file_type = _read_checked(raw, file, schema_path)
    builder = _Builder(doc, sources)
    if file_type == "guideline":
        built: Any = builder.guideline()
    elif file_type == "taxonomy":
        built = (builder.entries("topics"), builder.entries("kinds"), builder.entries("actors"))
    elif file_type == "glossary":
        built = builder.glossary()
    elif file_type == "situations":
        built = situations.build(doc.data, doc.locate, builder.reg)
    else:
        built = builder.comparison()
    return doc, file_type, built


def _read_all(policy_dir: Path, paths: list[Path], root: Path, schema_path: Path, sources: Sources, problems: list[Problem], reader=None):
    """Parse, check and build every file; problems of all files go to ``problems``.

    ``reader`` stands in for ``read_file`` (check_cache's cached version).
    """
    reader = reader or read_file
    by_type: dict[str, list[tuple[yamlio.YamlDocument, Any]]] = {t: [] for t in FILE_TYPES}
    failed: set[str] = set()  # file types of which some file could not be read
    files: list[str] = []
    for path in paths:
        file = _relative(path, root)
        files.append(file)
        if not inside(path, policy_dir):  # never read, not even to guess its type
            problems.append(Problem(Location(file, 1, 1), OUTSIDE, "policy.files"))
            failed.add("")
            continue
        try:
            doc, file_type, built = reader(yamlio.read_bytes(path), file, schema_path, sources)
            by_type[file_type].append((doc, built))
        except PolicyError as exc:
            problems += exc.problems
            failed.add(_peek_type(path))
        except Exception as exc:  # a bug or an unreadable file must not become a traceback
            problems.append(_internal_problem(file, exc))
            failed.add(_peek_type(path))

    return by_type, failed, files


def policy_paths(policy_dir: Path) -> list[Path]:
    """policy/*.yaml, then policy/comparisons/*.yaml: every file the policy is read from."""
    top = sorted(p for p in policy_dir.glob("*.yaml") if p.is_file())
    return top + sorted(p for p in (policy_dir / PAIRS_DIR).glob("*.yaml") if p.is_file())


def _is_pair_file(doc: yamlio.YamlDocument) -> bool:
    return doc.file.rsplit("/", 2)[-2:-1] == [PAIRS_DIR]


def load_policy(
    policy_dir: Path | str,
    *,
    root: Path | str | None = None,
    warnings: list[Problem] | None = None,
    reader=None,
    memo=None,
) -> Policy:
    """Load and validate every policy file in ``policy_dir``.

    Raises PolicyError listing every problem of every file. Locations are
    relative to ``root`` (default: the parent of ``policy_dir``). Warnings
    (checks/: style, terminology, coverage, provenance) are appended to ``warnings`` when a list is given.
    ``reader`` (a stand-in for read_file) and ``memo`` (called once the files are read, it
    returns a check_cache.ResultsMemo) are check_cache's.
    """
    policy_dir = Path(policy_dir)
    root = Path(root) if root is not None else policy_dir.parent
    schema_path = DEFAULT_SCHEMA  # never the folder's own copy (see schema.DEFAULT_SCHEMA)

    paths = policy_paths(policy_dir)
    problems: list[Problem] = []
    if not paths:
        raise PolicyError([Problem(Location(_relative(policy_dir, root), 1, 1), "no policy files (*.yaml) found", "policy.files")])

    # The collector stays paused while the (acyclic) data is built and checked:
    # with millions of live objects each full collection would cost a large part
    # of a second, and none would find garbage.
    with yamlio.gc_paused(), _resolving_once():
        policy = _load_and_check(policy_dir, root, paths, schema_path, problems, warnings, reader, memo)
    if problems:
        raise PolicyError(problems)
    return policy


def _load_and_check(
    policy_dir: Path,
    root: Path,
    paths: list[Path],
    schema_path: Path,
    problems: list[Problem],
    warnings: list[Problem] | None,
    reader=None,
    memo=None,
) -> Policy:
    """Everything after the file list; problems go to ``problems``, warnings to ``warnings``."""
    sources = Sources()
    by_type, failed, files = _read_all(policy_dir, paths, root, schema_path, sources, problems, reader)

    for file_type in ("guideline", "taxonomy", "glossary", "situations"):
        for doc, _ in by_type[file_type]:
            if _is_pair_file(doc):
                problems.append(
                    Problem(Location(doc.file, 1, 1), f"{PAIRS_DIR}/ holds comparison files only, not a {file_type}", "policy.files")
                )
    pair_files = [(doc, c) for doc, c in by_type["comparison"] if _is_pair_file(doc)]
    by_type["comparison"] = [(doc, c) for doc, c in by_type["comparison"] if not _is_pair_file(doc)]
    for file_type in ("taxonomy", "glossary", "comparison", "situations"):
        found = by_type[file_type]
        for doc, _ in found[1:]:
            first = found[0][0].file
            problems.append(Problem(Location(doc.file, 1, 1), f"a second {file_type} file (the first is {first})", "policy.files"))
    if not by_type["taxonomy"] and "taxonomy" not in failed:
        problems.append(Problem(Location(_relative(policy_dir, root), 1, 1), "no taxonomy file (type: taxonomy)", "policy.files"))

    topics, kinds, actors = by_type["taxonomy"][0][1] if by_type["taxonomy"] else ((), (), ())
    policy = Policy(
        guidelines=tuple(g for _, g in by_type["guideline"]),
        topics=topics,
        kinds=kinds,
        actors=actors,
        glossary=by_type["glossary"][0][1] if by_type["glossary"] else (),
        comparison=by_type["comparison"][0][1] if by_type["comparison"] else None,
        files=tuple(files),
        situations=by_type["situations"][0][1] if by_type["situations"] else None,
        pairs=tuple(c for _, c in pair_files),
    )
    complete = validate.Completeness(
        taxonomy=bool(by_type["taxonomy"]) and "taxonomy" not in failed,
        guidelines="guideline" not in failed and "" not in failed,
    )
    try:
        # The check fails anyway when a part is broken: no result of it is worth keeping.
        results = memo() if memo is not None and complete.taxonomy and complete.guidelines else None
        content = ContentChecks(policy, sources, policy_dir) if warnings is not None else None
        per_guideline = _guideline_results(policy, sources, complete, content, results)
        files = {g.id: g.location.file for g in policy.guidelines}
        problems += validate.validate_policy(
            policy,
            sources,
            complete=complete,
            guideline_problems=lambda g: per_guideline[id(g)][0],
            pair_memo=(lambda cmp, compute: results.pair(cmp, files, compute)) if results is not None else None,
            file_memo=results.file if results is not None else None,
        )
        for g in policy.guidelines:
            path = source_path(policy_dir, g.source_file)
            if path is None:
                problems.append(
                    Problem(
                        sources(g, "source", "file"),
                        f"source.file: {schema.short_repr(g.source_file, 60)} is outside the policy folder: name a file in policy/sources/",
                        "policy.files",
                    )
                )
            elif (why := source_files.problem(path)) == "not found":
                problems.append(
                    Problem(sources(g, "source", "file"), f"source file not found: {policy_dir.name}/{g.source_file}", "policy.reference")
                )
            elif why is not None:  # a FIFO, a device, a folder or too large: never read
                problems.append(
                    Problem(sources(g, "source", "file"), f"source file {policy_dir.name}/{g.source_file} {why}", "policy.files")
                )
        if not problems and warnings is not None and content is not None:  # content: made with warnings
            warnings += [w for g in policy.guidelines for w in per_guideline[id(g)][1]]
            warnings += content.shared()
    except Exception as exc:  # pragma: no cover - a bug in a check must still not be a traceback
        problems.append(_internal_problem(_relative(policy_dir, root), exc))
    return policy


# (problems, warnings) of one guideline alone; warnings only when asked for and it has no problems.
GuidelineResults = tuple[list[Problem], list[Problem]]


def _guideline_results(
    policy: Policy, sources: Sources, complete: validate.Completeness, content: ContentChecks | None, memo=None
) -> dict[int, GuidelineResults]:
    """What each guideline alone gets: validate_guideline's problems and, with ``content``, the
    content checks' warnings. ``memo.guideline(g, compute, with_warnings)`` may return a kept
    result instead (check_cache.ResultsMemo)."""
    taxonomy = policy if complete.taxonomy else None
    with_warnings = content is not None

    def compute(g: Guideline) -> GuidelineResults:
        problems = validate.validate_guideline(g, sources, taxonomy, check_ids=False)
        return problems, (content.guideline(g) if content is not None and not problems else [])

    if memo is None:
        return {id(g): compute(g) for g in policy.guidelines}
    return {id(g): memo.guideline(g, lambda g=g: compute(g), with_warnings) for g in policy.guidelines}


def _peek_type(path: Path) -> str:
    """Best guess of a broken file's type, to avoid follow-on errors in other files."""
    try:
        head = yamlio.read_bytes(path, 4096).decode("utf-8", "replace")
    except OSError:
        return ""
    m = re.search(r"^type:\s*['\"]?(guideline|taxonomy|glossary|comparison|situations)\b", head, re.M)
    return m.group(1) if m else ""


def load_guideline_from_string(
    text: str | bytes,
    filename: str,
    taxonomy: Policy | None = None,
    *,
    schema_path: Path | None = None,
) -> Guideline:
    """Parse, validate and build one guideline from text (e.g. a git blob).

    With ``taxonomy`` (a loaded Policy), kinds, topics and actors are checked too.
    """
    try:
        doc, file_type = _read_checked(text, filename, schema_path)
        if file_type != "guideline":
            where = doc.locate(None, "type")
            raise PolicyError([Problem(where, f"expected a guideline file, found type '{file_type}'", "policy.schema")])
        sources = Sources()
        guideline = _Builder(doc, sources).guideline()
        problems = validate.validate_guideline(guideline, sources, taxonomy)
    except PolicyError:
        raise
    except Exception as exc:  # a bug must not become a traceback in `make diff`
        raise PolicyError([_internal_problem(filename, exc)]) from None
    if problems:
        raise PolicyError(problems)
    return guideline
