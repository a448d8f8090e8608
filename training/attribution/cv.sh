#!/usr/bin/env bash
# Cross-validate one attribution component on the corpus's fixed folds.
#
#   training/attribution/cv.sh cue-ner            # configs/cue-ner.cfg, folds 1-5
#   FOLDS="1" training/attribution/cv.sh cue      # one fold only (configs/cue.cfg)
#   ENTS=cue training/attribution/cv.sh cue-ner   # data with doc.ents = the cue spans (an NER)
#
# 1. training/attribution/data.py writes one DocBin per fold (corpus/, or corpus-ents/ with ENTS)
# 2. per fold K: spacy train on the other four folds, scored on fold K
#    -> output/<config>-fold<K>/, logs/<config>-fold<K>.log
# 3. the best scores of every fold -> metrics/<config>.json (mean and per fold)
# CPU only (--gpu-id -1). The shared data folder must be at ../shared (or KILDE_SHARED).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
NAME=${1:?give a config name from training/attribution/configs}
FOLDS=${FOLDS:-"1 2 3 4 5"}
HERE=training/attribution
if [ -n "${ENTS:-}" ]; then CORPUS=$HERE/corpus-ents; DATA_ARGS=(--ents "$ENTS"); else CORPUS=$HERE/corpus; DATA_ARGS=(); fi
mkdir -p "$HERE/logs" "$HERE/output" "$HERE/metrics"
"$PY" $HERE/data.py --out "$CORPUS" "${DATA_ARGS[@]}" > "$HERE/logs/data.log"
for k in $FOLDS; do
    mkdir -p "$CORPUS/train$k"
    rm -f "$CORPUS/train$k"/*.spacy
    for other in 1 2 3 4 5; do
        [ "$other" = "$k" ] || ln -sf "../fold$other.spacy" "$CORPUS/train$k/fold$other.spacy"
    done
    nice -n 10 "$PY" -m spacy train "$HERE/configs/$NAME.cfg" --code src/kilde/tokenization.py \
        --output "$HERE/output/$NAME-fold$k" --gpu-id -1 \
        --paths.train "$CORPUS/train$k" --paths.dev "$CORPUS/fold$k.spacy" > "$HERE/logs/$NAME-fold$k.log" 2>&1
done
"$PY" - "$NAME" $FOLDS <<'PY'
import json, sys
from pathlib import Path
name, folds = sys.argv[1], sys.argv[2:]
here = Path("training/attribution")
per_fold = {}
for k in folds:
    meta = json.loads((here / "output" / f"{name}-fold{k}" / "model-best" / "meta.json").read_text())
    per_fold[k] = {key: value for key, value in meta["performance"].items() if isinstance(value, float)}
keys = sorted(set.intersection(*(set(v) for v in per_fold.values())))
mean = {key: round(sum(per_fold[k][key] for k in folds) / len(folds), 4) for key in keys}
(here / "metrics" / f"{name}.json").write_text(json.dumps({"mean": mean, "folds": per_fold}, indent=1) + "\n")
print(json.dumps(mean, indent=1))
PY
