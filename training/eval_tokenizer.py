"""Measure spaCy's Norwegian tokenizer (and sentence splitting) against the treebank's gold tokens.

    python training/eval_tokenizer.py --data ../shared/data [--lang nb] [--source ndt|ud] [--show 30]

``--source ndt`` (default) uses every NDT sentence, with the raw text reconstructed
from the gold tokens (``ndt.reconstruct_spaces``: no space before , . : ; ! ? ) » ”,
none after ( « “, straight quotes alternate); one file is one text, sentences joined
by a space. ``--source ud`` uses the UD dev+test files, whose ``SpaceAfter=No``
gives the real spacing (a check on the reconstruction).

Token P/R/F count exact character spans. Sentence P/R/F count exact sentence spans,
with spaCy's rule-based ``sentencizer`` and with kilde's ``kilde_sentencizer``.
Missed gold tokens are sorted into error classes (abbreviations, numbers, quotes,
dashes, initials, ...) with the most frequent examples.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ndt


def texts_from_ndt(
    data_dir: Path, lang: str
) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """(text, gold token spans, gold sentence spans) per NDT file."""
    out = []
    for doc in ndt.read_documents(data_dir, lang):
        parts, toks, sents = [], [], []
        pos = 0
        for sent in doc.sentences:
            if parts:
                parts.append(" ")
                pos += 1
            s_start = pos
            spaces = ndt.reconstruct_spaces(sent.words)
            for i, (w, sp) in enumerate(zip(sent.words, spaces, strict=True)):
                toks.append((pos, pos + len(w)))
                parts.append(w)
                pos += len(w)
                if sp and i < len(sent.words) - 1:
                    parts.append(" ")
                    pos += 1
            sents.append((s_start, pos))
        out.append(("".join(parts), toks, sents))
    return out


def texts_from_ud(
    data_dir: Path, lang: str
) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """(text, gold token spans, gold sentence spans) per UD file, with UD's real spacing."""
    out = []
    for split in ("dev", "test"):
        parts, toks, sents = [], [], []
        pos = 0
        for forms, rows in ndt.read_ud_sentences(ndt.ud_path(data_dir, lang, split)):
            if parts:
                parts.append(" ")
                pos += 1
            s_start = pos
            for i, (w, r) in enumerate(zip(forms, rows, strict=True)):
                toks.append((pos, pos + len(w)))
                parts.append(w)
                pos += len(w)
                if "SpaceAfter=No" not in r["misc"] and i < len(forms) - 1:
                    parts.append(" ")
                    pos += 1
            sents.append((s_start, pos))
        out.append(("".join(parts), toks, sents))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


def error_class(gold: str, pred_pieces: list[str]) -> str:
    """What kind of gold token the tokenizer got wrong."""
    if re.fullmatch(r"[A-ZÆØÅ]\.", gold):
        return "initial (A.)"
    if re.fullmatch(r"\d+([.,:/]\d+)+[.,]?", gold) or re.fullmatch(r"\d+\.", gold):
        return "number/date/time (1.000,50 3.5. 12.30)"
    if re.fullmatch(r"[\wæøåÆØÅ]+(\.[\wæøåÆØÅ]+)*\.", gold):
        return "abbreviation (bl.a. f.eks. kl. ca. nr.)"
    if any(c in gold for c in "«»\"“”'"):
        return "quote mark"
    if re.fullmatch(r"[-–—]+", gold) or "-" in gold:
        return "dash/hyphen"
    if re.fullmatch(r"\W+", gold):
        return "other punctuation"
    if len(pred_pieces) == 0:
        return "merged with a neighbour"
    return "other word"


def evaluate(texts, nlp, sentencizers, show: int) -> dict:
    tp = n_pred = n_gold = 0
    missed: dict[str, Counter] = defaultdict(Counter)
    spurious: Counter = Counter()
    sent_counts = {name: [0, 0, 0] for name in sentencizers}
    for text, gold_toks, gold_sents in texts:
        doc = nlp.make_doc(text)
        pred = {(t.idx, t.idx + len(t)) for t in doc if not t.is_space}
        gold = set(gold_toks)
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
        by_start = {t.idx: t for t in doc}
        for s, e in sorted(gold - pred):
            pieces = [t.text for t in doc if t.idx >= s and t.idx + len(t) <= e]
            missed[error_class(text[s:e], pieces)][f"{text[s:e]} -> {' | '.join(pieces) or '(merged)'}"] += 1
        for s, e in sorted(pred - gold):
            if s in by_start and not any(gs <= s and e <= ge for gs, ge in gold if gs == s or ge == e):
                spurious[text[s:e]] += 1
        gold_sent_set = set(gold_sents)
        for name, pipe in sentencizers.items():
            sdoc = pipe(nlp.make_doc(text))
            pred_sents = set()
            for sent in sdoc.sents:
                toks = [t for t in sent if not t.is_space]
                if toks:
                    pred_sents.add((toks[0].idx, toks[-1].idx + len(toks[-1])))
            c = sent_counts[name]
            c[0] += len(pred_sents & gold_sent_set)
            c[1] += len(pred_sents)
            c[2] += len(gold_sent_set)
    result = {
        "tokens": {**prf(tp, n_pred, n_gold), "gold": n_gold, "predicted": n_pred},
        "sentences": {name: {**prf(*c), "gold": c[2]} for name, c in sent_counts.items()},
        "missed_gold_tokens_by_class": {
            k: sum(v.values()) for k, v in sorted(missed.items(), key=lambda kv: -sum(kv[1].values()))
        },
        "examples": {k: v.most_common(show) for k, v in missed.items()},
        "spurious": spurious.most_common(show),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ndt.default_data_dir())
    parser.add_argument("--lang", action="append", choices=sorted(ndt.LANG_DIRS))
    parser.add_argument("--source", choices=["ndt", "ud"], default="ndt")
    parser.add_argument("--show", type=int, default=15, help="examples per error class")
    parser.add_argument("--fixes", action="store_true", help="apply training/tokenizer_fixes.py first")
    args = parser.parse_args(argv)
    if not (args.data / "norne").is_dir():
        print(f"no treebank under {args.data}/norne: nothing to evaluate", file=sys.stderr)
        return 2
    import kilde.lang.nynorsk
    import kilde.segmentation  # noqa: F401  (registers kilde_sentencizer)

    for lang in args.lang or ["nb", "nn"]:
        nlp = spacy.blank(lang)
        sentencizers = {}
        for factory in ("sentencizer", "kilde_sentencizer"):
            snlp = spacy.blank(lang)
            snlp.add_pipe(factory)
            sentencizers[factory] = snlp
        if args.fixes:
            import tokenizer_fixes

            for n in (nlp, *sentencizers.values()):
                tokenizer_fixes.apply(n)
        texts = texts_from_ndt(args.data, lang) if args.source == "ndt" else texts_from_ud(args.data, lang)
        res = evaluate(texts, nlp, sentencizers, args.show)
        t = res["tokens"]
        print(
            f"== {lang} ({args.source}{', with fixes' if args.fixes else ''}): "
            f"tokens P {t['p']:.4f} R {t['r']:.4f} F {t['f']:.4f} "
            f"(gold {t['gold']}, predicted {t['predicted']})"
        )
        for name, s in res["sentences"].items():
            print(f"   sentences ({name}): P {s['p']:.4f} R {s['r']:.4f} F {s['f']:.4f} (gold {s['gold']})")
        print("   missed gold tokens by class:")
        for cls, n in res["missed_gold_tokens_by_class"].items():
            examples = "; ".join(f"{e} ×{c}" for e, c in res["examples"][cls])
            print(f"     {n:5}  {cls}: {examples}")
        print(
            "   most frequent spurious predicted tokens: "
            + "; ".join(f"{e!r} ×{c}" for e, c in res["spurious"])
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
