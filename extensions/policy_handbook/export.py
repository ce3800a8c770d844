"""The JSON API: Policy + where each clause is shown -> JSON files, each written atomically.

Free of Sphinx. The Sphinx glue (sphinxext/json_export.py) supplies the clause
locations it got from the policy domain (the ``policyjson`` builder, the one writer).

Files, relative to the API directory (api/v1/ on the site):

* ``policy.json``: everything (guidelines, taxonomy, glossary, comparison);
* ``documents/<id>.json``: one guideline each;
* ``comparison.json``: the comparison alone, and the index of the pairs;
* ``comparisons/<a>--<b>.json``: one judged pair each (policy/comparisons/*.yaml);
* ``policy.schema.json``: the JSON Schema all of them validate against, with
  the taxonomy's IDs filled in (see published_schema).

Output is deterministic: keys sorted, lists in a defined order (document order
for clauses, taxonomy order for topics, ``documents`` order for comparison
columns), no timestamps, UTF-8 with non-ASCII unescaped, a final newline.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from . import __version__, dates
from .api import SCHEMA_FILENAME, load_schema, schema_version
from .comparison import row_similarities
from .files import write_if_changed
from .model import (
    LANGS,
    AlignmentRow,
    Clause,
    Comparison,
    Entry,
    Form,
    FormField,
    GlossaryTerm,
    Guideline,
    HistoryEntry,
    Note,
    Policy,
    Text,
    TopicAlignment,
)
from .urls import is_http_url

POLICY_FILE = "policy.json"
COMPARISON_FILE = "comparison.json"
DOCUMENTS_DIR = "documents"
PAIRS_DIR = "comparisons"

#: (docname, anchor) of the page section showing a clause or form, by its ID.
Locations = Mapping[str, tuple[str, str]]

_WHITESPACE = re.compile(r"\s+")  # str patterns match Unicode whitespace, U+3000 included


# --- hashing -------------------------------------------------------------------------


def normalise_for_hash(text: str) -> str:
    """NFC, then every whitespace character removed.

    PDF line breaks and spacing around Latin words are layout, not wording, so
    they must not change the hash; removing (rather than collapsing) whitespace
    is right for Japanese, which has no spaces between words.
    """
    return _WHITESPACE.sub("", unicodedata.normalize("NFC", text))


def text_sha256(text: str) -> str:
    """Lower-case hex SHA-256 of the normalised text's UTF-8 bytes."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


# --- URLs ----------------------------------------------------------------------------


def page_urls(location: tuple[str, str] | None, link_suffix: str = ".html") -> dict[str, str] | None:
    """{'ja': 'ja/guidelines/chikugo.html#chikugo-6-3', 'en': 'en/...'} or None.

    Both sites have the same docnames, so both URLs follow from the docname
    whichever language's build computes them.
    """
    if location is None:
        return None
    docname, anchor = location
    page = quote(docname) + link_suffix
    return {lang: f"{lang}/{page}#{anchor}" if anchor else f"{lang}/{page}" for lang in LANGS}


# --- model -> JSON-ready dicts -------------------------------------------------------


def _text(text: Text | None) -> dict[str, str] | None:
    return text.as_dict() if text is not None else None


def _history(entry: HistoryEntry) -> dict[str, Any]:
    era, year, _month, _day = dates.to_era(entry.date)
    return {
        "event": entry.event,
        "date": entry.date,
        "date_text": {lang: dates.format_date(entry.date, lang) for lang in LANGS},
        "era": {"name": era, "year": year},
        "published": entry.published,
    }


def _clause(clause: Clause, locations: Locations, link_suffix: str) -> dict[str, Any]:
    data = _clause_fields(clause, locations, link_suffix)
    if clause.suggested_kind or clause.suggested_topics:
        # schema 1.2: optional, only on clauses with unconfirmed suggestions
        data["suggested"] = {"kind": clause.suggested_kind, "topics": list(clause.suggested_topics)}
    return data


def _clause_fields(clause: Clause, locations: Locations, link_suffix: str) -> dict[str, Any]:
    return {
        "id": clause.id,
        "document": clause.document,
        "number": clause.number,
        "marker": clause.marker,
        "level": clause.level,
        "depth": clause.depth,
        "heading": _text(clause.heading),
        "text": _text(clause.text),
        "kind": clause.kind,
        "topics": list(clause.topics),
        "actors": list(clause.actors),
        "forms": list(clause.forms),
        "notes": _notes(clause.notes),
        "parent": clause.parent,
        "children": list(clause.children),
        "url": page_urls(locations.get(clause.id), link_suffix),
        "sha256": text_sha256(clause.text.ja) if clause.text is not None else None,
    }


def _editorial(owner: Any) -> dict[str, Any]:
    """Field name -> why its value is editorial (not printed in the published text)."""
    return {e.field: e.reason.as_dict() for e in sorted(owner.editorial, key=lambda e: e.field)}


def _notes(notes: tuple[Note, ...]) -> list[dict[str, Any]]:
    return [{"type": n.type, "text": n.text.as_dict()} for n in notes]


def _field(field: FormField) -> dict[str, Any]:
    scale = field.scale
    return {
        "id": field.id,
        "label": field.label.as_dict(),
        "type": field.type,
        "required": field.required,
        "section": field.section,
        "choices": [{"id": c.id, "label": c.label.as_dict(), "free_text": c.free_text} for c in field.choices],
        "scale": None
        if scale is None
        else {
            "min": scale.min,
            "max": scale.max,
            "min_label": scale.min_label.as_dict(),
            "max_label": scale.max_label.as_dict(),
            "order": scale.order,
        },
        "hint": _text(field.hint),
        "notes": _notes(field.notes),
        "editorial": _editorial(field),
    }


def _form(form: Form, locations: Locations, link_suffix: str) -> dict[str, Any]:
    return {
        "id": form.id,
        "document": form.document,
        "label": form.label.as_dict(),
        "title": form.title.as_dict(),
        "addressee": _text(form.addressee),
        "statement": [s.as_dict() for s in form.statement],
        "fields": [_field(f) for f in form.fields],
        "url": page_urls(locations.get(form.id), link_suffix),
        "editorial": _editorial(form),
    }


def guideline_json(guideline: Guideline, locations: Locations, link_suffix: str = ".html") -> dict[str, Any]:
    contact = guideline.contact
    return {
        "id": guideline.id,
        "municipality": guideline.municipality.as_dict(),
        "prefecture": guideline.prefecture.as_dict(),
        "lg_code": guideline.lg_code,  # since 1.3.0; validated against the name (validate.place_problems)
        "title": guideline.title.as_dict(),
        # v1 requires these: a draft without them gives empty strings (never null).
        "department": _text(guideline.department) or {"ja": "", "en": ""},
        "history": [_history(h) for h in guideline.history],
        "current_date": guideline.current_date,
        "scope": _text(guideline.scope) or {"ja": "", "en": ""},
        "contact": None
        if contact is None
        else {
            "department": contact.department.as_dict(),
            "unit": _text(contact.unit),
            "phone": contact.phone,
            "extension": contact.extension,
        },
        # Only http(s) is ever published, whatever reached the model (the loader refuses the rest).
        "source": {"file": guideline.source_file, "url": guideline.source_url if is_http_url(guideline.source_url) else None},
        "clauses": [_clause(c, locations, link_suffix) for c in guideline.clauses],
        "forms": [_form(f, locations, link_suffix) for f in guideline.forms],
        "editorial": _editorial(guideline),
    }


def _entry(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "label": entry.label.as_dict(), "description": _text(entry.description)}


def _term(term: GlossaryTerm) -> dict[str, Any]:
    return {
        "id": term.id,
        "term": term.term.as_dict(),
        "reading": term.reading,
        "variants": list(term.variants),
        "en_variants": list(term.en_variants),
        "definition": term.definition.as_dict(),
    }


# --- comparison ----------------------------------------------------------------------


def _row_similarities(policy: Policy, row: AlignmentRow, documents: tuple[str, ...]) -> list[dict[str, Any]]:
    """Per non-base cell of the row, its similarity to the row's base cell, in both languages.

    The numbers come from the comparison engine, so they are the ones the
    comparison tables print ("類似度 87%").
    """
    by_lang = {lang: row_similarities(policy, row, lang) for lang in LANGS}
    cells = dict(row.cells)  # row.clauses_of() scans the cells: quadratic in documents
    present = [doc for doc in documents if cells.get(doc)]
    return [
        {"base": present[0], "other": doc, **{lang: round(by_lang[lang][doc], 4) for lang in LANGS}}
        for doc in present[1:]
        if all(doc in by_lang[lang] for lang in LANGS)
    ]


def _topic_order(policy: Policy) -> Callable[[TopicAlignment], tuple[int, str]]:
    index = {t.id: i for i, t in enumerate(policy.topics)}
    return lambda a: (index.get(a.topic, len(index)), a.topic)


def pair_file(comparison: Comparison) -> str:
    """Where a judged pair is in the API: comparisons/<reference>--<other>.json."""
    return f"{PAIRS_DIR}/{'--'.join(comparison.documents)}.json"


def comparison_json(policy: Policy, comparison: Comparison | None = None) -> dict[str, Any] | None:
    """policy/comparison.yaml's comparison (rows with their similarities), or a pair's.

    A pair's rows carry no computed similarity: 1,741 municipalities' pairs would be
    diffed on every build for numbers the browser computes when it shows a pair.
    """
    pair = comparison is not None
    comparison = comparison if pair else policy.comparison
    if comparison is None:
        return None
    documents = comparison.documents
    topics = []
    for alignment in sorted(comparison.topics, key=_topic_order(policy)):
        rows = []
        for row in alignment.rows:
            cells = dict(row.cells)
            entry = {
                "clauses": {doc: list(cells.get(doc, ())) for doc in documents},
                "suggested": row.suggested,
                "suggested_similarity": _number(row.similarity),
            }
            if not pair:
                entry["similarity"] = _row_similarities(policy, row, documents)
            rows.append(entry)
        entry = {
            "topic": alignment.topic,
            "relation": alignment.relation,
            "stricter": alignment.stricter,
            "summary": alignment.summary.as_dict(),
            "rows": rows,
            "excluded": [{"clause": x.clause, "reason": x.reason.as_dict()} for x in alignment.excluded],
        }
        if alignment.suggested_rows:
            entry["suggested_rows"] = [
                {"clauses": {doc: list(dict(row.cells).get(doc, ())) for doc in documents}, "similarity": _number(similarity)}
                for row, similarity in alignment.suggested_rows
            ]
        topics.append(entry)
    return {"documents": list(documents), "topics": topics}


def pairs_json(policy: Policy) -> list[dict[str, Any]]:
    """The index of the judged pairs, in comparison.json: which two documents, which file."""
    return [{"documents": list(c.documents), "file": pair_file(c)} for c in policy.pairs]


# --- files ---------------------------------------------------------------------------


def _ordered_guidelines(policy: Policy) -> list[Guideline]:
    """The comparison's column order first, then any other guideline by ID."""
    columns = policy.comparison.documents if policy.comparison else ()
    rank = {doc: i for i, doc in enumerate(columns)}
    return sorted(policy.guidelines, key=lambda g: (rank.get(g.id, len(rank)), g.id))


def _header(file_type: str) -> dict[str, Any]:
    return {
        "schema_version": schema_version(),
        "type": file_type,
        "generator": {"name": "policy-handbook", "version": __version__},
    }


def _api_data(
    policy: Policy,
    locations: Locations | None = None,
    *,
    link_suffix: str = ".html",
) -> dict[str, Callable[[], dict[str, Any]]]:
    """How to make each API data file's dict, by path relative to the API directory.

    The guidelines' dicts (policy.json holds them all, documents/<id>.json one
    each) and the comparison are made once; a pair file's dict only when asked for.
    """
    locations = locations or {}
    guidelines = {g.id: guideline_json(g, locations, link_suffix) for g in _ordered_guidelines(policy)}
    comparison = comparison_json(policy)
    makers: dict[str, Callable[[], dict[str, Any]]] = {
        POLICY_FILE: lambda: {
            **_header("policy"),
            "guidelines": list(guidelines.values()),
            "taxonomy": {
                "topics": [_entry(e) for e in policy.topics],
                "kinds": [_entry(e) for e in policy.kinds],
                "actors": [_entry(e) for e in policy.actors],
            },
            "glossary": [_term(t) for t in policy.glossary],
            "comparison": comparison,
        },
        COMPARISON_FILE: lambda: {**_header("comparison"), "comparison": comparison, "pairs": pairs_json(policy)},
    }
    for pair in policy.pairs:
        makers[pair_file(pair)] = functools.partial(_pair_data, policy, pair)
    for doc_id, guideline in guidelines.items():
        makers[f"{DOCUMENTS_DIR}/{doc_id}.json"] = functools.partial(_guideline_data, guideline)
    return makers


def _pair_data(policy: Policy, pair: Comparison) -> dict[str, Any]:
    return {**_header("pair"), "comparison": comparison_json(policy, pair)}


def _guideline_data(guideline: dict[str, Any]) -> dict[str, Any]:
    return {**_header("guideline"), "guideline": guideline}


def build_api(
    policy: Policy,
    locations: Locations | None = None,
    *,
    link_suffix: str = ".html",
) -> dict[str, dict[str, Any]]:
    """Every API data file as a dict, by path relative to the API directory."""
    return {path: make() for path, make in _api_data(policy, locations, link_suffix=link_suffix).items()}


def published_schema(policy: Policy) -> bytes:
    """The API schema as published beside this policy's JSON: IDs of the taxonomy enumerated.

    JSON Schema cannot say "a kind listed in taxonomy.kinds of the same
    document", and documents/<id>.json carries no taxonomy at all. So the packaged
    schema leaves topicId, kindId and actorId open (it serves every policy) and
    the published copy, written with the data it describes, lists this
    taxonomy's IDs: any validator then rejects an unknown kind or topic in any
    of the API files. The IDs are data, not structure, so x-schema-version
    stays (a consumer of 1.x still gets every field it knows).
    """
    schema = load_schema()
    for definition, entries in (("topicId", policy.topics), ("kindId", policy.kinds), ("actorId", policy.actors)):
        schema["$defs"][definition]["enum"] = [e.id for e in entries]
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# orjson writes exactly what json.dumps(data, ensure_ascii=False, sort_keys=True,
# indent=2) wrote (the API's format since 1.0), an order of magnitude faster:
# json's indenting encoder is pure Python, and 1,741 municipalities are 180 MB
# of JSON. The one difference is a float below 1e-4 (see _number).
# The final newline by orjson too: ``+ b"\n"`` copied policy.json's ~90 MB once more.
_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def serialise(data: Any) -> bytes:
    """The one JSON formatting of the API: sorted keys, 2-space indent, UTF-8, final newline."""
    return orjson.dumps(data, option=_ORJSON_OPTIONS)


def _serialised(make: Callable[[], dict[str, Any]]) -> bytes:
    return serialise(make())


def _number(value: float | None) -> float | orjson.Fragment | None:
    """A number from the YAML (a suggested row's similarity), written as json.dumps writes it.

    orjson writes 0.00001 where Python writes 1e-05; both are valid JSON, but a
    consumer comparing files byte for byte would see a change.
    """
    if isinstance(value, float) and orjson.dumps(value) != repr(value).encode():
        return orjson.Fragment(repr(value))
    return value


class ApiFiles(Mapping[str, bytes]):
    """Every API file by relative path, in path order, serialised only when read.

    At 1,741 municipalities the files are ~200 MB of JSON: serialised all at
    once, they were the peak memory of each HTML build. write_api reads them one
    at a time, so only one file's bytes (policy.json's, ~90 MB) are alive at once
    (beside the dicts they are made of: policy.json holds every guideline's).
    """

    def __init__(self, makers: Mapping[str, Callable[[], bytes]]) -> None:
        self._makers = dict(sorted(makers.items()))

    def __getitem__(self, path: str) -> bytes:
        return self._makers[path]()

    def __contains__(self, path: object) -> bool:  # without serialising (Mapping's would)
        return path in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def render_api(
    policy: Policy,
    locations: Locations | None = None,
    *,
    link_suffix: str = ".html",
) -> ApiFiles:
    """Every API file, the schema included, by relative path: serialised when read."""
    makers: dict[str, Callable[[], bytes]] = {
        path: functools.partial(_serialised, make) for path, make in _api_data(policy, locations, link_suffix=link_suffix).items()
    }
    makers[SCHEMA_FILENAME] = lambda: published_schema(policy)
    return ApiFiles(makers)


# --- writing -------------------------------------------------------------------------


def _is_api_file(path: Path, api_dir: Path) -> bool:
    rel = path.relative_to(api_dir)
    if len(rel.parts) == 1:
        return rel.name in (POLICY_FILE, COMPARISON_FILE, SCHEMA_FILENAME)
    return len(rel.parts) == 2 and rel.parts[0] in (DOCUMENTS_DIR, PAIRS_DIR) and rel.suffix == ".json"


def existing_api_files(api_dir: Path) -> list[Path]:
    """The files in api_dir that the export owns (its outputs of an earlier build)."""
    candidates = [p for d in (api_dir, api_dir / DOCUMENTS_DIR, api_dir / PAIRS_DIR) if d.is_dir() for p in d.iterdir()]
    return sorted(p for p in candidates if p.is_file() and _is_api_file(p, api_dir))


def write_api(api_dir: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write the files (each atomically: no reader sees a partial file) and drop stale ones.

    A file whose bytes are unchanged is not rewritten (its mtime stays, so an
    unchanged rebuild writes nothing and the publisher hard-links it). Export
    files left over from an earlier build (a removed guideline) are deleted.
    Returns the relative paths actually (re)written.
    """
    api_dir = Path(api_dir)
    written: list[str] = []
    for rel, data in files.items():
        if write_if_changed(api_dir / rel, data):
            written.append(rel)
    keep = {api_dir / rel for rel in files}
    for path in existing_api_files(api_dir):
        if path not in keep:
            path.unlink()
    return written


def remove_api(api_dir: Path) -> list[str]:
    """Delete every export file in api_dir, then the directories left empty; files the
    export does not own are left alone. Returns the removed paths."""
    api_dir = Path(api_dir)
    removed = []
    for path in existing_api_files(api_dir):
        path.unlink()
        removed.append(path.relative_to(api_dir).as_posix())
    for directory in (api_dir / DOCUMENTS_DIR, api_dir / PAIRS_DIR, api_dir):
        try:
            directory.rmdir()  # only succeeds when empty
        except OSError:
            pass
    return removed
