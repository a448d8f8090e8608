#!/usr/bin/env bash
# Reproduce kilde's Norwegian base pipelines (nb, nn) from the shared treebank data.
#
#   training/train.sh                      # convert, train nb then nn, evaluate, install
#   LANGS=nn training/train.sh             # one language
#   INSTALL=0 training/train.sh            # leave src/kilde/models alone
#   DATA=/path/to/shared/data training/train.sh
#
# Per language (CPU, --gpu-id -1, one run at a time):
#   1. spacy train training/configs/base.cfg  -> training/output/<lang>      (tok2vec, morphologizer,
#      tagger, parser, trainable_lemmatizer, ner; log training/logs/<lang>.log)
#   2. spacy train training/configs/ner.cfg   -> training/output/<lang>-ner  (NER with its own tok2vec;
#      log training/logs/<lang>-ner.log)
#   3. training/assemble.py: the base pipeline with the NER of step 2 -> training/output/<lang>-final
#   4. training/evaluate.py on the test split -> training/metrics/<lang>.json
#   5. training/install_model.py -> src/kilde/models/<lang> (config, meta, components, tokenizer, vocab)
# SEPARATE_NER=0 skips steps 2-3 and uses the base pipeline's own NER.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DATA=${DATA:-../shared/data}
LANGS=${LANGS:-"nb nn"}
INSTALL=${INSTALL:-1}
SEPARATE_NER=${SEPARATE_NER:-1}
CORPUS=training/corpus

if [ ! -d "$DATA/norne/ndt" ]; then
    echo "no treebank under $DATA/norne/ndt; set DATA=/path/to/shared/data" >&2
    exit 2
fi
mkdir -p training/logs training/output training/metrics

if [ ! -f "$CORPUS/split.json" ] || [ "${CONVERT:-0}" = 1 ]; then
    "$PY" training/convert.py --data "$DATA" --out "$CORPUS" | tee training/logs/convert.log
fi

train() {  # config, output, lang, log
    nice -n 10 "$PY" -m spacy train "$1" --output "$2" --gpu-id -1 --nlp.lang "$3" \
        --paths.train "$CORPUS/$3/train.spacy" --paths.dev "$CORPUS/$3/dev.spacy" > "$4" 2>&1
}

for lang in $LANGS; do
    start=$(date +%s)
    train training/configs/base.cfg "training/output/$lang" "$lang" "training/logs/$lang.log"
    model="training/output/$lang/model-best"
    if [ "$SEPARATE_NER" = 1 ]; then
        train training/configs/ner.cfg "training/output/$lang-ner" "$lang" "training/logs/$lang-ner.log"
        rm -rf "training/output/$lang-final"
        "$PY" training/assemble.py "$model" "training/output/$lang-ner/model-best" "training/output/$lang-final"
        model="training/output/$lang-final"
    fi
    end=$(date +%s)
    "$PY" training/evaluate.py --model "$model" --lang "$lang" \
        --corpus "$CORPUS/$lang/test.spacy" --data "$DATA" --train-seconds $((end - start)) \
        --out "training/metrics/$lang.json" > "training/logs/$lang.eval.log"
    if [ "$INSTALL" = 1 ]; then
        "$PY" training/install_model.py "$model" "src/kilde/models/$lang"
    fi
done
"$PY" training/report.py training/metrics | tee training/logs/report.md
