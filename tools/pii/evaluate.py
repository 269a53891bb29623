#!/usr/bin/env python3
"""Measures the sanitizer's detectors on the labelled set of make_eval_set.py, end to end.

Runs `./dplstm sanitize` on the set (no dedup) with the given options, reads back which parts of
each text were replaced by a placeholder, and reports per type:
  recall           share of labelled identifiers whose every word was redacted (by any detector)
  wrongly redacted share of the words outside labelled identifiers that were redacted, on ordinary
                   prose, on technical text, and in the sentences around inserted identifiers,
                   with the type of the placeholder that took them
It knows nothing of the detectors' internals: only the input and the sanitized output.

Usage: tools/pii/evaluate.py EVAL.jsonl [--dplstm ./dplstm] [--show N] [-- extra sanitize options]
  e.g. tools/pii/evaluate.py /tmp/pii-eval.jsonl -- --pii-types all --person-model other.bin
"""
import argparse, collections, json, re, subprocess, sys, tempfile
from pathlib import Path

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z0-9_]*)\]")
WORD = re.compile(r"\w+")


def redacted_spans(original, redacted):
    """[(start, end, TYPE)] of `original` that `redacted` replaced by placeholders, or None."""
    pieces = PLACEHOLDER.split(redacted)
    literals, types = pieces[0::2], pieces[1::2]
    if not types:
        return [] if redacted == original else None
    pattern = re.escape(literals[0]) + "".join("(.+?)" + re.escape(lit) for lit in literals[1:])
    match = re.fullmatch(pattern, original, re.S)
    if not match:
        return None
    return [(match.start(i + 1), match.end(i + 1), t) for i, t in enumerate(types)]


def covered(start, end, spans):
    return any(s <= start and end <= e for s, e, _ in spans)


def covering_type(start, end, spans):
    for s, e, t in spans:
        if s < end and start < e:
            return t
    return None


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_set")
    parser.add_argument("--dplstm", default=str(Path(__file__).resolve().parents[2] / "dplstm"))
    parser.add_argument("--show", type=int, default=0, help="print up to N misses and wrong redactions per type")
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)

    records = [json.loads(line) for line in open(args.eval_set, encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        command = [args.dplstm, "sanitize", "--input", args.eval_set, "--output", str(out), "--dedup", "none"] + extra
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        sanitized = {json.loads(line)["id"]: json.loads(line)["text"] for line in open(out, encoding="utf-8")}

    found = collections.Counter()
    total = collections.Counter()
    wrong = collections.defaultdict(collections.Counter)  # kind -> type -> words
    words = collections.Counter()  # kind -> words outside labels
    misses = collections.defaultdict(list)
    wrongs = collections.defaultdict(list)
    unaligned = 0
    for record in records:
        text = record["text"]
        output = sanitized.get(record["id"], "")
        spans = redacted_spans(text, output)
        if spans is None:
            unaligned += 1
            continue
        kind = record["kind"] if record["kind"] != "pii" else "around identifiers"
        for start, end, label in record["spans"]:
            key = label if record["variant"] in ("", "known", "full", "birth", "address") else f"{label} ({record['variant']})"
            total[key] += 1
            if all(covered(m.start() + start, m.end() + start, spans) for m in WORD.finditer(text[start:end])):
                found[key] += 1
            elif len(misses[key]) < args.show:
                misses[key].append(f"{text[start:end]!r} in: {output}")
        for m in WORD.finditer(text):
            if any(s <= m.start() < e for s, e, _ in record["spans"]):
                continue
            words[kind] += 1
            t = covering_type(m.start(), m.end(), spans)
            if t:
                wrong[kind][t] += 1
                if len(wrongs[t]) < args.show:
                    wrongs[t].append(f"{m.group()!r} in: {output}")

    print(f"{len(records)} records ({unaligned} could not be aligned)\n")
    print("| type | identifiers | recall |")
    print("|---|---|---|")
    for key in sorted(total):
        print(f"| {key} | {total[key]} | {found[key] / total[key]:.3f} |")
    types = sorted({t for counts in wrong.values() for t in counts})
    print("\n| text | words | wrongly redacted (all types) | " + " | ".join(types) + " |")
    print("|---|---|---|" + "---|" * len(types))
    for kind in ("prose", "technical", "technical-versions", "prose-de-es-fr", "around identifiers", "technical-de",
                 "pii-de"):
        if words[kind]:
            share = sum(wrong[kind].values()) / words[kind]
            cells = " | ".join(f"{wrong[kind][t] / words[kind]:.4f}" for t in types)
            print(f"| {kind} | {words[kind]} | {share:.4f} | {cells} |")
    for key, items in sorted(misses.items()):
        print(f"\nmissed {key}:")
        for item in items:
            print("   ", item)
    for key, items in sorted(wrongs.items()):
        print(f"\nwrongly redacted as {key}:")
        for item in items:
            print("   ", item)
    if args.json:
        figures = {"recall": {k: found[k] / total[k] for k in total}, "identifiers": dict(total),
                   "wrongly_redacted": {k: {"words": words[k], "share": sum(wrong[k].values()) / words[k],
                                            "by_type": {t: wrong[k][t] / words[k] for t in wrong[k]}}
                                        for k in words if words[k]},
                   "unaligned": unaligned, "sanitize_options": extra}
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
