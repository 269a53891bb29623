#!/usr/bin/env python3
"""Builds real-text evaluation sets from Debian packages (for tuning and benchmarks, not tests).

  langid:  short quotes from the fortunes packages, labelled by language (en, de, es, it, pt, eo)
  topic:   Debian package descriptions labelled by archive section (apt-cache dumpavail)
  quotes:  English quotes, one per line, for language modelling
  public-langid: PUBLIC text for a warm start (`train --init`): Debian's translated package
           descriptions by language (only 17 Esperanto sentences exist there)

Needs: apt-get install fortunes fortunes-de fortunes-es fortunes-it fortunes-br fortunes-eo
       apt-get update -o Acquire::Languages=de,es,it,pt,pt_BR,eo   (for public-langid)
Usage: tools/realdata/make_datasets.py OUT_DIR   (deterministic: fixed shuffle seed)
"""
import csv, os, random, re, subprocess, sys
from pathlib import Path

FORTUNES = Path("/usr/share/games/fortunes")
LANG_SOURCES = {
    "en": [p for p in FORTUNES.glob("*.u8")],
    "de": list((FORTUNES / "de").glob("*.u8")),
    "es": [p for p in (FORTUNES / "es").glob("*.fortunes")],
    "it": [p for p in (FORTUNES / "it").iterdir() if p.suffix == "" and p.is_file()],
    "pt": [FORTUNES / "brasil"],
    "eo": [p for p in (FORTUNES / "eo").iterdir() if p.suffix == "" and p.is_file()],
}
PER_CLASS = 2500


def quotes(paths, max_len=240):
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        for chunk in text.split("\n%\n"):
            flat = re.sub(r"\s+", " ", chunk).strip()
            if 20 <= len(flat) <= max_len and not re.search(r"[|_/\\]{3}", flat):
                yield flat


def write_split(rows, out_dir, name, header):
    random.Random(7).shuffle(rows)
    cut = int(len(rows) * 0.8)
    for split, part in (("train", rows[:cut]), ("valid", rows[cut:])):
        with open(out_dir / f"{name}-{split}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(part)


def langid(out_dir):
    rows = []
    for lang, paths in LANG_SOURCES.items():
        qs = sorted(set(quotes(sorted(paths))))
        random.Random(lang).shuffle(qs)
        rows += [(q, lang) for q in qs[:PER_CLASS]]
        print(f"langid {lang}: {min(len(qs), PER_CLASS)} of {len(qs)}", file=sys.stderr)
    write_split(rows, out_dir, "langid", ["text", "label"])


def topic(out_dir, sections=("admin", "devel", "games", "graphics", "libs", "net", "python", "science", "sound", "text")):
    dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    by_section = {s: [] for s in sections}
    for stanza in dump.split("\n\n"):
        section = re.search(r"^Section: (?:\w+/)?(\S+)$", stanza, re.M)
        desc = re.search(r"^Description: (.*(?:\n .*)*)", stanza, re.M)
        if section and desc and section.group(1) in by_section:
            text = re.sub(r"\s+", " ", desc.group(1).replace("\n .\n", " ")).strip()[:400]
            by_section[section.group(1)].append(text)
    rows = []
    for s, texts in by_section.items():
        texts = sorted(set(texts))
        random.Random(s).shuffle(texts)
        rows += [(t, s) for t in texts[:PER_CLASS]]
        print(f"topic {s}: {min(len(texts), PER_CLASS)} of {len(texts)}", file=sys.stderr)
    write_split(rows, out_dir, "topic", ["text", "label"])


def english_quotes(out_dir):
    qs = sorted(set(quotes(sorted(LANG_SOURCES["en"]), max_len=200)))
    random.Random(11).shuffle(qs)
    cut = int(len(qs) * 0.9)
    (out_dir / "quotes-train.txt").write_text("\n".join(qs[:cut]) + "\n", encoding="utf-8")
    (out_dir / "quotes-valid.txt").write_text("\n".join(qs[cut:]) + "\n", encoding="utf-8")
    print(f"quotes: {cut} train, {len(qs) - cut} valid", file=sys.stderr)


APT_LISTS = Path("/var/lib/apt/lists")
PUBLIC_PER_CLASS = 4000


def description_sentences(description):
    """A package description's short line and the sentences of its long text (20-240 chars)."""
    lines = description.split("\n")
    body = " ".join(line.strip() for line in lines[1:] if line.strip() != ".")
    parts = [lines[0].strip()] + re.split(r"(?<=[.!?])\s+", body)
    return [p.strip() for p in parts if 20 <= len(p.strip()) <= 240]


def public_langid(out_dir):
    """Public language-ID text from Debian's translated package descriptions (not fortunes), to
    warm-start a private run (`train --init`). Needs the translation indices:
    apt-get update -o Acquire::Languages=de,es,it,pt,pt_BR,eo"""
    sources = {"de": ["de"], "es": ["es"], "it": ["it"], "pt": ["pt%5fBR", "pt"], "eo": ["eo"]}
    rows = []
    for lang, codes in sources.items():
        sentences = []
        for code in codes:
            for path in APT_LISTS.glob(f"*_i18n_Translation-{code}.lz4"):
                text = subprocess.run(["lz4cat", str(path)], capture_output=True, text=True, check=True).stdout
                for stanza in text.split("\n\n"):
                    # "Description-md5:" is a hash; "Description-de:" etc. is the text
                    desc = re.search(r"^Description-(?!md5)[\w]+: (.*(?:\n .*)*)", stanza, re.M)
                    if desc:
                        sentences += description_sentences(desc.group(1))
        sentences = sorted(set(sentences))
        random.Random(lang).shuffle(sentences)
        rows += [(s, lang) for s in sentences[:PUBLIC_PER_CLASS]]
        print(f"public langid {lang}: {min(len(sentences), PUBLIC_PER_CLASS)} of {len(sentences)}", file=sys.stderr)
    dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    english = []
    for stanza in dump.split("\n\n"):
        desc = re.search(r"^Description: (.*(?:\n .*)*)", stanza, re.M)
        if desc:
            english += description_sentences(desc.group(1))
    english = sorted(set(english))
    random.Random("en").shuffle(english)
    rows += [(s, "en") for s in english[:PUBLIC_PER_CLASS]]
    random.Random(7).shuffle(rows)
    with open(out_dir / "public-langid.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        w.writerows(rows)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "realdata")
    out.mkdir(parents=True, exist_ok=True)
    langid(out)
    topic(out)
    english_quotes(out)
    public_langid(out)
