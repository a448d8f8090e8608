"""Train and score the coreference model (``kilde.coreference``) on NARC.

    python training/coreference/train.py --cv     # per fold K: output/foldK.json, scored on fold K
    python training/coreference/train.py --all    # every fold -> src/kilde/models/coreference.json

Documents are NARC's, in kilde's corpus folds (``narc.py``), parsed by kilde's own Bokmål and
Nynorsk models (cached under ``cache/``, about a minute per language the first time). Each mention
that ``find_mentions`` finds is an example against each antecedent candidate; the pair is right
when NARC puts both in one entity. A predicted mention takes the entity of the annotated mention
with the same character range, else of the annotated mention with the same head word.

``--cv`` clusters every held-out document with the model that did not see its fold and reports
MUC, B³, CEAF-e and the CoNLL F1 (mentions as character ranges, exact match; singletons left out
on both sides, as in CoNLL-2012), overall and by written standard, for several decision
thresholds; the shipped threshold is the one with the best overall CoNLL F1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from narc import Mention as CharRange
from narc import NarcDocument, narc_documents

from kilde import linear
from kilde.coreference import (
    PACKAGED_MODEL,
    TASK,
    Mention,
    PersonWords,
    antecedent_probabilities,
    find_mentions,
    link,
    scored_pairs,
)
from kilde.coreference_metrics import CorefScores, without_singletons
from kilde.lexicon import Lexicon
from kilde.linear import LinearModel
from kilde.pipeline import load_model
from kilde.tokenization import adapt_tokenizer, make_doc

HERE = Path(__file__).parent
L2 = 1.0
STEPS = 300
LEARNING_RATE = 0.1
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.5)
THRESHOLD = 0.3
"""The decision threshold the models ship with: the best CoNLL F1 of --cv's."""


@dataclass
class Parsed:
    narc: NarcDocument
    doc: Doc
    mentions: list[Mention]
    entity: list[int | None]
    """Each mention's NARC entity (its cluster number), None for a singleton or no match."""


def parsed_documents() -> list[Parsed]:
    out: list[Parsed] = []
    for language in ("nb", "nn"):
        documents = list(narc_documents((language,)))
        cache = HERE / "cache" / f"{language}.spacy"
        if cache.is_file():
            nlp = load_model(language)
            docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))  # type: ignore[union-attr]
        else:
            nlp = load_model(language)
            if nlp is None:
                raise SystemExit(f"no trained {language} model to parse NARC with")
            adapt_tokenizer(nlp, Lexicon.load(language))
            docs = list(nlp.pipe((make_doc(nlp, d.text) for d in documents), batch_size=8))
            cache.parent.mkdir(exist_ok=True)
            DocBin(docs=docs).to_disk(cache)
        people = PersonWords.of(Lexicon.load(language))
        for narc, doc in zip(documents, docs, strict=True):
            mentions = find_mentions(doc, people=people)
            out.append(Parsed(narc, doc, mentions, _entities(narc, doc, mentions)))
    return out


def _entities(narc: NarcDocument, doc: Doc, mentions: Sequence[Mention]) -> list[int | None]:
    by_range = narc.cluster_of()
    by_head: dict[int, int] = {}
    for char_range, number in by_range.items():
        span = doc.char_span(*char_range, alignment_mode="expand")
        if span is not None:
            by_head.setdefault(span.root.i, number)
    out: list[int | None] = []
    for mention in mentions:
        key = (mention.span.start_char, mention.span.end_char)
        out.append(by_range[key] if key in by_range else by_head.get(mention.head.i))
    return out


@dataclass
class Choice:
    """One mention's decision as the ranking model learns it: start a new entity, or refer back to
    one of its candidates; ``right`` holds the options NARC allows (0 is the new entity)."""

    options: list[dict[str, float]]
    right: list[int]


def choices(document: Parsed) -> list[Choice]:
    entity = document.entity
    out: list[Choice] = []
    for index in range(len(document.mentions)):
        scored = scored_pairs(document.mentions, index)
        if scored is None:
            continue
        new, pairs = scored
        right = [
            n
            for n, (candidate, _) in enumerate(pairs, start=1)
            if entity[index] is not None and entity[candidate.index] == entity[index]
        ]
        out.append(Choice([new, *(features for _, features in pairs)], right or [0]))
    return out


def fit(documents: Sequence[list[Choice]], l2: float = L2, steps: int = STEPS) -> LinearModel:
    """A mention-ranking model: a softmax over each mention's options (new entity or a candidate),
    trained on the log of the probability of the options NARC allows (:func:`linear.fit_choices`)."""
    every = [(choice.options, choice.right) for document in documents for choice in document]
    return linear.fit_choices(TASK, every, l2=l2, steps=steps, learning_rate=LEARNING_RATE)


def score(held_out: Sequence[tuple[LinearModel, Parsed]]) -> dict[str, object]:
    results: dict[str, object] = {}
    scored = [(document, antecedent_probabilities(document.mentions, model)) for model, document in held_out]
    for threshold in THRESHOLDS:
        by_language = {"all": CorefScores(), "nb": CorefScores(), "nn": CorefScores()}
        for document, probabilities in scored:
            found = link(probabilities, threshold)
            response = [
                {(document.mentions[n].span.start_char, document.mentions[n].span.end_char) for n in group}
                for group in found
            ]
            key: list[set[CharRange]] = [set(c) for c in document.narc.clusters]
            for name in ("all", document.narc.language):
                by_language[name].add(without_singletons(key), without_singletons(response))
        results[str(threshold)] = {name: s.to_dict() for name, s in by_language.items()}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--cv", action="store_true")
    which.add_argument("--all", action="store_true")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="the models' decision threshold")
    parser.add_argument("--out", type=Path, default=PACKAGED_MODEL)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args()
    documents = parsed_documents()
    examples = [choices(document) for document in documents]
    if args.all:
        model = replace(fit(examples, args.l2, args.steps), threshold=args.threshold)
        model.to_disk(args.out)
        print(f"{args.out}: {len(model.weights)} weights")
        return 0
    (HERE / "output").mkdir(exist_ok=True)
    held_out: list[tuple[LinearModel, Parsed]] = []
    for fold in sorted({d.narc.fold for d in documents}):
        trained = fit(
            [e for e, d in zip(examples, documents, strict=True) if d.narc.fold != fold], args.l2, args.steps
        )
        model = replace(trained, threshold=args.threshold)
        model.to_disk(HERE / "output" / f"fold{fold}.json")
        held_out.extend((model, d) for d in documents if d.narc.fold == fold)
        print(f"fold {fold}: {len(model.weights)} weights", flush=True)
    results = score(held_out)
    (HERE / "metrics").mkdir(exist_ok=True)
    (HERE / "metrics" / "coreference.json").write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({t: {k: v["conll_f1"] for k, v in r.items()} for t, r in results.items()}, indent=1))  # type: ignore[index, union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
