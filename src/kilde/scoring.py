"""Scorers for ``nlp.evaluate``: each kilde stage reports the figures it is responsible for.

An :class:`~spacy.training.Example` for kilde pairs a Doc to analyse with a reference Doc
that carries its gold record (the gold format of annotation-guidelines.md section 5, as
``kilde eval`` reads it) in ``doc._.kilde_gold``. A stage's scorer reads the analysed
Doc as ``kilde/1`` and scores it against that record with :mod:`kilde.evaluate`, so
``nlp.evaluate(examples)`` gives the same figures as ``kilde eval``, split by stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from kilde.coreference_metrics import CorefScores, without_singletons
from kilde.evaluate import evaluate, gold_article, gold_paths, read_gold_record
from kilde.schema import doc_to_kilde
from kilde.tokenization import make_doc
from kilde.types import read_clusters

GOLD_ATTR = "kilde_gold"
"""``doc._`` attribute of a reference Doc: its gold record."""

STAGE_METRICS: dict[str, tuple[str, ...]] = {
    "boilerplate": ("boilerplate",),
    "quotes": ("quotes", "direct", "exact"),
    "attribution": ("attribution", "indirect_mixed", "cue_accuracy"),
    "quote_check": ("indirect_mixed", "quotes"),
    "reported": ("indirect_mixed", "quotes"),
    "speakers": ("attribution",),
    "coref": ("speaker_accuracy", "speaker_kind_accuracy", "addressee_accuracy"),
    "hedges": ("hedges",),
    "provenance": ("relayed",),
}
"""The metrics of ``kilde eval`` that each stage reports (the stage name without ``kilde_``)."""

Scores = dict[str, float | None]


def _register_gold_attribute() -> None:
    if not Doc.has_extension(GOLD_ATTR):
        Doc.set_extension(GOLD_ATTR, default=None)


def gold_example(nlp: Language, record: Mapping[str, Any]) -> Example:
    """An Example for ``nlp.evaluate``: the record's text to analyse, and the record as reference."""
    _register_gold_attribute()
    gold = gold_article(dict(record))  # a bad record fails here, with its id
    reference = make_doc(nlp, gold.text)
    reference._.set(GOLD_ATTR, dict(record))
    return Example(make_doc(nlp, gold.text), reference)


def gold_examples(nlp: Language, gold_dir: Path | str) -> list[Example]:
    """An Example for every gold file in ``gold_dir`` (as ``kilde eval`` reads it)."""
    return [gold_example(nlp, read_gold_record(path)) for path in gold_paths(gold_dir)]


def kilde_metrics(examples: Iterable[Example]) -> dict[str, Any]:
    """``kilde eval``'s overall metrics for analysed Examples."""
    _register_gold_attribute()
    pairs = []
    for example in examples:
        record = example.reference._.get(GOLD_ATTR)
        if record is None:
            continue  # an Example without gold says nothing about kilde's stages
        gold = gold_article(record)
        pairs.append((gold, doc_to_kilde(example.predicted)))
    return evaluate(pairs)["overall"]


def _flatten(metrics: Mapping[str, Any], names: Iterable[str]) -> Scores:
    """spaCy's score names: ``quotes_p``/``_r``/``_f`` for a P/R/F block, ``speaker_acc`` for a ratio."""
    scores: Scores = {}
    for name in names:
        value = metrics[name]
        if isinstance(value, Mapping):
            for short, key in (("p", "precision"), ("r", "recall"), ("f", "f1")):
                scores[f"{name}_{short}"] = value[key]
        else:
            scores[name.replace("_accuracy", "_acc")] = value
    return scores


def score_stage(examples: Iterable[Example], stage: str, **_: Any) -> Scores:
    """The figures of ``stage`` (a key of :data:`STAGE_METRICS`) over ``examples``."""
    return _flatten(kilde_metrics(examples), STAGE_METRICS[stage])


def _stage_scorer(stage: str) -> Callable[[], Callable[..., Scores]]:
    def make_scorer() -> Callable[..., Scores]:
        def scorer(examples: Iterable[Example], **kwargs: Any) -> Scores:
            return score_stage(examples, stage, **kwargs)

        return scorer

    return make_scorer


for _stage in STAGE_METRICS:
    registry.scorers.register(f"kilde.{_stage}_scorer.v1", func=_stage_scorer(_stage))


def score_coreference(examples: Iterable[Example], **_: Any) -> Scores:
    """MUC, B³, CEAF-e and CoNLL F1 of ``kilde_coreference``'s entities against the reference
    Doc's (the same span group, one label per entity); mentions match by character range and
    singletons are left out, as in CoNLL-2012."""
    scores = CorefScores()
    for example in examples:
        key, response = (
            without_singletons([{(s.start_char, s.end_char) for s in group} for group in read_clusters(doc)])
            for doc in (example.reference, example.predicted)
        )
        scores.add(key, response)
    out: Scores = {f"coref_{name}_f": prf.f for name, prf in scores.metrics().items()}
    out["coref_conll_f"] = scores.conll_f1
    return out


@registry.scorers("kilde.coreference_scorer.v1")
def make_coreference_scorer() -> Callable[..., Scores]:
    return score_coreference


__all__ = [
    "GOLD_ATTR",
    "STAGE_METRICS",
    "gold_example",
    "gold_examples",
    "kilde_metrics",
    "score_coreference",
    "score_stage",
]
