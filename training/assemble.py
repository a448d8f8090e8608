"""Put a separately trained NER (training/configs/ner.cfg) into a base pipeline (base.cfg).

    python training/assemble.py training/output/nb/model-best training/output/nb-ner/model-best \
        training/output/nb-final

The base pipeline's own NER (which listens to the shared tok2vec) is replaced by the
NER that has its own tok2vec; everything else is kept as it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy


def assemble(base: Path, ner: Path, out: Path) -> None:
    nlp = spacy.load(base)
    ner_nlp = spacy.load(ner)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=ner_nlp, last=True)
    nlp.meta["name"] = f"kilde_{nlp.lang}"
    nlp.meta["description"] = (
        "kilde's Norwegian base pipeline: NDT POS/morphology/dependencies/lemmas and NorNE entities"
    )
    performance = dict(nlp.meta.get("performance") or {})
    for key, value in (ner_nlp.meta.get("performance") or {}).items():
        if key.startswith("ents"):
            performance[key] = value
    nlp.meta["performance"] = performance
    nlp.to_disk(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{out}: {nlp.pipe_names}, {size / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", type=Path)
    parser.add_argument("ner", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    import kilde.lang.nynorsk  # noqa: F401  (registers spacy.blank("nn"))

    assemble(args.base, args.ner, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
