"""What kilde's rules find of the corpus's cues, scored like the trained span categorizer.

    python training/attribution/cue_baseline.py training/attribution/corpus/fold1.spacy [--model]

Two figures, exact character spans against the gold ``cue`` group of each Doc: the cue
lexicon's candidates (``kilde.cues.CueMatcher``: every listed cue word, framing a quote or
not) and the cues of the quotes kilde attributes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from kilde.analysis import analyse_doc
from kilde.annotations.store import load_annotations
from kilde.cues import CueMatcher
from kilde.lexicon import Lexicon
from kilde.types import CUE_SPANS


def prf(hits_p: int, predicted: int, hits_r: int, gold: int) -> str:
    p = hits_p / predicted if predicted else 0.0
    r = hits_r / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F {f:.3f}  (gold {gold}, predicted {predicted})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docbin", type=Path)
    parser.add_argument("--model", action="store_true", help="with the trained base model (parser, NER)")
    args = parser.parse_args()
    vocab = spacy.blank("nb").vocab
    languages = {a.key: a.language for a in load_annotations()}
    matchers = {lang: CueMatcher(spacy.blank(lang).vocab, Lexicon.load(lang)) for lang in ("nb", "nn")}
    totals = {"lexicon": [0, 0, 0], "attributed": [0, 0, 0]}
    gold_total = 0
    for gold_doc in DocBin().from_disk(args.docbin).get_docs(vocab):
        gold = {(s.start_char, s.end_char) for s in gold_doc.spans["cue"]}
        gold_total += len(gold)
        lang = languages[gold_doc.user_data["kilde_corpus_key"]]
        doc = analyse_doc(gold_doc.text, lang, rules_only=not args.model)
        found = {
            "lexicon": {(s.start_char, s.end_char) for s in matchers[lang](doc)},
            "attributed": {(s.start_char, s.end_char) for s in doc.spans[CUE_SPANS]},
        }
        for name, spans in found.items():
            totals[name][0] += len(spans & gold)
            totals[name][1] += len(spans)
    for name, (hits, predicted, _) in totals.items():
        print(f"{name:10s} {prf(hits, predicted, hits, gold_total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
