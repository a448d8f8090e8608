"""Train the learned hedge-word model (``kilde.hedges``) on the corpus.

    python training/hedges/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/hedges/train.py --all    # every fold -> src/kilde/models/hedges.json

Examples come from kilde itself: the shipped pipeline runs up to the hedges stage, which finds
its rule markers; every word the model would then judge (``HedgeDetector.open_words``: an
adverb, auxiliary, verb or adjective in the journalist's voice outside the rules' markers) is an
example, right when it lies inside an annotated hedge marker. ``--cv`` reports word-level
precision and recall over the held-out folds; ``training/folds.py --hedges`` scores the markers
as ``kilde eval`` does. CPU only, a few minutes.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from spacy.language import Language

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import (
    Labelled,
    LinearModelTraining,
    acceptance_scores,
    analysed_before,
    corpus_examples,
    fit_labelled,
    run,
)

from kilde.annotations.store import Annotation
from kilde.hedges import PACKAGED_MODEL, TASK, HedgeDetector, hedge_word_features, report_ranges
from kilde.text import Ranges
from kilde.types import HEDGE_SPANS, read_quotes

HERE = Path(__file__).parent
L2 = 1.0
THRESHOLD = 0.3
"""Chosen on the corpus folds by marker F (``training/folds.py --hedges``): 0.5 gave 0.749,
0.3 0.772 and 0.2 0.772 (word-level precision falls faster below 0.3)."""


def examples_of(annotation: Annotation, fold: int, nlp: Language) -> list[Labelled]:
    doc = analysed_before("kilde_hedges", annotation, nlp)
    detector: HedgeDetector = nlp.get_pipe("kilde_hedges")  # type: ignore[assignment]
    detector.model = None
    doc = detector(doc)
    excluded = Ranges(detector.excluded_ranges(doc))
    gold = Ranges(annotation.hedges)
    reports = report_ranges(read_quotes(doc))
    return [
        Labelled(fold, hedge_word_features(token, reports), gold.contains(token.idx))
        for token in detector.open_words(doc, excluded, list(doc.spans[HEDGE_SPANS]))
    ]


def all_examples() -> list[Labelled]:
    examples = corpus_examples(examples_of)
    print(f"{len(examples)} words, {sum(e.label for e in examples)} inside a hedge", file=sys.stderr)
    return examples


if __name__ == "__main__":
    run(
        LinearModelTraining(
            __doc__,
            HERE,
            PACKAGED_MODEL,
            all_examples,
            partial(fit_labelled, TASK, l2=L2, threshold=THRESHOLD),
            acceptance_scores,
        )
    )
