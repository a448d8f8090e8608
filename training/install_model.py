"""Copy a trained pipeline (``spacy train``'s ``model-best``) into the package.

    python training/install_model.py training/output/nb/model-best src/kilde/models/nb

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


def install(src: Path, dest: Path) -> int:
    meta = json.loads((src / "meta.json").read_text())
    components = meta.get("pipeline") or []
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in KEEP_FILES:
        if (src / name).is_file():
            shutil.copy2(src / name, dest / name)
    for name in (*KEEP_DIRS, *components):
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name)
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    import spacy

    if meta.get("lang") == "nn":
        import kilde.lang.nynorsk  # noqa: F401

    nlp = spacy.load(dest)
    print(f"installed {src} -> {dest}: {size / 1e6:.1f} MB, pipeline {nlp.pipe_names}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("src", type=Path)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    if not (args.src / "config.cfg").is_file():
        print(f"{args.src} is not a spaCy pipeline folder", file=sys.stderr)
        return 2
    install(args.src, args.dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
