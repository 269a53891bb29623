#!/usr/bin/env python3
"""The person detector without its learned scorer, on the evaluation set: a capitalised word is a
name if the shipped lists hold it as a first name or surname and the common-word list does not.
The README compares it with the scorer (same set, same recall and wrong-redaction measures).

Usage: tools/pii/baseline_lists.py EVAL.jsonl
"""
import collections, json, re, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import piidata  # noqa: E402

WORD = re.compile(r"\w+")


def main():
    names = {n.lower() for loc in piidata.KNOWN_LOCALES for n in piidata.first_names(loc) + piidata.last_names(loc)}
    common = set(piidata.common_words())
    found, total = collections.Counter(), collections.Counter()
    wrong, words = collections.Counter(), collections.Counter()
    for line in open(sys.argv[1], encoding="utf-8"):
        record = json.loads(line)
        text = record["text"]
        flagged = [m for m in WORD.finditer(text) if m.group()[0].isupper() and not m.group().isupper()
                   and m.group().lower() in names and m.group().lower() not in common]
        spans = [(s, e) for s, e, label in record["spans"] if label == "PERSON"]
        for s, e in spans:
            key = "PERSON" if record["variant"] == "known" else f"PERSON ({record['variant']})"
            total[key] += 1
            inner = list(WORD.finditer(text[s:e]))
            found[key] += all(any(m.start() + s == f.start() for f in flagged) for m in inner)
        kind = record["kind"] if record["kind"] != "pii" else "around identifiers"
        for m in WORD.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in record["spans"]):
                words[kind] += 1
                wrong[kind] += any(f.start() == m.start() for f in flagged)
    for key in sorted(total):
        print(f"{key}: recall {found[key] / total[key]:.3f} of {total[key]}")
    for kind in sorted(words):
        print(f"{kind}: wrongly redacted {wrong[kind] / words[kind]:.4f} of {words[kind]} words")


if __name__ == "__main__":
    main()
