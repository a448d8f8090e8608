"""Train the speaker-mention ranker (``kilde.speakers``) on the corpus.

    python training/speakers/train.py --cv     # per fold K: output/foldK.json, trained on the others
    python training/speakers/train.py --all    # every fold -> src/kilde/models/speakers.json

Examples come from kilde itself: the shipped pipeline runs up to the attribution stage, and for
every quote it finds that matches an annotated quote (Dice of the contents at least 0.5, as the
scorer matches), the ranker gathers its candidates (``SpeakerRanker.rerank`` with the corpus as
the decision). A candidate is right when it overlaps the annotated speaker mention, or, unless it
is a pronoun, when its words name the annotated speaker or one of the speaker's aliases by the
scorer's rule. The continuation model and the learned cue recognizer (``CUE_MODEL``, when
present) make the quotes: they saw every fold, but only shape which quotes exist; the labels
and the ranker's features of a held-out fold are never trained on. ``--cv`` reports, over the
held-out folds, how often the quote's speaker comes out right with the rules' mention and with
the ranker's choice; ``training/folds.py --speakers`` scores kilde's attribution with the fold
models. CPU only, a few minutes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

# training/learned_models.py: the command line the learned models share.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from learned_models import LinearModelTraining, corpus_examples, matching_gold, run

from kilde import linear
from kilde.annotations.store import Annotation, load_source
from kilde.annotations.store import Quote as GoldQuote
from kilde.evaluate import PRONOUNS, speaker_right
from kilde.linear import LinearModel
from kilde.pipeline import build_pipeline
from kilde.speakers import (
    PACKAGED_MODEL,
    TASK,
    Candidate,
    SpeakerRanker,
    keep_option,
    replacement,
    rules_named_none,
)
from kilde.tokenization import make_doc
from kilde.types import Quote

HERE = Path(__file__).parent
CUE_MODEL = HERE.parent / "attribution" / "output" / "cue-all" / "cue_model"
"""The learned cue recognizer the quotes are made with, when it is there (made as
docs/models.md describes; not shipped, it was too slow). The shipped ranker was trained with it."""
L2 = 1.0


@dataclass
class Group:
    """One quote's candidates with the corpus's answers."""

    fold: int
    candidates: list[dict[str, float]]
    labels: list[bool]
    rules_right: bool
    """The rules' choice names the speaker; where they named none, the previous quote's does (the
    quote then continues that speaker)."""

    @property
    def keeps(self) -> bool:
        """Whether the rules named no speaker: the ranker may keep none."""
        return rules_named_none(self.candidates)


def _is_right(candidate: Candidate, gold: GoldQuote) -> bool:
    span = candidate.span
    mention = gold.speaker_mention
    if mention is not None and span.start_char < mention[1] and mention[0] < span.end_char:
        return True
    if span.text.lower() in PRONOUNS:
        return False
    return speaker_right(span.text, gold.speaker, gold.speaker_aliases, gold.speaker_kind)


def _continues(named_before: Span | None, before: GoldQuote | None, gold: GoldQuote) -> bool:
    """Whether a quote without a speaker mention is right to continue the speaker before it.

    kilde gives such a quote the speaker of the last quote before it that names one, so the
    quote is right when that mention names its annotated speaker: a run of answers after a
    wrong speaker stays wrong, and the ranker learns to break it. Where that mention is a
    pronoun (resolved later, by coreference), when the annotated speakers of the quote and the
    one before it agree."""
    if named_before is not None and named_before.text.lower() not in PRONOUNS:
        return speaker_right(named_before.text, gold.speaker, gold.speaker_aliases, gold.speaker_kind)
    return before is not None and speaker_right(
        before.speaker, gold.speaker, gold.speaker_aliases, gold.speaker_kind
    )


def groups_of(annotation: Annotation, fold: int, nlp: Language) -> list[Group]:
    text = load_source(annotation.source_set, annotation.id).text
    doc: Doc = make_doc(nlp, text)
    for name, component in nlp.pipeline:
        if name == "kilde_speakers":
            break
        doc = component(doc)
    ranker: SpeakerRanker = nlp.get_pipe("kilde_speakers")  # type: ignore[assignment]
    out: list[Group] = []
    previous: list[GoldQuote | None] = [None]
    named: list[Span | None] = [None]

    def answer(quote: Quote, candidates: list[Candidate]) -> None:
        gold = matching_gold(quote, annotation.quotes)
        before, previous[0] = previous[0], gold
        named_before = named[0]
        if quote.speaker is not None:
            named[0] = quote.speaker
        if gold is None or gold.speaker is None or not candidates:
            return None
        labels = [_is_right(c, gold) for c in candidates]
        rules = [label for c, label in zip(candidates, labels, strict=True) if c.rules_choice]
        if quote.speaker is None:
            rules = [_continues(named_before, before, gold)]
        out.append(Group(fold, [c.features for c in candidates], labels, any(rules)))
        return None

    ranker.rerank(doc, answer)
    return out


def fit(groups: Sequence[Group]) -> LinearModel:
    """A softmax over each quote's options, trained on the quotes that have a right one: its
    candidates and, where the rules named no speaker, the keep option (continue the previous
    quote's speaker), right when the annotated speakers of the two quotes agree. The ranker's
    task is to pick one; a logistic regression judging each candidate alone (before session 12)
    did worse on the corpus folds (``docs/models.md``)."""
    choices = []
    for g in groups:
        options = list(g.candidates)
        right = [i for i, label in enumerate(g.labels) if label]
        if g.keeps:
            options.append(keep_option(g.candidates))
            if g.rules_right:
                right.append(len(options) - 1)
        if right:
            choices.append((options, right))
    return linear.fit_choices(TASK, choices, l2=L2)


def choice_scores(held_out: Sequence[tuple[LinearModel, Group]], margin: float = 0.0) -> dict[str, float]:
    """Share of held-out quotes whose chosen mention is right: the rules', and the ranker's."""
    rules = ranked = 0
    for model, group in held_out:
        rules += group.rules_right
        chosen = replacement(model, group.candidates, margin)
        ranked += group.rules_right if chosen is None else group.labels[chosen]
    n = max(1, len(held_out))
    return {"quotes": len(held_out), "rules_right": round(rules / n, 4), "ranked_right": round(ranked / n, 4)}


def margins(held_out: Sequence[tuple[LinearModel, Group]]) -> dict[str, dict[str, float]]:
    """The choice over all held-out quotes when a replacement must beat the rules by a margin."""
    return {f"all, margin {margin}": choice_scores(held_out, margin) for margin in (0.1, 0.2, 0.3)}


def all_groups() -> list[Group]:
    pipelines = {}
    for lang in ("nb", "nn"):
        nlp = build_pipeline(lang, cue_model=CUE_MODEL)
        nlp.get_pipe("kilde_speakers").model = None  # type: ignore[attr-defined]
        pipelines[lang] = nlp
    groups = corpus_examples(groups_of, pipelines)
    print(f"{len(groups)} quotes, {sum(len(g.labels) for g in groups)} candidates", file=sys.stderr)
    return groups


if __name__ == "__main__":
    training = LinearModelTraining(
        __doc__, HERE, PACKAGED_MODEL, all_groups, fit, choice_scores, extra_scores=margins
    )
    run(training)
