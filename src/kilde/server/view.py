"""The grouping the web page shows, from the same code as the terminal report of ``kilde analyze``.

Sources, their colours and the provenance chains come from ``kilde.report``, so the page and the
terminal never disagree about who the sources are; the page only turns them into HTML. The
provenance graph merges every quote's ``chain`` into one tree, which the page draws as SVG.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kilde.report import PALETTE, collect_sources, provenance_chains, speaker_key
from kilde.schema import ARTICLE, quote_chain


def page_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Report`` object of ``/api/report`` for one ``kilde/1`` result."""
    sources = collect_sources(result)
    quote_sources = {
        str(quote["id"]): speaker_key(quote) or "unknown"
        for quote in result.get("quotes") or []
        if isinstance(quote, Mapping) and quote.get("id")
    }
    return {
        "result": result,
        "sources": [
            {
                "key": source.key,
                "name": source.name,
                "kind": source.kind,
                # The palette slot the terminal report gives this speaker; the page has as many colours.
                "colour": PALETTE.index(source.style) if source.style in PALETTE else None,
                "quotes": source.quotes,
                "direct": source.direct,
                "indirect": source.indirect,
                "addressees": source.addressees,
            }
            for source in sources
        ],
        "quote_sources": quote_sources,
        "provenance": provenance_chains(result),
        "provenance_graph": provenance_graph(result, quote_sources),
    }


def provenance_graph(result: Mapping[str, Any], quote_sources: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every quote's chain merged into one tree from the article down, its nodes in depth-first order.

    A source cited by two citers appears under each (a chain is a path from the article), and a node's
    id is its path of sources, so the tree needs no further check for loops; ``quotes`` lists the quotes
    whose chain ends at the node.
    """
    root: dict[str, Any] = {
        "id": ARTICLE,
        "name": "This article",
        "kind": ARTICLE,
        "entity": None,
        "source": None,
        "depth": 0,
        "parent": None,
        "quotes": [],
    }
    nodes: dict[str, dict[str, Any]] = {ARTICLE: root}
    children: dict[str, list[str]] = {ARTICLE: []}
    for quote in result.get("quotes") or []:
        if not isinstance(quote, Mapping) or not quote.get("id"):
            continue
        parent = ARTICLE
        for depth, link in enumerate(quote_chain(result, quote), start=1):
            # A speaker without an entity is known only at its own quote.
            step = str(link.get("entity") or f"quote:{link.get('via')}")
            node_id = f"{parent}/{step}"
            if node_id not in nodes:
                via = str(link.get("via"))
                nodes[node_id] = {
                    "id": node_id,
                    "name": str(link.get("name") or "Unknown speaker"),
                    "kind": str(link.get("kind") or "unknown"),
                    "entity": link.get("entity"),
                    "source": quote_sources.get(via),
                    "depth": depth,
                    "parent": parent,
                    "quotes": [],
                }
                children[parent].append(node_id)
                children[node_id] = []
            parent = node_id
        nodes[parent]["quotes"].append(str(quote["id"]))
    ordered: list[dict[str, Any]] = []
    stack = [ARTICLE]
    while stack:
        node_id = stack.pop()
        ordered.append(nodes[node_id])
        stack.extend(reversed(children[node_id]))
    return ordered
