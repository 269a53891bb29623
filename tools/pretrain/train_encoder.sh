#!/usr/bin/env bash
# Trains the shipped public encoder `multilingual-char` and installs it into the jar's resources
# with its card (encoder.json) and its SHA-256. Public text only: tools/pretrain/make_public_corpus.py
# (gettext catalogs, disjoint from every evaluation source; see MODEL_CARD.md).
#
#   tools/pretrain/train_encoder.sh WORK_DIR        (about 8 minutes on one core)
#
# The encoder is the embedding and LSTM of a character-level classifier trained, without privacy
# (the data is public), to tell 73 languages apart (every one the catalogs translate enough);
# `train --init public:multilingual-char` copies them into a new classifier whose output layer
# starts fresh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: train_encoder.sh WORK_DIR}"
launcher="${DPLSTM:-$root/dplstm}"
name=multilingual-char
target="$root/training/src/main/resources/org/dplstm/encoders/$name"
mkdir -p "$work"
# always rebuilt (a few seconds): a corpus left in WORK_DIR by another command (--languages) must not train it
python3 "$root/tools/pretrain/make_public_corpus.py" "$work"
rm -rf "$work/encoder-run"
"$launcher" train --train "$work/public-multilingual.csv" --no-privacy --token-level char --init none \
    --embedding 16 --hidden 32 --max-length 256 --epochs 8 --batch-size 128 --lr 0.01 --seed 1 --threads 1 \
    --ledger "$work/ledger.jsonl" --out "$work/encoder-run"
mkdir -p "$target"
cp "$work/encoder-run/model.bin" "$target/model.bin"
sha=$(sha256sum "$target/model.bin" | cut -d' ' -f1)
vocab=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['vocab_size'])" "$work/encoder-run/model_config.json")
cat > "$target/encoder.json" <<EOC
{"name": "$name", "token_level": "char", "charset_version": 1, "vocab_size": $vocab, "embedding": 16, "hidden": 32,
 "layers": 1, "bidirectional": false, "model_sha256": "$sha",
 "trained_by": "tools/pretrain/train_encoder.sh", "corpus": "tools/pretrain/make_public_corpus.py"}
EOC
cp "$work/public-corpus-packages.txt" "$target/corpus-packages.txt"
echo "installed $name: $target (model.bin SHA-256 $sha)"
