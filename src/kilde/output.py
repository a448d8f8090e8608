"""Turn an analysed ``Doc`` into the ``kilde/1`` JSON object.

The format is described in docs/output-format.md and, for validators, in the packaged
JSON Schema (``kilde.schema.json_schema()``).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from kilde.text import doc_text
from kilde.types import BOILERPLATE_SPANS, HEDGE_SPANS, Quote, register_extensions

SCHEMA = "kilde/1"


def span_json(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def _title(doc: Doc, boilerplate: list[Span]) -> str | None:
    """The first non-boilerplate line, when it reads like a headline (short, no final full stop)."""
    covered = {(s.start_char, s.end_char) for s in boilerplate}
    offset = 0
    for line in doc_text(doc).split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped or (start, end) in covered:
            continue
        if len(stripped) <= 200 and not stripped.endswith("."):
            return stripped
        return None
    return None


def quote_json(quote: Quote, number: int, nested_in: str | None = None) -> dict[str, Any]:
    """One quote; ``nested_in`` (an extra field) names the quote whose report contains it."""
    return {
        "id": f"q{number}",
        "type": quote.type,
        "content": [span_json(part) for part in quote.content],
        "cue": span_json(quote.cue),
        "speaker": {
            "mention": span_json(quote.speaker),
            "name": quote.speaker_name,
            "kind": quote.speaker_kind,
            "entity": quote.entity_id,
        },
        "addressee": span_json(quote.addressee),
        "heading": quote.heading,
        "hedged": quote.hedged,
        "nested_in": nested_in,
    }


def _parent_id(quote: Quote, found: list[Quote], quote_ids: dict[int, str]) -> str | None:
    if quote.parent is None or not 0 <= quote.parent < len(found):
        return None
    return quote_ids.get(id(found[quote.parent]))


def doc_to_kilde(doc: Doc, doc_id: str | None = None) -> dict[str, Any]:
    """The ``kilde/1`` object for an analysed ``Doc``; stages that did not run leave their lists empty."""
    register_extensions()
    boilerplate = list(doc.spans[BOILERPLATE_SPANS]) if BOILERPLATE_SPANS in doc.spans else []
    hedges = list(doc.spans[HEDGE_SPANS]) if HEDGE_SPANS in doc.spans else []
    quotes = sorted(doc._.quotes or [], key=lambda q: (q.start_char, q.end_char))
    quote_ids = {id(quote): f"q{n}" for n, quote in enumerate(quotes, 1)}
    return {
        "schema": SCHEMA,
        "id": doc_id,
        "language": doc._.kilde_language or doc.lang_,
        "title": _title(doc, boilerplate),
        "text": doc_text(doc),
        "boilerplate": [
            {**span_json(span), "kind": span.label_ or "other"}
            for span in boilerplate  # type: ignore[dict-item]
        ],
        "quotes": [
            quote_json(quote, n, _parent_id(quote, doc._.quotes, quote_ids))
            for n, quote in enumerate(quotes, 1)
        ],
        "entities": [
            {
                "id": entity.id,
                "name": entity.name,
                "kind": entity.kind,
                "gender": entity.gender,
                "mentions": [span_json(m) for m in entity.mentions],
            }
            for entity in doc._.entities or []
        ],
        "hedges": [{**span_json(span), "kind": span.label_ or "epistemic"} for span in hedges],  # type: ignore[dict-item]
        "provenance": [
            {"source": edge.source, "via": quote_ids.get(id(edge.via)), "target": edge.target}
            for edge in doc._.provenance or []
        ],
    }
