#!/usr/bin/env python3
"""Builds a public English -> German parallel corpus of short sentence pairs from Debian's
translated package descriptions (for `dplstm train --task seq2seq`; tuning and README figures,
not tests).

Debian ships every package description in English (Translation-en) and, for many packages, a
German translation (Translation-de) keyed by the same Description-md5. Pairs come from
  - the one-line synopses ("Real-time strategy game" / "Echtzeit-Strategiespiel"), and
  - the long descriptions, aligned paragraph by paragraph and, inside a paragraph pair, sentence
    by sentence or list item by list item, only where both sides have the same number of parts
    (a cautious aligner: a translation that merges or splits sentences gives no pairs).
Pairs are kept when both sides are 3..MAX_CHARS characters with a plausible length ratio,
duplicates dropped, and split into train/valid/test by the English sentence (no English sentence
in two splits). Output: OUT/train.jsonl, valid.jsonl, test.jsonl with {"source", "target"}.

Needs the translation indices (apt-get update fetches none by default here):
    apt-get update -o Acquire::Languages=en,de
Usage: tools/parallel/make_parallel_corpus.py OUT_DIR [--max-chars 80] [--train 20000] [--lang de]
(--lang fr, es, it, ...: the same from that language's Translation-LANG, after apt-get update -o
Acquire::Languages=en,LANG; a second pair to check that a default tuned on English -> German holds.)
Deterministic for the same package lists (fixed hash split, fixed order).
"""
import argparse, hashlib, json, re, subprocess, sys
from pathlib import Path

APT_LISTS = Path("/var/lib/apt/lists")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\u201e\u00ab\u00bf\u00a1\u00c0-\u00dd])")
ITEM = re.compile(r"^\s*[*\-+o\u2022]\s+")


def descriptions(code):
    """md5 -> description text (synopsis line, then the long description's lines)."""
    found = {}
    for path in sorted(APT_LISTS.glob(f"*_main_i18n_Translation-{code}.lz4")):
        text = subprocess.run(["lz4cat", str(path)], capture_output=True, text=True, check=True).stdout
        for stanza in text.split("\n\n"):
            md5 = re.search(r"^Description-md5: (\w+)$", stanza, re.M)
            desc = re.search(rf"^Description-{code}: (.*(?:\n .*)*)", stanza, re.M)
            if md5 and desc:
                found.setdefault(md5.group(1), desc.group(1))
    return found


def parts(description):
    """[synopsis], then per paragraph the list of its sentences or list items."""
    lines = description.split("\n")
    paragraphs, current = [], []
    for line in lines[1:]:
        if line.strip() == ".":
            paragraphs.append(current)
            current = []
        else:
            current.append(line[1:] if line.startswith(" ") else line)
    paragraphs.append(current)
    result = [[lines[0].strip()]]
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if any(ITEM.match(line) for line in paragraph):
            items, item = [], []
            for line in paragraph:
                if ITEM.match(line) and item:
                    items.append(" ".join(item))
                    item = []
                item.append(ITEM.sub("", line).strip() if ITEM.match(line) else line.strip())
            items.append(" ".join(item))
            result.append([re.sub(r"\s+", " ", i).strip() for i in items])
        else:
            flat = re.sub(r"\s+", " ", " ".join(paragraph)).strip()
            result.append([s.strip() for s in SENTENCE_END.split(flat) if s.strip()])
    return result


def aligned(english, german):
    """Sentence pairs from two descriptions that align part for part."""
    en_parts, de_parts = parts(english), parts(german)
    pairs = [(en_parts[0][0], de_parts[0][0])]
    if len(en_parts) == len(de_parts):
        for en, de in zip(en_parts[1:], de_parts[1:]):
            if len(en) == len(de):
                pairs.extend(zip(en, de))
    return pairs


def plausible(en, de, max_chars):
    if not (3 <= len(en) <= max_chars and 3 <= len(de) <= max_chars):
        return False
    ratio = len(de) / len(en)
    # German runs longer than English; a ratio far outside this is a misalignment
    return 0.6 <= ratio <= 2.2 and en != de


def split_of(english):
    bucket = int(hashlib.sha256(english.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "valid" if bucket < 5 else "test" if bucket < 10 else "train"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--max-chars", type=int, default=80, help="longest side of a pair (default 80)")
    parser.add_argument("--train", type=int, default=20000, help="most training pairs (default 20000)")
    parser.add_argument("--lang", default="de", help="the target language's Translation code (default de)")
    parser.add_argument("--valid", type=int, default=1000, help="most validation and test pairs each (default 1000)")
    args = parser.parse_args()
    english, german = descriptions("en"), descriptions(args.lang)
    if not german:
        sys.exit(f"no Translation-{args.lang} index in {APT_LISTS}: run apt-get update -o Acquire::Languages=en,{args.lang}")
    seen, splits = set(), {"train": [], "valid": [], "test": []}
    for md5 in sorted(german):
        if md5 not in english:
            continue
        for en, de in aligned(english[md5], german[md5]):
            if plausible(en, de, args.max_chars) and (en, de) not in seen:
                seen.add((en, de))
                splits[split_of(en)].append({"source": en, "target": de})
    args.out.mkdir(parents=True, exist_ok=True)
    limits = {"train": args.train, "valid": args.valid, "test": args.valid}
    for name, pairs in splits.items():
        # a stable order that mixes packages (the index is sorted by md5, i.e. at random)
        kept = pairs[: limits[name]]
        with open(args.out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for pair in kept:
                f.write(json.dumps(pair, ensure_ascii=False) + "\n")
        print(f"{name}: {len(kept)} pairs (of {len(pairs)})", file=sys.stderr)


if __name__ == "__main__":
    main()
