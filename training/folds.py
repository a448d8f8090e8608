"""kilde cross-validated on the corpus: every text scored by a pipeline whose learned pieces never saw it.

    python training/folds.py --out training/metrics/folds.json
    python training/folds.py --rules-only --out /tmp/rules.json
    python training/folds.py --cue-models '' --continuation '' --speakers ''  # the base model alone

For held-out fold K the pipeline gets the cue recognizer, the line-continuation model, the quote
check, the reported-speech model, the speaker ranker, the hedge-word model, the speaker-kind
model and the coreference model trained on the other four folds (``{k}`` in ``--cue-models``,
``--continuation``, ``--quote-check``, ``--reported``, ``--speakers``, ``--hedges``,
``--speaker-kinds`` and ``--coreference`` is K;
``''`` leaves a piece out; the coreference model learns from NARC, whose documents are the
corpus's narc texts, in the same folds). The tagger, parser and NER are the shipped ones
(trained on the treebank, not on the corpus). Counts are summed over the five held-out folds, so
each figure covers the whole corpus once, and are reported overall, by language and by source
set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kilde.annotations.loader import gold_record, source_for
from kilde.annotations.stats import folded_annotations
from kilde.continuation import TASK as CONTINUATION_TASK
from kilde.coreference import TASK as COREFERENCE_TASK
from kilde.evaluate import Counts, gold_article, metrics_from_counts, score_article
from kilde.hedges import TASK as HEDGES_TASK
from kilde.language import detect_language
from kilde.linear import LinearModel
from kilde.pipeline import analyse_text, build_pipeline
from kilde.quote_check import TASK as QUOTE_CHECK_TASK
from kilde.reported import TASK as REPORTED_TASK
from kilde.schema import doc_to_kilde
from kilde.speaker_kinds import TASK as SPEAKER_KINDS_TASK
from kilde.speakers import TASK as SPEAKERS_TASK

CUE_MODELS = "training/attribution/output/cue-fold{k}/cue_model"
LEARNED_PIECES: dict[str, tuple[str, str, str, str]] = {
    # option: (component, model task, fold model path, what it is)
    "continuation": (
        "kilde_quotes",
        CONTINUATION_TASK,
        "training/continuation/output/fold{k}.json",
        "continuation model",
    ),
    "speakers": ("kilde_speakers", SPEAKERS_TASK, "training/speakers/output/fold{k}.json", "speaker ranker"),
    "reported": (
        "kilde_reported",
        REPORTED_TASK,
        "training/reported/output/fold{k}.json",
        "reported-speech model",
    ),
    "hedges": ("kilde_hedges", HEDGES_TASK, "training/hedges/output/fold{k}.json", "hedge-word model"),
    "speaker_kinds": (
        "kilde_coref",
        SPEAKER_KINDS_TASK,
        "training/speaker_kinds/output/fold{k}.json",
        "speaker-kind model",
    ),
    "quote_check": (
        "kilde_quote_check",
        QUOTE_CHECK_TASK,
        "training/quote_check/output/fold{k}.json",
        "quote check",
    ),
    "coreference": (
        "kilde_coreference",
        COREFERENCE_TASK,
        "training/coreference/output/fold{k}.json",
        "coreference model (trained on NARC, split as the corpus)",
    ),
}
"""The small learned models a held-out fold's pipeline gets, each in the component that reads it."""
FIGURES = ("attribution", "indirect_mixed", "relayed", "hedges", "direct", "quotes")


def summary(counts: Counts) -> dict[str, Any]:
    metrics = metrics_from_counts(counts)
    out: dict[str, Any] = {name: metrics[name]["f1"] for name in FIGURES}
    out["speaker_accuracy"] = metrics["speaker_accuracy"]
    out["speaker_kind_accuracy"] = metrics["speaker_kind_accuracy"]
    out["relayed_precision"] = metrics["relayed"]["precision"]
    out["relayed_recall"] = metrics["relayed"]["recall"]
    out["texts"] = counts.articles
    out["gold_quotes"] = counts.gold_quotes
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-only", action="store_true", help="no trained piece at all")
    parser.add_argument("--cue-models", default=CUE_MODELS, help="cue recognizer of fold {k}; '' for none")
    for option, (_, _, path, what) in LEARNED_PIECES.items():
        flag = "--" + option.replace("_", "-")
        parser.add_argument(flag, dest=option, default=path, help=f"{what} of fold {{k}}; '' for none")
    parser.add_argument("--folds", default="1,2,3,4,5")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--errors", type=Path, help="write each text's errors here (JSON Lines)")
    parser.add_argument(
        "--detect-language",
        action="store_true",
        help="analyse each text with the pipeline of the standard kilde detects in it, as a user's "
        "'--language auto' does (figures are still grouped by the annotated language)",
    )
    args = parser.parse_args()
    annotations = folded_annotations()
    totals: dict[str, Counts] = {}
    errors = args.errors.open("w", encoding="utf-8") if args.errors else None
    for k in (int(k) for k in args.folds.split(",")):
        cue = args.cue_models.format(k=k) if args.cue_models else None
        pipelines = {
            lang: build_pipeline(lang, use_model=not args.rules_only, cue_model=cue, learned_cues=bool(cue))
            for lang in ("nb", "nn")
        }
        for option, (component, task, _, _) in LEARNED_PIECES.items():
            path = getattr(args, option)
            model = LinearModel.from_disk(path.format(k=k), task) if path and not args.rules_only else None
            for nlp in pipelines.values():
                nlp.get_pipe(component).model = model
        for annotation in (a for a, fold in annotations if fold == k):
            gold = gold_article(gold_record(annotation, source_for(annotation)))
            language = detect_language(gold.text) if args.detect_language else gold.language
            doc = analyse_text(pipelines[language], gold.text)
            score = score_article(gold, doc_to_kilde(doc, gold.id), collect_errors=errors is not None)
            counts = score.counts
            if errors is not None:
                record = {"id": annotation.id, "source_set": annotation.source_set, "fold": k}
                errors.write(json.dumps(record | score.errors, ensure_ascii=False) + "\n")
            for group in ("all", gold.language, annotation.source_set, f"fold{k}"):
                totals[group] = totals.get(group, Counts()) + counts
        print(f"fold {k}: attribution F {summary(totals[f'fold{k}'])['attribution']}", file=sys.stderr)
    if errors is not None:
        errors.close()
    result = {group: summary(counts) for group, counts in sorted(totals.items())}
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
