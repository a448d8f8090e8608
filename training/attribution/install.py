"""Turn a trained cue span categorizer into the component kilde's pipelines add.

    python training/attribution/install.py training/attribution/output/cue-fold1/model-best OUT

The result (``OUT``, by default ``src/kilde/models/cue_model``) holds one pipeline with one
component, ``cue_model``: the span categorizer with its own copy of the tok2vec (no listener),
writing to ``doc.spans["kilde_learned_cues"]``, where ``kilde.cues.CueMatcher`` reads it.
``kilde.pipeline.build_pipeline`` adds it in front of kilde's stages when the folder exists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy

import kilde.tokenization  # noqa: F401  (the config's tokenizer callback)
from kilde.cues import LEARNED_CUE_SPANS
from kilde.pipeline import CUE_MODEL

TRAINED_NAME = "spancat"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="a spaCy pipeline with tok2vec and a spancat of cues")
    parser.add_argument("out", type=Path, nargs="?", default=Path("src/kilde/models/cue_model"))
    args = parser.parse_args()
    nlp = spacy.load(args.model)
    if "tok2vec" in nlp.pipe_names:
        nlp.replace_listeners("tok2vec", TRAINED_NAME, ["model.tok2vec"])
        nlp.remove_pipe("tok2vec")
    nlp.rename_pipe(TRAINED_NAME, CUE_MODEL)
    component = nlp.get_pipe(CUE_MODEL)
    component.cfg["spans_key"] = LEARNED_CUE_SPANS
    nlp.config["components"][CUE_MODEL]["spans_key"] = LEARNED_CUE_SPANS
    nlp.to_disk(args.out)
    print(f"{args.out}: {nlp.pipe_names}, spans in doc.spans[{LEARNED_CUE_SPANS!r}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
