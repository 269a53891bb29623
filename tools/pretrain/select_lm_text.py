#!/usr/bin/env python3
"""The lines of tools/pretrain/make_lm_corpus.py's public text that a character language model over
dplstm's fixed public character set can read: at least 97% of a line's characters are in the set
(printable ASCII and the typographic marks of PublicCharset.java), so Latin-script languages stay
and Cyrillic, Greek and CJK lines, which would be mostly the unknown token, go. A seeded shuffle,
then the first --chars characters for training and the first 3,000 such validation lines.

Usage: tools/pretrain/select_lm_text.py CORPUS_DIR OUT_DIR [--chars N]   (deterministic)
       writes OUT_DIR/latin-lm-train.txt and OUT_DIR/latin-lm-valid.txt
"""
import argparse, random
from pathlib import Path

CHARSET = set(chr(c) for c in range(0x20, 0x7F)) | set("\u2018\u2019\u201C\u201D\u2013\u2014\u00B0")
SHARE = 0.97
VALID_LINES = 3000


def readable(line):
    return line and sum(ch in CHARSET for ch in line) >= SHARE * len(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--chars", type=int, default=8_000_000)
    args = parser.parse_args()
    lines = [l for l in (args.corpus / "public-lm-train.txt").read_text(encoding="utf-8").split("\n") if readable(l)]
    random.Random(1).shuffle(lines)
    train, size = [], 0
    for line in lines:
        if size >= args.chars:
            break
        train.append(line)
        size += len(line) + 1
    valid = [l for l in (args.corpus / "public-lm-valid.txt").read_text(encoding="utf-8").split("\n") if readable(l)]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latin-lm-train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (args.out / "latin-lm-valid.txt").write_text("\n".join(valid[:VALID_LINES]) + "\n", encoding="utf-8")
    print(f"{len(train)} training lines ({size} characters), {min(len(valid), VALID_LINES)} validation lines")


if __name__ == "__main__":
    main()
