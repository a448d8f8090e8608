"""Each quote's provenance chain, read off the nesting and the edges that ``kilde_provenance`` stored.

Kept apart from the component so that the output stage (:mod:`kilde.schema`) can read chains
without loading the pipeline's components.
"""

from __future__ import annotations

from kilde.types import ProvenanceEdge, Quote


def quote_chains(quotes: list[Quote], edges: list[ProvenanceEdge]) -> list[list[int]]:
    """Each quote's chain: the indices of the quotes from the outermost report down to itself.

    A quote continues its parent's chain when an edge says that its speaker is cited by the
    parent's speaker (or when it has no entity to cite); else the article cites it directly.
    The edges form no loop, so no speaker appears twice in a chain.
    """
    cites = {(edge.source, edge.target) for edge in edges}

    def outer(index: int) -> int | None:
        quote, parent = quotes[index], quotes[index].parent
        if parent is None or not 0 <= parent < len(quotes) or quotes[parent].entity_id is None:
            return None
        cited = quote.entity_id is None or (quote.entity_id, quotes[parent].entity_id) in cites
        return parent if cited else None

    chains: dict[int, list[int]] = {}
    for index in range(len(quotes)):
        path: list[int] = []  # from the quote outwards, up to a quote whose chain is known
        current: int | None = index
        while current is not None and current not in chains and current not in path:
            path.append(current)
            current = outer(current)
        chain = chains[current] if current is not None and current in chains else []
        for step in reversed(path):
            chain = [*chain, step]
            chains[step] = chain
    return [chains[index] for index in range(len(quotes))]
