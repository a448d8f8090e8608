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
from spacy.tokens import Doc

from kilde.component import KildeComponent, Scorer, stage_config
from kilde.types import ARTICLE, ProvenanceEdge, Quote, read_quotes, write_provenance, write_quotes

# Relayed sources rank as outer frames: the article reads a medium that reads a document.
FRAME_RANK = {"media": 3, "document": 2, "organization": 1}


@dataclass
class ProvenanceBuilder(KildeComponent):
    """Component ``kilde_provenance``: stores the provenance edges and each quote's ``parent``.

    Both are acyclic by construction: a quote is nested in an outer quote only when that
    does not close a loop of nesting, and an entity is cited by another only when that does
    not close a loop of citing; otherwise it stands as a source of the article itself.
    """

    name: str = "kilde_provenance"
    language: str = "common"
    """Provenance reads what the other stages found; it has no language data of its own."""
    scorer: Scorer | None = None

    def __call__(self, doc: Doc) -> Doc:
        quotes = read_quotes(doc)
        _nest(quotes)
        edges: list[ProvenanceEdge] = []
        cited_by: dict[str, set[str]] = {}
        for quote in quotes:
            if quote.entity_id is None:
                continue
            target = quotes[quote.parent].entity_id if quote.parent is not None else None
            if target is None or target == quote.entity_id or _reaches(cited_by, target, quote.entity_id):
                target = ARTICLE
            if target in cited_by.get(quote.entity_id, ()):
                continue
            cited_by.setdefault(quote.entity_id, set()).add(target)
            edges.append(ProvenanceEdge(source=quote.entity_id, target=target, via=quote))
        write_quotes(doc, quotes)
        write_provenance(doc, edges, quotes)
        return doc


def _nest(quotes: list[Quote]) -> None:
    """Set each attributed quote's ``parent``: the innermost report around it, never a loop.

    Inner quotes (the shortest) choose first; a candidate whose own chain of parents leads
    back to the quote is passed over, so the nesting stays a forest whatever the text.
    """
    nearby = _Neighbourhood(quotes)
    candidates = {
        index: _outer_quotes(index, quotes, nearby.around(quote))
        for index, quote in enumerate(quotes)
        if quote.entity_id is not None
    }
    for quote in quotes:
        quote.parent = None
    for index in sorted(candidates, key=lambda i: (_length(quotes[i]), i)):
        for outer in candidates[index]:
            if not _ancestor(quotes, outer, index):
                quotes[index].parent = outer
                break


def _ancestor(quotes: list[Quote], start: int, index: int) -> bool:
    """Whether ``index`` is ``start`` or one of its parents."""
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current not in seen:
        if current == index:
            return True
        seen.add(current)
        current = quotes[current].parent
    return False


def _reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether ``goal`` can be reached from ``start`` along ``edges``."""
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for following in edges.get(node, ()):
            if following not in seen:
                seen.add(following)
                stack.append(following)
    return False


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


def _outer_quotes(index: int, quotes: list[Quote], candidates: list[int]) -> list[int]:
    """The quotes whose report may contain quote ``index``, innermost first (among ``candidates``).

    A report contains another when the other's cue or speaker lies in its content, or when both
    report the same claim and it is the outer frame by kind. Among several, the shortest content
    is innermost, and of equal ones the lower-ranked frame (a document inside a medium).
    """
    inner = quotes[index]
    anchors = [span for span in (inner.cue, inner.speaker) if span is not None]
    found: list[int] = []
    for other_index in candidates:
        other = quotes[other_index]
        if other_index == index or other.entity_id is None or other.entity_id == inner.entity_id:
            continue
        contains = other.type != "direct" and any(other.encloses(anchor) for anchor in anchors)
        if contains or (_same_claim(inner, other) and _rank(other) > _rank(inner)):
            found.append(other_index)
    return sorted(found, key=lambda i: (_length(quotes[i]), _rank(quotes[i]), i))


def _length(quote: Quote) -> int:
    return quote.end_char - quote.start_char


def _same_claim(a: Quote, b: Quote) -> bool:
    overlap = min(a.end_char, b.end_char) - max(a.start_char, b.start_char)
    shorter = min(a.end_char - a.start_char, b.end_char - b.start_char)
    return shorter > 0 and overlap / shorter >= 0.8


def _rank(quote: Quote) -> int:
    return FRAME_RANK.get(quote.speaker_kind, 0)


@Language.factory(
    "kilde_provenance",
    assigns=["doc._.kilde_quote_attrs", "doc._.kilde_provenance"],
    requires=["doc.spans", "doc._.kilde_entities"],
    default_config=stage_config("provenance"),
    default_score_weights={"relayed_f": 0.5},
)
def make_provenance(nlp: Language, name: str, scorer: Scorer | None) -> ProvenanceBuilder:
    return ProvenanceBuilder(name, scorer=scorer)
