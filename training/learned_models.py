"""The command line both small learned models of kilde's stages share (``kilde.linear``).

``--cv`` trains one model per corpus fold on the other four folds, writes it to
``<here>/output/fold<K>.json`` (``training/folds.py`` reads them) and scores it on its held-out
fold; ``--all`` trains on every fold and writes the shipped model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kilde import linear
from kilde.annotations.stats import folded_annotations
from kilde.annotations.store import Annotation, load_source
from kilde.annotations.store import Quote as GoldQuote
from kilde.linear import LinearModel
from kilde.pipeline import STAGES, analyse_text, build_pipeline
from kilde.types import Quote


class FoldedExample(Protocol):
    fold: int


class LabelledExample(Protocol):
    fold: int
    features: dict[str, float]
    label: bool


T = TypeVar("T", bound=FoldedExample)
E = TypeVar("E")
Scores = dict[str, Any]


@dataclass
class LinearModelTraining(Generic[T]):
    """How one model is trained: its examples, their folds, fitting and held-out scoring."""

    doc: str
    """The training script's docstring: its first line describes the command."""
    here: Path
    """The model's training folder: ``output/`` and ``metrics/`` go there."""
    packaged: Path
    make_examples: Callable[[], list[T]]
    """Every example, each with its corpus fold in ``fold``."""
    fit: Callable[[Sequence[T]], LinearModel]
    score: Callable[[Sequence[tuple[LinearModel, T]]], Scores]
    """Figures for held-out examples, each with the model that did not see it."""
    extra_scores: Callable[[Sequence[tuple[LinearModel, T]]], dict[str, Scores]] | None = None

    def main(self) -> int:
        parser = argparse.ArgumentParser(description=self.doc.splitlines()[0])
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--cv", action="store_true", help="a model per held-out fold, scored on it")
        which.add_argument("--all", action="store_true", help="train on every fold, write the shipped model")
        parser.add_argument("--out", type=Path, default=self.packaged, help="where --all writes the model")
        args = parser.parse_args()
        examples = self.make_examples()
        if args.all:
            model = self.fit(examples)
            model.to_disk(args.out)
            print(f"{args.out}: {len(model.weights)} weights")
            return 0
        results: dict[str, Scores] = {}
        pooled: list[tuple[LinearModel, T]] = []
        (self.here / "output").mkdir(exist_ok=True)
        for fold in sorted({e.fold for e in examples}):
            model = self.fit([e for e in examples if e.fold != fold])
            model.to_disk(self.here / "output" / f"fold{fold}.json")
            held_out = [(model, e) for e in examples if e.fold == fold]
            results[f"fold{fold}"] = self.score(held_out)
            pooled.extend(held_out)
        results["all"] = self.score(pooled)
        if self.extra_scores is not None:
            results.update(self.extra_scores(pooled))
        (self.here / "metrics").mkdir(exist_ok=True)
        name = self.packaged.stem
        (self.here / "metrics" / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
        print(json.dumps(results, indent=1))
        return 0


@dataclass
class Labelled:
    """One example of a yes/no model: its corpus fold, its features and the corpus's answer."""

    fold: int
    features: dict[str, float]
    label: bool


def analysed_before(stage: str, annotation: Annotation, nlp: Language) -> Doc:
    """An annotated text analysed by ``nlp`` up to (not including) ``stage``: what the stage sees."""
    text = load_source(annotation.source_set, annotation.id).text
    with nlp.select_pipes(disable=list(STAGES[STAGES.index(stage) :])):
        return analyse_text(nlp, text)


def corpus_examples(
    examples_of: Callable[[Annotation, int, Language], Iterable[E]],
    pipelines: Mapping[str, Language] | None = None,
) -> list[E]:
    """``examples_of(annotation, fold, nlp)`` for every annotated text with a fold, each read by
    the pipeline of its language (by default kilde's own, built once per language)."""
    by_language = pipelines or {language: build_pipeline(language) for language in ("nb", "nn")}
    return [
        example
        for annotation, fold in folded_annotations()
        for example in examples_of(annotation, fold, by_language[annotation.language])
    ]


def content_chars(spans: Sequence[tuple[int, int]]) -> set[int]:
    """The character positions a quote's content parts cover."""
    return {i for start, end in spans for i in range(start, end)}


MATCH_DICE = 0.5
"""``kilde eval`` matches a predicted and an annotated quote from this Dice of their contents."""


def dice(a: set[int], b: set[int]) -> float:
    """The scorer's overlap of two contents (``kilde eval``: 2·|A∩B| / (|A|+|B|))."""
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def matching_gold(quote: Quote, gold: Sequence[GoldQuote]) -> GoldQuote | None:
    """The annotated quote that ``quote`` matches as ``kilde eval`` matches (the best Dice of the
    contents, at least :data:`MATCH_DICE`; the later one on a tie), or None."""
    predicted = content_chars([(part.start_char, part.end_char) for part in quote.content])
    best, best_dice = None, MATCH_DICE
    for candidate in gold:
        chars = content_chars([tuple(part) for part in candidate.content])  # type: ignore[misc]
        score = dice(predicted, chars)
        if score >= best_dice:
            best, best_dice = candidate, score
    return best


def matches(a: set[int], b: set[int]) -> bool:
    """Whether two contents (character sets) match as ``kilde eval`` matches quotes."""
    return dice(a, b) >= MATCH_DICE


def fit_labelled(task: str, examples: Sequence[LabelledExample], l2: float, threshold: float) -> LinearModel:
    """A :func:`kilde.linear.fit` model of the examples' labels that decides yes from ``threshold``."""
    model = linear.fit(task, [e.features for e in examples], [e.label for e in examples], l2=l2)
    return replace(model, threshold=threshold)


def acceptance_scores(held_out: Sequence[tuple[LinearModel, LabelledExample]]) -> Scores:
    """Precision and recall of the examples each held-out model accepts, against their labels."""
    accepted = [e for model, e in held_out if model.decides_yes(e.features)]
    right = sum(e.label for e in accepted)
    gold = sum(e.label for _, e in held_out)
    precision = right / len(accepted) if accepted else 0.0
    recall = right / gold if gold else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "examples": len(held_out),
        "right": gold,
        "accepted": len(accepted),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f": round(f, 4),
    }


def run(training: LinearModelTraining[Any]) -> None:
    sys.exit(training.main())
