#!/usr/bin/env python3
"""A next-word task on PUBLIC text, for a word-level classifier to pretrain on (measured in the README,
"Accuracy at small ε": not shipped). From each line of make_lm_corpus.py's public-lm-train.txt (Debian's
documentation books and program messages in all their languages) it takes one word among the K most
frequent and writes it as the label, with up to 24 words before it as the text.

Words: lower-cased runs of letters, each Han or kana character a word of its own: close to the word
tokenizer's words (which keep digits, apostrophes and kana runs), enough to name frequent words.
A target has at least 3 words before it; its label is the word with a "t" in front, so that no
label is a number or a language code. Deterministic (fixed seed).

Usage: tools/pretrain/make_nextword_corpus.py LM_CORPUS_DIR OUT.csv [--top K] [--examples N]
"""
import argparse, collections, csv, random, re
from pathlib import Path

WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W\d_]+")
CONTEXT = 24


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--top", type=int, default=1000)
    parser.add_argument("--examples", type=int, default=150_000)
    args = parser.parse_args()
    lines = (args.corpus / "public-lm-train.txt").read_text(encoding="utf-8").splitlines()
    words = [WORD.findall(line.lower()) for line in lines]
    frequent = {w for w, _ in collections.Counter(w for ws in words for w in ws).most_common(args.top)}
    rng = random.Random(1)
    rows = []
    for ws in words:
        targets = [i for i in range(3, len(ws)) if ws[i] in frequent]
        if targets:
            i = rng.choice(targets)
            rows.append((" ".join(ws[max(0, i - CONTEXT):i]), "t" + ws[i]))
    rng.shuffle(rows)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows[:args.examples])


if __name__ == "__main__":
    main()
