"""Print the metrics of training/metrics/*.json as the Markdown table used in docs/models.md.

python training/report.py [training/metrics]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROWS = [
    ("NER F (exact span + type)", "ents_f"),
    ("NER P", "ents_p"),
    ("NER R", "ents_r"),
    ("UPOS acc. (converted NDT gold)", "pos_acc"),
    ("UPOS acc. (UD test file's own UPOS)", "ud_pos_acc"),
    ("UPOS acc. (UD gold, NOUN=PROPN)", "ud_pos_acc_noun_propn_merged"),
    ("NDT POS (tag_) acc.", "tag_acc"),
    ("Morph. features acc.", "morph_acc"),
    ("UAS", "dep_uas"),
    ("LAS (NDT labels)", "dep_las"),
    ("Lemma acc.", "lemma_acc"),
    ("Token F", "token_f"),
    ("Sentence F (parser)", "sents_f"),
]
TYPES = ["PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC", "PROD", "DRV", "EVT", "MISC"]


def fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    folder = Path((argv or sys.argv[1:] or [Path(__file__).resolve().parent / "metrics"])[0])
    metrics = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
    if not metrics:
        print(f"no metrics in {folder}")
        return 0
    langs = list(metrics)
    print("| Test split | " + " | ".join(langs) + " |")
    print("|---|" + "---:|" * len(langs))
    for label, key in ROWS:
        print(f"| {label} | " + " | ".join(fmt(metrics[lang].get(key)) for lang in langs) + " |")
    sizes = " | ".join(f"{metrics[lang]['model_bytes'] / 1e6:.1f} MB" for lang in langs)
    print(f"| Size on disk | {sizes} |")
    if all("train_seconds" in metrics[lang] for lang in langs):
        times = " | ".join(f"{metrics[lang]['train_seconds'] / 60:.0f} min" for lang in langs)
        print(f"| Training time (2-core CPU) | {times} |")
    if all(metrics[lang].get("ner_seconds") for lang in langs):
        times = " | ".join(f"{metrics[lang]['ner_seconds'] / 60:.0f} min" for lang in langs)
        print(f"| + shared NER (pretraining, training) | {times} |")
    print()
    print("| NER F per type | " + " | ".join(langs) + " |")
    print("|---|" + "---:|" * len(langs))
    for t in TYPES:
        cells = []
        for lang in langs:
            per = (metrics[lang].get("ents_per_type") or {}).get(t)
            cells.append(fmt(per["f"]) if per else "–")
        print(f"| {t} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
