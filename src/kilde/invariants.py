"""The invariants every ``kilde/1`` object keeps, checked from the outside.

Tests, the property-based fuzzing and the real-text benchmark all ask the same
question of an output: are its offsets inside the text, do its ids resolve, are
nesting and provenance free of cycles, and does each quote's chain follow them?
:func:`violations` answers it once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kilde.types import ARTICLE


def violations(result: Mapping[str, Any], text: str | None = None) -> list[str]:
    """Every broken invariant of ``result``, one short line each; empty when it is sound.

    ``text`` is the text that was analysed, when known: the output must carry it unchanged.
    """
    found: list[str] = []
    analysed = result.get("text")
    if not isinstance(analysed, str):
        return ["text is missing"]
    if text is not None and analysed != text:
        found.append("text differs from the input")
    for where, span in _spans(result):
        found.extend(_span_problems(where, span, analysed))
    found.extend(_id_problems(result))
    found.extend(_cycle_problems(result))
    found.extend(_chain_problems(result))
    return found


def _spans(result: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every character span of the output, with where it sits."""
    for quote in result.get("quotes", []):
        qid = quote.get("id")
        for n, part in enumerate(quote.get("content", [])):
            yield f"{qid}.content[{n}]", part
        for key in ("cue", "addressee"):
            if quote.get(key) is not None:
                yield f"{qid}.{key}", quote[key]
        mention = (quote.get("speaker") or {}).get("mention")
        if mention is not None:
            yield f"{qid}.speaker.mention", mention
    for entity in result.get("entities", []):
        for n, mention in enumerate(entity.get("mentions", [])):
            yield f"{entity.get('id')}.mentions[{n}]", mention
    for key in ("hedges", "boilerplate"):
        for n, span in enumerate(result.get(key, [])):
            yield f"{key}[{n}]", span


def _span_problems(where: str, span: Any, text: str) -> list[str]:
    if not isinstance(span, Mapping):
        return [f"{where}: not a span"]
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        return [f"{where}: offsets {start}..{end} outside the text"]
    if start == end:
        return [f"{where}: empty span at {start}"]
    if span.get("text") != text[start:end]:
        return [f"{where}: text differs from the text at its offsets"]
    return []


def _id_problems(result: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    quote_ids = [q.get("id") for q in result.get("quotes", [])]
    entity_ids = [e.get("id") for e in result.get("entities", [])]
    every = quote_ids + entity_ids
    if len(every) != len(set(every)):
        found.append("ids are not unique")
    quotes, entities = set(quote_ids), set(entity_ids)
    for quote in result.get("quotes", []):
        entity = (quote.get("speaker") or {}).get("entity")
        if entity is not None and entity not in entities:
            found.append(f"{quote.get('id')}: unknown speaker entity {entity}")
        parent = quote.get("nested_in")
        if parent is not None and parent not in quotes:
            found.append(f"{quote.get('id')}: nested in unknown quote {parent}")
    for edge in result.get("provenance", []):
        if edge.get("source") not in entities:
            found.append(f"provenance: unknown source {edge.get('source')}")
        if edge.get("target") != ARTICLE and edge.get("target") not in entities:
            found.append(f"provenance: unknown target {edge.get('target')}")
        if edge.get("via") is not None and edge.get("via") not in quotes:
            found.append(f"provenance: unknown quote {edge.get('via')}")
    return found


def _cycle_problems(result: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    nesting: dict[str, set[str]] = {}
    for quote in result.get("quotes", []):
        if quote.get("nested_in") is not None:
            nesting.setdefault(quote["id"], set()).add(quote["nested_in"])
    if has_cycle(nesting):
        found.append("nesting has a cycle")
    cited_by: dict[str, set[str]] = {}
    for edge in result.get("provenance", []):
        cited_by.setdefault(edge.get("source"), set()).add(edge.get("target"))
    if has_cycle(cited_by):
        found.append("provenance has a cycle")
    return found


def _chain_problems(result: Mapping[str, Any]) -> list[str]:
    """A quote's ``chain`` (where present) ends at its own speaker, names known ids, repeats no
    entity, agrees with ``nested_in`` and follows the provenance edges from the article."""
    found: list[str] = []
    quote_ids = {q.get("id") for q in result.get("quotes", [])}
    entity_ids = {e.get("id") for e in result.get("entities", [])}
    cites = {(edge.get("source"), edge.get("target")) for edge in result.get("provenance", [])}
    for quote in result.get("quotes", []):
        chain = quote.get("chain")
        if chain is None:
            continue
        qid = quote.get("id")
        if not isinstance(chain, list) or not chain or not all(isinstance(link, Mapping) for link in chain):
            found.append(f"{qid}: chain is not a list of sources")
            continue
        entities = [link.get("entity") for link in chain]
        named = [entity for entity in entities if entity is not None]
        if len(named) != len(set(named)):
            found.append(f"{qid}: chain repeats an entity")
        found.extend(f"{qid}: chain names unknown entity {e}" for e in named if e not in entity_ids)
        found.extend(
            f"{qid}: chain names unknown quote {link.get('via')}"
            for link in chain
            if link.get("via") not in quote_ids
        )
        last = chain[-1]
        if last.get("via") != qid or last.get("entity") != (quote.get("speaker") or {}).get("entity"):
            found.append(f"{qid}: chain does not end at its own speaker")
        if len(chain) > 1 and chain[-2].get("via") != quote.get("nested_in"):
            found.append(f"{qid}: chain disagrees with nested_in")
        if entities[0] is not None and cites and (entities[0], ARTICLE) not in cites:
            found.append(f"{qid}: the article does not cite the chain's first source")
        for inner, outer in zip(entities[1:], entities, strict=False):
            if inner is not None and (inner, outer) not in cites:
                found.append(f"{qid}: no provenance edge from {inner} to {outer}")
    return found


def has_cycle(edges: Mapping[Any, set[Any]]) -> bool:
    """Whether the directed graph ``edges`` (node -> successors) has a cycle (a self-loop included)."""
    state: dict[Any, int] = {}  # 1: on the current path, 2: finished
    for root in edges:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(edges.get(root, ())))]
        while stack:
            node, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                state[node] = 2
                stack.pop()
            elif state.get(step) == 1:
                return True
            elif step not in state:
                state[step] = 1
                stack.append((step, iter(edges.get(step, ()))))
    return False
