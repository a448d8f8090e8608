"""Train the reported-speech model (``kilde.reported``) on the corpus.

    python training/reported/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/reported/train.py --all    # every fold -> src/kilde/models/reported.json

Examples come from kilde itself: the shipped pipeline runs up to the reported-speech stage, and
every structure of the parse that stage would judge (``ReportedSpeech.open_candidates``: where no
earlier quote lies) is an example. It is right when its content matches an annotated quote
by the scorer's rule (Dice of the content characters at least 0.5) and its cue word lies in that
quote's cue: a clause that happens to cover a quote reported elsewhere is not a report. ``--cv``
reports, over the held-out folds, precision and recall of the accepted candidates against those labels and how
many annotated quotes that the earlier stages miss a candidate covers at all;
``training/folds.py --reported`` scores kilde's attribution with the fold models.
CPU only, a few minutes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from spacy.language import Language

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import (
    LinearModelTraining,
    acceptance_scores,
    analysed_before,
    content_chars,
    fit_labelled,
    matches,
    run,
)

from kilde.annotations.stats import folded_annotations
from kilde.annotations.store import Annotation
from kilde.pipeline import build_pipeline
from kilde.reported import PACKAGED_MODEL, TASK, ReportedSpeech, features
from kilde.types import read_quotes

HERE = Path(__file__).parent
L2 = 1.0
THRESHOLD = 0.4
"""Below the usual 0.5: a quote added with a fair chance of being right raises attribution F,
whose precision and recall are both well under 1 (chosen on the held-out folds)."""


@dataclass
class Example:
    fold: int
    features: dict[str, float]
    label: bool
    gold: str | None
    """Which annotated quote (``text id#quote id``) the candidate matches, if any."""


def examples_of(annotation: Annotation, fold: int, nlp: Language) -> tuple[list[Example], int]:
    """The text's candidates with their labels, and how many annotated quotes the earlier stages miss."""
    doc = analysed_before("kilde_reported", annotation, nlp)
    stage: ReportedSpeech = nlp.get_pipe("kilde_reported")  # type: ignore[assignment]
    quotes = read_quotes(doc)
    gold = [
        (q.id, content_chars([tuple(p) for p in q.content]), q.cue)  # type: ignore[misc]
        for q in annotation.quotes
    ]
    found = [content_chars([(s.start_char, s.end_char) for s in q.content]) for q in quotes]
    missed = sum(1 for _, chars, _ in gold if not any(matches(chars, f) for f in found))
    out = []
    for candidate in stage.open_candidates(doc, quotes):
        chars = content_chars([candidate.content])
        cue = candidate.cue
        match = next(
            (
                qid
                for qid, g, gold_cue in gold
                if gold_cue is not None
                and gold_cue[0] < cue.idx + len(cue.text)
                and cue.idx < gold_cue[1]
                and matches(chars, g)
            ),
            None,
        )
        key = f"{annotation.source_set}/{annotation.id}#{match}" if match else None
        out.append(Example(fold, features(candidate, stage.cue_words), match is not None, key))
    return out, missed


def all_examples() -> list[Example]:
    pipelines = {lang: build_pipeline(lang) for lang in ("nb", "nn")}
    examples: list[Example] = []
    missed = 0
    for annotation, fold in folded_annotations():
        found, missing = examples_of(annotation, fold, pipelines[annotation.language])
        examples.extend(found)
        missed += missing
    covered = len({e.gold for e in examples if e.gold})
    print(
        f"{len(examples)} candidates, {sum(e.label for e in examples)} right; "
        f"annotated quotes the earlier stages miss: {missed}, covered by a candidate: {covered}",
        file=sys.stderr,
    )
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
