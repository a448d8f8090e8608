"""Words per second of a trained Norwegian base pipeline on one CPU core.

    python benchmarks/model_speed.py [--lang nb] [--model PATH] [--corpus PATH] [--repeat 3]

The model defaults to ``src/kilde/models/<lang>`` (with the shared NER), else
``training/output/<lang>-final``.
The texts are the held-out test documents (``training/corpus/<lang>/test.spacy``) when
they exist, else a few Norwegian sentences written for this benchmark. Only the trained
pipeline runs (tokenizer + tok2vec, morphologizer, tagger, parser, lemmatizer, NER), not
kilde's attribution stages. Exits 0 with a message when no model is found.
"""

from __future__ import annotations

import os

# one core: set before numpy / thinc are imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = {
    "nb": [
        "Ordføreren i Tromsø, Kari Olsen, sa mandag at kommunen vil bygge en ny skole innen 2026.",
        "– Vi har ventet lenge nok, sier rektor Per Hansen til avisen.",
        "Ifølge Statistisk sentralbyrå steg prisene med 4,5 prosent i fjor.",
        "Regjeringen la fram forslaget i Stortinget etter et møte med partiene på Løvebakken.",
    ],
    "nn": [
        "Ordføraren i Førde, Kari Olsen, sa måndag at kommunen vil byggje ein ny skule innan 2026.",
        "– Vi har venta lenge nok, seier rektor Per Hansen til avisa.",
        "Ifølgje Statistisk sentralbyrå steig prisane med 4,5 prosent i fjor.",
        "Regjeringa la fram forslaget i Stortinget etter eit møte med partia.",
    ],
}


def find_model(lang: str, model: Path | None):
    """``model``, else the packaged model with its shared NER, else training/output/<lang>-final."""
    from kilde.pipeline import load_model

    nlp = load_model(lang, model)
    if nlp is None and model is None:
        nlp = load_model(lang, ROOT / "training/output" / f"{lang}-final")
    return nlp


def load_texts(lang: str, corpus: Path | None, nlp) -> list[str]:
    corpus = corpus or ROOT / "training" / "corpus" / lang / "test.spacy"
    if corpus.is_file():
        from spacy.tokens import DocBin

        return [doc.text for doc in DocBin().from_disk(corpus).get_docs(nlp.vocab)]
    return SAMPLE[lang] * 250


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", default="nb", choices=["nb", "nn"])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import kilde.lang.nynorsk  # noqa: F401  (registers spacy.blank("nn"))

    nlp = find_model(args.lang, args.model)
    if nlp is None:
        print(f"no trained {args.lang} model (src/kilde/models/{args.lang}, training/output/): skipping")
        return 0
    texts = load_texts(args.lang, args.corpus, nlp)
    list(nlp.pipe(texts[:20]))  # warm up
    best = 0.0
    for _ in range(args.repeat):
        start = time.perf_counter()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
        best = max(best, n_words / (time.perf_counter() - start))
    source = args.model or "packaged model"
    print(f"{args.lang} {source}: {n_words} tokens, {best:,.0f} words/s (best of {args.repeat}, 1 thread)")
    print(f"pipeline: {nlp.pipe_names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
