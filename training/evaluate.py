"""Evaluate a trained pipeline on the held-out test split and write a metrics JSON.

    python training/evaluate.py --model training/output/nb/model-best --lang nb \
        --corpus training/corpus/nb/test.spacy --data ../shared/data --out training/metrics/nb.json

Scores (spaCy's scorer, on raw text: the test documents' text is tokenized by the
pipeline and aligned to the gold tokens): token P/R/F, sentence F (from the parser),
UPOS/morph/NDT-tag accuracy, UAS/LAS (NDT labels), lemma accuracy, NER P/R/F (exact
span and type) overall and per type. With ``--data``, UPOS is also scored against the
official UD test file (UD's own UPOS; see docs/models.md for how NDT POS map to it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Corpus, Example

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ndt

KEYS = [
    "token_acc",
    "token_p",
    "token_r",
    "token_f",
    "sents_p",
    "sents_r",
    "sents_f",
    "pos_acc",
    "morph_acc",
    "tag_acc",
    "dep_uas",
    "dep_las",
    "lemma_acc",
    "ents_p",
    "ents_r",
    "ents_f",
]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ud_upos(nlp, data_dir: Path, lang: str) -> dict | None:
    """UPOS accuracy against the UD test file's own UPOS, on raw text (SpaceAfter) like the other scores."""
    path = ndt.ud_path(data_dir, lang, "test")
    if not path.is_file():
        return None
    examples = []
    for forms, rows in ndt.read_ud_sentences(path):
        spaces = ["SpaceAfter=No" not in r["misc"] for r in rows]
        ref = Doc(nlp.vocab, words=forms, spaces=spaces, pos=[r["upos"] for r in rows])
        examples.append(Example(nlp.make_doc(ref.text), ref))
    for ex, doc in zip(examples, nlp.pipe([ex.predicted for ex in examples], batch_size=64), strict=True):
        ex.predicted = doc
    scores = Scorer.score_token_attr(examples, "pos")
    # the Nynorsk UD file tags many proper nouns NOUN; also report UPOS with NOUN/PROPN merged
    merged = []
    for ex in examples:
        pred = Doc(
            nlp.vocab,
            words=[t.text for t in ex.predicted],
            spaces=[bool(t.whitespace_) for t in ex.predicted],
            pos=[("NOUN" if t.pos_ == "PROPN" else t.pos_) or "X" for t in ex.predicted],
        )
        ref = Doc(
            nlp.vocab,
            words=[t.text for t in ex.reference],
            spaces=[bool(t.whitespace_) for t in ex.reference],
            pos=["NOUN" if t.pos_ == "PROPN" else t.pos_ for t in ex.reference],
        )
        merged.append(Example(pred, ref))
    return {
        "ud_pos_acc": scores["pos_acc"],
        "ud_pos_acc_noun_propn_merged": Scorer.score_token_attr(merged, "pos")["pos_acc"],
        "sentences": len(examples),
    }


def evaluate(model: Path, corpus: Path, lang: str, data_dir: Path | None, fixes: bool = False) -> dict:
    nlp = spacy.load(model)
    if fixes:
        import tokenizer_fixes

        tokenizer_fixes.apply(nlp)
    examples = list(Corpus(str(corpus))(nlp))
    n_words = sum(len(ex.reference) for ex in examples)
    start = time.perf_counter()
    scores = nlp.evaluate(examples, batch_size=64)
    elapsed = time.perf_counter() - start
    metrics = {k: scores.get(k) for k in KEYS}
    metrics["ents_per_type"] = scores.get("ents_per_type")
    metrics["words_per_second_evaluate"] = round(n_words / elapsed)
    metrics["test_docs"] = len(examples)
    metrics["test_words"] = n_words
    metrics["model_bytes"] = dir_size(model)
    metrics["pipeline"] = nlp.pipe_names
    metrics["lang"] = lang
    metrics["tokenizer_fixes"] = fixes
    if data_dir is not None:
        ud = ud_upos(nlp, data_dir, lang)
        if ud:
            metrics.update(ud)
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--lang", required=True, choices=sorted(ndt.LANG_DIRS))
    parser.add_argument("--corpus", type=Path, help="default: training/corpus/<lang>/test.spacy")
    parser.add_argument(
        "--data", type=Path, default=None, help="shared data folder, for the UD-gold UPOS score"
    )
    parser.add_argument("--out", type=Path, help="metrics JSON to write")
    parser.add_argument("--tokenizer-fixes", action="store_true", help="apply training/tokenizer_fixes.py")
    parser.add_argument("--train-seconds", type=float, help="wall time of the training run, recorded as is")
    parser.add_argument(
        "--ner-seconds", type=float, help="wall time of the shared (joint) NER's pretraining and training"
    )
    args = parser.parse_args(argv)
    corpus = args.corpus or Path(__file__).resolve().parent / "corpus" / args.lang / "test.spacy"
    if args.lang == "nn":
        import kilde.lang.nynorsk  # noqa: F401  (registers spacy.blank("nn"))
    metrics = evaluate(args.model, corpus, args.lang, args.data, args.tokenizer_fixes)
    if args.train_seconds is not None:
        metrics["train_seconds"] = round(args.train_seconds)
    if args.ner_seconds:
        metrics["ner_seconds"] = round(args.ner_seconds)
    text = json.dumps(metrics, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
