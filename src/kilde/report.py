"""A readable terminal report of one ``kilde/1`` result: who said what, to whom, according to whom.

It depends only on the JSON shape (docs/output-format.md), so it also renders saved
results, and it tolerates missing fields and empty lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from kilde.schema import entity_names, provenance_chains

PALETTE: tuple[str, ...] = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "bright_blue",
    "red",
    "bright_cyan",
    "bright_magenta",
    "bright_green",
    "dark_orange",
    "medium_purple",
    "spring_green2",
)
"""Quote colours, one per speaker, reused in order when there are more speakers than colours."""

UNKNOWN_SPEAKER_STYLE = "bright_black"
CUE_STYLE = "underline"
HEDGE_STYLE = "bold black on yellow"
BOILERPLATE_STYLE = "dim"
ADDRESSEE_STYLE = "italic"
"""The provenance node that stands for the article itself."""

CONTENT_PREVIEW_CHARS = 70
CONTEXT_CHARS = 40


@dataclass
class Source:
    """One quoted speaker and the tallies shown in the sources table."""

    key: str
    name: str
    kind: str
    style: str
    quotes: int = 0
    direct: int = 0
    indirect: int = 0
    addressees: list[str] = field(default_factory=list)


def _spans(value: Any) -> list[Mapping[str, Any]]:
    """A span or list of spans from the JSON, keeping only well-formed ones."""
    items = value if isinstance(value, list) else [value]
    return [
        item
        for item in items
        if isinstance(item, Mapping)
        and isinstance(item.get("start"), int)
        and isinstance(item.get("end"), int)
    ]


def _speaker(quote: Mapping[str, Any]) -> Mapping[str, Any]:
    speaker = quote.get("speaker")
    return speaker if isinstance(speaker, Mapping) else {}


def speaker_key(quote: Mapping[str, Any]) -> str | None:
    """What identifies a quote's speaker: its entity, else its name, else its mention; None when unknown."""
    speaker = _speaker(quote)
    if speaker.get("entity"):
        return f"entity:{speaker['entity']}"
    if speaker.get("name"):
        return f"name:{str(speaker['name']).casefold()}"
    mention = _spans(speaker.get("mention"))
    if mention and mention[0].get("text"):
        return f"mention:{str(mention[0]['text']).casefold()}"
    return None


def _speaker_label(quote: Mapping[str, Any], entity_names: Mapping[str, str]) -> str:
    speaker = _speaker(quote)
    if speaker.get("name"):
        return str(speaker["name"])
    if speaker.get("entity") in entity_names:
        return entity_names[speaker["entity"]]
    mention = _spans(speaker.get("mention"))
    if mention and mention[0].get("text"):
        return str(mention[0]["text"])
    return "(unknown)"


def _quotes(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    quotes = [quote for quote in result.get("quotes") or [] if isinstance(quote, Mapping)]
    return sorted(
        quotes, key=lambda quote: min((s["start"] for s in _spans(quote.get("content"))), default=0)
    )


def collect_sources(result: Mapping[str, Any]) -> list[Source]:
    """The quoted speakers, most quoted first (ties in order of first quote), each with its colour."""
    names = entity_names(result)
    sources: dict[str, Source] = {}
    for quote in _quotes(result):
        key = speaker_key(quote) or "unknown"
        source = sources.get(key)
        if source is None:
            style = UNKNOWN_SPEAKER_STYLE if key == "unknown" else PALETTE[len(sources) % len(PALETTE)]
            kind = str(_speaker(quote).get("kind") or "unknown")
            source = sources[key] = Source(key, _speaker_label(quote, names), kind, style)
        source.quotes += 1
        if quote.get("type") == "direct":
            source.direct += 1
        elif quote.get("type") in ("indirect", "mixed"):
            source.indirect += 1
        for addressee in _spans(quote.get("addressee")):
            text = str(addressee.get("text") or "")
            if text and text not in source.addressees:
                source.addressees.append(text)
    order = list(sources)
    return sorted(sources.values(), key=lambda source: (-source.quotes, order.index(source.key)))


def _clamp(span: Mapping[str, Any], length: int) -> tuple[int, int]:
    start = max(0, min(int(span["start"]), length))
    return start, max(start, min(int(span["end"]), length))


def article_text(result: Mapping[str, Any], sources: Iterable[Source] = ()) -> Text:
    """The article with boilerplate dimmed, quotes coloured by speaker, cues underlined and hedges marked.

    A dim ``[q1]`` after each quote links it to the quotes table.
    """
    raw = str(result.get("text") or "")
    text = Text(raw)
    length = len(raw)
    styles = {source.key: source.style for source in sources}
    for span in _spans(result.get("boilerplate")):
        text.stylize(BOILERPLATE_STYLE, *_clamp(span, length))
    markers: list[tuple[int, str, str]] = []
    for quote in _quotes(result):
        style = styles.get(speaker_key(quote) or "unknown", UNKNOWN_SPEAKER_STYLE)
        content = _spans(quote.get("content"))
        for span in content:
            text.stylize(style, *_clamp(span, length))
        for span in _spans(quote.get("cue")):
            text.stylize(CUE_STYLE, *_clamp(span, length))
        for span in _spans(_speaker(quote).get("mention")):
            text.stylize(f"bold {style}", *_clamp(span, length))
        for span in _spans(quote.get("addressee")):
            text.stylize(ADDRESSEE_STYLE, *_clamp(span, length))
        if content and quote.get("id"):
            end = _clamp(max(content, key=lambda span: span["end"]), length)[1]
            markers.append((end, f"[{quote['id']}]", style))
    for span in _spans(result.get("hedges")):
        text.stylize(HEDGE_STYLE, *_clamp(span, length))
    if not markers:
        return text
    markers.sort(key=lambda marker: marker[0])
    pieces = text.divide(sorted({end for end, _, _ in markers}))
    assembled = Text()
    offset = 0
    for piece in pieces:
        assembled.append_text(piece)
        offset += len(piece)
        for end, label, style in markers:
            if end == offset:
                assembled.append(label, style=f"dim {style}")
    return assembled


def _preview(quote: Mapping[str, Any]) -> str:
    parts = [" ".join(str(span.get("text") or "").split()) for span in _spans(quote.get("content"))]
    content = " … ".join(part for part in parts if part)
    if len(content) > CONTENT_PREVIEW_CHARS:
        content = content[: CONTENT_PREVIEW_CHARS - 1].rstrip() + "…"
    return content


def _quotes_table(result: Mapping[str, Any], sources: list[Source]) -> Table:
    styles = {source.key: source.style for source in sources}
    names = entity_names(result)
    table = Table(title="Quotes", title_justify="left", expand=False)
    table.add_column("#")
    table.add_column("type")
    table.add_column("speaker", overflow="fold", max_width=28)
    table.add_column("cue", overflow="fold", max_width=14)
    table.add_column("content", overflow="fold", min_width=24)
    for quote in _quotes(result):
        kind = str(quote.get("type") or "?")
        flags = [flag for flag in ("heading", "hedged") if quote.get(flag)]
        cue = _spans(quote.get("cue"))
        table.add_row(
            Text(str(quote.get("id") or "")),
            Text(kind + "".join(f"\n{flag}" for flag in flags)),
            Text(
                _speaker_label(quote, names),
                style=styles.get(speaker_key(quote) or "unknown", UNKNOWN_SPEAKER_STYLE),
            ),
            Text(str(cue[0].get("text") or "") if cue else ""),
            Text(_preview(quote)),
        )
    return table


def _sources_table(sources: list[Source]) -> Table:
    table = Table(title="Sources", title_justify="left", expand=False)
    table.add_column("source", overflow="fold")
    table.add_column("kind")
    table.add_column("quotes", justify="right")
    table.add_column("direct", justify="right")
    table.add_column("indirect/mixed", justify="right")
    table.add_column("to whom", overflow="fold")
    for source in sources:
        table.add_row(
            Text(source.name, style=source.style),
            Text(source.kind),
            Text(str(source.quotes)),
            Text(str(source.direct)),
            Text(str(source.indirect)),
            Text(", ".join(source.addressees)),
        )
    return table


def _hedge_lines(result: Mapping[str, Any]) -> list[Text]:
    raw = str(result.get("text") or "")
    lines = []
    for span in sorted(_spans(result.get("hedges")), key=lambda span: span["start"]):
        start, end = _clamp(span, len(raw))
        before = " ".join(raw[max(0, start - CONTEXT_CHARS) : start].split("\n")[-1:])
        after = " ".join(raw[end : end + CONTEXT_CHARS].split("\n")[:1])
        line = Text("• ")
        line.append(f"{span.get('text') or raw[start:end]}", style=HEDGE_STYLE)
        line.append(f" ({span.get('kind') or 'hedge'})  ")
        line.append(f"…{before}", style="dim")
        line.append(raw[start:end], style="bold")
        line.append(f"{after}…", style="dim")
        lines.append(line)
    return lines


def _header(result: Mapping[str, Any], sources: list[Source]) -> Text:
    header = Text()
    header.append(str(result.get("title") or "(no title)"), style="bold")
    details = [
        f"id {result.get('id')}" if result.get("id") is not None else None,
        f"language {result.get('language') or '?'}",
        f"{len(result.get('quotes') or [])} quotes",
        f"{len(sources)} sources",
        f"{len(result.get('hedges') or [])} hedges",
        f"{len(result.get('boilerplate') or [])} boilerplate lines",
    ]
    header.append("\n" + " · ".join(detail for detail in details if detail), style="dim")
    return header


def _legend() -> Text:
    legend = Text()
    for label, style in (
        ("quote (a colour per speaker)", PALETTE[0]),
        ("speaker", "bold"),
        ("cue", CUE_STYLE),
        ("to whom", ADDRESSEE_STYLE),
        ("hedge", HEDGE_STYLE),
        ("boilerplate", BOILERPLATE_STYLE),
        ("[q1] quote id", "dim"),
    ):
        if legend:
            legend.append(" · ", style="dim")
        legend.append(label, style=style)
    return legend


def render_report(result: Mapping[str, Any], console: Console) -> None:
    """Print the report of one ``kilde/1`` result: text, quotes, sources, hedges and provenance."""
    sources = collect_sources(result)
    console.print(_header(result, sources))
    console.print(Rule("Article", align="left"))
    console.print(_legend())
    console.print(article_text(result, sources))
    console.print()
    if sources:
        console.print(_quotes_table(result, sources))
        console.print(_sources_table(sources))
    else:
        console.print(Rule("Quotes", align="left"))
        console.print(Text("No quotes found.", style="dim"))
    console.print(Rule("Hedges", align="left"))
    hedges = _hedge_lines(result)
    console.print(Group(*hedges) if hedges else Text("No hedges found.", style="dim"))
    console.print(Rule("Provenance", align="left"))
    chains = provenance_chains(result)
    if not chains:
        console.print(Text("No provenance chains.", style="dim"))
    for chain in chains:
        console.print(Text(" ← ".join(chain)))
