#!/usr/bin/env python3
"""Builds two language-identification sets from Debian's translated package descriptions (benchmarks only).

  desclang:  6 languages, Cyrillic and Slavic Latin: ru uk sr cs pl sk (sr has only about 260 texts)
  descclose: 5 languages in close pairs: cs sk pl es pt

A text is a package's long description in one language, whitespace folded, cut to 240 characters.
Train and validation are split BY PACKAGE within each language (a package's description in one
language is on one side; its translation into another language may be on the other), at most
1,250 training and 250 validation texts per language. The descriptions are translations of the
English ones behind the topic set, a different task; they share no text with the fortunes, the
manual pages or the gettext catalogs the shipped models were trained on (tools/pretrain).

Needs: apt-get update -o Acquire::Languages=ru,uk,sr,cs,pl,sk,es,pt   (the Translation-* lists)
Usage: tools/realdata/make_desclang.py OUT_DIR   (deterministic for the same lists: fixed seed)
"""
import csv, random, re, subprocess, sys
from pathlib import Path

APT_LISTS = Path("/var/lib/apt/lists")
SETS = {"desclang": ["ru", "uk", "sr", "cs", "pl", "sk"], "descclose": ["cs", "sk", "pl", "es", "pt"]}
TRAIN, VALID = 1250, 250


def descriptions(code):
    """(package, text) of every long description in the language's Translation list, first seen kept."""
    paths = sorted(APT_LISTS.glob(f"*_main_i18n_Translation-{code}.lz4"))
    if not paths:
        sys.exit(f"no Translation-{code} list in {APT_LISTS}: run apt-get update -o Acquire::Languages={code}")
    seen, out = set(), []
    for path in paths:
        text = subprocess.run(["lz4cat", str(path)], capture_output=True, check=True).stdout.decode("utf-8", "replace")
        for block in text.split("\n\n"):
            package = re.search(r"^Package: (.*)$", block, re.M)
            description = re.search(r"^Description-(?!md5)[^:]+: .*$((?:\n .*)*)", block, re.M)
            if not package or not description:
                continue
            lines = [line.strip() for line in description.group(1).split("\n")]
            body = re.sub(r"\s+", " ", " ".join(line for line in lines if line and line != "."))[:240]
            if len(body) >= 40 and body not in seen:
                seen.add(body)
                out.append((package.group(1), body))
    return out


def build(out_dir, name, codes):
    rng = random.Random(7)
    train, valid = [], []
    for code in codes:
        texts = descriptions(code)
        packages = sorted({package for package, _ in texts})
        rng.shuffle(packages)
        held_out = set(packages[:len(packages) // 6])
        own_train = [(text, code) for package, text in texts if package not in held_out]
        own_valid = [(text, code) for package, text in texts if package in held_out]
        rng.shuffle(own_train)
        rng.shuffle(own_valid)
        train += own_train[:TRAIN]
        valid += own_valid[:VALID]
        print(f"{name} {code}: {min(TRAIN, len(own_train))} train, {min(VALID, len(own_valid))} valid", file=sys.stderr)
    for part, rows in (("train", train), ("valid", valid)):
        rng.shuffle(rows)
        with open(out_dir / f"{name}-{part}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "label"])
            writer.writerows(rows)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, codes in SETS.items():
        build(out_dir, name, codes)


if __name__ == "__main__":
    main()
