"""Convert NDT + NorNE to spaCy DocBin files, split by document file like UD.

    python training/convert.py --data ../shared/data --out training/corpus

writes ``<out>/<lang>/{train,dev,test}.spacy`` for ``nb`` (Bokmål) and ``nn``
(Nynorsk) and ``<out>/split.json`` (which document went where). Dev and test are
the NDT files (``ap014_0003.conll``: one part of a source document) whose sentences
make up the UD dev/test files; they are found by matching token sequences, each
file goes to the split most of its sentences belong to, and every other file is
train. (UD split the treebank by these files: no file has sentences in both dev
and test, but the parts of one source document can be in different splits.)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ndt

SPLITS = ("train", "dev", "test")


def sentence_children(sent: ndt.Sentence) -> list[list[ndt.Token]]:
    children: list[list[ndt.Token]] = [[] for _ in sent.tokens]
    for tok in sent.tokens:
        if tok.head:
            children[tok.head - 1].append(tok)
    return children


def make_doc(vocab: Vocab, sentences: list[ndt.Sentence]) -> Doc:
    """One spaCy Doc from consecutive sentences: words, spaces, tag_, pos_, morph, lemma, parse, ents."""
    words, spaces, tags, pos, morphs, lemmas, heads, deps = [], [], [], [], [], [], [], []
    bio: list[str] = []
    for sent in sentences:
        offset = len(words)
        children = sentence_children(sent)
        words.extend(sent.words)
        spaces.extend(ndt.reconstruct_spaces(sent.words))
        for i, tok in enumerate(sent.tokens):
            tags.append(tok.pos)
            pos.append(ndt.map_upos(tok, children[i]))
            morphs.append(ndt.map_features(tok))
            lemmas.append(ndt.lemma_of(tok))
            heads.append(offset + tok.head - 1 if tok.head else offset + i)
            deps.append("ROOT" if tok.head == 0 else tok.deprel)
            bio.append(tok.ent)
    if spaces:
        spaces[-1] = False
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
    )
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ndt.entity_spans(bio)]
    return doc


def chunk(sentences: list[ndt.Sentence], size: int) -> list[list[ndt.Sentence]]:
    if size <= 0:
        return [sentences]
    return [sentences[i : i + size] for i in range(0, len(sentences), size)]


def assign_splits(data_dir: Path, lang: str, docs: list[ndt.Document]) -> tuple[dict[str, str], dict]:
    """file id -> split, from the UD dev/test sentences (matched by token sequence)."""
    index: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for doc in docs:
        for sent in doc.sentences:
            index[tuple(sent.words)].append(doc.doc_id)
    votes: dict[str, Counter] = defaultdict(Counter)
    report: dict = {"unmatched": {}, "ambiguous": {}, "ud_sentences": {}}
    for split in ("dev", "test"):
        path = ndt.ud_path(data_dir, lang, split)
        unmatched = ambiguous = n = 0
        for forms, _rows in ndt.read_ud_sentences(path):
            n += 1
            cands = set(index.get(tuple(forms), []))
            if not cands:
                unmatched += 1
            elif len(cands) > 1:
                ambiguous += 1  # a short sentence found in several documents: no vote
            else:
                votes[next(iter(cands))][split] += 1
        report["unmatched"][split] = unmatched
        report["ambiguous"][split] = ambiguous
        report["ud_sentences"][split] = n
    assignment = {}
    mixed = {}
    for doc in docs:
        v = votes.get(doc.doc_id, Counter())
        n_sent = len(doc.sentences)
        held = v["dev"] + v["test"]
        # most of a held-out document's sentences are in UD dev/test; a stray match of a
        # short, common sentence in a training document does not move it
        split = "dev" if v["dev"] >= v["test"] else "test"
        if held == 0 or held < 0.5 * n_sent:
            split = "train"
        assignment[doc.doc_id] = split
        if (v["dev"] and v["test"]) or (0 < held < n_sent * 0.8) or (split == "train" and held):
            mixed[doc.doc_id] = {"sentences": n_sent, "dev": v["dev"], "test": v["test"], "split": split}
    report["mixed_files"] = mixed
    sources: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        sources[doc.source].add(assignment[doc.doc_id])
    report["sources_across_splits"] = {s: sorted(v) for s, v in sorted(sources.items()) if len(v) > 1}
    return assignment, report


def convert(
    data_dir: Path, out_dir: Path, langs: list[str], sents_per_doc: int = 10, limit_docs: int = 0
) -> dict:
    summary: dict = {}
    for lang in langs:
        docs = ndt.read_documents(data_dir, lang)
        assignment, report = assign_splits(data_dir, lang, docs)
        if limit_docs:
            docs = docs[:limit_docs]
        vocab = Vocab()
        bins = {s: DocBin(store_user_data=False) for s in SPLITS}
        counts = {s: Counter() for s in SPLITS}
        for doc in docs:
            split = assignment[doc.doc_id]
            counts[split]["files"] += 1
            for group in chunk(doc.sentences, sents_per_doc):
                sdoc = make_doc(vocab, group)
                bins[split].add(sdoc)
                counts[split]["docs"] += 1
                counts[split]["sentences"] += len(group)
                counts[split]["tokens"] += len(sdoc)
                counts[split]["entities"] += len(sdoc.ents)
        lang_dir = out_dir / lang
        lang_dir.mkdir(parents=True, exist_ok=True)
        for split in SPLITS:
            bins[split].to_disk(lang_dir / f"{split}.spacy")
        summary[lang] = {
            "counts": {s: dict(counts[s]) for s in SPLITS},
            "match": report,
            "split": {s: sorted(d for d, sp in assignment.items() if sp == s) for s in ("dev", "test")},
        }
    return summary


def check_upos(data_dir: Path, lang: str, show: int = 15) -> float:
    """Agreement of the converted UPOS (``ndt.map_upos``) with the UD dev+test files' own UPOS."""
    index: dict[tuple[str, ...], ndt.Sentence] = {}
    for doc in ndt.read_documents(data_dir, lang):
        for sent in doc.sentences:
            index.setdefault(tuple(sent.words), sent)
    agree = total = 0
    confusion: Counter = Counter()
    for split in ("dev", "test"):
        for forms, rows in ndt.read_ud_sentences(ndt.ud_path(data_dir, lang, split)):
            sent = index.get(tuple(forms))
            if sent is None:
                continue
            for tok, kids, row in zip(sent.tokens, sentence_children(sent), rows, strict=True):
                upos = ndt.map_upos(tok, kids)
                total += 1
                agree += upos == row["upos"]
                if upos != row["upos"]:
                    confusion[(tok.pos, upos, row["upos"])] += 1
    print(f"== {lang}: converted UPOS agrees with UD on {agree}/{total} tokens ({agree / total:.4f})")
    for (ndt_pos, ours, ud), n in confusion.most_common(show):
        print(f"   {n:5}  NDT {ndt_pos:10} -> {ours:6} UD {ud}")
    return agree / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ndt.default_data_dir(), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    parser.add_argument("--lang", action="append", choices=sorted(ndt.LANG_DIRS), help="default: nb and nn")
    parser.add_argument(
        "--sents-per-doc",
        type=int,
        default=10,
        help="sentences per spaCy Doc within one document (0: the whole document)",
    )
    parser.add_argument("--check-upos", action="store_true", help="only compare the UPOS mapping with UD")
    args = parser.parse_args(argv)
    if not (args.data / "norne" / "ndt").is_dir():
        print(f"no treebank under {args.data}/norne/ndt: nothing to convert", file=sys.stderr)
        return 2
    langs = args.lang or ["nb", "nn"]
    if args.check_upos:
        for lang in langs:
            check_upos(args.data, lang)
        return 0
    summary = convert(args.data, args.out, langs, args.sents_per_doc)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "split.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    for lang in langs:
        s = summary[lang]
        rep = s["match"]
        print(
            f"== {lang}: UD sentences dev {rep['ud_sentences']['dev']} test {rep['ud_sentences']['test']}; "
            f"unmatched {rep['unmatched']}; ambiguous (no vote) {rep['ambiguous']}"
        )
        for doc_id, m in sorted(rep["mixed_files"].items()):
            print(f"   file split between dev and test, or partly matched: {doc_id}: {m}")
        across = rep["sources_across_splits"]
        print(
            f"   source documents whose files are in more than one split ({len(across)}): "
            + ", ".join(f"{k} {'/'.join(v)}" for k, v in across.items())
        )
        print(f"   {'split':6} {'files':>9} {'Docs':>6} {'sentences':>9} {'tokens':>8} {'entities':>8}")
        for split in SPLITS:
            c = s["counts"][split]
            print(
                f"   {split:6} {c.get('files', 0):9} {c.get('docs', 0):6} {c.get('sentences', 0):9} "
                f"{c.get('tokens', 0):8} {c.get('entities', 0):8}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
