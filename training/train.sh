#!/usr/bin/env bash
# Reproduce kilde's Norwegian base pipelines (nb, nn) from the shared treebank data.
#
#   training/train.sh                      # convert, train, evaluate, install nb and nn
#   LANGS=nn training/train.sh             # the base pipeline of one language (NER still joint)
#   INSTALL=0 training/train.sh            # leave src/kilde/models alone
#   DATA=/path/to/shared/data training/train.sh
#
# Steps (CPU, --gpu-id -1, one run at a time; logs in training/logs/):
#   1. training/convert.py: NDT/NorNE -> training/corpus/{nb,nn}/{train,dev,test}.spacy, and
#      training/corpus/joint/{train,dev}/ (links to both languages' files)
#   2. per language: spacy train training/configs/base.cfg -> training/output/<lang>  (tok2vec,
#      morphologizer, tagger, parser, trainable_lemmatizer, ner)
#   3. spacy pretrain training/configs/pretrain.cfg on the text of the joint training documents
#      -> training/output/pretrain/model<N>.bin (only with PRETRAIN=1: it did not help, docs/models.md)
#   4. spacy train training/configs/ner.cfg on Bokmål + Nynorsk together, its tok2vec initialised
#      from step 3 -> training/output/ner-joint  (one NER for both written standards)
#   5. per language: training/assemble.py puts that NER into the base pipeline in place of its own
#      -> training/output/<lang>-final; training/evaluate.py on the language's test split ->
#      training/metrics/<lang>.json; training/install_model.py -> src/kilde/models/<lang> (without
#      the NER) and the NER once -> src/kilde/models/ner (kilde.pipeline adds it to both)
# JOINT_NER=0 keeps each base pipeline's own NER (steps 3-4 skipped). TRAIN_BASE=0 skips step 2 and
# reuses training/output/<lang>/model-best from an earlier run (to retrain the NER alone).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/data}
LANGS=${LANGS:-"nb nn"}
INSTALL=${INSTALL:-1}
JOINT_NER=${JOINT_NER:-1}
TRAIN_BASE=${TRAIN_BASE:-1}
PRETRAIN=${PRETRAIN:-0}
PRETRAIN_EPOCHS=${PRETRAIN_EPOCHS:-5}
CORPUS=training/corpus

if [ ! -d "$DATA/norne/ndt" ]; then
    echo "no treebank under $DATA/norne/ndt; set DATA=/path/to/shared/data" >&2
    exit 2
fi
mkdir -p training/logs training/output training/metrics

if [ ! -f "$CORPUS/split.json" ] || [ "${CONVERT:-0}" = 1 ]; then
    "$PY" training/convert.py --data "$DATA" --out "$CORPUS" | tee training/logs/convert.log
fi
for split in train dev; do
    mkdir -p "$CORPUS/joint/$split"
    for lang in nb nn; do
        ln -sf "../../$lang/$split.spacy" "$CORPUS/joint/$split/$lang.spacy"
    done
done

train() {  # config, output, lang, train, dev, log, extra arguments
    local config=$1 output=$2 lang=$3 train=$4 dev=$5 log=$6
    shift 6
    nice -n 10 "$PY" -m spacy train "$config" --output "$output" --gpu-id -1 --nlp.lang "$lang" \
        --paths.train "$train" --paths.dev "$dev" "$@" > "$log" 2>&1
}

declare -A seconds
for lang in $LANGS; do
    if [ "$TRAIN_BASE" = 0 ]; then
        [ -f "training/output/$lang/model-best/config.cfg" ] || {
            echo "TRAIN_BASE=0 but training/output/$lang/model-best is missing" >&2
            exit 2
        }
        continue
    fi
    start=$(date +%s)
    train training/configs/base.cfg "training/output/$lang" "$lang" \
        "$CORPUS/$lang/train.spacy" "$CORPUS/$lang/dev.spacy" "training/logs/$lang.log"
    seconds[$lang]=$(($(date +%s) - start))
done

ner=""
ner_seconds=0
if [ "$JOINT_NER" = 1 ]; then
    start=$(date +%s)
    init=()
    if [ "$PRETRAIN" = 1 ]; then
        rm -rf training/output/pretrain
        nice -n 10 "$PY" -m spacy pretrain training/configs/pretrain.cfg training/output/pretrain \
            --gpu-id -1 --paths.raw_text "$CORPUS/joint/train" \
            --pretraining.max_epochs "$PRETRAIN_EPOCHS" > training/logs/pretrain.log 2>&1
        init=(--paths.ner_tok2vec "training/output/pretrain/model$((PRETRAIN_EPOCHS - 1)).bin")
    fi
    train training/configs/ner.cfg training/output/ner-joint nb "$CORPUS/joint/train" \
        "$CORPUS/joint/dev" training/logs/ner-joint.log --code training/ner_tok2vec.py "${init[@]}"
    ner=training/output/ner-joint/model-best
    ner_seconds=$(($(date +%s) - start))
    echo "joint NER (pretraining and training): $((ner_seconds / 60)) min" | tee training/logs/ner-joint.time
fi

for lang in $LANGS; do
    model="training/output/$lang/model-best"
    if [ -n "$ner" ]; then
        rm -rf "training/output/$lang-final"
        "$PY" training/assemble.py "$model" "$ner" "training/output/$lang-final"
        model="training/output/$lang-final"
    fi
    timing=(--ner-seconds "$ner_seconds")
    if [ -n "${seconds[$lang]:-}" ]; then  # not measured when TRAIN_BASE=0
        timing+=(--train-seconds "${seconds[$lang]}")
    fi
    "$PY" training/evaluate.py --model "$model" --lang "$lang" --corpus "$CORPUS/$lang/test.spacy" \
        --data "$DATA" "${timing[@]}" --out "training/metrics/$lang.json" > "training/logs/$lang.eval.log"
    if [ "$INSTALL" = 1 ] && [ -n "$ner" ]; then  # the shared NER goes to models/ner once
        "$PY" training/install_model.py "$model" "src/kilde/models/$lang" --exclude ner
    elif [ "$INSTALL" = 1 ]; then
        "$PY" training/install_model.py "$model" "src/kilde/models/$lang"
        rm -rf src/kilde/models/ner
    fi
done
if [ "$INSTALL" = 1 ] && [ -n "$ner" ]; then
    "$PY" training/install_model.py "$ner" src/kilde/models/ner
fi
"$PY" training/report.py training/metrics | tee training/logs/report.md
