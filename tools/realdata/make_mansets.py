#!/usr/bin/env python3
"""Builds four more real-text classification sets from Debian's manual pages (benchmarks only).

  manlang:    language of a man-page paragraph, 14 languages (> 10 classes; Latin, Cyrillic and
              CJK scripts): ru uk sr pl cs de fr es it nl sv tr ja zh_CN
  mansect-ru: section of a Russian man-page paragraph (non-Latin script): 2 3 4 5 7
  mansect-zh: section of a Chinese (zh_CN) man-page paragraph (CJK, no spaces between words): 1 3 5 7 8
  mansect-en: section of an English man-page paragraph, a SMALL set (at most 300 training
              texts per class): 2 3 4 5 7

A paragraph is the running text between two roff paragraph macros, escapes removed, cut to 300
characters. Train and validation are split BY PAGE (a page's paragraphs all go to one side), so
a model cannot score by recognising a page it has seen. The sets share no source with the
fortunes (langid), the package descriptions (topic), or the public text of the shipped encoders
(tools/pretrain): only the pages the manpages packages below install (dpkg -L), whatever else
is installed.

Needs (Debian 12):
  apt-get install manpages manpages-dev manpages-ru manpages-ru-dev manpages-uk manpages-sr manpages-pl manpages-cs \\
      manpages-de manpages-fr manpages-es manpages-it manpages-nl manpages-sv manpages-tr manpages-ja manpages-zh
Usage: tools/realdata/make_mansets.py OUT_DIR   (deterministic for the same package versions, which
       it writes to OUT_DIR/mansets-packages.txt)
"""
import csv, gzip, hashlib, random, re, subprocess, sys
from pathlib import Path

MAN = Path("/usr/share/man")
PACKAGES = ["manpages", "manpages-dev", "manpages-ru", "manpages-ru-dev", "manpages-uk", "manpages-sr", "manpages-pl", "manpages-cs",
            "manpages-de", "manpages-fr", "manpages-es", "manpages-it", "manpages-nl", "manpages-sv", "manpages-tr",
            "manpages-ja", "manpages-zh"]
LANGS = ["ru", "uk", "sr", "pl", "cs", "de", "fr", "es", "it", "nl", "sv", "tr", "ja", "zh_CN"]
# Untranslated English text left inside translated pages would be label noise.
ENGLISH = {"the", "and", "of", "to", "is", "this", "that", "with", "are", "which", "be", "from", "for", "an"}
NON_LATIN = {"ru": r"[\u0400-\u04FF]", "uk": r"[\u0400-\u04FF]", "sr": r"[\u0400-\u04FF]",
             "ja": r"[\u3040-\u30FF\u4E00-\u9FFF]", "zh_CN": r"[\u4E00-\u9FFF]"}
PARAGRAPH_MACROS = re.compile(r"^[.'](PP|P|LP|TP|IP|HP|SH|SS|Sh|Ss|Pp|It|Bl|El|nf|fi|RS|RE|TH|Dd|EX|EE|sp|br)\b")
FONT_MACROS = re.compile(r"^[.'](B|I|R|SM|SB|BI|BR|IB|IR|RB|RI|Nm|Ar|Fl|Cm|Pa|Xr|Em|Sy|Li|Dv|Ev|Fn|Fa|Ft|Va)\s+(.*)$")


def roff_text(line):
    """A roff text line without escapes (font changes, special characters, spacing)."""
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    line = re.sub(r"\\\*(\[[^]]*\]|\(..|.)", "", line)
    line = re.sub(r"\\\((..)", lambda m: {"em": "-", "en": "-", "bu": "*", "lq": '"', "rq": '"', "aq": "'"}.get(m.group(1), ""), line)
    line = re.sub(r"\\\[[^]]*\]", "", line)
    line = re.sub(r"\\s[+-]?\d", "", line)
    line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ").replace("\\~", " ")
    line = re.sub(r"\\[&|^c%:/,]", "", line)
    line = re.sub(r"\\.", "", line)
    return line.replace('"', "") if line.startswith('"') else line


def paragraphs(page):
    try:
        with gzip.open(page, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (UnicodeDecodeError, OSError, EOFError):
        return []
    out, current = [], []
    for line in lines:
        if line.startswith(('.\\"', "'\\\"", '.\\\\"')) or line.startswith(".so"):
            continue
        font = FONT_MACROS.match(line)
        if font:
            current.append(roff_text(font.group(2)).replace('"', ""))
        elif PARAGRAPH_MACROS.match(line) or not line.strip():
            if current:
                out.append(" ".join(current))
            current = []
        elif line.startswith((".", "'")):
            continue
        else:
            current.append(roff_text(line))
    if current:
        out.append(" ".join(current))
    result = []
    for p in out:
        p = re.sub(r"\s+", " ", p).strip()
        if len(p) >= 40:
            result.append(p[:300])
    return result


def in_language(text, lang):
    if lang in NON_LATIN:
        letters = [c for c in text if c.isalpha()]
        native = len(re.findall(NON_LATIN[lang], text))
        return letters and native / len(letters) >= 0.5
    words = re.findall(r"[a-z]+", text.lower())
    return sum(w in ENGLISH for w in words) < 2


OWNED = set()  # the pages the PACKAGES install, filled in main


def pages(root, section):
    directory = root / f"man{section}"
    return sorted(p for p in directory.glob("*.gz") if str(p) in OWNED) if directory.is_dir() else []


def split_by_page(by_page, per_class, label, valid_share=0.2):
    """Up to per_class paragraphs as (train, valid) rows, whole pages to one side (hash of the name)."""
    train, valid = [], []
    for page, texts in sorted(by_page.items()):
        side = valid if int(hashlib.sha256(page.encode()).hexdigest(), 16) % 1000 < valid_share * 1000 else train
        side += [(t, label) for t in texts]
    for rows, name in ((train, "train"), (valid, "valid")):
        rows.sort()
        random.Random(f"{label}-{name}").shuffle(rows)
    return train[: int(per_class * (1 - valid_share))], valid[: int(per_class * valid_share)]


def collect(root, sections, lang=None):
    by_page = {}
    for section in sections:
        for page in pages(root, section):
            texts = [p for p in paragraphs(page) if lang is None or in_language(p, lang)]
            if texts:
                by_page[f"{section}/{page.name}"] = sorted(set(texts))
    return by_page


def write(rows_train, rows_valid, out_dir, name):
    seen = set()
    for split, rows in (("train", rows_train), ("valid", rows_valid)):
        rows = [r for r in rows if r[0] not in seen and not seen.add(r[0])]
        random.Random(7).shuffle(rows)
        with open(out_dir / f"{name}-{split}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            w.writerows(rows)
        counts = {}
        for _, label in rows:
            counts[label] = counts.get(label, 0) + 1
        print(f"{name}-{split}: {len(rows)} {dict(sorted(counts.items()))}", file=sys.stderr)


def manlang(out_dir, per_class=350):
    train, valid = [], []
    for lang in LANGS:
        t, v = split_by_page(collect(MAN / lang, "12345678", lang), per_class, lang)
        train += t
        valid += v
    write(train, valid, out_dir, "manlang")


def mansect(out_dir, name, root, sections, per_class, lang=None):
    train, valid = [], []
    for section in sections:
        t, v = split_by_page(collect(root, section, lang), per_class, f"s{section}")
        train += t
        valid += v
    write(train, valid, out_dir, name)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "realdata")
    out.mkdir(parents=True, exist_ok=True)
    versions = subprocess.run(["dpkg-query", "-W", *PACKAGES], capture_output=True, text=True).stdout
    (out / "mansets-packages.txt").write_text(versions, encoding="utf-8")
    for package in PACKAGES:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout
        OWNED.update(listing.splitlines())
    manlang(out)
    mansect(out, "mansect-ru", MAN / "ru", "23457", 1000, "ru")
    mansect(out, "mansect-zh", MAN / "zh_CN", "13578", 1000, "zh_CN")
    mansect(out, "mansect-en", MAN, "23457", 375)
