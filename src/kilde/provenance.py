"""Provenance: who reports whom, from the article down to the first source.

Every attributed quote makes its speaker a source of the article, unless the
quote sits inside another quote's report. Three things put it there:

* the report's content holds it: its cue or speaker lies inside the other quote's
  content ("Newsweek skriver at soldaten ifølge GUR sa …"), or both report the
  same claim and one is the outer frame by kind ("…, ifølge Nord Pool, skriver DN");
* its speaker is cited by a report elsewhere, and nothing frames this quote: a
  soldier whom the lead quotes through an intelligence service speaks through it
  in the later paragraphs too, unless he tells a news outlet himself (an interview);
  and a voice heard between two quotes relayed through one report (his mother in
  the same call) is in that report too;
* the article is retold from one news outlet, named once at the top or the end
  ("…, skriver Newsweek." framing the lead or the closing paragraph): every
  other quote that nothing frames, and that is not the article's own interview
  with someone, reaches the article through that outlet.

This gives chains such as article ← Newsweek ← GUR ← soldier;
:func:`kilde.chains.quote_chains` reads each quote's chain off the nesting and the edges.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from kilde.component import KildeComponent, Scorer, stage_config
from kilde.lexicon import SUPPORTED_LANGUAGES, Lexicon
from kilde.types import (
    ARTICLE,
    BOILERPLATE_SPANS,
    ProvenanceEdge,
    Quote,
    read_entities,
    read_quotes,
    write_provenance,
    write_quotes,
)

# Relayed sources rank as outer frames: the article reads a medium that reads a document.
FRAME_RANK = {"media": 3, "document": 2, "organization": 1}

OUTLET_KIND = "media"
"""The speaker kind of news outlets and agencies: the only sources an article is retold from."""

FRAMING_SHARE = 0.5
"""A report frames a paragraph when its content covers at least this share of the paragraph."""

SENTENCE_ENDS = (".", "!", "?", "»", '"', "”", ":")
"""How a body paragraph ends; a line without one is a headline or a sub-heading."""


@dataclass
class ProvenanceBuilder(KildeComponent):
    """Component ``kilde_provenance``: stores the provenance edges and each quote's ``parent``.

    Both are acyclic by construction: a quote is nested in an outer quote only when that
    does not close a loop of nesting, and an entity is cited by another only when that does
    not close a loop of citing; otherwise it stands as a source of the article itself.
    """

    name: str = "kilde_provenance"
    language: str = "common"
    """Provenance reads what the other stages found; its only word list is the common one of outlets."""
    scorer: Scorer | None = None

    def __call__(self, doc: Doc) -> Doc:
        quotes = read_quotes(doc)
        _nest(quotes, StoryLayout.of(doc, quotes))
        edges = _citations(quotes)
        write_quotes(doc, quotes)
        write_provenance(doc, edges, quotes)
        return doc


@dataclass(frozen=True)
class StoryLayout:
    """Where the story's paragraphs are, and which quotes a speaker told a news outlet himself."""

    paragraphs: tuple[tuple[int, int], ...]
    """Character ranges of the body paragraphs: no headline, sub-heading or page furniture."""
    outlet_addressees: dict[int, str] = field(default_factory=dict)
    """Quote index -> the news outlet it was said to (its entity id, else its text)."""

    @classmethod
    def of(cls, doc: Doc, quotes: list[Quote]) -> StoryLayout:
        furniture = [(span.start_char, span.end_char) for span in doc.spans.get(BOILERPLATE_SPANS, [])] + [
            (q.start_char, q.end_char) for q in quotes if q.heading and q.content
        ]
        paragraphs = tuple(
            (start, end)
            for start, end in _lines(doc.text)
            if doc.text[start:end].rstrip().endswith(SENTENCE_ENDS)
            and not any(_overlap((start, end), other) >= FRAMING_SHARE * (end - start) for other in furniture)
        )
        return cls(paragraphs, _outlet_addressees(doc, quotes))

    def framed_paragraph(self, quote: Quote) -> int | None:
        """The index of the paragraph that ``quote`` reports as a whole, if it does."""
        for number, (start, end) in enumerate(self.paragraphs):
            if _extent(quote)[0] >= start and _extent(quote)[1] <= end:
                covered = sum(part.end_char - part.start_char for part in quote.content)
                return number if covered >= FRAMING_SHARE * (end - start) else None
        return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield offset, offset + len(line)
        offset += len(line) + 1


def _outlet_addressees(doc: Doc, quotes: list[Quote]) -> dict[int, str]:
    """The quotes said to a news outlet ("sier hun til NRK"), with the outlet."""
    language = doc._.get("kilde_language") or doc.lang_
    outlets = Lexicon.load(language).media if language in SUPPORTED_LANGUAGES else frozenset()
    mentions = [
        (mention.start_char, mention.end_char, entity.id)
        for entity in read_entities(doc)
        if entity.kind == OUTLET_KIND
        for mention in entity.mentions
    ]
    found: dict[int, str] = {}
    for index, quote in enumerate(quotes):
        addressee = quote.addressee
        if addressee is None:
            continue
        entity = next(
            (e for s, t, e in mentions if s < addressee.end_char and addressee.start_char < t), None
        )
        if entity is not None or addressee.text in outlets:
            found[index] = entity or addressee.text
    return found


def _citations(quotes: list[Quote]) -> list[ProvenanceEdge]:
    """One edge per speaker and distinct citer; a citer that would close a loop gives way to the article."""
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
    return edges


def _nest(quotes: list[Quote], story: StoryLayout) -> None:
    """Set each quote's ``parent``: the report it reaches the article through, never a loop."""
    for quote in quotes:
        quote.parent = None
    _nest_by_content(quotes)
    _nest_by_speaker(quotes, story)
    _nest_between_relayed(quotes, story)
    _nest_in_retold_outlet(quotes, story)


def _adopt_first(quotes: list[Quote], index: int, outers: list[int]) -> None:
    """Nest quote ``index`` in the first of ``outers`` that closes no loop of nesting, if any."""
    for outer in outers:
        if outer != index and not _ancestor(quotes, outer, index):
            quotes[index].parent = outer
            return


def _nest_by_content(quotes: list[Quote]) -> None:
    """Nest each attributed quote in the innermost report whose content holds it.

    Inner quotes (the shortest) choose first; a candidate whose own chain of parents leads
    back to the quote is passed over, so the nesting stays a forest whatever the text.
    """
    nearby = _Neighbourhood(quotes)
    candidates = {
        index: _outer_quotes(index, quotes, nearby.around(quote))
        for index, quote in enumerate(quotes)
        if quote.entity_id is not None
    }
    for index in sorted(candidates, key=lambda i: (_length(quotes[i]), i)):
        _adopt_first(quotes, index, candidates[index])


def _nest_by_speaker(quotes: list[Quote], story: StoryLayout) -> None:
    """A speaker whom a report cites speaks through that report wherever nothing else frames him.

    An article that relays an intercepted call does not interview the caller between two
    paragraphs: his later quotes take the citer of his nearest cited quote (earlier ones
    first). A quote said to a news outlet is that outlet's interview and stays as it is.
    """
    cited: dict[str, list[int]] = {}
    for index, quote in enumerate(quotes):
        if quote.entity_id is not None and quote.parent is not None:
            cited.setdefault(quote.entity_id, []).append(index)
    for index, quote in enumerate(quotes):
        if quote.parent is not None or quote.entity_id not in cited or index in story.outlet_addressees:
            continue
        nearest = sorted(
            cited[quote.entity_id],
            key=lambda i: (
                quotes[i].start_char > quote.start_char,
                abs(quotes[i].start_char - quote.start_char),
            ),
        )
        _adopt_first(quotes, index, [parent for i in nearest if (parent := quotes[i].parent) is not None])


def _nest_between_relayed(quotes: list[Quote], story: StoryLayout) -> None:
    """A voice heard between two quotes relayed through one report is in that report too.

    The caller's mother in an intercepted call speaks between the caller's quotes, which the
    service that published the recording relays: her words reach the article the same way. A
    quote said to a news outlet stays the outlet's interview, and an outlet's own report stays
    the article's.
    """
    order = sorted(range(len(quotes)), key=lambda i: quotes[i].start_char)
    for place, index in enumerate(order):
        quote = quotes[index]
        if (
            quote.parent is not None
            or quote.entity_id is None
            or quote.speaker_kind == OUTLET_KIND
            or index in story.outlet_addressees
            or not 0 < place < len(order) - 1
        ):
            continue
        before, after = quotes[order[place - 1]].parent, quotes[order[place + 1]].parent
        if before is not None and before == after:
            _adopt_first(quotes, index, [before])


def _nest_in_retold_outlet(quotes: list[Quote], story: StoryLayout) -> None:
    """In an article retold from one news outlet, the outlet frames what nothing else frames.

    Other outlets' reports stay the article's own (two papers side by side), and so do quotes
    said to another outlet: an interview that the article reports itself.
    """
    frame = _retold_outlet(quotes, story)
    if frame is None:
        return
    outlet = quotes[frame].entity_id
    for index, quote in enumerate(quotes):
        told = story.outlet_addressees.get(index)
        if (
            quote.parent is None
            and quote.speaker_kind != OUTLET_KIND
            and quote.entity_id != outlet
            and told in (None, outlet)
        ):
            _adopt_first(quotes, index, [frame])


def _retold_outlet(quotes: list[Quote], story: StoryLayout) -> int | None:
    """The report of the one news outlet that the lead or the closing paragraph is told from.

    The outlet names its report once ("…, skriver Newsweek.") and the article goes on in its
    words; two outlets there leave it open which, so neither frames the story.
    """
    if not story.paragraphs:
        return None
    ends = {0, len(story.paragraphs) - 1}
    reports = [
        index
        for index, quote in enumerate(quotes)
        if quote.parent is None
        and quote.speaker_kind == OUTLET_KIND
        and quote.entity_id is not None
        and story.framed_paragraph(quote) in ends
    ]
    if len({quotes[index].entity_id for index in reports}) != 1:
        return None
    return min(reports, key=lambda index: quotes[index].start_char)


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
    spans: list[Span] = [*quote.content, *(s for s in (quote.cue, quote.speaker) if s is not None)]
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
