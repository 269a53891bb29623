#!/usr/bin/env python3
"""The PUBLIC multilingual running text the shipped character language models are trained on:
Debian's documentation books (HTML paragraphs) and the translated program messages (gettext
catalogs) of every installed package, one text per line, balanced across languages.

Disjoint from every evaluation source by construction:
  - no fortunes (langid, the LM quotes), no package descriptions or their translations (topic,
    public-langid), no manual page at all (the manpages sets of tools/realdata/make_mansets.py);
  - documentation paragraphs only (<p> outside tables): Debian Reference and the other books
    list packages with their descriptions in tables, which are dropped;
  - a catalog of a package that is an evaluation source (fortunes*, manpages*) or whose domain
    names a page in those manpages packages (e.g. sed, whose --help text its translated man page
    may repeat) is left out; so is a line that equals a text of a set in --exclude-sets.
The packages used and their versions are written to OUT/lm-corpus-packages.txt.

Needs: apt-get install debian-reference-en debian-reference-de debian-reference-es debian-reference-fr \\
    debian-reference-it debian-reference-ja debian-reference-pt debian-reference-zh-cn debian-faq debian-faq-de \\
    debian-faq-fr debian-faq-it debian-faq-ja debian-faq-nl debian-faq-pt debian-faq-ru debian-faq-zh-cn \\
    developers-reference developers-reference-de developers-reference-fr developers-reference-it \\
    developers-reference-ja developers-reference-ru maint-guide maint-guide-de maint-guide-es maint-guide-fr \\
    maint-guide-it maint-guide-ja maint-guide-ru maint-guide-zh-cn debian-handbook debian-history harden-doc \\
    debmake-doc   (and the manpages packages of make_mansets.py, for the exclusion)
Usage: tools/pretrain/make_lm_corpus.py OUT_DIR [--exclude-sets DIR]   (deterministic for the same
       package versions): OUT_DIR/public-lm-train.txt, public-lm-valid.txt
"""
import argparse, collections, csv, gettext, html, random, re, subprocess, sys, unicodedata
from pathlib import Path

from public_sources import evaluation_page_names, listing, locale_language

DOC_PACKAGES = ["debian-reference-en", "debian-reference-de", "debian-reference-es", "debian-reference-fr",
                "debian-reference-it", "debian-reference-ja", "debian-reference-pt", "debian-reference-zh-cn",
                "debian-faq", "debian-faq-de", "debian-faq-fr", "debian-faq-it", "debian-faq-ja", "debian-faq-nl",
                "debian-faq-pt", "debian-faq-ru", "debian-faq-zh-cn", "developers-reference", "developers-reference-de",
                "developers-reference-fr", "developers-reference-it", "developers-reference-ja",
                "developers-reference-ru", "maint-guide", "maint-guide-de", "maint-guide-es", "maint-guide-fr",
                "maint-guide-it", "maint-guide-ja", "maint-guide-ru", "maint-guide-zh-cn", "debian-handbook",
                "debian-history", "harden-doc", "debmake-doc"]
EVAL_PACKAGE = re.compile(r"^(fortunes.*|manpages.*)$")
# A language's share is capped, so English (every catalog's source strings, most books) does not
# crowd out the rest; the valid split is every 100th line.
CHARS_PER_LANGUAGE = 1_500_000
LANGUAGE = re.compile(r"(?:^|[/._-])([a-z]{2,3})(?:[_-]([A-Za-z]{2,4}))?(?=[/._-]|$)")
KNOWN = set("ar bg ca cs da de el en eo es et eu fa fi fr gl he hi hr hu id it ja ko lt lv mk nb nl nn pl pt ro ru "
            "sk sl sq sr sv th tr uk vi zh be bs ga is ka kk ms".split())


def clean(text):
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()
    return text if 20 <= len(text) else None


def pieces(text, limit=300):
    """Texts of at most `limit` characters: sentences joined until the limit."""
    out, current = [], ""
    for sentence in re.split(r"(?<=[.!?。！？])\s*", text):
        if current and len(current) + len(sentence) + 1 > limit:
            out.append(current)
            current = ""
        current = (current + " " + sentence).strip() if current else sentence[:limit]
    if current:
        out.append(current)
    return [p for p in (clean(p) for p in out) if p]


def language_of(path):
    for m in LANGUAGE.finditer(path.split("/share/", 1)[-1]):
        if m.group(1) in KNOWN:
            return m.group(1)
    return "en"


def html_paragraphs(path):
    try:
        raw = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    raw = re.sub(r"(?is)<(table|pre|script|style|code)\b.*?</\1>", " ", raw)
    out = []
    for m in re.finditer(r"(?is)<p\b[^>]*>(.*?)</p>", raw):
        text = html.unescape(re.sub(r"(?s)<[^>]+>", "", m.group(1)))
        out += pieces(text)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--exclude-sets", help="a folder of CSV sets (text column) whose texts must not appear")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    excluded_pages = evaluation_page_names()
    texts = collections.defaultdict(list)
    for package in DOC_PACKAGES:
        for path in sorted(listing(package)):
            if path.endswith(".html"):
                lang = language_of(path)
                texts[lang] += html_paragraphs(path)
    owners = subprocess.run("dpkg -S '/usr/share/locale/*/LC_MESSAGES/*.mo'", shell=True, capture_output=True,
                            text=True).stdout
    catalog_packages, left_out = set(), set()
    for line in sorted(owners.splitlines()):
        packages, path = line.split(": ", 1)
        package = packages.split(",")[0].split(":")[0].strip()
        domain = Path(path).stem
        if EVAL_PACKAGE.match(package) or domain in excluded_pages:
            left_out.add(f"{package}:{domain}")
            continue
        locale = path.split("/locale/")[1].split("/")[0]
        lang = locale_language(locale)
        try:
            with open(path, "rb") as f:
                catalog = gettext.GNUTranslations(f)._catalog
        except (OSError, ValueError, IndexError, UnicodeDecodeError, KeyError):
            continue
        catalog_packages.add(package)
        for msgid, msgstr in catalog.items():
            if isinstance(msgid, str) and msgid and isinstance(msgstr, str) and msgstr != msgid:
                texts[lang] += pieces(msgstr.replace("&", "").replace("_", ""))
                texts["en"] += pieces(msgid.replace("&", "").replace("_", ""))
    forbidden = set()
    if args.exclude_sets:
        for f in Path(args.exclude_sets).glob("*.csv"):
            with open(f, encoding="utf-8") as handle:
                forbidden |= {clean(r["text"]) for r in csv.DictReader(handle) if r.get("text")}
    lines, dropped = [], 0
    for lang in sorted(texts):
        chosen = sorted(set(texts[lang]))
        random.Random(lang).shuffle(chosen)
        total = 0
        for t in chosen:
            if t in forbidden:
                dropped += 1
                continue
            if total >= CHARS_PER_LANGUAGE:
                break
            lines.append(t)
            total += len(t)
        print(f"{lang}: {total} characters of {sum(map(len, chosen))}", file=sys.stderr)
    random.Random(7).shuffle(lines)
    valid = lines[::100]
    train = [t for i, t in enumerate(lines) if i % 100]
    (out / "public-lm-train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (out / "public-lm-valid.txt").write_text("\n".join(valid) + "\n", encoding="utf-8")
    used = sorted(set(DOC_PACKAGES) | catalog_packages)
    versions = subprocess.run(["dpkg-query", "-W", *used], capture_output=True, text=True).stdout
    (out / "lm-corpus-packages.txt").write_text(
        versions + f"\nleft out (evaluation sources or named like an evaluation man page): {' '.join(sorted(left_out))}\n"
        + f"lines equal to an excluded set's text: {dropped}\n", encoding="utf-8")
    print(f"{len(train)} train and {len(valid)} valid lines, {len(used)} packages", file=sys.stderr)


if __name__ == "__main__":
    main()
