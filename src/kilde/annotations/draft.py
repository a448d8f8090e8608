"""Annotators write strings; this module turns them into exact offsets.

A *draft* is the gold format of annotation-guidelines.md with a few conveniences,
so that an annotator who reads the text never counts characters:

* any span may be a string copied from the text (``"sier"``), a string with a gap
  (``"Vi har [...] i kveld"``: from the first words to the last, for long content),
  an object ``{"text": ..., "line": n}`` / ``{"text": ..., "occurrence": n}`` /
  ``{"text": ..., "in": "a longer string around it"}`` / ``{"text": ..., "start": offset}``,
  or explicit offsets ``[start, end]``;
* a quote may give ``"line": n`` (the line numbers ``kilde annotations new`` prints):
  its content is then looked for in that line;
* content that occurs more than once, and hedges that do, must be pinned (``line``,
  ``occurrence``, ``in`` or ``start``): an ambiguous string is an error, never a guess;
* strings match whole words when they can (``"De"`` is not the start of ``"Det"``);
  an ``occurrence`` counts every match, as ``kilde annotations find`` lists them;
* the cue, speaker mention and addressee are looked for next to the quote's content:
  the occurrence outside the content that is nearest to it (fewest line breaks
  between, then fewest characters), unless pinned;
* ``nested_in`` is the 1-based position of the outer quote in the list (as in the
  gold format) or its ``id``.

:func:`resolve_draft` returns the stand-off items and a list of notes, one per
resolved field with a little context, for the annotator to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from kilde.annotations import QUOTE_TYPES, SPEAKER_KINDS
from kilde.annotations.store import Annotation, AnnotationError, Quote, Span

GAP = "[...]"
QUOTE_KEYS = frozenset(
    {
        "id",
        "type",
        "heading",
        "content",
        "occurrence",
        "line",
        "cue",
        "speaker_mention",
        "speaker",
        "speaker_aliases",
        "speaker_kind",
        "addressee",
        "nested_in",
    }
)
REQUIRED_QUOTE_KEYS = ("type", "content", "cue", "speaker_mention", "speaker", "speaker_kind")
SPEC_KEYS = frozenset({"text", "line", "occurrence", "in", "start"})
QUOTE_MARKS = '«»"“”„‟‘’'


class DraftError(AnnotationError):
    """A draft that cannot be turned into offsets; the message says what to pin."""


def occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Every start of ``needle`` in ``text[lo:hi]`` (overlapping ones too, as the gold loader counts)."""
    hi = len(text) if hi is None else hi
    found, index = [], text.find(needle, lo)
    while index >= 0 and index + len(needle) <= hi:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


@dataclass
class Lines:
    """Line numbers (from 1) and their offsets."""

    text: str
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def span(self, number: int) -> Span:
        if not 1 <= number <= len(self.starts):
            raise DraftError(f"line {number} does not exist (the text has {len(self.starts)} lines)")
        start = self.starts[number - 1]
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.text)
        return start, end

    def number(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def stripped(self, number: int) -> Span:
        start, end = self.span(number)
        line = self.text[start:end]
        lead = len(line) - len(line.lstrip())
        return start + lead, start + len(line.rstrip())


def context(text: str, span: Span, width: int = 30) -> str:
    """``…left⟦match⟧right…`` on one line, for the notes."""
    start, end = span
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    inner = text[start:end]
    if len(inner) > 90:
        inner = inner[:43] + " … " + inner[-43:]
    shown = f"{'…' if start > width else ''}{left}⟦{inner}⟧{right}{'…' if end + width < len(text) else ''}"
    return shown.replace("\n", "⏎")


class Resolver:
    """Resolves one draft against one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = Lines(text)

    # ---------------------------------------------------------------- spans

    def _spec(self, value: Any, where: str) -> dict[str, Any]:
        if isinstance(value, str):
            return {"text": value}
        if isinstance(value, dict) and isinstance(value.get("span"), tuple):
            return dict(value)  # already parsed
        if isinstance(value, dict):
            unknown = set(value) - SPEC_KEYS
            if unknown:
                raise DraftError(f"{where}: unknown key(s) {sorted(unknown)} (use {sorted(SPEC_KEYS)})")
            if "start" not in value and not isinstance(value.get("text"), str):
                raise DraftError(f'{where}: an object span needs "text"')
            return dict(value)
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            return {"span": (value[0], value[1])}
        raise DraftError(f'{where}: want a string, an object with "text", or [start, end]; got {value!r}')

    def _scope(self, spec: dict[str, Any], where: str, default_line: int | None = None) -> Span:
        line = spec.get("line", default_line)
        if line is None:
            return 0, len(self.text)
        if not isinstance(line, int) or isinstance(line, bool):
            raise DraftError(f"{where}: line must be a whole number")
        return self.lines.span(line)

    def _candidates(self, needle: str, scope: Span, where: str) -> list[Span]:
        """Spans of ``needle`` starting in ``scope``; a needle with a gap runs to the next end string."""
        if not needle or not needle.strip():
            raise DraftError(f"{where}: empty string")
        if needle != needle.strip():
            raise DraftError(f"{where}: {needle!r} has spaces at its ends; give the words only")
        if GAP in needle:
            head, _, tail = (s.strip() for s in needle.partition(GAP))
            if not head or not tail or GAP in tail:
                raise DraftError(f'{where}: write a gap as "first words {GAP} last words"')
            spans = []
            for start in occurrences(self.text, head, scope[0]):
                if start >= scope[1]:
                    break
                end = self.text.find(tail, start + len(head))
                if end >= 0:
                    spans.append((start, end + len(tail)))
            return spans
        return [(s, s + len(needle)) for s in occurrences(self.text, needle, scope[0]) if s < scope[1]]

    def _whole_words(self, span: Span) -> bool:
        """Whether the span neither starts nor ends inside a word."""
        start, end = span
        text = self.text
        inside_left = start > 0 and text[start].isalnum() and text[start - 1].isalnum()
        inside_right = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        return not inside_left and not inside_right

    def _pinned(self, spec: dict[str, Any], where: str, default_line: int | None = None) -> list[Span]:
        """Candidate spans after every pin the spec gives (start, in, line, occurrence)."""
        if "span" in spec:
            start, end = spec["span"]
            if not 0 <= start < end <= len(self.text):
                raise DraftError(f"{where}: [{start}, {end}] is outside the text (0-{len(self.text)})")
            return [(start, end)]
        needle = spec.get("text")
        if "start" in spec:
            start = spec["start"]
            if not isinstance(start, int) or isinstance(start, bool):
                raise DraftError(f"{where}: start must be a whole number")
            if needle is None:
                raise DraftError(f"{where}: start needs text")
            found = [s for s in self._candidates(needle, (start, start + 1), where) if s[0] == start]
            if not found:
                near = self._candidates(needle, (0, len(self.text)), where)
                hint = f"; it starts at {', '.join(str(s[0]) for s in near[:5])}" if near else ""
                raise DraftError(f"{where}: {needle[:50]!r} is not at offset {start}{hint}")
            return found
        scope = self._scope(spec, where, default_line)
        if "in" in spec:
            around = spec["in"]
            if not isinstance(around, str):
                raise DraftError(f"{where}: in must be a string")
            outer = self._candidates(around, scope, where + " (in)")
            if not outer:
                raise self._missing(around, where + ' (the "in" string)')
            spans = []
            for box in outer:  # several: unique() refuses, near() takes the one nearest the quote
                inner = [s for s in self._candidates(needle, box, where) if s[1] <= box[1]]
                if not inner:
                    raise DraftError(f"{where}: {needle[:50]!r} is not inside {around[:50]!r}")
                if inner[0] not in spans:
                    spans.append(inner[0])
        else:
            spans = self._candidates(needle, scope, where)
        occurrence = spec.get("occurrence")
        if occurrence is None:
            whole = [span for span in spans if self._whole_words(span)]
            spans = whole or spans  # "De" means the word, not the start of "Det"
        if occurrence is not None:
            if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
                raise DraftError(f"{where}: occurrence must be a whole number from 1")
            if occurrence > len(spans):
                raise DraftError(
                    f"{where}: occurrence {occurrence} but {needle[:50]!r} occurs {len(spans)} times"
                )
            spans = [spans[occurrence - 1]]
        return spans

    def _missing(self, needle: str, where: str, scope_note: str = "") -> DraftError:
        hint = ""
        if needle.strip() and self.text.find(needle.strip()) < 0:
            words = needle.split()
            for size in range(len(words) - 1, 0, -1):
                if self.text.find(" ".join(words[:size])) >= 0:
                    hint = f" (the text has {' '.join(words[:size])!r} but not what follows it)"
                    break
        return DraftError(f"{where}: {needle[:60]!r} is not in the text{scope_note}{hint}; copy it exactly")

    def unique(self, value: Any, where: str, default_line: int | None = None, strict: bool = True) -> Span:
        """A span that must be found once (content, hedges); ambiguity is an error when ``strict``."""
        spec = self._spec(value, where)
        if default_line is not None and any(k in spec for k in ("line", "in", "start", "span")):
            default_line = None
        spans = self._pinned(spec, where, default_line)
        if not spans:
            note = f" in line {spec.get('line', default_line)}" if spec.get("line", default_line) else ""
            raise self._missing(spec.get("text", ""), where, note)
        if len(spans) > 1 and strict:
            lines = sorted({self.lines.number(s[0]) for s in spans})
            raise DraftError(
                f"{where}: {spec['text'][:50]!r} occurs {len(spans)} times (lines "
                f'{", ".join(map(str, lines))}); pin it with "line", "occurrence", "in" or "start"'
            )
        return spans[0]

    def near(self, value: Any, where: str, anchor: list[Span]) -> tuple[Span, bool]:
        """A frame span (cue, mention, addressee): pinned, or the occurrence nearest the content.

        Returns the span and whether another occurrence was almost as near (same line),
        so the note can ask the annotator to look.
        """
        spec = self._spec(value, where)
        spans = self._pinned(spec, where)
        if not spans:
            raise self._missing(spec.get("text", ""), where)
        if len(spans) == 1:
            return spans[0], False
        lo, hi = min(s for s, _ in anchor), max(e for _, e in anchor)
        outside = [s for s in spans if not any(s[0] < e and b < s[1] for b, e in anchor)] or spans

        def cost(span: Span) -> tuple[int, int, int]:
            if span[0] >= hi:
                between, after = self.text[hi : span[0]], 0
            elif span[1] <= lo:
                between, after = self.text[span[1] : lo], 1
            else:
                between, after = "", 0
            return between.count("\n"), len(between), after

        ranked = sorted(outside, key=cost)
        best = ranked[0]
        close = len(ranked) > 1 and cost(ranked[1])[0] == 0 and cost(best)[0] == 0
        return best, close


# -------------------------------------------------------------------- resolve


@dataclass
class Resolved:
    quotes: list[Quote]
    hedges: list[Span]
    boilerplate: list[Span]
    notes: list[str]


def _check_keys(raw: dict[str, Any], where: str) -> None:
    unknown = set(raw) - QUOTE_KEYS
    if unknown:
        raise DraftError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(QUOTE_KEYS)}")
    missing = [k for k in REQUIRED_QUOTE_KEYS if k not in raw]
    if missing:
        raise DraftError(f"{where}: missing {', '.join(missing)} (give null where there is none)")


def _content_parts(value: Any) -> list[Any]:
    if isinstance(value, list) and not (len(value) == 2 and all(isinstance(v, int) for v in value)):
        if not value:
            raise DraftError("content is empty")
        return value
    return [value]


def resolve_draft(
    text: str, draft: dict[str, Any], existing: list[Quote] | None = None, strict: bool = True
) -> Resolved:
    """Turn a draft (quotes, hedges, boilerplate as strings) into stand-off items.

    ``existing`` quotes come first (``--append``): new quote ids continue after
    theirs, and an integer ``nested_in`` counts positions in the combined list.
    ``strict=False`` takes the first of several occurrences (how gold files without
    ``occurrence`` are read) instead of refusing.
    """
    if not isinstance(draft, dict):
        raise DraftError("a draft is one JSON object with quotes, hedges and boilerplate")
    unknown = set(draft) - {"quotes", "hedges", "boilerplate", "annotator", "id", "language", "text"}
    if unknown:
        raise DraftError(f"unknown top-level key(s) {sorted(unknown)}; use quotes, hedges, boilerplate")
    resolver = Resolver(text)
    existing = list(existing or [])
    notes: list[str] = []
    quotes: list[Quote] = []
    raw_nested: list[Any] = []
    taken_ids = {q.id for q in existing}
    counter = len(existing)
    for number, raw in enumerate(draft.get("quotes") or [], 1):
        where = f"quote {len(existing) + number}"
        if not isinstance(raw, dict):
            raise DraftError(f"{where}: must be an object")
        _check_keys(raw, where)
        if raw["type"] not in QUOTE_TYPES:
            raise DraftError(f"{where}: type {raw['type']!r} is not one of {', '.join(QUOTE_TYPES)}")
        if raw["speaker_kind"] not in SPEAKER_KINDS:
            raise DraftError(
                f"{where}: speaker_kind {raw['speaker_kind']!r} is not one of {', '.join(SPEAKER_KINDS)}"
            )
        line = raw.get("line")
        parts = _content_parts(raw["content"])
        spans: list[Span] = []
        for k, part in enumerate(parts):
            pw = f"{where} content" + (f" part {k + 1}" if len(parts) > 1 else "")
            if k == 0:
                spec = resolver._spec(part, pw)
                if "occurrence" in raw and "occurrence" not in spec:
                    spec["occurrence"] = raw["occurrence"]
                spans.append(resolver.unique(spec, pw, default_line=line, strict=strict))
            else:
                spec = resolver._spec(part, pw)
                if not any(k2 in spec for k2 in ("line", "in", "start", "span", "occurrence")):
                    after = [s for s in resolver._pinned(spec, pw) if s[0] >= spans[-1][1]]
                    if not after:
                        raise resolver._missing(spec.get("text", ""), pw, " after the previous part")
                    spans.append(after[0])
                else:
                    spans.append(resolver.unique(spec, pw, strict=strict))
        for a, b in pairwise(spans):
            if b[0] < a[1]:
                raise DraftError(f"{where}: content parts overlap or are out of order")
        if raw["type"] == "direct":
            for start, end in spans:
                if text[start] in QUOTE_MARKS or text[end - 1] in QUOTE_MARKS:
                    raise DraftError(f"{where}: direct content must not include the quote marks")
        frame: dict[str, Span | None] = {}
        for name in ("cue", "speaker_mention", "addressee"):
            value = raw.get(name)
            if value is None:
                frame[name] = None
                continue
            span, close = resolver.near(value, f"{where} {name}", spans)
            frame[name] = span
            if close:
                notes.append(f"  ! {where} {name}: the string occurs more than once near the quote; check it")
        speaker = raw["speaker"]
        if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
            raise DraftError(f"{where}: speaker must be a non-empty string or null")
        if frame["speaker_mention"] is not None and speaker is None:
            raise DraftError(f"{where}: a speaker_mention needs a canonical speaker")
        aliases = raw.get("speaker_aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise DraftError(f"{where}: speaker_aliases must be a list of strings")
        qid = raw.get("id")
        if qid is None:
            counter += 1
            while f"q{counter}" in taken_ids:
                counter += 1
            qid = f"q{counter}"
        if not isinstance(qid, str) or qid in taken_ids:
            raise DraftError(f"{where}: id {qid!r} is missing or used twice")
        taken_ids.add(qid)
        quotes.append(
            Quote(
                id=qid,
                type=raw["type"],
                content=spans,
                cue=frame["cue"],
                speaker_mention=frame["speaker_mention"],
                speaker=speaker.strip() if speaker else None,
                speaker_aliases=[a.strip() for a in aliases],
                speaker_kind=raw["speaker_kind"],
                addressee=frame["addressee"],
                heading=bool(raw.get("heading", False)),
            )
        )
        raw_nested.append(raw.get("nested_in"))
    combined = existing + quotes
    for quote, nested, number in zip(
        quotes, raw_nested, range(len(existing) + 1, len(combined) + 1), strict=True
    ):
        if nested is None:
            continue
        if isinstance(nested, int) and not isinstance(nested, bool):
            if not 1 <= nested <= len(combined) or nested == number:
                raise DraftError(f"quote {number}: nested_in {nested} is not another quote's position")
            quote.nested_in = combined[nested - 1].id
        elif isinstance(nested, str) and nested in {q.id for q in combined} and nested != quote.id:
            quote.nested_in = nested
        else:
            raise DraftError(f"quote {number}: nested_in {nested!r} is not another quote's position or id")
    check_nesting(combined)
    for number, quote in enumerate(quotes, len(existing) + 1):
        notes.extend(describe_quote(text, quote, number, resolver.lines))

    hedges: list[Span] = []
    for n, raw in enumerate(draft.get("hedges") or [], 1):
        where = f"hedge {n}"
        if isinstance(raw, dict) and "marker" in raw:  # the gold format's key
            raw = {("text" if k == "marker" else k): v for k, v in raw.items()}
        span = resolver.unique(raw, where, strict=strict)
        hedges.append(span)
        notes.append(f"hedge {n} (line {resolver.lines.number(span[0])}): {context(text, span, 25)}")

    boilerplate: list[Span] = []
    for n, raw in enumerate(draft.get("boilerplate") or [], 1):
        where = f"boilerplate {n}"
        if isinstance(raw, dict) and set(raw) == {"line"}:
            start, end = resolver.lines.stripped(raw["line"])
            if start >= end:
                raise DraftError(f"{where}: line {raw['line']} is blank")
            raw = text[start:end]  # every equal line, as the gold format marks them
        if isinstance(raw, str) and raw.strip():
            found = [
                resolver.lines.stripped(k)
                for k in range(1, len(resolver.lines.starts) + 1)
                if text[slice(*resolver.lines.span(k))].strip() == raw.strip()
            ]
            if not found:
                raise DraftError(f"{where}: {raw[:60]!r} is not a whole line of the text; copy the full line")
        else:
            raise DraftError(f'{where}: give the full line as a string, or {{"line": n}}')
        for span in found:
            if span not in boilerplate:
                boilerplate.append(span)
                notes.append(
                    f"boilerplate line {resolver.lines.number(span[0])}: {text[span[0] : span[1]][:70]}"
                )
    return Resolved(quotes, hedges, boilerplate, notes)


def check_nesting(quotes: list[Quote]) -> None:
    ids = {q.id: q for q in quotes}
    for quote in quotes:
        seen, current = {quote.id}, quote
        while current.nested_in is not None:
            parent = ids.get(current.nested_in)
            if parent is None:
                raise DraftError(f"quote {current.id}: nested_in {current.nested_in!r} names no quote")
            if parent.id in seen:
                raise DraftError(f"quote {quote.id}: nesting forms a cycle")
            seen.add(parent.id)
            current = parent


def _short(text: str, span: Span | None, limit: int = 70) -> str:
    if span is None:
        return "null"
    value = text[span[0] : span[1]].replace("\n", "⏎")
    return value if len(value) <= limit else value[: limit // 2 - 2] + " … " + value[-(limit // 2 - 2) :]


def describe_quote(text: str, quote: Quote, number: int, lines: Lines | None = None) -> list[str]:
    """The lines ``apply`` and ``show`` print for one quote."""
    lines = lines or Lines(text)
    first = quote.content[0]
    head = (
        f"{quote.id} (#{number}) {quote.type}{' heading' if quote.heading else ''}"
        f", line {lines.number(first[0])}" + (f", nested in {quote.nested_in}" if quote.nested_in else "")
    )
    out = [head]
    for k, span in enumerate(quote.content):
        out.append(
            f"    content{'' if len(quote.content) == 1 else f'[{k + 1}]'} {list(span)}: "
            + context(text, span, 12)
        )
    for name in ("cue", "speaker_mention", "addressee"):
        span = getattr(quote, name)
        if span is not None:
            out.append(f"    {name} {list(span)}: {context(text, span, 20)}")
        elif name != "addressee":
            out.append(f"    {name}: null")
    aliases = f" aka {quote.speaker_aliases}" if quote.speaker_aliases else ""
    out.append(f"    speaker: {quote.speaker!r} ({quote.speaker_kind}){aliases}")
    return out


# ----------------------------------------------------------------- to a draft


def to_draft(annotation: Annotation, text: str) -> dict[str, Any]:
    """The annotation as a draft that ``apply`` reads back unchanged (every span pinned by ``start``)."""
    positions = {q.id: n for n, q in enumerate(annotation.quotes, 1)}

    def pinned(span: Span | None) -> dict[str, Any] | None:
        return None if span is None else {"text": text[span[0] : span[1]], "start": span[0]}

    quotes = []
    for quote in annotation.quotes:
        item: dict[str, Any] = {"id": quote.id, "type": quote.type}
        if quote.heading:
            item["heading"] = True
        parts = [pinned(s) for s in quote.content]
        item["content"] = parts[0] if len(parts) == 1 else parts
        item["cue"] = pinned(quote.cue)
        item["speaker_mention"] = pinned(quote.speaker_mention)
        item["speaker"] = quote.speaker
        if quote.speaker_aliases:
            item["speaker_aliases"] = quote.speaker_aliases
        item["speaker_kind"] = quote.speaker_kind
        if quote.addressee:
            item["addressee"] = pinned(quote.addressee)
        if quote.nested_in:
            item["nested_in"] = positions.get(quote.nested_in, quote.nested_in)
        quotes.append(item)
    return {
        "quotes": quotes,
        "hedges": [pinned(s) for s in annotation.hedges],
        "boilerplate": [{"line": Lines(text).number(s[0])} for s in annotation.boilerplate],
    }


# ------------------------------------------------------------------ compact rows

COMPACT_KINDS = {
    "p": "person",
    "o": "organization",
    "m": "media",
    "d": "document",
    "a": "anonymous",
    "u": "unknown",
    **{kind: kind for kind in SPEAKER_KINDS},
}
COMPACT_TYPES = {"d": "direct", "i": "indirect", "m": "mixed"}
COMPACT_HELP = """\
Compact rows (one item a line; fields separated by ' | '):
  S KIND Canonical;alias;alias            a speaker (KIND: p o m d a u = person organization
                                           media document anonymous unknown)
  TYPE LINE | content | cue | mention | speaker | extras
      TYPE d i m (direct indirect mixed), prefixed H for a heading (Hd, Hi, Hm);
      LINE the line the content is in; content parts separated by ' || ';
      '-' is null; 'text@L' pins a string to line L, 'text#N' to its N-th occurrence,
      'text<<longer text' to the longer text around it; 'first words [...] last words';
      speaker: a registered name or alias, or 'Name;alias/KIND', or '-';
      extras, ';'-separated: to=ADDRESSEE, n=K (nested in quote K; n=-1: the quote before)
  h LINE | marker                          a hedge
  b LINE                                   a boilerplate line
  // comment"""


def _compact_span(value: str) -> Any:
    value = value.strip()
    if value in ("-", ""):
        return None
    if "<<" in value:
        text, around = value.split("<<", 1)
        return {"text": text.strip(), "in": around.strip()}
    head, at, tail = value.rpartition("@")
    if at and tail.isdigit() and head.strip():
        return {"text": head.strip(), "line": int(tail)}
    head, hash_, tail = value.rpartition("#")
    if hash_ and tail.isdigit() and head.strip():
        return {"text": head.strip(), "occurrence": int(tail)}
    return value


def parse_compact(text: str) -> dict[str, Any]:
    """Compact rows (see ``COMPACT_HELP``) as a draft: fewer characters to write, the same checks."""
    speakers: dict[str, dict[str, Any]] = {}
    quotes: list[dict[str, Any]] = []
    hedges: list[Any] = []
    boilerplate: list[Any] = []
    for number, raw in enumerate(text.splitlines(), 1):
        row = raw.strip()
        where = f"row {number}"
        if not row or row.startswith("//"):
            continue
        try:
            if row.startswith("S "):
                _, kind, names_text = row.split(None, 2)
                names = [n.strip() for n in names_text.split(";") if n.strip()]
                if kind not in COMPACT_KINDS or not names:
                    raise ValueError(f"want 'S KIND Name;alias', KIND one of {' '.join(COMPACT_KINDS)}")
                entry = {"speaker": names[0], "aliases": names[1:], "kind": COMPACT_KINDS[kind]}
                for name in names:
                    speakers[name] = entry
            elif row.startswith("h "):
                line_text, _, marker = row[2:].partition("|")
                span = _compact_span(marker)
                if span is None:
                    raise ValueError("want 'h LINE | marker'")
                if isinstance(span, str):
                    span = {"text": span, "line": int(line_text)}
                hedges.append(span)
            elif row.startswith("b "):
                boilerplate.append({"line": int(row[2:].strip())})
            else:
                head, *fields = (f.strip() for f in row.split(" | "))
                code, line_text = head.split()
                heading = code.startswith("H")
                if code.lstrip("H") not in COMPACT_TYPES or len(fields) < 4:
                    raise ValueError("want 'TYPE LINE | content | cue | mention | speaker | extras'")
                fields += ["-"] * (5 - len(fields))
                content, cue, mention, speaker, extras = fields[:5]
                parts = [_compact_span(p) for p in content.split(" || ")]
                if any(p is None for p in parts):
                    raise ValueError("content is empty")
                quote: dict[str, Any] = {"line": int(line_text), "type": COMPACT_TYPES[code.lstrip("H")]}
                if heading:
                    quote["heading"] = True
                quote["content"] = parts[0] if len(parts) == 1 else parts
                quote["cue"] = _compact_span(cue)
                quote["speaker_mention"] = _compact_span(mention)
                if speaker in ("-", ""):
                    quote["speaker"], quote["speaker_kind"] = None, "unknown"
                elif "/" in speaker and speaker.rsplit("/", 1)[1] in COMPACT_KINDS:
                    names_text, kind = speaker.rsplit("/", 1)
                    names = [n.strip() for n in names_text.split(";") if n.strip()]
                    quote["speaker"], quote["speaker_kind"] = names[0], COMPACT_KINDS[kind]
                    if names[1:]:
                        quote["speaker_aliases"] = names[1:]
                elif speaker in speakers:
                    entry = speakers[speaker]
                    quote["speaker"], quote["speaker_kind"] = entry["speaker"], entry["kind"]
                    if entry["aliases"]:
                        quote["speaker_aliases"] = entry["aliases"]
                else:
                    raise ValueError(f"speaker {speaker!r} is not registered (S row) and has no /KIND")
                for extra in (e.strip() for e in extras.split(";") if e.strip() and extras != "-"):
                    key, _, value = extra.partition("=")
                    if key == "to":
                        quote["addressee"] = _compact_span(value)
                    elif key == "n":
                        k = int(value)
                        quote["nested_in"] = k if k > 0 else len(quotes) + 1 + k
                    elif key == "id":
                        quote["id"] = value
                    else:
                        raise ValueError(f"unknown extra {extra!r} (to=, n=, id=)")
                quotes.append(quote)
        except ValueError as error:
            raise DraftError(f"{where}: {error}: {row[:70]!r}") from None
    return {"quotes": quotes, "hedges": hedges, "boilerplate": boilerplate}
