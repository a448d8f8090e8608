"""Copy a trained pipeline (``spacy train``'s ``model-best``) into the package.

    python training/install_model.py training/output/nb-final src/kilde/models/nb --exclude ner
    python training/install_model.py training/output/ner-joint/model-best src/kilde/models/ner

The Bokmål and Nynorsk pipelines share one NER, stored once in ``models/ner`` and added
by ``kilde.pipeline.build_pipeline``; ``--exclude ner`` leaves it out of a language's copy.

Copies ``config.cfg``, ``meta.json``, the component folders, and the ``tokenizer``
and ``vocab`` that ``spacy.load`` needs (the vocab's string store holds the
labels and the lemmatizer's edit-tree strings). Nothing else: no optimizer state,
no training corpus. Checks that the copy loads and prints its size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

KEEP_FILES = ("config.cfg", "meta.json", "tokenizer")
KEEP_DIRS = ("vocab",)


def install(src: Path, dest: Path, exclude: tuple[str, ...] = ()) -> int:
    import spacy

    meta = json.loads((src / "meta.json").read_text())
    if meta.get("lang") == "nn":
        import kilde.lang.nynorsk  # noqa: F401
    if dest.exists():
        shutil.rmtree(dest)
    if exclude:
        nlp = spacy.load(src)
        for name in exclude:
            nlp.remove_pipe(name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(dest)  # config, meta, components, tokenizer and vocab: what spacy.load reads
    else:
        dest.mkdir(parents=True)
        for name in KEEP_FILES:
            if (src / name).is_file():
                shutil.copy2(src / name, dest / name)
        for name in (*KEEP_DIRS, *(meta.get("pipeline") or [])):
            if (src / name).is_dir():
                shutil.copytree(src / name, dest / name)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    nlp = spacy.load(dest)
    print(f"installed {src} -> {dest}: {size / 1e6:.1f} MB, pipeline {nlp.pipe_names}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("src", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--exclude", action="append", default=[], help="a component to leave out")
    args = parser.parse_args(argv)
    if not (args.src / "config.cfg").is_file():
        print(f"{args.src} is not a spaCy pipeline folder", file=sys.stderr)
        return 2
    install(args.src, args.dest, tuple(args.exclude))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
