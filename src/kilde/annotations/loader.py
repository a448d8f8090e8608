"""Join stand-off annotations with the shared texts into the gold format ``kilde eval`` reads.

:func:`gold_record` gives one article as the gold JSON object of
annotation-guidelines.md section 5: ``text`` is the shared text, every span becomes
its string (content with the ``occurrence`` that points back at exactly the
annotated offsets, hedges as ``marker`` + ``occurrence``, boilerplate as whole
lines), ``nested_in`` becomes the 1-based position of the outer quote. Fields
beyond the gold format (``source_set``, ``sha256``, ``annotator``, each quote's
``offsets``) are extras that the scorer ignores.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kilde.annotations.draft import occurrences
from kilde.annotations.store import (
    Annotation,
    AnnotationError,
    Source,
    Span,
    load_source,
    require_shared,
)


class HashMismatch(AnnotationError):
    """The shared text is not the text that was annotated."""


def occurrence_of(text: str, span: Span) -> int:
    """Which occurrence (from 1, overlapping ones counted) of its string the span is."""
    needle = text[span[0] : span[1]]
    return occurrences(text, needle, 0, span[1]).index(span[0]) + 1


def source_for(annotation: Annotation, shared: Path | None = None, check_hash: bool = True) -> Source:
    source = load_source(annotation.source_set, annotation.id, shared)
    if check_hash and source.sha256 != annotation.sha256:
        raise HashMismatch(
            f"{annotation.key}: the shared text has changed since it was annotated (sha256 differs)"
        )
    return source


def gold_id(annotation: Annotation) -> str:
    return annotation.id if annotation.source_set == "dev" else annotation.key


def export_name(annotation: Annotation) -> str:
    return f"{annotation.source_set}__{annotation.id}.json"


def gold_record(annotation: Annotation, source: Source) -> dict[str, Any]:
    """One article in the gold format, from its stand-off annotation and its text."""
    text = source.text
    positions = {q.id: n for n, q in enumerate(annotation.quotes, 1)}

    def string(span: Span | None) -> str | None:
        return None if span is None else text[span[0] : span[1]]

    # The forms the article uses for a speaker are its quotes' mentions, read from the text here:
    # the stand-off file keeps them as offsets, and names as short labels (never a copied phrase).
    mentions: dict[str, list[str]] = {}
    for quote in annotation.quotes:
        if quote.speaker is not None and quote.speaker_mention is not None:
            form = " ".join(text[quote.speaker_mention[0] : quote.speaker_mention[1]].split())
            if form not in mentions.setdefault(quote.speaker, []):
                mentions[quote.speaker].append(form)

    quotes = []
    for quote in annotation.quotes:
        parts = [text[s:e] for s, e in quote.content]
        item: dict[str, Any] = {
            "type": quote.type,
            "content": parts[0] if len(parts) == 1 else parts,
        }
        occurrence = occurrence_of(text, quote.content[0])
        if occurrence > 1:
            item["occurrence"] = occurrence
        item["cue"] = string(quote.cue)
        item["speaker_mention"] = string(quote.speaker_mention)
        item["speaker"] = quote.speaker
        aliases = list(quote.speaker_aliases)
        for form in mentions.get(quote.speaker or "", []):
            if form != quote.speaker and form not in aliases:
                aliases.append(form)
        if aliases:
            item["speaker_aliases"] = aliases
        item["speaker_kind"] = quote.speaker_kind
        if quote.addressee is not None:
            item["addressee"] = string(quote.addressee)
        if quote.heading:
            item["heading"] = True
        if quote.nested_in is not None:
            item["nested_in"] = positions[quote.nested_in]
        item["offsets"] = {
            "content": [list(s) for s in quote.content],
            "cue": list(quote.cue) if quote.cue else None,
            "speaker_mention": list(quote.speaker_mention) if quote.speaker_mention else None,
            "addressee": list(quote.addressee) if quote.addressee else None,
        }
        item["quote_id"] = quote.id
        quotes.append(item)
    hedges = [{"marker": text[s:e], "occurrence": occurrence_of(text, (s, e))} for s, e in annotation.hedges]
    boilerplate: list[str] = []
    for start, end in annotation.boilerplate:
        line = text[start:end].strip()
        if line not in boilerplate:
            boilerplate.append(line)
    return {
        "id": gold_id(annotation),
        "language": annotation.language,
        "outlet": source.outlet,
        "published": source.published,
        "url": source.url,
        "source_set": annotation.source_set,
        "source_id": annotation.id,
        "source_path": source.path,
        "source_range": list(source.range) if source.range else None,
        "sha256": annotation.sha256,
        "annotator": annotation.annotator,
        "text": text,
        "quotes": quotes,
        "hedges": hedges,
        "boilerplate": boilerplate,
    }


def gold_records(
    annotations: Iterable[Annotation], shared: Path | None = None
) -> Iterator[tuple[Annotation, dict[str, Any]]]:
    shared = shared or require_shared()
    for annotation in annotations:
        yield annotation, gold_record(annotation, source_for(annotation, shared))


@dataclass
class ExportFilter:
    """Which corpus articles an export takes."""

    fold: int | None = None
    not_fold: int | None = None
    language: str | None = None
    source_set: str | None = None

    def select(self, annotations: list[Annotation], folds: dict[str, int] | None) -> list[Annotation]:
        chosen = []
        for a in annotations:
            if self.language and a.language != self.language:
                continue
            if self.source_set and a.source_set != self.source_set:
                continue
            if self.fold is not None or self.not_fold is not None:
                if folds is None or a.key not in folds:
                    raise AnnotationError(
                        f"{a.key} has no fold yet: run 'kilde annotations folds --update' first"
                    )
                if self.fold is not None and folds[a.key] != self.fold:
                    continue
                if self.not_fold is not None and folds[a.key] == self.not_fold:
                    continue
            chosen.append(a)
        return chosen


def export(
    annotations: list[Annotation], out_dir: Path, overwrite: bool = False, shared: Path | None = None
) -> list[Path]:
    """Write one gold file per article into ``out_dir`` (what ``kilde eval out_dir`` scores)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise AnnotationError(f"{out_dir} is not a folder")
    old = sorted(out_dir.glob("*.json")) if out_dir.is_dir() else []
    if old and not overwrite:
        raise AnnotationError(f"{out_dir} already holds .json files; give --overwrite to replace them")
    records = list(gold_records(annotations, shared))  # everything is read before anything is removed
    if old:
        for path in old:
            path.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for annotation, record in records:
        path = out_dir / export_name(annotation)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def load_gold_records(records: Iterable[dict[str, Any]]) -> list[Any]:
    """``GoldArticle`` objects through the scorer's own reader (via a temporary folder).

    Going through :func:`kilde.evaluate.load_gold` guarantees that what is compared
    is exactly what ``kilde eval`` would read from an export.
    """
    import tempfile

    from kilde.evaluate import load_gold

    folder = Path(tempfile.mkdtemp(prefix="kilde-gold-"))
    try:
        articles = []
        for n, record in enumerate(records):
            path = folder / f"{n:05d}.json"
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            articles.append(load_gold(path))
        return articles
    finally:
        shutil.rmtree(folder, ignore_errors=True)
