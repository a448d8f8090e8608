"""Train the dash-quote line-continuation model (``kilde.continuation``) on the corpus.

    python training/continuation/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/continuation/train.py --all    # every fold -> src/kilde/models/continuation.json

Examples come from kilde's own quotes stage: for every dash line without a tag, the stage walks
the following lines exactly as it does when it runs (``QuoteFinder.dash_quote_end``), and the
corpus answers each question "does this line go on with the quote?" (yes when one annotated
quote's content reaches from the dash line into it). The walk stops at the first no, as the
model's does. The model is ``kilde.linear``'s L2-regularised logistic regression. ``--cv``
scores each fold's decisions on its held-out fold (metrics/continuation.json), and
``training/folds.py`` scores kilde's attribution with the fold models. CPU only, about a
minute. Needs the shared data at ../shared.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import LinearModelTraining, run

from kilde import linear
from kilde.annotations.stats import folded_annotations
from kilde.annotations.store import Annotation, Source, load_source
from kilde.continuation import PACKAGED_MODEL, TASK, one_sentence_share
from kilde.linear import LinearModel
from kilde.pipeline import build_pipeline
from kilde.text import Paragraph, doc_text, paragraphs
from kilde.tokenization import make_doc

HERE = Path(__file__).parent
UNREAD_COMPONENTS = frozenset({"parser", "trainable_lemmatizer", "ner"})
"""Trained components whose output the features do not read, skipped to save time (the
morphologizer's tense and person are read)."""
L2 = 1.0
"""Chosen over 0.1-100 by the folds' decision accuracy (0.895 at 1, 0.892 at 10, 0.850 at 100)."""


@dataclass
class Example:
    features: dict[str, float]
    label: bool
    fold: int


@dataclass
class Text:
    annotation: Annotation
    source: Source
    fold: int

    @property
    def text(self) -> str:
        return self.source.text


def corpus_texts() -> list[Text]:
    return [
        Text(annotation, load_source(annotation.source_set, annotation.id), fold)
        for annotation, fold in folded_annotations()
    ]


def _line_of(paras: list[Paragraph], position: int) -> int | None:
    for para in paras:
        if para.start <= position < para.end:
            return para.index
    return None


def examples_of(item: Text, pipelines: dict[str, object]) -> list[Example]:
    """Every question the quotes stage asks in this text, with the corpus's answer."""
    nlp = pipelines[item.annotation.language]
    finder = nlp.get_pipe("kilde_quotes")  # type: ignore[attr-defined]
    doc = make_doc(nlp, item.text)  # type: ignore[arg-type]
    for name, component in nlp.pipeline:  # type: ignore[attr-defined]
        if name == "kilde_quotes":
            break
        if name not in UNREAD_COMPONENTS:
            doc = component(doc)
    paras = paragraphs(doc)
    # Lines each annotated quote's content touches, as a range of paragraph indices.
    quote_lines: list[tuple[int, int]] = []
    for quote in item.annotation.quotes:
        lines = [_line_of(paras, pos) for part in quote.content for pos in (part[0], part[1] - 1)]
        found = [line for line in lines if line is not None]
        if found:
            quote_lines.append((min(found), max(found)))
    layout = one_sentence_share(doc_text(doc), paras, finder.language)
    cues = finder.tag_cues(doc)
    out: list[Example] = []
    for para in paras:
        if para.dash_body_start is None:
            continue

        def answer(candidate: Paragraph, features: dict[str, float], first: int = para.index) -> bool:
            label = any(lo <= first and candidate.index <= hi for lo, hi in quote_lines)
            out.append(Example(features, label, item.fold))
            return label

        finder.dash_quote_end(doc, paras, para.index, cues, layout, decide=answer)
    return out


def fit(examples: Sequence[Example]) -> LinearModel:
    return linear.fit(TASK, [e.features for e in examples], [e.label for e in examples], l2=L2)


def decision_scores(held_out: Sequence[tuple[LinearModel, Example]]) -> dict[str, float]:
    """Precision, recall and F of "goes on" over held-out examples, and accuracy."""
    tp = fp = fn = tn = 0
    for model, example in held_out:
        predicted, label = model.decides_yes(example.features), example.label
        tp += predicted and label
        fp += predicted and not label
        fn += not predicted and label
        tn += not predicted and not label
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / max(1, tp + fp + fn + tn)
    scores = {"p": precision, "r": recall, "f": f1, "accuracy": accuracy, "questions": tp + fp + fn + tn}
    return {name: round(value, 4) for name, value in scores.items()}


def all_examples() -> list[Example]:
    texts = corpus_texts()
    # The listed cues only: the fold models and the shipped one see the same questions,
    # whatever cue recognizer is installed.
    pipelines = {lang: build_pipeline(lang, learned_cues=False) for lang in ("nb", "nn")}
    examples = [example for item in texts for example in examples_of(item, pipelines)]
    print(f"{len(examples)} examples, {sum(e.label for e in examples)} go on with the quote", file=sys.stderr)
    return examples


if __name__ == "__main__":
    training = LinearModelTraining(__doc__, HERE, PACKAGED_MODEL, all_examples, fit, decision_scores)
    run(training)
