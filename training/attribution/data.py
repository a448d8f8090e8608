"""The reported-speech corpus as spaCy training data, one DocBin per fold.

    python training/attribution/data.py [--out training/attribution/corpus]

Every ``done`` annotation of the corpus (``annotations/``, joined with the texts in
``../shared``) becomes a Doc tokenized as kilde tokenizes news, with the annotated spans in
span groups: ``cue`` (the reporting word or phrase), ``source`` (the speaker mention, labelled
with the speaker kind) and ``content`` (each content part, labelled direct/indirect/mixed).
Docs go to ``fold<K>.spacy`` by the corpus's fixed folds (``annotations/folds.json``), so a
model is trained on four folds and scored on the fifth. Character offsets that do not fall on
token boundaries are widened to the tokens around them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from kilde.annotations.stats import folded_annotations
from kilde.annotations.store import Annotation, AnnotationError, load_source
from kilde.tokenization import news_tokenizer

SPAN_KEYS = ("cue", "source", "content")


def annotated_doc(nlp: spacy.language.Language, annotation: Annotation, text: str) -> Doc:
    """``text`` as a Doc with the annotation's cues, sources and contents in span groups."""
    doc = nlp.make_doc(text)
    groups: dict[str, list[Span]] = {key: [] for key in SPAN_KEYS}

    def add(key: str, bounds: tuple[int, int] | None, label: str) -> None:
        if bounds is None:
            return
        span = doc.char_span(bounds[0], bounds[1], label=label, alignment_mode="expand")
        if span is not None and len(span):
            groups[key].append(span)

    for quote in annotation.quotes:
        add("cue", quote.cue, "CUE")
        add("source", quote.speaker_mention, (quote.speaker_kind or "unknown").upper())
        for part in quote.content:
            add("content", part, quote.type.upper())
    for key, spans in groups.items():
        unique = {(s.start, s.end, s.label_): s for s in spans}
        doc.spans[key] = sorted(unique.values(), key=lambda s: (s.start, s.end))
    doc.user_data["kilde_corpus_key"] = annotation.key
    doc.user_data["kilde_language"] = annotation.language  # a DocBin keeps no language of its own
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("training/attribution/corpus"))
    parser.add_argument(
        "--ents",
        choices=SPAN_KEYS,
        help="also set doc.ents from this span group, for an entity recognizer (spans that never overlap)",
    )
    args = parser.parse_args()
    try:
        folded = folded_annotations()
    except AnnotationError as err:
        print(err, file=sys.stderr)
        return 2
    pipelines = {lang: spacy.blank(lang) for lang in ("nb", "nn")}
    for lang, nlp in pipelines.items():
        news_tokenizer(lang)(nlp)
    bins = {fold: DocBin(store_user_data=True) for fold in sorted({fold for _, fold in folded})}
    counts: Counter[str] = Counter()
    for annotation, fold in folded:
        text = load_source(annotation.source_set, annotation.id).text
        doc = annotated_doc(pipelines[annotation.language], annotation, text)
        if args.ents:
            doc.ents = filter_spans(doc.spans[args.ents])
        bins[fold].add(doc)
        counts[f"fold{fold} docs"] += 1
        for key in SPAN_KEYS:
            counts[f"fold{fold} {key}"] += len(doc.spans[key])
    args.out.mkdir(parents=True, exist_ok=True)
    for fold, docbin in bins.items():
        docbin.to_disk(args.out / f"fold{fold}.spacy")
    for name, count in sorted(counts.items()):
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
