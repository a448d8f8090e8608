"""Agreement between two annotations of the same articles, scored as ``kilde eval`` scores kilde.

The *other* annotation is turned into a ``kilde/1`` prediction (content spans, cue,
speaker name or else mention, speaker kind, addressee, hedge spans, boilerplate
line spans) and scored against the *reference* with :func:`kilde.evaluate.evaluate`,
so the figures mean exactly what kilde's do. On top, per-field agreement on the
matched quotes for what the scorer does not look at: type, heading, speaker
mention and nesting.

Either side may be stand-off files (joined with the shared texts) or gold files;
articles are paired by their text (sha256), so ids need not agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kilde.annotations import FORMAT
from kilde.annotations.loader import gold_record, load_gold_records, source_for
from kilde.annotations.store import AnnotationError, annotation_from_json, sha256


def _records(paths: Iterable[Path], shared: Path | None) -> list[dict[str, Any]]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise AnnotationError(f"no such file or folder: {path}")
    records = []
    for path in files:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise AnnotationError(f"cannot read {path}: {error}") from None
        if not isinstance(raw, dict):
            continue
        if raw.get("format") == FORMAT:
            annotation = annotation_from_json(raw)
            if annotation.status != "done":
                continue
            records.append(gold_record(annotation, source_for(annotation, shared)))
        elif isinstance(raw.get("text"), str):
            records.append(raw)
    return records


def prediction(gold: Any) -> dict[str, Any]:
    """A ``kilde/1``-shaped prediction from a ``GoldArticle``."""
    quotes = []
    for q in gold.quotes:
        name = q.speaker or q.speaker_mention
        quotes.append(
            {
                "type": q.type,
                "content": [{"start": s, "end": e} for s, e in q.spans],
                "cue": {"text": q.cue} if q.cue else None,
                "speaker": {
                    "name": name,
                    "mention": {"text": q.speaker_mention} if q.speaker_mention else None,
                    "kind": q.speaker_kind,
                },
                "addressee": {"text": q.addressee} if q.addressee else None,
                "heading": q.heading,
            }
        )
    lines = {line.strip() for line in gold.boilerplate}
    boilerplate, offset = [], 0
    for line in gold.text.split("\n"):
        if line.strip() and line.strip() in lines:
            boilerplate.append({"start": offset, "end": offset + len(line)})
        offset += len(line) + 1
    return {
        "text": gold.text,
        "quotes": quotes,
        "hedges": [{"start": h.start, "end": h.end} for h in gold.hedges],
        "boilerplate": boilerplate,
    }


def _nested_positions(record: dict[str, Any]) -> list[int | None]:
    return [q.get("nested_in") for q in record.get("quotes") or []]


def agreement(
    reference: Iterable[Path], other: Iterable[Path], shared: Path | None = None, collect_errors: bool = False
) -> dict[str, Any]:
    """Metrics of ``other`` against ``reference`` over the articles both have."""
    from kilde.evaluate import evaluate, match_quotes, normalise

    ref_records = _records(reference, shared)
    other_records = _records(other, shared)
    ref_gold = load_gold_records(ref_records)
    other_gold = load_gold_records(other_records)
    others = {sha256(g.text): (g, r) for g, r in zip(other_gold, other_records, strict=True)}
    pairs = []
    extra = {"type": [0, 0], "heading": [0, 0], "speaker_mention": [0, 0], "nested_in": [0, 0]}
    unpaired = []
    for gold, record in zip(ref_gold, ref_records, strict=True):
        found = others.pop(sha256(gold.text), None)
        if found is None:
            unpaired.append(gold.id)
            continue
        other_article, other_record = found
        predicted = prediction(other_article)
        pairs.append((gold, predicted))
        from kilde.evaluate import _predicted_quote  # the scorer's own reading of a prediction

        pq = [_predicted_quote(q, gold.text) for q in predicted["quotes"]]
        matches = match_quotes(gold.text, gold.quotes, pq)
        mapping = {m.gold: m.predicted for m in matches}
        ref_nested, other_nested = _nested_positions(record), _nested_positions(other_record)
        for m in matches:
            g, o = gold.quotes[m.gold], other_article.quotes[m.predicted]
            extra["type"][0] += g.type == o.type
            extra["type"][1] += 1
            extra["heading"][0] += g.heading == o.heading
            extra["heading"][1] += 1
            if g.speaker_mention or o.speaker_mention:
                extra["speaker_mention"][1] += 1
                extra["speaker_mention"][0] += normalise(g.speaker_mention) == normalise(o.speaker_mention)
            rn, on = ref_nested[m.gold], other_nested[m.predicted]
            if rn is not None or on is not None:
                extra["nested_in"][1] += 1
                extra["nested_in"][0] += rn is not None and on is not None and mapping.get(rn - 1) == on - 1
    metrics = evaluate(pairs, collect_errors=collect_errors)
    metrics["field_agreement"] = {
        k: {"agree": a, "total": t, "ratio": round(a / t, 4) if t else None} for k, (a, t) in extra.items()
    }
    metrics["unpaired_reference"] = unpaired
    metrics["unpaired_other"] = [g.id for g, _ in others.values()]
    return metrics


def render_field_agreement(metrics: dict[str, Any]) -> list[str]:
    out = []
    for name, v in metrics["field_agreement"].items():
        ratio = "–" if v["ratio"] is None else f"{v['ratio']:.3f}"
        out.append(f"{name:<16} {ratio}  ({v['agree']}/{v['total']} matched quotes)")
    if metrics["unpaired_reference"]:
        out.append(f"only in the reference: {', '.join(metrics['unpaired_reference'])}")
    if metrics["unpaired_other"]:
        out.append(f"only in the other: {', '.join(metrics['unpaired_other'])}")
    return out
