"""Data structures that the pipeline stages attach to a spaCy ``Doc``.

Spans keep the link to the tokens (and through them to character offsets in
``doc.text``); the output stage turns them into the ``kilde/1`` JSON format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span

QuoteType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "media", "document", "anonymous", "unknown"]
SPEAKER_KINDS: tuple[str, ...] = ("person", "organization", "media", "document", "anonymous", "unknown")

BOILERPLATE_SPANS = "kilde_boilerplate"
"""Key in ``doc.spans``: one span per boilerplate line, labelled with its kind."""

HEDGE_SPANS = "kilde_hedges"
"""Key in ``doc.spans``: one span per hedge marker, labelled with its kind."""


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


def register_extensions() -> None:
    """Register the ``Doc`` extensions that kilde's components write (idempotent)."""
    for name in ("quotes", "entities", "provenance"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("kilde_language"):
        Doc.set_extension("kilde_language", default=None)


def doc_quotes(doc: Doc) -> list[Quote]:
    """The quotes found so far, creating the list on first use."""
    register_extensions()
    if doc._.quotes is None:
        doc._.quotes = []
    return doc._.quotes
