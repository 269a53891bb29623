#!/usr/bin/env bash
# Trains the person-name model shipped with dplstm and writes it to the data module's resources.
#   tools/pii/train_person_model.sh [WORK_DIR] [OUT_MODEL]
# 1. tools/pii/make_person_training.py: word lists (datafaker, wamerican, wngerman) and training records
#    (training templates, manual pages, German message catalogs); 2. PersonModelTrainer (averaged perceptron).
# Deterministic for a given machine's manual pages and word lists. Needs: apt-get install wamerican wngerman manpages-de.
# THRESHOLD (default -10): the scorer's decision threshold; lower finds more names and redacts more
# other words (README, "Names, dates and addresses", has the measured trade-off). MODEL_DATE (default
# today, UTC) goes into the model's description: give the model card's date to reproduce its SHA-256.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/target/person-model}"
out="${2:-$root/data/src/main/resources/org/dplstm/data/sanitize/person/person-model.bin}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"  # absolute: Maven resolves a relative -Dmdep.outputFile against each module
if [ -z "${REUSE_DATA:-}" ] || [ ! -f "$work/person-train.jsonl" ]; then  # REUSE_DATA=1: keep WORK_DIR's records
  python3 "$root/tools/pii/make_person_training.py" "$work"
fi
# compiled in place (no install into the shared ~/.m2); with -am every module writes the file, data last
(cd "$root" && mvn -q -B -pl data -am compile dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt")
cp="$root/data/target/classes:$(cat "$work/classpath.txt")"
java -Xmx3g -cp "$cp" org.dplstm.data.sanitize.person.PersonModelTrainer \
  --train "$work/person-train.jsonl" --first-names "$work/first-names.txt" --last-names "$work/last-names.txt" \
  --common-words "$work/common-words.txt" --proper-nouns "$work/proper-nouns.txt" --german-nouns "$work/german-nouns.txt" --german-words "$work/german-words.txt" --epochs "${EPOCHS:-10}" --threshold "${THRESHOLD:--10}" --hash-bits "${HASH_BITS:-18}" \
  --description "averaged perceptron, $(wc -l < "$work/person-train.jsonl") training texts (tools/pii/train_person_model.sh, ${MODEL_DATE:-$(date -u +%Y-%m-%d)})" \
  --out "$out"
