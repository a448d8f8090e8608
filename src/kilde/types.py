"""Data structures that the pipeline stages attach to a spaCy ``Doc``.

Spans keep the link to the tokens (and through them to character offsets in
``doc.text``); the output stage turns them into the ``kilde/1`` JSON format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span

ARTICLE = "article"
"""The provenance node of the article itself: every chain of reporting starts there."""

QuoteType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "media", "document", "anonymous", "unknown"]
SPEAKER_KINDS: tuple[str, ...] = ("person", "organization", "media", "document", "anonymous", "unknown")

BOILERPLATE_SPANS = "kilde_boilerplate"
"""Key in ``doc.spans``: one span per boilerplate line, labelled with its kind."""

HEDGE_SPANS = "kilde_hedges"
"""Key in ``doc.spans``: one span per hedge marker, labelled with its kind."""

COREF_SPANS = "kilde_coref_mentions"
"""Key in ``doc.spans``: the mentions of every entity of two or more mentions that
``kilde_coreference`` found, each labelled with its entity's number."""


@dataclass
class Quote:
    """One attribution: content said by a source, with its cue and speaker."""

    type: QuoteType
    content: list[Span]
    cue: Span | None = None
    speaker: Span | None = None
    addressee: Span | None = None
    heading: bool = False
    hedged: bool = False
    speaker_name: str | None = None
    speaker_kind: SpeakerKind = "unknown"
    entity_id: str | None = None
    # Set when the quote is nested inside the content of another quote
    # ("Newsweek skriver at soldaten ifølge GUR sa ..."): index into doc._.quotes.
    parent: int | None = None

    @property
    def start_char(self) -> int:
        return min(span.start_char for span in self.content)

    @property
    def end_char(self) -> int:
        return max(span.end_char for span in self.content)

    def encloses(self, span: Span) -> bool:
        """Whether ``span`` lies inside one part of this quote's content."""
        return any(
            part.start_char <= span.start_char and span.end_char <= part.end_char for part in self.content
        )


@dataclass
class Entity:
    """A speaker or other participant, with every mention the article uses for it."""

    id: str
    name: str
    kind: SpeakerKind = "unknown"
    gender: Literal["f", "m"] | None = None
    mentions: list[Span] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


@dataclass
class ProvenanceEdge:
    """``source`` (an entity id) is cited by ``target`` (an entity id or "article") through quote ``via``."""

    source: str
    target: str
    via: Quote | None = None


# Every result lives on the Doc in span groups and in attributes of plain data (ids,
# names, indices), never as Python objects: Doc.to_bytes, DocBin and nlp.pipe(n_process=…)
# carry them. Quote i's spans carry span id str(i); read_quotes builds the Quote views.
QUOTE_SPANS = "kilde_quotes"
"""Key in ``doc.spans``: each quote's content parts, labelled with its type."""
CUE_SPANS = "kilde_cues"
"""Key in ``doc.spans``: each quote's cue (at most one per quote)."""
SPEAKER_SPANS = "kilde_speakers"
"""Key in ``doc.spans``: each quote's speaker mention; ``kb_id_`` is its entity id."""
ADDRESSEE_SPANS = "kilde_addressees"
"""Key in ``doc.spans``: who each quote was said to."""
MENTION_SPANS = "kilde_mentions"
"""Key in ``doc.spans``: every mention of an entity; ``id_`` is the entity id."""
QUOTE_ATTRS = "kilde_quote_attrs"
"""``doc._`` attribute: per quote, in the order of its span id, what is not a span."""
ENTITY_ATTRS = "kilde_entities"
"""``doc._`` attribute: per entity, its id, name, kind, gender and aliases."""
PROVENANCE_ATTRS = "kilde_provenance"
"""``doc._`` attribute: the provenance edges, each quote named by its index."""
QUOTE_FIELDS = ("type", "heading", "hedged", "speaker_name", "speaker_kind", "entity_id", "parent")
"""The fields of a :class:`Quote` that are plain data, stored in ``doc._.kilde_quote_attrs``."""


def register_extensions() -> None:
    """Register the ``Doc`` extensions that kilde's components write (idempotent).

    ``doc._.quotes``, ``doc._.entities`` and ``doc._.provenance`` are read-only views built
    from the span groups and plain attributes; the stages write those with
    :func:`write_quotes`, :func:`write_entities` and :func:`write_provenance`.
    """
    for name in (QUOTE_ATTRS, ENTITY_ATTRS, PROVENANCE_ATTRS, "kilde_language"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    views = {"quotes": read_quotes, "entities": read_entities, "provenance": _provenance_view}
    for name, getter in views.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter)


def _copy(span: Span, span_id: str, kb_id: str | None = None) -> Span:
    return Span(span.doc, span.start, span.end, label=span.label, kb_id=kb_id or span.kb_id_, span_id=span_id)


def write_quotes(doc: Doc, quotes: list[Quote]) -> None:
    """Store ``quotes`` on ``doc`` (replacing what was there): spans in groups, the rest as data."""
    register_extensions()
    content: list[Span] = []
    cues: list[Span] = []
    speakers: list[Span] = []
    addressees: list[Span] = []
    attrs: list[dict[str, object]] = []
    for n, quote in enumerate(quotes):
        key = str(n)
        content.extend(
            Span(doc, part.start, part.end, label=quote.type, span_id=key) for part in quote.content
        )
        if quote.cue is not None:
            cues.append(_copy(quote.cue, key))
        if quote.speaker is not None:
            speakers.append(_copy(quote.speaker, key, quote.entity_id))
        if quote.addressee is not None:
            addressees.append(_copy(quote.addressee, key))
        attrs.append({name: getattr(quote, name) for name in QUOTE_FIELDS})
    doc.spans[QUOTE_SPANS] = content
    doc.spans[CUE_SPANS] = cues
    doc.spans[SPEAKER_SPANS] = speakers
    doc.spans[ADDRESSEE_SPANS] = addressees
    doc._.set(QUOTE_ATTRS, attrs)


def read_quotes(doc: Doc) -> list[Quote]:
    """The quotes stored on ``doc`` as new :class:`Quote` objects (an empty list before any stage)."""
    if not Doc.has_extension(QUOTE_ATTRS):
        return []
    attrs = doc._.get(QUOTE_ATTRS) or []
    # The stored keys are the Quote fields that are not spans (see write_quotes).
    quotes = [Quote(content=[], **a) for a in attrs]
    for key in (QUOTE_SPANS, CUE_SPANS, SPEAKER_SPANS, ADDRESSEE_SPANS):
        for span in doc.spans.get(key, []):
            quote = quotes[int(span.id_)]
            plain = Span(doc, span.start, span.end, label=span.label)
            if key == QUOTE_SPANS:
                quote.content.append(plain)
            elif key == CUE_SPANS:
                quote.cue = plain
            elif key == SPEAKER_SPANS:
                quote.speaker = plain
            else:
                quote.addressee = plain
    return quotes


def write_entities(doc: Doc, entities: list[Entity]) -> None:
    """Store ``entities`` on ``doc``: mentions in a span group, the rest as data."""
    register_extensions()
    doc.spans[MENTION_SPANS] = [_copy(m, entity.id) for entity in entities for m in entity.mentions]
    doc._.set(
        ENTITY_ATTRS,
        [
            {"id": e.id, "name": e.name, "kind": e.kind, "gender": e.gender, "aliases": sorted(e.aliases)}
            for e in entities
        ],
    )


def read_entities(doc: Doc) -> list[Entity]:
    """The entities stored on ``doc``, with their mentions, as new :class:`Entity` objects."""
    if not Doc.has_extension(ENTITY_ATTRS):
        return []
    entities = [
        Entity(a["id"], a["name"], a["kind"], a["gender"], [], set(a["aliases"]))
        for a in doc._.get(ENTITY_ATTRS) or []
    ]
    by_id = {entity.id: entity for entity in entities}
    for span in doc.spans.get(MENTION_SPANS, []):
        if span.id_ in by_id:
            by_id[span.id_].mentions.append(Span(doc, span.start, span.end, label=span.label))
    return entities


def write_provenance(doc: Doc, edges: list[ProvenanceEdge], quotes: list[Quote]) -> None:
    """Store provenance ``edges``, naming each edge's quote by its index in ``quotes``."""
    register_extensions()
    index = {id(quote): n for n, quote in enumerate(quotes)}
    doc._.set(
        PROVENANCE_ATTRS,
        [
            {"source": e.source, "target": e.target, "via": index.get(id(e.via)) if e.via else None}
            for e in edges
        ],
    )


def read_provenance(doc: Doc, quotes: list[Quote]) -> list[ProvenanceEdge]:
    """The provenance edges stored on ``doc``, each pointing at its quote in ``quotes``."""
    if not Doc.has_extension(PROVENANCE_ATTRS):
        return []
    return [
        ProvenanceEdge(e["source"], e["target"], quotes[e["via"]] if e["via"] is not None else None)
        for e in doc._.get(PROVENANCE_ATTRS) or []
    ]


def _provenance_view(doc: Doc) -> list[ProvenanceEdge]:
    return read_provenance(doc, read_quotes(doc))


register_extensions()


def write_clusters(doc: Doc, clusters: list[list[tuple[int, int]]]) -> None:
    """Store entities (each a list of token ranges) as :data:`COREF_SPANS`, numbered from 1."""
    spans = [
        Span(doc, start, end, label=str(number))
        for number, group in enumerate(clusters, start=1)
        for start, end in group
    ]
    doc.spans[COREF_SPANS] = sorted(spans, key=lambda span: (span.start, -span.end))


def read_clusters(doc: Doc) -> list[list[Span]]:
    """The entities in :data:`COREF_SPANS`, in the order of their numbers, each in text order."""
    groups: dict[str, list[Span]] = {}
    for span in doc.spans.get(COREF_SPANS, []):
        groups.setdefault(span.label_, []).append(span)
    ordered = sorted(groups.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0)
    return [sorted(group, key=lambda span: span.start) for _, group in ordered]
