#!/usr/bin/env python3
"""Builds PUBLIC English -> German pairs from Debian's program-message translations (gettext
catalogs: the English msgid and its German msgstr), for pretraining the shipped encoder-decoder
`en-de-char` (tools/pretrain/train_seq2seq.sh) that private runs start from by default (public data
costs no privacy).

Disjoint from the parallel corpus of make_parallel_corpus.py by source (program messages, not
package descriptions) and by content: every pair whose English side, lower-cased, is the English
side of a pair in the --exclude corpus (train, valid and test) is dropped.

The packages are downloaded, not installed (`apt-get download`, then `dpkg-deb -x` into
OUT/debs), so the pairs depend only on the package versions, written to OUT/packages.txt.
Message contexts are dropped, accelerators (_ and &) removed; kept are one-line messages of
3..MAX_CHARS characters on both sides with a German/English length ratio in 0.5..2.5, without
format directives (%, {, <), distinct from their translation; one translation per English
message (the first met, catalogs read in order of their extracted paths).

Usage: tools/parallel/make_gettext_pairs.py OUT_DIR --exclude CORPUS_DIR [--max-chars 80] [--valid 500]
Output: OUT/train.jsonl and OUT/valid.jsonl with {"source", "target"} (split by a hash of the
English side), OUT/packages.txt.
"""
import argparse, gettext, hashlib, json, re, subprocess, sys
from pathlib import Path

# packages whose German catalogs are read: base tools, GNOME/GTK and LibreOffice user interfaces
PACKAGES = ["adduser", "appstream", "apt", "at-spi2-common", "bash", "binutils-common", "coreutils", "diffutils",
            "dpkg", "findutils", "gettext", "gettext-base", "git", "gnupg-l10n", "grep", "gsettings-desktop-schemas",
            "iso-codes", "krb5-locales", "libapt-pkg6.0", "libavahi-common-data", "libc-l10n", "libdpkg-perl",
            "libelf1", "libgdk-pixbuf2.0-common", "libglib2.0-data", "libgnutls30", "libgstreamer1.0-0",
            "libgtk2.0-common", "libidn2-0", "libpam-runtime", "libpq5", "login", "make", "man-db", "packagekit",
            "polkitd", "postgresql-15", "postgresql-client-15", "procps", "psmisc", "python-apt-common", "sed",
            "shared-mime-info", "software-properties-common", "systemd", "tar", "wget", "xdg-user-dirs", "xkb-data",
            "xz-utils", "libgtk-3-common", "gnome-control-center-data", "nautilus-data", "evolution-data-server-common",
            "gedit-common", "libgimp2.0", "gimp-data", "libreoffice-l10n-de"]
DIRECTIVE = re.compile(r"[%{<]")


def download(debs):
    debs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "-q", *PACKAGES], cwd=debs, check=True, stdout=subprocess.DEVNULL)
    tree = debs / "x"
    versions = []
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
        versions.append(deb.name)
    return tree, versions


def catalogs(tree):
    """German .mo files, sorted by path (which package a file came from is not kept after extraction)."""
    return sorted(p for p in tree.rglob("*.mo") if p.parent.name == "LC_MESSAGES" and p.parent.parent.name == "de")


def messages(mo):
    try:
        with open(mo, "rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog
    except (OSError, UnicodeDecodeError) as e:  # a catalog in another charset, say
        print(f"skipped {mo.name}: {e}", file=sys.stderr)
        return
    for key, value in catalog.items():
        if isinstance(key, str) and key:  # plural forms are (msgid, n) tuples: left out
            yield key.split("\x04")[-1], value


def clean(text):
    return text.replace("_", "").replace("&", "").strip()


def usable(en, de, max_chars):
    if not en or not de or en == de or "\n" in en or "\n" in de or DIRECTIVE.search(en):
        return False
    if not (3 <= len(en) <= max_chars and 3 <= len(de) <= max_chars):
        return False
    return 0.5 <= len(de) / len(en) <= 2.5 and re.search("[A-Za-z]{3}", en) is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--exclude", type=Path, required=True, help="a corpus dir whose English sentences to drop")
    parser.add_argument("--max-chars", type=int, default=80)
    parser.add_argument("--valid", type=int, default=500, help="validation pairs (default 500)")
    args = parser.parse_args()
    excluded = set()
    for split in ("train", "valid", "test"):
        with open(args.exclude / f"{split}.jsonl", encoding="utf-8") as f:
            excluded.update(json.loads(line)["source"].strip().lower() for line in f)
    tree, versions = download(args.out / "debs")
    pairs = {}
    for mo in catalogs(tree):
        for msgid, msgstr in messages(mo):
            en, de = clean(msgid), clean(msgstr)
            if usable(en, de, args.max_chars) and en.lower() not in excluded:
                pairs.setdefault(en, de)
    ordered = sorted(pairs.items(), key=lambda kv: hashlib.sha256(kv[0].encode("utf-8")).hexdigest())
    splits = {"valid": ordered[: args.valid], "train": ordered[args.valid:]}
    for name, kept in splits.items():
        with open(args.out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for en, de in kept:
                f.write(json.dumps({"source": en, "target": de}, ensure_ascii=False) + "\n")
        print(f"{name}: {len(kept)} pairs", file=sys.stderr)
    (args.out / "packages.txt").write_text("\n".join(versions) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
