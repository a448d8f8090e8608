"""Train the speaker-kind model (``kilde.speaker_kinds``) on the corpus.

    python training/speaker_kinds/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/speaker_kinds/train.py --all    # every fold -> src/kilde/models/speaker_kinds.json

Examples come from kilde itself: the shipped pipeline, with the speaker-kind model left out (so
the kinds are the rules'), analyses every corpus text; each quote that matches an annotated
quote (Dice of the contents at least 0.5, as the scorer matches) and names the annotated speaker
(the scorer's rule) gives the features of its entity and the annotated kind. A quote whose
speaker is wrong is left out: its kind would describe someone else. The learned pieces before
the kind model saw every fold, but only shape which quotes and entities exist; the kinds of a
held-out fold are never trained on. ``--cv`` reports how often the held-out kinds come out
right with the rules and with the model, overall and for the relayed kinds (media, document).
CPU only, a few minutes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import LinearModelTraining, Scores, corpus_examples, matching_gold, run

from kilde import linear
from kilde.annotations.store import Annotation, load_source
from kilde.evaluate import RELAYED_KINDS, speaker_right
from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.pipeline import analyse_text, build_pipeline
from kilde.speaker_kinds import (
    PACKAGED_MODEL,
    TASK,
    best_kind,
    entity_features,
    option_features,
    quotes_by_entity,
)
from kilde.types import SPEAKER_KINDS, read_entities, read_quotes

HERE = Path(__file__).parent
L2 = 1.0
STEPS = 300


@dataclass
class KindExample:
    """One quote's entity as the kind model reads it, with the annotated and the rules' kind."""

    fold: int
    features: dict[str, float]
    kind: str
    rules: str


def examples_of(annotation: Annotation, fold: int, nlp: Language) -> list[KindExample]:
    doc = analyse_text(nlp, load_source(annotation.source_set, annotation.id).text)
    quotes = read_quotes(doc)
    entities = {entity.id: entity for entity in read_entities(doc)}
    first_names = Lexicon.load(annotation.language).first_names
    by_entity = quotes_by_entity(quotes)
    out: list[KindExample] = []
    for quote in quotes:
        entity = entities.get(quote.entity_id or "")
        gold = matching_gold(quote, annotation.quotes)
        if entity is None or gold is None or gold.speaker is None:
            continue
        if not speaker_right(quote.speaker_name, gold.speaker, gold.speaker_aliases, gold.speaker_kind):
            continue
        features = entity_features(entity, by_entity[entity.id], first_names)
        out.append(KindExample(fold, features, gold.speaker_kind, entity.kind))
    return out


def all_examples() -> list[KindExample]:
    pipelines = {}
    for language in ("nb", "nn"):
        nlp = build_pipeline(language)
        nlp.get_pipe("kilde_coref").model = None  # type: ignore[attr-defined]
        pipelines[language] = nlp
    examples = corpus_examples(examples_of, pipelines)
    print(f"{len(examples)} quotes with the right speaker", file=sys.stderr)
    return examples


def fit(examples: Sequence[KindExample]) -> LinearModel:
    choices = [
        ([option_features(e.features, kind) for kind in SPEAKER_KINDS], [SPEAKER_KINDS.index(e.kind)])
        for e in examples
        if e.kind in SPEAKER_KINDS
    ]
    return linear.fit_choices(TASK, choices, l2=L2, steps=STEPS)


def kind_scores(held_out: Sequence[tuple[LinearModel, KindExample]]) -> Scores:
    """Share of held-out quotes whose kind is right, by the rules and by the model, and the
    precision and recall of the relayed kinds (media and document) each gives."""
    results: Scores = {"quotes": len(held_out)}
    for name, kind_of in (
        ("rules", lambda model, e: e.rules),
        ("model", lambda model, e: best_kind(model, e.features)),
    ):
        chosen = [(kind_of(model, e), e.kind) for model, e in held_out]
        right = sum(guess == gold for guess, gold in chosen)
        relayed_hit = sum(guess == gold and gold in RELAYED_KINDS for guess, gold in chosen)
        relayed_guessed = sum(guess in RELAYED_KINDS for guess, _ in chosen)
        relayed_gold = sum(gold in RELAYED_KINDS for _, gold in chosen)
        results[name] = {
            "kind_accuracy": round(right / max(1, len(chosen)), 4),
            "relayed_precision": round(relayed_hit / max(1, relayed_guessed), 4),
            "relayed_recall": round(relayed_hit / max(1, relayed_gold), 4),
        }
    return results


if __name__ == "__main__":
    run(LinearModelTraining(__doc__, HERE, PACKAGED_MODEL, all_examples, fit, kind_scores))
