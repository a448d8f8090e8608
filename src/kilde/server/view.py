"""The grouping the web page shows, from the same code as the terminal report of ``kilde analyze``.

Sources, their colours and the provenance chains come from ``kilde.report``, so the page and the
terminal never disagree about who the sources are; the page only turns them into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kilde.report import PALETTE, collect_sources, provenance_chains, speaker_key


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
    }
