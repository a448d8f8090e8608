"""Train the quote check (``kilde.quote_check``) on the corpus.

    python training/quote_check/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/quote_check/train.py --all    # every fold -> src/kilde/models/quote_check.json

Examples come from kilde itself: the shipped pipeline runs up to the quote check, and every
indirect or mixed quote the rules made (no heading) is an example. It is right when its content
matches an annotated quote by the scorer's rule (Dice of the content characters at least 0.5).
``--cv`` reports, over the held-out folds, how many of the rules' quotes the fold models keep and
drop, right and wrong; ``training/folds.py --quote-check`` scores kilde's attribution with them.
CPU only, a few minutes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from spacy.language import Language

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import (
    Labelled,
    LinearModelTraining,
    Scores,
    analysed_before,
    content_chars,
    corpus_examples,
    fit_labelled,
    matches,
    run,
)

from kilde.annotations.store import Annotation
from kilde.linear import LinearModel
from kilde.quote_check import PACKAGED_MODEL, TASK, features, is_checked
from kilde.types import read_quotes

HERE = Path(__file__).parent
L2 = 1.0
THRESHOLD = 0.4
"""Below the usual 0.5: a quote is dropped only when the model is fairly sure it is wrong, because
a dropped right quote costs recall the stages after this one rarely win back (0.3 and 0.4 tried on
the folds: attribution F 0.6900 and 0.6918)."""


def examples_of(annotation: Annotation, fold: int, nlp: Language) -> list[Labelled]:
    doc = analysed_before("kilde_quote_check", annotation, nlp)
    gold = [content_chars([tuple(p) for p in q.content]) for q in annotation.quotes]  # type: ignore[misc]
    out = []
    for quote in read_quotes(doc):
        if not is_checked(quote):
            continue
        chars = content_chars([(part.start_char, part.end_char) for part in quote.content])
        label = any(matches(chars, g) for g in gold)
        out.append(Labelled(fold, features(doc, quote), label))
    return out


def make_examples() -> list[Labelled]:
    return corpus_examples(examples_of)


def decisions(held_out: Sequence[tuple[LinearModel, Labelled]]) -> Scores:
    """How many of the rules' quotes the held-out models keep and drop, right and wrong."""
    dropped = [e for model, e in held_out if not model.decides_yes(e.features)]
    return {
        "quotes": len(held_out),
        "right": sum(e.label for _, e in held_out),
        "dropped_wrong": sum(not e.label for e in dropped),
        "dropped_right": sum(e.label for e in dropped),
    }


if __name__ == "__main__":
    run(
        LinearModelTraining(
            doc=__doc__ or "",
            here=HERE,
            packaged=PACKAGED_MODEL,
            make_examples=make_examples,
            fit=partial(fit_labelled, TASK, l2=L2, threshold=THRESHOLD),
            score=decisions,
        )
    )
