#!/usr/bin/env python3
"""The public text a shipped language model carries for public preconditioning (`train --task lm
--precondition public:NAME`, the default of private character-level language models): every k-th
line of the model's PUBLIC pretraining text (tools/pretrain/select_lm_text.py's latin-lm-train.txt:
Debian's documentation books and program messages, disjoint from every evaluation source), 2,000
lines in all. DP-SGD scales each gradient coordinate by the root mean square of these lines'
gradients (ARCHITECTURE §2, "Public preconditioning"); they cost no privacy.

Usage: tools/pretrain/make_public_text.py WORK_DIR TARGET_FILE   (deterministic: no randomness)
"""
import sys
from pathlib import Path

LINES = 2000


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source = Path(sys.argv[1]) / "latin-lm-train.txt"
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) < LINES:
        sys.exit(f"{source} has {len(lines)} lines, fewer than {LINES}")
    step = len(lines) // LINES
    picked = lines[::step][:LINES]
    Path(sys.argv[2]).write_text("".join(line + "\n" for line in picked), encoding="utf-8")
    print(f"{len(picked)} public lines (every {step}th of {len(lines)}) -> {sys.argv[2]}")


if __name__ == "__main__":
    main()
