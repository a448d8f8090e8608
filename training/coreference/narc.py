"""NARC (Norwegian Anaphora Resolution Corpus) read for training and scoring coreference.

NARC's brat files (``../shared/data/narc/annotation_{bokmaal,nynorsk}/<doc>.{txt,ann}``) mark
every markable (a noun phrase, pronoun or possessive) as a character range of the ``.txt`` and
link coreferent markables with ``Coref`` relations; bridging and split antecedents are other
relations and are left out here. Clusters are the connected components of the ``Coref`` links.

Only documents that kilde's corpus folds (``annotations/folds.json``) hold are used, each in its
fold: the folds leave out the NARC texts that share passages with the dev and test articles, and
keeping NARC's split equal to the corpus's lets ``training/folds.py`` give every held-out fold a
coreference model that never saw its texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kilde.annotations.stats import read_folds
from kilde.annotations.store import require_shared

FOLDERS = {"nb": "annotation_bokmaal", "nn": "annotation_nynorsk"}
SOURCE_SETS = {"nb": "narc-nb", "nn": "narc-nn"}
MARKABLE = re.compile(r"^(T\d+)\tMarkable (\d+) (\d+)\t")
COREF = re.compile(r"^R\d+\tCoref Arg1:(T\d+) Arg2:(T\d+)")

Mention = tuple[int, int]
"""A mention as its character range ``(start, end)`` in the document's text."""


@dataclass
class NarcDocument:
    id: str
    language: str
    fold: int
    text: str
    mentions: list[Mention]
    """Every markable, in text order (a markable appears once even if NARC lists it twice)."""
    clusters: list[set[Mention]] = field(default_factory=list)
    """Mentions that corefer, two or more each (singletons are the mentions in no cluster)."""

    def cluster_of(self) -> dict[Mention, int]:
        return {mention: n for n, cluster in enumerate(self.clusters) for mention in cluster}


def read_document(txt: Path, language: str, fold: int) -> NarcDocument:
    text = txt.read_bytes().decode("utf-8")
    ranges: dict[str, Mention] = {}
    links: list[tuple[str, str]] = []
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        markable = MARKABLE.match(line)
        if markable:
            ranges[markable.group(1)] = (int(markable.group(2)), int(markable.group(3)))
            continue
        coref = COREF.match(line)
        if coref:
            links.append((coref.group(1), coref.group(2)))
    parent: dict[Mention, Mention] = {}

    def root(mention: Mention) -> Mention:
        while parent.setdefault(mention, mention) != mention:
            parent[mention] = parent[parent[mention]]
            mention = parent[mention]
        return mention

    for a, b in links:
        if a in ranges and b in ranges:
            parent[root(ranges[a])] = root(ranges[b])
    groups: dict[Mention, set[Mention]] = {}
    for mention in {ranges[t] for pair in links for t in pair if t in ranges}:
        groups.setdefault(root(mention), set()).add(mention)
    clusters = sorted((g for g in groups.values() if len(g) > 1), key=min)
    return NarcDocument(txt.stem, language, fold, text, sorted(set(ranges.values())), clusters)


def narc_documents(languages: tuple[str, ...] = ("nb", "nn")) -> Iterator[NarcDocument]:
    """The folded NARC documents of ``languages``, in the folds' order."""
    shared = require_shared()
    folds = read_folds() or {}
    for language in languages:
        prefix = SOURCE_SETS[language] + "/"
        folder = shared / "data" / "narc" / FOLDERS[language]
        for key, fold in sorted(folds.items()):
            if key.startswith(prefix):
                yield read_document(folder / f"{key[len(prefix) :]}.txt", language, fold)
