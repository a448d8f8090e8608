"""Score ``kilde/1`` predictions against hand-annotated gold articles.

The rules are the "Scoring" section of the shared contract (``../shared/docs/output-schema.md``);
this module is the single place where they are turned into code, so ``kilde eval``, the tests and any
notebook report the same figures. Everything is micro-averaged: counts are summed
over all articles first and the ratios are taken once at the end.

Conventions (the doc leaves them open, so they are fixed here):

* A precision, recall or accuracy whose denominator is zero is ``None`` (JSON
  ``null``): "no predictions" is not the same as "all predictions wrong". F is
  ``None`` only when both precision and recall are ``None`` (nothing to find and
  nothing predicted); when one side is undefined or both are zero, F is ``0.0``.
* Ratios are plain floats rounded to 4 decimals.
* Quote marks never count: they are dropped from content character sets and from
  compared strings, and whitespace and punctuation are trimmed from the edges of
  every content part, so a prediction that keeps ``«»`` or a final comma scores
  the same as one that does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kilde.errors import KildeError

QUOTE_MARKS = frozenset("«»\"“”„‟‘’‚‛‹›'`´")
"""Characters that are never part of what was said; ignored everywhere in scoring."""

EDGE_PUNCTUATION = frozenset(".,;:!?…–—‒―-()[]{}*/")
"""Punctuation that belongs to the frame rather than the words when it sits at a content edge."""

PRONOUNS = frozenset(
    {"han", "hun", "ho", "de", "dei", "den", "det", "vi", "eg", "jeg", "me", "ham", "henne", "dem", "honom"}
)
"""Bare pronouns never count as a speaker by containment: "han" is inside too many names."""

RELAYED_KINDS = frozenset({"media", "document"})
"""Speaker kinds that form the provenance chain (outlets, agencies, reports, recordings)."""

INDIRECT_TYPES = frozenset({"indirect", "mixed"})

MATCH_THRESHOLD = 0.5
"""Minimum Dice of content character sets for a predicted and a gold quote to match."""

SPEAKER_CONTAINMENT_MIN = 4
ADDRESSEE_CONTAINMENT_MIN = 3

_WHITESPACE = re.compile(r"\s+")

Span = tuple[int, int]
Analyzer = Callable[..., dict[str, Any]]


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldQuote:
    """One annotated attribution, with its content located as character offsets."""

    type: str
    content: tuple[str, ...]
    spans: tuple[Span, ...]
    cue: str | None
    speaker_mention: str | None
    speaker: str | None
    speaker_aliases: tuple[str, ...]
    speaker_kind: str | None
    addressee: str | None
    heading: bool


@dataclass(frozen=True)
class GoldHedge:
    """One hedge marker, located so that it can be matched by overlap."""

    marker: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldArticle:
    """One gold file (annotation-guidelines.md section 5), with every string located in ``text``."""

    id: str
    language: str
    text: str
    quotes: tuple[GoldQuote, ...]
    hedges: tuple[GoldHedge, ...]
    boilerplate: tuple[str, ...]
    path: Path | None = None


def _nth_occurrence(text: str, needle: str, occurrence: int, start: int = 0) -> int:
    """Offset of the ``occurrence``-th (from 1) appearance of ``needle`` at or after ``start``, or -1."""
    index = start - 1
    for _ in range(occurrence):
        index = text.find(needle, index + 1)
        if index < 0:
            return -1
    return index


def _locate_parts(text: str, parts: Sequence[str], occurrence: int | None) -> tuple[Span, ...]:
    """Offsets of a quote's content parts.

    ``occurrence`` picks the first part; each later part is the first appearance
    after the previous part (a quote interrupted by its tag reads left to right),
    falling back to its first appearance anywhere.
    """
    spans: list[Span] = []
    cursor = 0
    for number, part in enumerate(parts):
        if number == 0:
            start = _nth_occurrence(text, part, occurrence or 1)
        else:
            start = text.find(part, cursor)
            if start < 0:
                start = text.find(part)
        if start < 0:
            where = f"occurrence {occurrence} of " if occurrence and number == 0 else ""
            raise ValueError(f"{where}content {part[:60]!r} is not in the text")
        spans.append((start, start + len(part)))
        cursor = start + len(part)
    return tuple(spans)


def _optional_str(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null")
    return value or None


def _gold_quote(text: str, raw: Mapping[str, Any]) -> GoldQuote:
    content = raw.get("content")
    parts = (content,) if isinstance(content, str) else tuple(content or ())
    if not parts or not all(isinstance(p, str) and p for p in parts):
        raise ValueError("quote content must be a non-empty string or list of strings")
    occurrence = raw.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or occurrence < 1):
        raise ValueError("occurrence must be a whole number from 1")
    aliases = raw.get("speaker_aliases") or ()
    if isinstance(aliases, str):
        aliases = (aliases,)
    return GoldQuote(
        type=str(raw.get("type") or "direct"),
        content=parts,
        spans=_locate_parts(text, parts, occurrence),
        cue=_optional_str(raw.get("cue"), "cue"),
        speaker_mention=_optional_str(raw.get("speaker_mention"), "speaker_mention"),
        speaker=_optional_str(raw.get("speaker"), "speaker"),
        speaker_aliases=tuple(a for a in aliases if isinstance(a, str) and a),
        speaker_kind=_optional_str(raw.get("speaker_kind"), "speaker_kind"),
        addressee=_optional_str(raw.get("addressee"), "addressee"),
        heading=bool(raw.get("heading", False)),
    )


def _gold_hedges(text: str, raw_hedges: Sequence[Mapping[str, Any]]) -> tuple[GoldHedge, ...]:
    """Locate hedge markers.

    Markers with an ``occurrence`` take it; markers without one take the earliest
    appearance that no other hedge with the same string has claimed, so three
    unnumbered ``skal ha`` entries mean its first three appearances.
    """
    claimed: dict[str, set[int]] = {}
    for raw in raw_hedges:
        marker, occurrence = raw.get("marker"), raw.get("occurrence")
        if not isinstance(marker, str) or not marker:
            raise ValueError("every hedge needs a non-empty marker string")
        if occurrence is not None:
            if not isinstance(occurrence, int) or occurrence < 1:
                raise ValueError(f"hedge {marker!r}: occurrence must be a whole number from 1")
            claimed.setdefault(marker, set()).add(occurrence)
    hedges: list[GoldHedge] = []
    for raw in raw_hedges:
        marker, occurrence = raw["marker"], raw.get("occurrence")
        if occurrence is None:
            taken = claimed.setdefault(marker, set())
            occurrence = next(n for n in range(1, len(taken) + 2) if n not in taken)
            taken.add(occurrence)
        start = _nth_occurrence(text, marker, occurrence)
        if start < 0:
            raise ValueError(f"occurrence {occurrence} of hedge {marker!r} is not in the text")
        hedges.append(GoldHedge(marker, start, start + len(marker)))
    return tuple(hedges)


def load_gold(path: Path | str) -> GoldArticle:
    """Read one gold file and locate its quotes and hedges in its text.

    Any problem (unreadable file, bad JSON, a string that is not in the text) is a
    :class:`KildeError` naming the file, because a silently skipped annotation
    would quietly change the scores.
    """
    path = Path(path)
    return gold_article(read_gold_record(path), path)


def read_gold_record(path: Path) -> Any:
    """The JSON of one gold file; a file that cannot be read is a :class:`KildeError` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KildeError(f"cannot read gold file {path}: {error}".replace("\n", " ")) from None


def gold_article(raw: Any, path: Path | None = None) -> GoldArticle:
    """One gold record (a gold file's JSON object) with its quotes and hedges located in its text.

    A problem is a :class:`KildeError` naming ``path`` (or the record's id).
    """
    where = path if path is not None else f"record {raw.get('id') if isinstance(raw, dict) else '?'}"
    try:
        if not isinstance(raw, dict):
            raise ValueError("the file must hold one JSON object")
        text = raw.get("text")
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        boilerplate = tuple(raw.get("boilerplate") or ())
        if not all(isinstance(line, str) for line in boilerplate):
            raise ValueError("boilerplate must be a list of strings")
        lines = {line.strip() for line in text.split("\n")}
        for line in boilerplate:
            if line.strip() not in lines:
                raise ValueError(f"boilerplate {line[:60]!r} is not a line of the text")
        quotes = []
        for number, quote in enumerate(raw.get("quotes") or (), 1):
            try:
                quotes.append(_gold_quote(text, quote))
            except (ValueError, TypeError, AttributeError) as error:
                raise ValueError(f"quote {number}: {error}") from None
        return GoldArticle(
            id=str(raw.get("id") or (path.stem if path is not None else "")),
            language=str(raw.get("language") or "nb"),
            text=text,
            quotes=tuple(quotes),
            hedges=_gold_hedges(text, raw.get("hedges") or ()),
            boilerplate=boilerplate,
            path=path,
        )
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise KildeError(f"invalid gold file {where}: {error}") from None


# ------------------------------------------------------------------ normalising


def normalise(value: str | None) -> str:
    """Lower-case, drop quote marks, collapse whitespace, trim edge punctuation.

    This is the doc's "normalised" for speakers, cues, addressees and exact
    content: it forgives the typographic choices that do not change who said what.
    """
    if not value:
        return ""
    value = "".join(ch for ch in value.lower() if ch not in QUOTE_MARKS)
    value = _WHITESPACE.sub(" ", value)
    return value.strip("".join(EDGE_PUNCTUATION) + " ")


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or ch in QUOTE_MARKS or ch in EDGE_PUNCTUATION


def char_set(text: str, spans: Iterable[Span]) -> frozenset[int]:
    """The character positions of a quote's content that scoring looks at.

    Each part is trimmed of whitespace, quote marks and punctuation at its edges,
    and quote marks inside it are dropped, on both the gold and the predicted side:
    whether a tool includes ``«`` or the comma before ``sier han`` is not a
    content error.
    """
    positions: set[int] = set()
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        while start < end and _is_trimmable(text[start]):
            start += 1
        while end > start and _is_trimmable(text[end - 1]):
            end -= 1
        positions.update(i for i in range(start, end) if text[i] not in QUOTE_MARKS)
    return frozenset(positions)


def dice(a: frozenset[int], b: frozenset[int]) -> float:
    """2·|A∩B| / (|A|+|B|); 0 when both are empty, so empty content never matches."""
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def content_string(text: str, spans: Iterable[Span]) -> str:
    """A quote's content as one normalised string, parts joined by a space (for the exact test)."""
    parts = (normalise(text[max(0, s) : e]) for s, e in spans)
    return " ".join(p for p in parts if p)


def _last_word(value: str) -> str:
    words = value.split()
    return words[-1] if words else ""


def speaker_right(
    predicted: str | None, gold: str | None, aliases: Sequence[str] = (), gold_kind: str | None = None
) -> bool:
    """The doc's speaker rule; a gold speaker of ``None`` accepts anything.

    Right when the normalised prediction equals the gold name or an alias, when one
    contains the other (the contained one at least 4 characters and not a bare
    pronoun), or, for a person with a name of two words or more, when the last
    words agree ("Solberg" and "Petter Solberg" are the same speaker).
    """
    if gold is None:
        return True
    guess = normalise(predicted)
    if not guess:
        return False
    for candidate in (gold, *aliases):
        target = normalise(candidate)
        if not target:
            continue
        if guess == target:
            return True
        shorter, longer = sorted((guess, target), key=len)
        if len(shorter) >= SPEAKER_CONTAINMENT_MIN and shorter not in PRONOUNS and shorter in longer:
            return True
    gold_name = normalise(gold)
    return (
        gold_kind == "person" and len(gold_name.split()) >= 2 and _last_word(guess) == _last_word(gold_name)
    )


def addressee_right(predicted: str | None, gold: str) -> bool:
    """Normalised strings equal, or one inside the other with the inner one at least 3 characters."""
    guess, target = normalise(predicted), normalise(gold)
    if not guess or not target:
        return False
    if guess == target:
        return True
    shorter, longer = sorted((guess, target), key=len)
    return len(shorter) >= ADDRESSEE_CONTAINMENT_MIN and shorter in longer


# ------------------------------------------------------------------ predictions


@dataclass(frozen=True)
class PredictedQuote:
    """The parts of a ``kilde/1`` quote that scoring reads, pulled out defensively."""

    type: str
    spans: tuple[Span, ...]
    cue: str | None
    speaker: str | None
    speaker_kind: str | None
    addressee: str | None


def _span_of(value: Any) -> Span | None:
    if (
        isinstance(value, Mapping)
        and isinstance(value.get("start"), int)
        and isinstance(value.get("end"), int)
    ):
        return (value["start"], value["end"])
    return None


def _span_text(value: Any, text: str) -> str | None:
    """A span's text, from its ``text`` field or else from the offsets."""
    if not isinstance(value, Mapping):
        return None
    if isinstance(value.get("text"), str):
        return value["text"]
    span = _span_of(value)
    return text[span[0] : span[1]] if span else None


def _predicted_quote(raw: Mapping[str, Any], text: str) -> PredictedQuote:
    content = raw.get("content")
    parts = [content] if isinstance(content, Mapping) else list(content or ())
    spans = tuple(s for s in (_span_of(p) for p in parts) if s is not None)
    speaker = raw.get("speaker") if isinstance(raw.get("speaker"), Mapping) else {}
    name = speaker.get("name") if isinstance(speaker.get("name"), str) and speaker.get("name") else None
    return PredictedQuote(
        type=str(raw.get("type") or ""),
        spans=spans,
        cue=_span_text(raw.get("cue"), text),
        speaker=name or _span_text(speaker.get("mention"), text),
        speaker_kind=speaker.get("kind") if isinstance(speaker.get("kind"), str) else None,
        addressee=_span_text(raw.get("addressee"), text),
    )


# ---------------------------------------------------------------------- counts


@dataclass
class Counts:
    """Raw counts for one article or a sum of articles; every reported ratio comes from these."""

    articles: int = 0
    gold_quotes: int = 0
    predicted_quotes: int = 0
    matched: int = 0
    attributed: int = 0
    exact: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    cue_total: int = 0
    cue_right: int = 0
    kind_total: int = 0
    kind_right: int = 0
    addressee_total: int = 0
    addressee_right: int = 0
    direct_gold: int = 0
    direct_gold_hit: int = 0
    direct_predicted: int = 0
    direct_predicted_hit: int = 0
    indirect_gold: int = 0
    indirect_gold_hit: int = 0
    indirect_predicted: int = 0
    indirect_predicted_hit: int = 0
    relayed_gold: int = 0
    relayed_gold_hit: int = 0
    relayed_predicted: int = 0
    relayed_predicted_hit: int = 0
    hedges_gold: int = 0
    hedges_predicted: int = 0
    hedges_hit: int = 0
    boilerplate_gold: int = 0
    boilerplate_predicted: int = 0
    boilerplate_hit: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass
class ArticleScore:
    """Counts for one article plus, for error analysis, what went wrong in it."""

    id: str
    language: str
    counts: Counts
    errors: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteMatch:
    gold: int
    predicted: int
    dice: float
    speaker_right: bool


def match_quotes(
    text: str, gold: Sequence[GoldQuote], predicted: Sequence[PredictedQuote]
) -> list[QuoteMatch]:
    """One-to-one matching: greedy from the highest Dice ≥ 0.5, on equal Dice the speaker-right pair first.

    Greedy rather than optimal because that is what the doc specifies, and it is
    easy to reason about when reading error lists.
    """
    gold_sets = [char_set(text, q.spans) for q in gold]
    predicted_sets = [char_set(text, q.spans) for q in predicted]
    candidates: list[QuoteMatch] = []
    for g, gold_quote in enumerate(gold):
        for p, predicted_quote in enumerate(predicted):
            score = dice(gold_sets[g], predicted_sets[p])
            if score >= MATCH_THRESHOLD:
                right = speaker_right(
                    predicted_quote.speaker,
                    gold_quote.speaker,
                    gold_quote.speaker_aliases,
                    gold_quote.speaker_kind,
                )
                candidates.append(QuoteMatch(g, p, score, right))
    candidates.sort(key=lambda m: (-round(m.dice, 9), not m.speaker_right, m.gold, m.predicted))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matches: list[QuoteMatch] = []
    for candidate in candidates:
        if candidate.gold in used_gold or candidate.predicted in used_predicted:
            continue
        used_gold.add(candidate.gold)
        used_predicted.add(candidate.predicted)
        matches.append(candidate)
    return sorted(matches, key=lambda m: m.gold)


def _match_hedges(gold: Sequence[GoldHedge], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping hedge spans, largest overlap first."""
    candidates = []
    for g, hedge in enumerate(gold):
        for p, (start, end) in enumerate(predicted):
            overlap = min(hedge.end, end) - max(hedge.start, start)
            if overlap > 0:
                candidates.append((-overlap, g, p))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    return pairs


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text), offsets of the stripped extent."""
    result = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            result.append((offset + lead, offset + lead + len(stripped), stripped))
        offset += len(line) + 1
    return result


def _boilerplate_lines(
    text: str, gold_lines: Sequence[str], predicted: Sequence[Span]
) -> tuple[set[int], set[int], list[str]]:
    """Indices of gold and predicted boilerplate lines, and the line texts by index.

    A gold entry marks every line equal to it (a repeated ad-break line is
    boilerplate each time). A line is predicted boilerplate when the predicted
    spans cover at least half of its (stripped) characters.
    """
    lines = _lines(text)
    wanted = {line.strip() for line in gold_lines}
    gold = {i for i, (_, _, line) in enumerate(lines) if line in wanted}
    covered: set[int] = set()
    for start, end in predicted:
        covered.update(range(max(0, start), min(len(text), end)))
    predicted_lines = set()
    for i, (start, end, _) in enumerate(lines):
        if 2 * sum(1 for c in range(start, end) if c in covered) >= end - start:
            predicted_lines.add(i)
    return gold, predicted_lines, [line for _, _, line in lines]


def _snippet(value: str, limit: int = 80) -> str:
    value = _WHITESPACE.sub(" ", value).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _gold_quote_error(gold: GoldQuote) -> dict[str, Any]:
    return {
        "type": gold.type,
        "content": _snippet(" … ".join(gold.content)),
        "speaker": gold.speaker,
        "speaker_kind": gold.speaker_kind,
        "cue": gold.cue,
    }


def _predicted_quote_error(text: str, quote: PredictedQuote) -> dict[str, Any]:
    return {
        "type": quote.type,
        "content": _snippet(" … ".join(text[s:e] for s, e in quote.spans)),
        "speaker": quote.speaker,
        "speaker_kind": quote.speaker_kind,
        "cue": quote.cue,
    }


def score_article(
    gold: GoldArticle, predicted: Mapping[str, Any], collect_errors: bool = False
) -> ArticleScore:
    """Count everything the doc scores for one article.

    ``predicted`` is a ``kilde/1`` object for exactly ``gold.text``; its offsets
    are read against the gold text, so a different text is an error rather than a
    silently wrong score.
    """
    text = gold.text
    predicted_text = predicted.get("text")
    if isinstance(predicted_text, str) and predicted_text != text:
        raise KildeError(f"article {gold.id}: the prediction's text differs from the gold text")
    predicted_quotes = [
        _predicted_quote(q, text) for q in predicted.get("quotes") or () if isinstance(q, Mapping)
    ]
    counts = Counts(articles=1, gold_quotes=len(gold.quotes), predicted_quotes=len(predicted_quotes))
    matches = match_quotes(text, gold.quotes, predicted_quotes)
    wrong_speaker: list[dict[str, Any]] = []
    for match in matches:
        g, p = gold.quotes[match.gold], predicted_quotes[match.predicted]
        counts.matched += 1
        counts.attributed += match.speaker_right
        counts.exact += content_string(text, g.spans) == content_string(text, p.spans)
        if g.speaker is not None:
            counts.speaker_total += 1
            counts.speaker_right += match.speaker_right
            counts.kind_total += 1
            counts.kind_right += p.speaker_kind == g.speaker_kind
            if not match.speaker_right and collect_errors:
                wrong_speaker.append(
                    {
                        "content": _snippet(" … ".join(g.content)),
                        "gold_speaker": g.speaker,
                        "gold_aliases": list(g.speaker_aliases),
                        "predicted_speaker": p.speaker,
                        "gold_kind": g.speaker_kind,
                        "predicted_kind": p.speaker_kind,
                        "gold_cue": g.cue,
                        "predicted_cue": p.cue,
                        "dice": round(match.dice, 4),
                    }
                )
        if g.cue is not None:
            counts.cue_total += 1
            counts.cue_right += bool(p.cue) and normalise(p.cue) == normalise(g.cue)
        if g.addressee is not None:
            counts.addressee_total += 1
            counts.addressee_right += addressee_right(p.addressee, g.addressee)
        counts.direct_gold_hit += g.type == "direct"
        counts.direct_predicted_hit += p.type == "direct"
        counts.indirect_gold_hit += g.type in INDIRECT_TYPES
        counts.indirect_predicted_hit += p.type in INDIRECT_TYPES
        counts.relayed_gold_hit += g.speaker_kind in RELAYED_KINDS and match.speaker_right
        counts.relayed_predicted_hit += p.speaker_kind in RELAYED_KINDS and match.speaker_right
    counts.direct_gold = sum(q.type == "direct" for q in gold.quotes)
    counts.direct_predicted = sum(q.type == "direct" for q in predicted_quotes)
    counts.indirect_gold = sum(q.type in INDIRECT_TYPES for q in gold.quotes)
    counts.indirect_predicted = sum(q.type in INDIRECT_TYPES for q in predicted_quotes)
    counts.relayed_gold = sum(q.speaker_kind in RELAYED_KINDS for q in gold.quotes)
    counts.relayed_predicted = sum(q.speaker_kind in RELAYED_KINDS for q in predicted_quotes)

    predicted_hedges = [s for s in (_span_of(h) for h in predicted.get("hedges") or ()) if s is not None]
    hedge_pairs = _match_hedges(gold.hedges, predicted_hedges)
    counts.hedges_gold, counts.hedges_predicted = len(gold.hedges), len(predicted_hedges)
    counts.hedges_hit = len(hedge_pairs)

    predicted_boilerplate = [s for s in (_span_of(b) for b in predicted.get("boilerplate") or ()) if s]
    gold_lines, predicted_lines, line_texts = _boilerplate_lines(
        text, gold.boilerplate, predicted_boilerplate
    )
    counts.boilerplate_gold, counts.boilerplate_predicted = len(gold_lines), len(predicted_lines)
    counts.boilerplate_hit = len(gold_lines & predicted_lines)

    errors: dict[str, Any] = {}
    if collect_errors:
        matched_gold = {m.gold for m in matches}
        matched_predicted = {m.predicted for m in matches}
        hedged_gold = {g for g, _ in hedge_pairs}
        hedged_predicted = {p for _, p in hedge_pairs}
        errors = {
            "missed": [_gold_quote_error(q) for i, q in enumerate(gold.quotes) if i not in matched_gold],
            "false_positives": [
                _predicted_quote_error(text, q)
                for i, q in enumerate(predicted_quotes)
                if i not in matched_predicted
            ],
            "wrong_speaker": wrong_speaker,
            "missed_hedges": [h.marker for i, h in enumerate(gold.hedges) if i not in hedged_gold],
            "false_hedges": [
                text[s:e] for i, (s, e) in enumerate(predicted_hedges) if i not in hedged_predicted
            ],
            "missed_boilerplate": [_snippet(line_texts[i]) for i in sorted(gold_lines - predicted_lines)],
            "false_boilerplate": [_snippet(line_texts[i]) for i in sorted(predicted_lines - gold_lines)],
        }
    return ArticleScore(gold.id, gold.language, counts, errors)


# --------------------------------------------------------------------- metrics


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    if precision is None or recall is None or precision + recall == 0:
        return 0.0
    return round(2 * precision * recall / (precision + recall), 4)


def _prf(precision_hits: int, predicted: int, recall_hits: int, gold: int) -> dict[str, float | None]:
    precision, recall = _ratio(precision_hits, predicted), _ratio(recall_hits, gold)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def metrics_from_counts(counts: Counts) -> dict[str, Any]:
    """Every reported figure for one block of summed counts.

    Keys: attribution, quotes, exact (with accuracy over matches), direct,
    indirect_mixed, relayed, hedges, boilerplate (each precision/recall/f1);
    speaker_accuracy, cue_accuracy, speaker_kind_accuracy, addressee_accuracy;
    counts (the raw numbers).
    """
    c = counts
    exact = _prf(c.exact, c.predicted_quotes, c.exact, c.gold_quotes)
    return {
        "attribution": _prf(c.attributed, c.predicted_quotes, c.attributed, c.gold_quotes),
        "quotes": _prf(c.matched, c.predicted_quotes, c.matched, c.gold_quotes),
        "exact": {**exact, "accuracy": _ratio(c.exact, c.matched)},
        "speaker_accuracy": _ratio(c.speaker_right, c.speaker_total),
        "cue_accuracy": _ratio(c.cue_right, c.cue_total),
        "speaker_kind_accuracy": _ratio(c.kind_right, c.kind_total),
        "addressee_accuracy": _ratio(c.addressee_right, c.addressee_total),
        "direct": _prf(c.direct_predicted_hit, c.direct_predicted, c.direct_gold_hit, c.direct_gold),
        "indirect_mixed": _prf(
            c.indirect_predicted_hit, c.indirect_predicted, c.indirect_gold_hit, c.indirect_gold
        ),
        "relayed": _prf(c.relayed_predicted_hit, c.relayed_predicted, c.relayed_gold_hit, c.relayed_gold),
        "hedges": _prf(c.hedges_hit, c.hedges_predicted, c.hedges_hit, c.hedges_gold),
        "boilerplate": _prf(
            c.boilerplate_hit, c.boilerplate_predicted, c.boilerplate_hit, c.boilerplate_gold
        ),
        "counts": asdict(c),
    }


def evaluate(
    pairs: Iterable[tuple[GoldArticle, Mapping[str, Any]]], collect_errors: bool = False
) -> dict[str, Any]:
    """Micro-averaged metrics over (gold, prediction) pairs, overall and by gold language.

    ``by_language`` holds the languages that occur in the gold, sorted. With
    ``collect_errors`` the result also has ``errors``: one entry per article that
    has any missed quote, false positive, wrong speaker, hedge or boilerplate error.
    """
    overall = Counts()
    by_language: dict[str, Counts] = {}
    errors: list[dict[str, Any]] = []
    for gold, predicted in pairs:
        score = score_article(gold, predicted, collect_errors=collect_errors)
        overall = overall + score.counts
        by_language[gold.language] = by_language.get(gold.language, Counts()) + score.counts
        if collect_errors and any(score.errors.values()):
            errors.append({"id": score.id, "language": score.language, **score.errors})
    result: dict[str, Any] = {
        "overall": metrics_from_counts(overall),
        "by_language": {lang: metrics_from_counts(by_language[lang]) for lang in sorted(by_language)},
        "articles": overall.articles,
        "gold_quotes": overall.gold_quotes,
        "predicted_quotes": overall.predicted_quotes,
    }
    if collect_errors:
        result["errors"] = errors
    return result


def load_gold_directory(gold_dir: Path | str) -> list[GoldArticle]:
    """Every ``*.json`` in ``gold_dir``, sorted by file name; a missing or empty folder is an error."""
    return [load_gold(path) for path in gold_paths(gold_dir)]


def gold_paths(gold_dir: Path | str) -> list[Path]:
    """The ``*.json`` files of a gold folder, sorted by name; a missing or empty folder is an error."""
    gold_dir = Path(gold_dir)
    if not gold_dir.exists():
        raise KildeError(f"gold folder {gold_dir} does not exist")
    if not gold_dir.is_dir():
        raise KildeError(f"{gold_dir} is not a folder")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise KildeError(f"gold folder {gold_dir} holds no .json files")
    return paths


def evaluate_directory(
    gold_dir: Path | str,
    analyze: Analyzer,
    language_override: str | None = None,
    collect_errors: bool = False,
) -> dict[str, Any]:
    """Analyse every gold article and score the result (what ``kilde eval`` prints).

    ``analyze`` is :func:`kilde.analyze` or any function called like it (tests pass fakes). The gold
    language is passed to it unless ``language_override`` is given (``"auto"``
    scores language detection along with everything else); the breakdown is
    always by gold language.
    """
    articles = load_gold_directory(gold_dir)
    pairs = (
        (gold, analyze(gold.text, language=language_override or gold.language, doc_id=gold.id))
        for gold in articles
    )
    return evaluate(pairs, collect_errors=collect_errors)


# ------------------------------------------------------------------- rendering

_PRF_ROWS: tuple[tuple[str, str], ...] = (
    ("attribution", "Attribution (headline)"),
    ("quotes", "Quotes"),
    ("exact", "Exact content"),
    ("direct", "Direct"),
    ("indirect_mixed", "Indirect + mixed"),
    ("relayed", "Relayed (media/document)"),
    ("hedges", "Hedges"),
    ("boilerplate", "Boilerplate lines"),
)
_SUPPORT: dict[str, tuple[str, str]] = {
    "attribution": ("gold_quotes", "predicted_quotes"),
    "quotes": ("gold_quotes", "predicted_quotes"),
    "exact": ("gold_quotes", "predicted_quotes"),
    "direct": ("direct_gold", "direct_predicted"),
    "indirect_mixed": ("indirect_gold", "indirect_predicted"),
    "relayed": ("relayed_gold", "relayed_predicted"),
    "hedges": ("hedges_gold", "hedges_predicted"),
    "boilerplate": ("boilerplate_gold", "boilerplate_predicted"),
}
_ACCURACY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("speaker_accuracy", "Speaker", "speaker_total"),
    ("cue_accuracy", "Cue", "cue_total"),
    ("speaker_kind_accuracy", "Speaker kind", "kind_total"),
    ("addressee_accuracy", "Addressee", "addressee_total"),
    ("exact", "Exact (of matched)", "matched"),
)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render_metrics(metrics: Mapping[str, Any], console: Any = None) -> None:
    """Print the metrics as two Rich tables: P/R/F blocks, then accuracies over matched quotes.

    Columns are overall and each language; the headline attribution F comes first,
    and the gold/predicted support is shown so a high figure over three quotes is
    not mistaken for a result.
    """
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    scopes: list[tuple[str, Mapping[str, Any]]] = [("overall", metrics["overall"])]
    scopes += sorted(metrics.get("by_language", {}).items())
    headline = metrics["overall"]["attribution"]["f1"]
    console.print(
        f"[bold]Attribution F1: {_fmt(headline)}[/bold]   "
        f"{metrics['articles']} articles, {metrics['gold_quotes']} gold quotes, "
        f"{metrics['predicted_quotes']} predicted"
    )

    prf = Table(title="Precision / recall / F1", title_justify="left")
    prf.add_column("Metric", style="bold")
    prf.add_column("Scope")
    for part in ("P", "R", "F1"):
        prf.add_column(part, justify="right", style="bold" if part == "F1" else None)
    prf.add_column("gold", justify="right", style="dim")
    prf.add_column("pred", justify="right", style="dim")
    for key, label in _PRF_ROWS:
        gold_key, predicted_key = _SUPPORT[key]
        for number, (scope, block) in enumerate(scopes):
            values = block[key]
            prf.add_row(
                label if number == 0 else "",
                scope,
                _fmt(values["precision"]),
                _fmt(values["recall"]),
                _fmt(values["f1"]),
                str(block["counts"][gold_key]),
                str(block["counts"][predicted_key]),
                style=None if number == 0 else "dim",
                end_section=number == len(scopes) - 1,
            )
    console.print(prf)

    accuracy = Table(title="Accuracy over matched quotes", title_justify="left")
    accuracy.add_column("Metric", style="bold")
    for name, _ in scopes:
        accuracy.add_column(name, justify="right")
    accuracy.add_column("n", justify="right", style="dim")
    for key, label, total_key in _ACCURACY_ROWS:
        values = [block[key]["accuracy"] if key == "exact" else block[key] for _, block in scopes]
        accuracy.add_row(label, *map(_fmt, values), str(metrics["overall"]["counts"][total_key]))
    console.print(accuracy)


__all__ = [
    "ArticleScore",
    "Counts",
    "GoldArticle",
    "GoldHedge",
    "GoldQuote",
    "evaluate",
    "evaluate_directory",
    "load_gold",
    "load_gold_directory",
    "metrics_from_counts",
    "render_metrics",
    "score_article",
    "speaker_right",
]
