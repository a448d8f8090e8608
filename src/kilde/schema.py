"""The ``kilde/1`` output: :func:`doc_to_kilde` turns an analysed ``Doc`` into it, and the
JSON Schema (draft 2020-12) shipped with the package says what it holds.

The in-memory types behind it (``Quote``, ``Entity``, ``ProvenanceEdge``) and the way the
stages store them on a ``Doc`` are in :mod:`kilde.types`. ``docs/output-format.md``
explains the format in prose; the schema says the same to a validator, e.g. with the
``jsonschema`` package::

    import jsonschema, kilde, kilde.schema
    jsonschema.validate(kilde.analyze(text), kilde.schema.json_schema())
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from spacy.tokens import Doc, Span

from kilde.text import doc_text
from kilde.types import (
    BOILERPLATE_SPANS,
    HEDGE_SPANS,
    Quote,
    read_entities,
    read_provenance,
    read_quotes,
)

SCHEMA = "kilde/1"
"""The value of every output's ``schema`` field."""
SCHEMA_FILE = "kilde-1.schema.json"
"""The schema's file name inside the ``kilde`` package."""


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
    boilerplate = list(doc.spans[BOILERPLATE_SPANS]) if BOILERPLATE_SPANS in doc.spans else []
    hedges = list(doc.spans[HEDGE_SPANS]) if HEDGE_SPANS in doc.spans else []
    stored = read_quotes(doc)
    quotes = sorted(stored, key=lambda q: (q.start_char, q.end_char))
    quote_ids = {id(quote): f"q{n}" for n, quote in enumerate(quotes, 1)}
    return {
        "schema": SCHEMA,
        "id": doc_id,
        "language": doc._.get("kilde_language") or doc.lang_,
        "title": _title(doc, boilerplate),
        "text": doc_text(doc),
        "boilerplate": [
            {**span_json(span), "kind": span.label_ or "other"}
            for span in boilerplate  # type: ignore[dict-item]
        ],
        "quotes": [
            quote_json(quote, n, _parent_id(quote, stored, quote_ids)) for n, quote in enumerate(quotes, 1)
        ],
        "entities": [
            {
                "id": entity.id,
                "name": entity.name,
                "kind": entity.kind,
                "gender": entity.gender,
                "mentions": [span_json(m) for m in entity.mentions],
            }
            for entity in read_entities(doc)
        ],
        "hedges": [{**span_json(span), "kind": span.label_ or "epistemic"} for span in hedges],  # type: ignore[dict-item]
        "provenance": [
            {"source": edge.source, "via": quote_ids.get(id(edge.via)), "target": edge.target}
            for edge in read_provenance(doc, stored)
        ],
    }


def json_schema() -> dict[str, Any]:
    """The ``kilde/1`` JSON Schema as a dict (a fresh copy on every call, free to change)."""
    return json.loads(files("kilde").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def openapi_schema(prefix: str = "kilde1_") -> tuple[dict[str, Any], dict[str, Any]]:
    """The same schema for an OpenAPI 3.1 document: the root, and its definitions as
    ``components/schemas`` entries named ``prefix + name`` (which the root refers to)."""
    schema = json_schema()
    definitions = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)

    def relink(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    value.replace("#/$defs/", f"#/components/schemas/{prefix}")
                    if key == "$ref" and isinstance(value, str)
                    else relink(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [relink(item) for item in node]
        return node

    return relink(schema), {prefix + name: relink(value) for name, value in definitions.items()}


__all__ = [
    "SCHEMA",
    "SCHEMA_FILE",
    "doc_to_kilde",
    "json_schema",
    "openapi_schema",
    "quote_json",
    "span_json",
]
