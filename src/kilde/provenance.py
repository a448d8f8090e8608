"""Provenance: who reports whom, from the article down to the first source.

Every attributed quote makes its speaker a source of the article, unless the
quote sits inside another quote's report: its cue or speaker lies inside the
other quote's content ("Newsweek skriver at soldaten ifølge GUR sa …"), or
both report the same claim and one is the outer frame ("…, ifølge Nord Pool,
skriver DN": DN cites Nord Pool). Then the inner speaker is cited by the
outer speaker, which gives chains such as article ← Newsweek ← GUR ← soldier.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.types import ProvenanceEdge, Quote, doc_quotes, register_extensions

ARTICLE = "article"
# Relayed sources rank as outer frames: the article reads a medium that reads a document.
FRAME_RANK = {"media": 3, "document": 2, "organization": 1}


@dataclass
class ProvenanceBuilder:
    """Component ``kilde_provenance``: fills ``doc._.provenance`` and ``Quote.parent``."""

    name: str = "kilde_provenance"

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        quotes = doc_quotes(doc)
        edges: list[ProvenanceEdge] = []
        seen: set[tuple[str, str]] = set()
        nearby = _Neighbourhood(quotes)
        for index, quote in enumerate(quotes):
            if quote.entity_id is None:
                continue
            parent = _outer_quote(index, quotes, nearby.around(quote))
            quote.parent = parent
            target = quotes[parent].entity_id if parent is not None else None
            if target is None or target == quote.entity_id:
                target = ARTICLE
            if (quote.entity_id, target) in seen:
                continue
            seen.add((quote.entity_id, target))
            edges.append(ProvenanceEdge(source=quote.entity_id, target=target, via=quote))
        doc._.provenance = edges
        return doc


class _Neighbourhood:
    """Finds the quotes whose extent overlaps a region, without comparing every pair."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.extents = [_extent(q) for q in quotes]
        self.order = sorted(range(len(quotes)), key=lambda i: self.extents[i][0])
        self.starts = [self.extents[i][0] for i in self.order]
        self.longest = max((end - start for start, end in self.extents), default=0)

    def around(self, quote: Quote) -> list[int]:
        start, end = _extent(quote)
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_right(self.starts, end)
        return [i for i in self.order[low:high] if self.extents[i][1] > start]


def _extent(quote: Quote) -> tuple[int, int]:
    """From the first to the last character of a quote's content, cue and speaker."""
    spans = [*quote.content, *(s for s in (quote.cue, quote.speaker) if s is not None)]
    return min(s.start_char for s in spans), max(s.end_char for s in spans)


def _outer_quote(index: int, quotes: list[Quote], candidates: list[int]) -> int | None:
    """The quote whose report contains quote ``index``, if any (among ``candidates``)."""
    inner = quotes[index]
    anchors = [span for span in (inner.cue, inner.speaker) if span is not None]
    best: int | None = None
    for other_index in candidates:
        other = quotes[other_index]
        if other_index == index or other.entity_id is None or other.entity_id == inner.entity_id:
            continue
        if other.type != "direct" and any(_within(anchor, other.content) for anchor in anchors):
            best = other_index
            continue
        if _same_claim(inner, other) and _rank(other) > _rank(inner):
            best = other_index
    return best


def _within(anchor: Span, parts: list[Span]) -> bool:
    return any(part.start_char <= anchor.start_char and anchor.end_char <= part.end_char for part in parts)


def _same_claim(a: Quote, b: Quote) -> bool:
    overlap = min(a.end_char, b.end_char) - max(a.start_char, b.start_char)
    shorter = min(a.end_char - a.start_char, b.end_char - b.start_char)
    return shorter > 0 and overlap / shorter >= 0.8


def _rank(quote: Quote) -> int:
    return FRAME_RANK.get(quote.speaker_kind, 0)


@Language.factory("kilde_provenance")
def make_provenance(nlp: Language, name: str) -> ProvenanceBuilder:
    return ProvenanceBuilder(name)
