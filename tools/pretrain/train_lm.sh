#!/usr/bin/env bash
# Trains the shipped public language model `latin-char-lm` and installs it into the jar's resources
# with its card (encoder.json) and its SHA-256. Public text only: tools/pretrain/make_lm_corpus.py
# (Debian's documentation books and gettext catalogs, disjoint from every evaluation source; see
# MODEL_CARD.md), the lines a model over the fixed public character set can read
# (tools/pretrain/select_lm_text.py).
#
#   tools/pretrain/train_lm.sh WORK_DIR [EXCLUDE_SETS_DIR]     (about 5 minutes on one core)
#
# EXCLUDE_SETS_DIR: a folder of the evaluation sets' CSV files (tools/realdata), whose texts are
# dropped from the corpus if any appears there. `train --task lm` starts from every weight of this
# model by default where the run's sizes fit (--init none: random weights).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: train_lm.sh WORK_DIR [EXCLUDE_SETS_DIR]}"
launcher="${DPLSTM:-$root/dplstm}"
name=latin-char-lm
target="$root/training/src/main/resources/org/dplstm/encoders/$name"
mkdir -p "$work"
# the corpus is reused only when no exclusion is asked for: with EXCLUDE_SETS_DIR it is always rebuilt,
# so the card's "lines equal to an evaluation text are dropped" holds for the corpus actually used
if [ -n "${2:-}" ] || [ ! -f "$work/public-lm-train.txt" ]; then
    python3 "$root/tools/pretrain/make_lm_corpus.py" "$work" ${2:+--exclude-sets "$2"}
fi
python3 "$root/tools/pretrain/select_lm_text.py" "$work" "$work"
rm -rf "$work/lm-run"
"$launcher" train --task lm --train "$work/latin-lm-train.txt" --valid "$work/latin-lm-valid.txt" --no-privacy \
    --init none --embedding 16 --hidden 32 --epochs 2 --batch-size 128 --lr 0.02 --schedule cosine --seed 1 \
    --threads 1 --ledger "$work/ledger.jsonl" --out "$work/lm-run"
mkdir -p "$target"
cp "$work/lm-run/model.bin" "$target/model.bin"
sha=$(sha256sum "$target/model.bin" | cut -d' ' -f1)
vocab=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['vocab_size'])" "$work/lm-run/model_config.json")
tokens=$(python3 -c "import json,sys,hashlib; t=json.load(open(sys.argv[1]))['tokens']; print(hashlib.sha256('\n'.join(t).encode()).hexdigest())" "$work/lm-run/vocabulary.json")
python3 "$root/tools/pretrain/make_public_text.py" "$work" "$target/public-text.txt"
text_sha=$(sha256sum "$target/public-text.txt" | cut -d' ' -f1)
cat > "$target/encoder.json" <<EOC
{"name": "$name", "task": "lm", "token_level": "char", "vocab_size": $vocab, "vocabulary_sha256": "$tokens",
 "embedding": 16, "hidden": 32, "layers": 1, "bidirectional": false, "model_sha256": "$sha",
 "public_text_sha256": "$text_sha",
 "trained_by": "tools/pretrain/train_lm.sh", "corpus": "tools/pretrain/make_lm_corpus.py"}
EOC
cp "$work/lm-corpus-packages.txt" "$target/corpus-packages.txt"
echo "installed $name: $target (model.bin SHA-256 $sha)"
