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
from collections.abc import Mapping
from importlib.resources import files
from typing import Any, TypedDict

from spacy.tokens import Doc, Span

from kilde.chains import quote_chains
from kilde.text import doc_text
from kilde.types import (
    ARTICLE,
    BOILERPLATE_SPANS,
    HEDGE_SPANS,
    Entity,
    Quote,
    read_entities,
    read_provenance,
    read_quotes,
)

SCHEMA = "kilde/1"
"""The value of every output's ``schema`` field."""
SCHEMA_FILE = "kilde-1.schema.json"
"""The schema's file name inside the ``kilde`` package."""


# ------------------------------------------------------------------ the types
# The shape of kilde/1 for type checkers; tests/test_schema.py holds them to the packaged JSON
# Schema (same keys, same required keys), which adds the descriptions and value constraints.


class SpanJSON(TypedDict):
    start: int
    end: int
    text: str


class LabelledSpanJSON(SpanJSON):
    """A hedge marker or a boilerplate line, with its kind."""

    kind: str


class SpeakerJSON(TypedDict):
    mention: SpanJSON | None
    name: str | None
    kind: str
    entity: str | None


class ChainLinkJSON(TypedDict):
    """One source on a quote's way to the article: its entity, name and kind, cited through quote ``via``."""

    entity: str | None
    name: str | None
    kind: str
    via: str


class _QuoteFields(TypedDict):
    id: str
    type: str
    content: list[SpanJSON]
    cue: SpanJSON | None
    speaker: SpeakerJSON
    addressee: SpanJSON | None
    heading: bool
    hedged: bool
    nested_in: str | None


class QuoteJSON(_QuoteFields, total=False):
    """One quote (``chain`` is optional: output written before it was added has none)."""

    chain: list[ChainLinkJSON]


class EntityJSON(TypedDict):
    id: str
    name: str
    kind: str
    gender: str | None
    mentions: list[SpanJSON]


class EdgeJSON(TypedDict):
    """``source`` (an entity) is cited by ``target`` (an entity or ``article``) through quote ``via``."""

    source: str
    via: str | None
    target: str


class _Kilde1Fields(TypedDict):
    schema: str
    id: str | int | None
    language: str
    title: str | None
    text: str
    boilerplate: list[LabelledSpanJSON]
    quotes: list[QuoteJSON]
    entities: list[EntityJSON]
    hedges: list[LabelledSpanJSON]
    provenance: list[EdgeJSON]


class Kilde1(_Kilde1Fields, total=False):
    """One analysed article (``metadata`` only from corpus runs, with what the input record said)."""

    metadata: dict[str, Any]


def span_json(span: Span | None) -> SpanJSON | None:
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


def quote_json(
    quote: Quote, number: int, nested_in: str | None = None, chain: list[ChainLinkJSON] | None = None
) -> QuoteJSON:
    """One quote; ``nested_in`` names the quote whose report contains it, ``chain`` (when given)
    the sources from the outermost one the article cites down to this quote's speaker."""
    found: QuoteJSON = {
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
    if chain is not None:
        found["chain"] = chain
    return found


def chain_link_json(quote: Quote, quote_id: str, entities: dict[str, Entity]) -> ChainLinkJSON:
    """One source of a chain: the speaker of ``quote``, named as its entity names it when it has one."""
    entity = entities.get(quote.entity_id or "")
    return {
        "entity": quote.entity_id if entity is not None else None,
        "name": entity.name if entity is not None else quote.speaker_name,
        "kind": entity.kind if entity is not None else quote.speaker_kind,
        "via": quote_id,
    }


def _parent_id(quote: Quote, found: list[Quote], quote_ids: dict[int, str]) -> str | None:
    if quote.parent is None or not 0 <= quote.parent < len(found):
        return None
    return quote_ids.get(id(found[quote.parent]))


def doc_to_kilde(doc: Doc, doc_id: str | None = None) -> Kilde1:
    """The ``kilde/1`` object for an analysed ``Doc``; stages that did not run leave their lists empty."""
    boilerplate = list(doc.spans[BOILERPLATE_SPANS]) if BOILERPLATE_SPANS in doc.spans else []
    hedges = list(doc.spans[HEDGE_SPANS]) if HEDGE_SPANS in doc.spans else []
    stored = read_quotes(doc)
    quotes = sorted(stored, key=lambda q: (q.start_char, q.end_char))
    quote_ids = {id(quote): f"q{n}" for n, quote in enumerate(quotes, 1)}
    entities = read_entities(doc)
    by_entity = {entity.id: entity for entity in entities}
    edges = read_provenance(doc, stored)
    chains = {
        id(stored[index]): [
            chain_link_json(stored[step], quote_ids[id(stored[step])], by_entity) for step in chain
        ]
        for index, chain in enumerate(quote_chains(stored, edges))
    }
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
            quote_json(quote, n, _parent_id(quote, stored, quote_ids), chains[id(quote)])
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
            for entity in entities
        ],
        "hedges": [{**span_json(span), "kind": span.label_ or "epistemic"} for span in hedges],  # type: ignore[dict-item]
        "provenance": [
            {"source": edge.source, "via": quote_ids.get(id(edge.via)), "target": edge.target}
            for edge in edges
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


# ------------------------------------------------------------------ derived views
# Read from a kilde/1 object (any JSON that follows the schema), not from a Doc: the report,
# the web view and the corpus tables all derive these the same way.


def entity_names(result: Mapping[str, Any]) -> dict[str, str]:
    """Entity id -> name (the id where an entity has no name)."""
    return {
        str(entity["id"]): str(entity.get("name") or entity["id"])
        for entity in result.get("entities") or []
        if isinstance(entity, Mapping) and entity.get("id")
    }


def provenance_chains(result: Mapping[str, Any]) -> list[list[str]]:
    """Every chain of reporting from a root to a first-hand source, as names: ``[article, Newsweek, GUR]``.

    An edge says that ``source`` is cited by ``target``; a root is the article, or any target that is
    not itself cited by anyone. Cycles are cut where they would repeat a node.
    """
    cited_by: dict[str, list[str]] = {}
    sources: set[str] = set()
    for edge in result.get("provenance") or []:
        if not isinstance(edge, Mapping) or not edge.get("source") or not edge.get("target"):
            continue
        source, target = str(edge["source"]), str(edge["target"])
        sources.add(source)
        if source not in cited_by.setdefault(target, []):
            cited_by[target].append(source)
    roots = [target for target in cited_by if target == ARTICLE or target not in sources]
    roots.sort(key=lambda node: node != ARTICLE)
    if not roots and cited_by:  # only cycles: start anywhere
        roots = [next(iter(cited_by))]

    chains: list[list[str]] = []

    def walk(path: list[str]) -> None:
        nexts = [node for node in cited_by.get(path[-1], []) if node not in path]
        if not nexts:
            chains.append(path)
        for node in nexts:
            walk([*path, node])

    for root in roots:
        walk([root])
    names = entity_names(result)
    return [[names.get(node, node) for node in chain] for chain in chains]


def quote_chain(result: Mapping[str, Any], quote: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A quote's sources from the outermost one the article cites down to its own speaker.

    Its ``chain`` field where the output has one; for output written before that field, the
    speakers met following ``nested_in`` outwards (stopping where it would loop).
    """
    chain = quote.get("chain")
    if isinstance(chain, list):
        return [link for link in chain if isinstance(link, Mapping)]
    by_id = {q.get("id"): q for q in result.get("quotes") or [] if isinstance(q, Mapping)}
    names = entity_names(result)
    links: list[Mapping[str, Any]] = []
    seen: set[Any] = set()
    current: Mapping[str, Any] | None = quote
    while current is not None and current.get("id") not in seen:
        seen.add(current.get("id"))
        speaker = current.get("speaker") or {}
        entity = speaker.get("entity")
        name = names.get(entity) if entity else None
        links.append(
            {
                "entity": entity,
                "name": name or speaker.get("name"),
                "kind": speaker.get("kind") or "unknown",
                "via": current.get("id"),
            }
        )
        current = by_id.get(current.get("nested_in"))
    return links[::-1]


def citing_entities(result: Mapping[str, Any]) -> dict[str, str | None]:
    """For each quote id, the entity id that cites its speaker, or None when the article does.

    A provenance edge names one quote (``via``) per source and citer; a quote without an
    edge of its own takes its speaker's citer when the article never cites that speaker itself.
    """
    by_quote: dict[str, str | None] = {}
    citers: dict[str, set[str]] = {}
    for edge in result.get("provenance", []):
        target = None if edge["target"] == "article" else edge["target"]
        if edge.get("via"):
            by_quote[edge["via"]] = target
        citers.setdefault(edge["source"], set()).add(edge["target"])
    nesting: dict[str, str | None] = {}
    for quote in result.get("quotes", []):
        if quote["id"] in by_quote:
            nesting[quote["id"]] = by_quote[quote["id"]]
            continue
        targets = citers.get(quote["speaker"].get("entity") or "", set())
        outer = sorted(targets - {"article"}) if "article" not in targets else []
        nesting[quote["id"]] = outer[0] if outer else None
    return nesting


__all__ = [
    "ARTICLE",
    "SCHEMA",
    "SCHEMA_FILE",
    "ChainLinkJSON",
    "EdgeJSON",
    "EntityJSON",
    "Kilde1",
    "LabelledSpanJSON",
    "QuoteJSON",
    "SpanJSON",
    "SpeakerJSON",
    "chain_link_json",
    "citing_entities",
    "doc_to_kilde",
    "entity_names",
    "json_schema",
    "openapi_schema",
    "provenance_chains",
    "quote_chain",
    "quote_json",
    "span_json",
]
