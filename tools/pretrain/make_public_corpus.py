#!/usr/bin/env python3
"""The PUBLIC multilingual text the shipped encoders are trained on: translated program messages
(gettext catalogs, /usr/share/locale/LANG/LC_MESSAGES/*.mo) of the Debian packages below,
labelled by language. English is the catalogs' source strings (msgid).

Disjoint from every evaluation source by construction: no fortunes (langid), no package
descriptions or their translations (topic, public-langid), no manual page (the manpages sets of
tools/realdata/make_mansets.py); and a catalog whose domain is also the name of a page in those
manpages packages (e.g. grep, whose --help text the translated grep(1) page may repeat) is left
out. The package list and versions are written to OUT/public-corpus-packages.txt.

Needs: apt-get install libc-l10n libglib2.0-data libgtk2.0-common gnupg-l10n git apt dpkg \\
           libgnutls30 libgstreamer1.0-0 systemd packagekit appstream binutils-common iso-codes \\
           wget xz-utils sed tar (and the manpages packages of make_mansets.py, for the exclusion)
Usage: tools/pretrain/make_public_corpus.py OUT_DIR [--languages de,es,...]
       (deterministic for the same package versions). --languages keeps English and the languages
       named, e.g. the 24 besides English of the corpus the shipped tokenizer was trained on
       (de,es,fr,it,pt,ru,uk,sr,pl,cs,nl,sv,tr,ja,zh,el,fi,hu,vi,ro,da,nb,ko,eo). Not that very
       corpus: it took pt_BR but not pt_PT, zh_CN and zh_TW but not zh_HK, sr but not sr@latin,
       and older package versions.
"""
import argparse, csv, gettext, random, re, subprocess, sys
from collections import defaultdict
from pathlib import Path

from public_sources import evaluation_page_names, listing, locale_language

PACKAGES = ["libc-l10n", "libglib2.0-data", "libgtk2.0-common", "gnupg-l10n", "git", "apt", "libapt-pkg6.0", "dpkg",
            "libgnutls30", "libgstreamer1.0-0", "systemd", "packagekit", "appstream", "binutils-common", "iso-codes",
            "wget", "xz-utils", "sed", "tar"]
# Every language with at least MIN_PER_LANGUAGE distinct translated messages is a label; a locale's
# region and variant fold into its language (pt_BR -> pt, zh_TW -> zh, sr@latin -> sr). English
# variants (en_GB, en@quot ...) are left out: English is the source strings.
MIN_PER_LANGUAGE = 800
PER_LANGUAGE = 1200


def language_of(locale):
    """The label of a locale directory, or None for an English variant."""
    language = locale_language(locale)
    return None if language == "en" else language


def keep(label, found, languages):
    """English always; another language when named in --languages, or by default when it has enough text."""
    if label == "en":
        return True
    return label in languages if languages is not None else len(found) >= MIN_PER_LANGUAGE


def clean(text):
    text = re.sub(r"\s+", " ", text.replace("&", "").replace("_", "")).strip()
    return text[:300] if len(text) >= 20 else None


def main(out, languages=None):
    out.mkdir(parents=True, exist_ok=True)
    excluded = evaluation_page_names()
    every_catalog = sorted(p for package in PACKAGES for p in listing(package)
                           if p.endswith(".mo") and "/LC_MESSAGES/" in p)
    catalogs = [p for p in every_catalog if Path(p).stem not in excluded]
    texts = defaultdict(set)
    for path in catalogs:
        label = language_of(path.split("/locale/")[1].split("/")[0])
        try:
            with open(path, "rb") as f:
                catalog = gettext.GNUTranslations(f)._catalog
        except (OSError, ValueError, IndexError, UnicodeDecodeError):  # a catalog Python cannot parse
            continue
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid:
                continue
            if label and isinstance(msgstr, str) and msgstr != msgid and clean(msgstr):
                texts[label].add(clean(msgstr))
            if clean(msgid):
                texts["en"].add(clean(msgid))
    rows = []
    for label, found in sorted(texts.items()):
        if not keep(label, found, languages):
            continue
        chosen = sorted(found)
        random.Random(label).shuffle(chosen)
        rows += [(t, label) for t in chosen[:PER_LANGUAGE]]
        print(f"{label}: {min(len(found), PER_LANGUAGE)} of {len(found)}", file=sys.stderr)
    random.Random(7).shuffle(rows)
    with open(out / "public-multilingual.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        w.writerows(rows)
    versions = subprocess.run(["dpkg-query", "-W", *PACKAGES], capture_output=True, text=True).stdout
    (out / "public-corpus-packages.txt").write_text(
        versions + "\nexcluded catalog domains (names of evaluation man pages): "
        + " ".join(sorted({Path(p).stem for p in every_catalog} & excluded)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The public multilingual corpus of the shipped encoders.")
    parser.add_argument("out", nargs="?", default="public", type=Path)
    parser.add_argument("--languages", help="comma-separated labels to keep besides English (default: every"
                        f" language with at least {MIN_PER_LANGUAGE} messages)")
    args = parser.parse_args()
    main(args.out, set(args.languages.split(",")) if args.languages else None)
