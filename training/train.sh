#!/usr/bin/env bash
# Reproduce kilde's Norwegian base pipelines (nb, nn) from the shared treebank data.
#
#   training/train.sh                      # convert, train nb then nn, evaluate, install
#   LANGS=nn training/train.sh             # one language
#   INSTALL=0 training/train.sh            # leave src/kilde/models alone
#   DATA=/path/to/shared/data training/train.sh
#
# Steps per language: spacy train (CPU, --gpu-id -1) with training/configs/base.cfg,
# evaluate model-best on the held-out test split (training/metrics/<lang>.json), and
# copy model-best to src/kilde/models/<lang>. Logs: training/logs/, outputs: training/output/.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/data}
LANGS=${LANGS:-"nb nn"}
INSTALL=${INSTALL:-1}
CONFIG=${CONFIG:-training/configs/base.cfg}
CORPUS=training/corpus

if [ ! -d "$DATA/norne/ndt" ]; then
    echo "no treebank under $DATA/norne/ndt; set DATA=... (see training/README in docs/models.md)" >&2
    exit 2
fi
mkdir -p training/logs training/output training/metrics

if [ ! -f "$CORPUS/split.json" ] || [ "${CONVERT:-0}" = 1 ]; then
    "$PY" training/convert.py --data "$DATA" --out "$CORPUS" | tee training/logs/convert.log
fi

for lang in $LANGS; do
    out=training/output/$lang
    start=$(date +%s)
    nice -n 10 "$PY" -m spacy train "$CONFIG" --output "$out" --gpu-id -1 --nlp.lang "$lang" \
        --paths.train "$CORPUS/$lang/train.spacy" --paths.dev "$CORPUS/$lang/dev.spacy" \
        > "training/logs/$lang.log" 2>&1
    end=$(date +%s)
    "$PY" training/evaluate.py --model "$out/model-best" --lang "$lang" \
        --corpus "$CORPUS/$lang/test.spacy" --data "$DATA" --train-seconds $((end - start)) \
        --out "training/metrics/$lang.json" > "training/logs/$lang.eval.log"
    if [ "$INSTALL" = 1 ]; then
        "$PY" training/install_model.py "$out/model-best" "src/kilde/models/$lang"
    fi
done
"$PY" training/report.py training/metrics | tee training/logs/report.md
