#!/usr/bin/env python3
"""The README's accuracy table: every real-text set, without privacy and at epsilon 1, 3 and 8.

Each run is `dplstm train --train SET-train.csv --valid SET-valid.csv (--no-privacy | --epsilon E)
--seed S --threads 1 --out RUNS/VARIANT/SET-PRIVACY` plus the variant's own options; a run whose
report.json exists is not run again (an interrupted table continues where it stopped). The
table is built from the runs' report.json files, never from console output.

  tools/benchmarks/accuracy_table.py                      # builds the sets if missing, runs, prints
  tools/benchmarks/accuracy_table.py --variant mean -- --pooling mean   # one technique, same sets
  tools/benchmarks/accuracy_table.py --compare defaults,mean            # gaps side by side, no runs

Options: --data DIR (default realdata; built by tools/realdata/make_datasets.py,
make_mansets.py and make_desclang.py when its files are missing), --runs DIR (default runs/accuracy), --sets a,b,
--privacy np,1,3,8, --seed S, --launcher PATH (default ./dplstm), --out FILE (the markdown table,
default RUNS/VARIANT.md). Runs are sequential: the machine is shared (one training at a time).
"""
import argparse, json, shlex, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETS = ["langid", "topic", "manlang", "mansect-ru", "mansect-zh", "mansect-en", "desclang", "descclose"]
DESCRIPTIONS = {
    "langid": "language ID, fortunes (6 languages)",
    "topic": "Debian section of a package description (10)",
    "manlang": "language of a man-page paragraph (14; Latin, Cyrillic, CJK)",
    "mansect-ru": "man section of a Russian paragraph (5; Cyrillic)",
    "mansect-zh": "man section of a Chinese paragraph (5; CJK)",
    "mansect-en": "man section of an English paragraph (5; small: <= 300 per class)",
    "desclang": "language of a package description (6; Cyrillic and Slavic Latin)",
    "descclose": "language of a package description (5, in close pairs: cs sk pl es pt)",
}


BUILDERS = {"make_datasets.py": ["langid", "topic"], "make_mansets.py": ["manlang", "mansect-ru", "mansect-zh", "mansect-en"],
            "make_desclang.py": ["desclang", "descclose"]}


def ensure_data(data, sets):
    """Runs each builder one of whose sets is asked for and missing."""
    for builder, built in BUILDERS.items():
        if any(name in sets and not (data / f"{name}-train.csv").exists() for name in built):
            subprocess.run([sys.executable, str(ROOT / "tools/realdata" / builder), str(data)], check=True)


def run_dir(runs, variant, name, privacy):
    return runs / variant / f"{name}-{'np' if privacy == 'np' else 'e' + privacy}"


def train(args, name, privacy, extra):
    out = run_dir(args.runs, args.variant, name, privacy)
    if (out / "report.json").exists():
        return
    if out.exists():  # an interrupted run: start it again (its audit log stays in the old directory)
        out.rename(out.with_name(out.name + f".interrupted-{int(time.time())}"))
    command = [args.launcher, "train", "--train", str(args.data / f"{name}-train.csv"),
               "--valid", str(args.data / f"{name}-valid.csv"), "--seed", str(args.seed), "--threads", "1",
               "--ledger", str(args.runs / "ledger.jsonl"), "--out", str(out)]
    command += ["--no-privacy"] if privacy == "np" else ["--epsilon", privacy]
    command += extra
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.runs / "commands.log", "a", encoding="utf-8") as log:
        log.write(shlex.join(command) + "\n")
    print("$ " + shlex.join(command), file=sys.stderr, flush=True)
    with open(out.parent / f"{out.name}.console.txt", "w", encoding="utf-8") as console:
        result = subprocess.run(command, stdout=console, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        print(f"run failed (exit {result.returncode}): see {out.parent / (out.name + '.console.txt')}", file=sys.stderr)


def report(runs, variant, name, privacy):
    file = run_dir(runs, variant, name, privacy) / "report.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else None


def accuracy(runs, variant, name, privacy):
    r = report(runs, variant, name, privacy)
    return None if r is None else r.get("valid_accuracy")


def fmt(value):
    return "-" if value is None else f"{value:.3f}"


def table(args, variant):
    lines = [f"| set | train texts | no privacy | ε = 1 | ε = 3 | ε = 8 | gap at ε = 3 |", "|---|---|---|---|---|---|---|"]
    for name in args.sets:
        acc = {p: accuracy(args.runs, variant, name, p) for p in ("np", "1", "3", "8")}
        r = report(args.runs, variant, name, "np") or report(args.runs, variant, name, "3") or {}
        size = r.get("train_examples", "?")
        gap = None if acc["np"] is None or acc["3"] is None else 100 * (acc["np"] - acc["3"])
        lines.append(f"| {name}: {DESCRIPTIONS.get(name, '')} | {size} | {fmt(acc['np'])} | {fmt(acc['1'])} | "
                     f"{fmt(acc['3'])} | {fmt(acc['8'])} | {'-' if gap is None else f'{gap:.1f}'} |")
    return "\n".join(lines)


def compare(args, variants):
    lines = ["| set | " + " | ".join(f"{v}: no privacy / ε = 3 (gap)" for v in variants) + " |",
             "|---|" + "---|" * len(variants)]
    for name in args.sets:
        cells = []
        for v in variants:
            np_, e3 = accuracy(args.runs, v, name, "np"), accuracy(args.runs, v, name, "3")
            gap = "" if np_ is None or e3 is None else f" ({100 * (np_ - e3):.1f})"
            cells.append(f"{fmt(np_)} / {fmt(e3)}{gap}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=Path("realdata"))
    p.add_argument("--runs", type=Path, default=Path("runs/accuracy"))
    p.add_argument("--variant", default="defaults")
    p.add_argument("--sets", default=",".join(SETS))
    p.add_argument("--privacy", default="np,1,3,8")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--launcher", default=str(ROOT / "dplstm"))
    p.add_argument("--out", type=Path)
    p.add_argument("--compare")
    args = p.parse_args(argv)
    args.sets = args.sets.split(",")
    args.runs.mkdir(parents=True, exist_ok=True)
    if args.compare:
        print(compare(args, args.compare.split(",")))
        return
    ensure_data(args.data, args.sets)
    for name in args.sets:
        for privacy in args.privacy.split(","):
            train(args, name, privacy, extra)
    text = table(args, args.variant)
    out = args.out or args.runs / f"{args.variant}.md"
    header = f"Variant `{args.variant}` (extra options: `{shlex.join(extra) or 'none'}`), seed {args.seed}:\n\n"
    out.write_text(header + text + "\n", encoding="utf-8")
    print(header + text)


if __name__ == "__main__":
    main()
