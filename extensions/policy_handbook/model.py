"""Typed, immutable view of the policy data.

Free of Sphinx: the loader builds these, and the Sphinx glue, the comparison
and the JSON export only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:  # pragma: no cover
    from .situations import Situations

from .characters import sanitise

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: file relative to the project root, 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        # A file name is data too (policy/\x1b[2J.yaml): printed escaped.
        return f"{sanitise(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Text:
    """The same text in Japanese and English (the `{ja, en}` shape of YAML and JSON).

    ``en`` is None while a translation is pending (an imported guideline): the
    English side then shows the Japanese, marked as such.
    """

    ja: str
    en: str | None = None

    @overload
    @classmethod
    def of(cls, raw: dict) -> Text: ...
    @overload
    @classmethod
    def of(cls, raw: None) -> None: ...
    @overload
    @classmethod
    def of(cls, raw: dict | None) -> Text | None: ...
    @classmethod
    def of(cls, raw: dict | None) -> Text | None:
        """A schema-checked ``{ja, en}`` mapping as a Text (None stays None; ``en`` may be missing)."""
        return None if raw is None else cls(raw["ja"], raw.get("en"))

    @property
    def pending(self) -> bool:
        return self.en is None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en is not None else self.ja

    def as_dict(self) -> dict:
        if self.en is None:
            # v1 API: `en` stays a string (the Japanese, as the English site shows it); the
            # optional flag says it is not a translation.
            return {"ja": self.ja, "en": self.ja, "translation_pending": True}
        return {"ja": self.ja, "en": self.en}


@dataclass(frozen=True, slots=True)
class Note:
    type: str  # typo | outdated | editorial | translation
    text: Text
    waives: tuple[str, ...] = ()  # checks this note answers for its clause: style | terminology


@dataclass(frozen=True, slots=True)
class Editorial:
    """A value that the published text does not print (inferred, summarised, added), and why."""

    field: str  # the name of the field of its owner: department, scope, label, required
    reason: Text


def editorial_reason(owner: object, field_name: str) -> Text | None:
    """Why ``owner``'s ``field_name`` is editorial, or None when it is printed in the source."""
    for e in getattr(owner, "editorial", ()):
        if e.field == field_name:
            return e.reason
    return None


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    document: str
    level: str  # preamble | section | paragraph | item
    marker: str | None  # as printed: "1．", "(3)", "・"
    number: str  # derived citation: "6(3)", "2(1)・3", "前文"
    heading: Text | None
    text: Text | None
    kind: str | None
    topics: tuple[str, ...]
    actors: tuple[str, ...]
    forms: tuple[str, ...]
    notes: tuple[Note, ...]
    parent: str | None
    children: tuple[str, ...]
    depth: int
    location: Location
    # Labels proposed by the importer's suggester, not yet confirmed by a person.
    suggested_kind: str | None = None
    suggested_topics: tuple[str, ...] = ()
    # The importer's reason it could not label the clause: a review item, not an error, while set.
    review: str | None = None

    @property
    def has_text(self) -> bool:
        return self.text is not None


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: Text
    free_text: bool = False


@dataclass(frozen=True, slots=True)
class Scale:
    min: int
    max: int
    min_label: Text
    max_label: Text
    order: str = "ascending"


@dataclass(frozen=True, slots=True)
class FormField:
    id: str
    label: Text
    type: str  # text | date | url | choice | scale
    required: bool
    section: str | None
    choices: tuple[Choice, ...]
    scale: Scale | None
    hint: Text | None
    notes: tuple[Note, ...] = ()  # editorial, about the field or its choices; not on the printed form
    editorial: tuple[Editorial, ...] = ()  # values the printed form does not show (label)


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    document: str
    label: Text
    title: Text
    addressee: Text | None
    statement: tuple[Text, ...]
    fields: tuple[FormField, ...]
    location: Location
    editorial: tuple[Editorial, ...] = ()  # label (別紙1), required (the fields' flags)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    event: str  # enacted | revised
    date: str  # ISO YYYY-MM-DD
    published: bool = True
    instrument: str | None = None  # 訓令第5号, as printed


@dataclass(frozen=True, slots=True)
class UnstructuredForm:
    """A form imported as printed text: structuring it into a Form is left to a person."""

    id: str
    label: str | None
    title: str
    printed: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Contact:
    department: Text
    unit: Text | None
    phone: str | None
    extension: str | None


@dataclass(frozen=True, slots=True)
class Guideline:
    id: str
    municipality: Text
    prefecture: Text
    title: Text
    department: Text | None  # None: not printed and not yet written by a person
    history: tuple[HistoryEntry, ...]
    scope: Text | None
    contact: Contact | None
    source_file: str  # relative to policy/
    source_url: str | None
    clauses: tuple[Clause, ...]  # every clause, flattened in document order
    forms: tuple[Form, ...]
    location: Location  # the YAML file, line 1
    editorial: tuple[Editorial, ...] = ()  # department, scope
    unstructured_forms: tuple[UnstructuredForm, ...] = ()
    lg_code: str | None = None  # 全国地方公共団体コード (JIS X 0402, six digits), checked by validate.place_problems
    unplaced: tuple[str, ...] = ()  # printed lines an import could not place, to review

    @property
    def pending_translations(self) -> int:
        """Clauses whose heading or text awaits an English translation."""
        return sum(1 for c in self.clauses if (c.text is not None and c.text.pending) or (c.heading is not None and c.heading.pending))

    @property
    def roots(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.parent is None)

    @property
    def current_date(self) -> str | None:
        """Date of the latest enactment or revision (ISO), None when none is published."""
        return self.history[-1].date if self.history else None


@dataclass(frozen=True, slots=True)
class Entry:
    """A topic, kind or actor of the taxonomy."""

    id: str
    label: Text
    description: Text | None
    location: Location


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    id: str
    term: Text
    reading: str | None
    variants: tuple[str, ...]
    definition: Text
    location: Location
    en_variants: tuple[str, ...] = ()  # other English forms the terminology check accepts
    link: bool = True  # False: a common word, not linked from the texts


@dataclass(frozen=True, slots=True)
class AlignmentRow:
    """One line of a side-by-side table: document ID -> clause IDs in that cell."""

    cells: tuple[tuple[str, tuple[str, ...]], ...]
    location: Location
    # Proposed by a machine (the importer's suggested alignment), not yet reviewed by a
    # person; `similarity` is the score it was proposed with (0-1), when it gave one.
    suggested: bool = False
    similarity: float | None = None
    # cells by document: a lookup per document must not scan a row of 1,000 cells
    _by_document: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_document", dict(self.cells))

    def clauses_of(self, document: str) -> tuple[str, ...]:
        return self._by_document.get(document, ())


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A clause tagged with a topic that the topic's rows leave out, and why."""

    clause: str
    reason: Text


@dataclass(frozen=True, slots=True)
class TopicAlignment:
    topic: str
    relation: str  # equivalent | similar | stricter | different | only
    stricter: str | None
    summary: Text
    rows: tuple[AlignmentRow, ...]
    location: Location
    excluded: tuple[Exclusion, ...] = ()  # clauses of the topic left out of the rows on purpose
    # Rows proposed by `align`, each with its similarity: never shown as a human judgement.
    suggested_rows: tuple[tuple[AlignmentRow, float], ...] = ()

    def clauses_of(self, document: str) -> tuple[str, ...]:
        return tuple(cid for row in self.rows for cid in row.clauses_of(document))


@dataclass(frozen=True, slots=True)
class Comparison:
    """A human judgement between guidelines, topic by topic: policy/comparison.yaml (any
    number of documents, shown on the comparison page) or one pair of
    policy/comparisons/*.yaml (a municipality against a reference guideline)."""

    documents: tuple[str, ...]
    topics: tuple[TopicAlignment, ...]
    location: Location

    @property
    def pair(self) -> tuple[str, str] | None:
        return (self.documents[0], self.documents[1]) if len(self.documents) == 2 else None


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything in policy/, validated."""

    guidelines: tuple[Guideline, ...]
    topics: tuple[Entry, ...]
    kinds: tuple[Entry, ...]
    actors: tuple[Entry, ...]
    glossary: tuple[GlossaryTerm, ...]
    comparison: Comparison | None
    files: tuple[str, ...]  # every file read, relative to the project root
    situations: Situations | None = None  # policy/situations.yaml (situations.py)
    # The per-pair judgements of policy/comparisons/*.yaml, in file order.
    pairs: tuple[Comparison, ...] = ()
    _clauses: dict[str, Clause] = field(default_factory=dict, repr=False, compare=False)
    # by ID, the first of each: a build looks guidelines and forms up once per clause
    # shown, and scanning 1,741 guidelines each time was quadratic
    _guidelines: dict[str, Guideline] = field(init=False, repr=False, compare=False)
    _forms: dict[str, Form] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        guidelines: dict[str, Guideline] = {}
        forms: dict[str, Form] = {}
        for g in self.guidelines:
            guidelines.setdefault(g.id, g)
            for f in g.forms:
                forms.setdefault(f.id, f)
            for c in g.clauses:
                self._clauses[c.id] = c
        object.__setattr__(self, "_guidelines", guidelines)
        object.__setattr__(self, "_forms", forms)

    def clause(self, clause_id: str) -> Clause | None:
        return self._clauses.get(clause_id)

    def guideline(self, document_id: str) -> Guideline | None:
        return self._guidelines.get(document_id)

    def form(self, form_id: str) -> Form | None:
        return self._forms.get(form_id)

    def topic(self, topic_id: str) -> Entry | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def kind(self, kind_id: str) -> Entry | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def actor(self, actor_id: str) -> Entry | None:
        return next((a for a in self.actors if a.id == actor_id), None)
