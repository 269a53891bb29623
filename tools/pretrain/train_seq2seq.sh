#!/usr/bin/env bash
# Trains the shipped public encoder-decoder `en-de-char` and installs it into the jar's resources
# with its card (encoder.json) and its SHA-256. Public text only: Debian's program-message
# translations, English msgid -> German msgstr (tools/parallel/make_gettext_pairs.py), with every
# pair whose English side is in the package-description corpus of make_parallel_corpus.py dropped.
#
#   tools/pretrain/train_seq2seq.sh WORK_DIR CORPUS_DIR     (about 25 minutes on one free core)
#
# CORPUS_DIR: the English -> German corpus (tools/parallel/make_parallel_corpus.py) to keep out.
# `train --task seq2seq` starts from every weight of this model by default where the run reads
# characters on both sides and its sizes fit (--init none: random weights).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: train_seq2seq.sh WORK_DIR CORPUS_DIR}"
corpus="${2:?usage: train_seq2seq.sh WORK_DIR CORPUS_DIR}"
launcher="${DPLSTM:-$root/dplstm}"
name=en-de-char
target="$root/training/src/main/resources/org/dplstm/encoders/$name"
mkdir -p "$work"
python3 "$root/tools/parallel/make_gettext_pairs.py" "$work/pairs" --exclude "$corpus"
rm -rf "$work/run"
"$launcher" train --task seq2seq --train "$work/pairs/train.jsonl" --valid "$work/pairs/valid.jsonl" --no-privacy \
    --init none --epochs 8 --seed 1 --threads 1 --ledger "$work/ledger.jsonl" --out "$work/run"
mkdir -p "$target"
cp "$work/run/model.bin" "$target/model.bin"
sha=$(sha256sum "$target/model.bin" | cut -d' ' -f1)
read -r vocab target_vocab embedding hidden attention < <(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))
print(c['vocab_size'], c['target_vocab_size'], c['embedding_dim'], c['hidden_size'], c['attention'])" "$work/run/model_config.json")
tokens=$(python3 -c "import json,sys,hashlib
s, t = (json.load(open(f))['tokens'] for f in sys.argv[1:])
assert s == t, 'the two sides read different character sets'
print(hashlib.sha256('\n'.join(s).encode()).hexdigest())" "$work/run/source_vocabulary.json" "$work/run/target_vocabulary.json")
cat > "$target/encoder.json" <<EOC
{"name": "$name", "task": "seq2seq", "token_level": "char", "vocab_size": $vocab, "target_vocab_size": $target_vocab,
 "vocabulary_sha256": "$tokens", "embedding": $embedding, "hidden": $hidden, "layers": 1, "bidirectional": false,
 "attention": "$attention", "model_sha256": "$sha",
 "trained_by": "tools/pretrain/train_seq2seq.sh", "corpus": "tools/parallel/make_gettext_pairs.py"}
EOC
cp "$work/pairs/packages.txt" "$target/corpus-packages.txt"
echo "installed $name: $target (model.bin SHA-256 $sha)"
