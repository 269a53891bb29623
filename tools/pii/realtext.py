"""Real sentences from public Debian text, in two disjoint uses.

  training (person scorer, tools/pii/make_person_training.py): manual pages (sections 1, 2, 3, 5, 7
             and 8; English, German, Spanish and French) and the German message catalogs of the
             installed programs (/usr/share/locale/de/LC_MESSAGES/*.mo)
  evaluation (tools/pii/make_eval_set.py):
    prose:     The Debian Administrator's Handbook (debian-handbook, en-US), the Debian FAQ and
               social contract (doc-debian), WordNet's usage examples (wordnet-base)
    prose in German, Spanish and French: the Handbook's de-DE, es-ES and fr-FR editions
    technical: English package descriptions (the archive's Translation-en index)
    technical-versions: those of the descriptions' sentences that hold a version number
    technical in German: German package descriptions (the archive's Translation-de index)

The fortunes are not used (other benchmarks use them). The German package descriptions are also the
target side of the English-German parallel corpus (tools/parallel): they are evaluation text here,
never training text; the other translations are not used.
Sentences holding something a detector may rightly redact (an @, a web address, a date, a long
number) or naming a real person (REAL_NAMES, found by reading the pools) are left out of the pools,
so a redaction inside a pool sentence is a wrong one.
"""
import gzip, html, re, struct
from pathlib import Path

from piidata import BAD, BAD_EXCEPT_VERSIONS, clean, man_pages, package_descriptions, sentences

HANDBOOK = Path("/usr/share/doc/debian-handbook/html/en-US")
DEBIAN_DOC = Path("/usr/share/doc/debian")
WORDNET = Path("/usr/share/wordnet")

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
         r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
TEXT_DATE = re.compile(rf"\b{MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH} \d{{4}}\b")

# Real people named in the pools' sentences (found by reading them, and by reading what the person
# detector flagged); sentences naming them are not "text that must survive".
REAL_NAMES = {
    "Murdock", "Hertzog", "Raphaël", "Roland Mas", "Torvalds", "Stallman", "Bruce Perens", "Perens",
    "Knuth", "Larry Wall", "Guido", "Rossum", "Kernighan", "Ritchie", "Thompson", "Tanenbaum", "Jobs",
    "Gates", "Einstein", "Shakespeare", "Lincoln", "Napoleon", "Darwin", "Newton", "Freud", "Churchill",
    "Jesus", "Christ", "Mozart", "Beethoven", "Bach", "Dickens", "Aristotle", "Plato", "Socrates",
}
REAL_NAME = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(REAL_NAMES)) + r")\b")


def keep(sentence):
    return not TEXT_DATE.search(sentence) and not REAL_NAME.search(sentence)


def handbook_paragraphs(edition="en-US"):
    for path in sorted((HANDBOOK.parent / edition).glob("*.html")):
        page = path.read_text(encoding="utf-8", errors="replace")
        # sidebars (culture notes, credits) name people; keep the running text only
        page = re.sub(r'<div class="sidebar".*?</div>\s*</div>', " ", page, flags=re.S)
        for para in re.findall(r'<div class="para">(.*?)</div>', page, re.S):
            yield html.unescape(re.sub(r"<[^>]+>", "", para))


def debian_doc_paragraphs():
    for path in sorted(DEBIAN_DOC.glob("FAQ/*.en.html")):
        page = path.read_text(encoding="utf-8", errors="replace")
        for para in re.findall(r"<p>(.*?)</p>", page, re.S):
            yield html.unescape(re.sub(r"<[^>]+>", "", para))
    for name in ("social-contract.txt.gz",):
        text = gzip.open(DEBIAN_DOC / name, "rt", encoding="utf-8").read()
        yield from re.split(r"\n\s*\n", text)


def wordnet_examples():
    for part in ("noun", "verb", "adj", "adv"):
        for line in (WORDNET / f"data.{part}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" ") or "|" not in line:
                continue
            for example in re.findall(r'"([^"]+)"', line.split("|", 1)[1]):
                text = example.strip()
                if text and text[0].isalpha():
                    yield text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def pool(paragraphs, min_words=5, bad=BAD):
    seen = set()
    for para in paragraphs:
        for s in sentences(para, min_words=min_words, bad=bad):
            if s not in seen and keep(s):
                seen.add(s)
                yield s


def prose_pool():
    return {
        "handbook": sorted(set(pool(handbook_paragraphs()))),
        "debian-doc": sorted(set(pool(debian_doc_paragraphs()))),
        "wordnet": sorted(set(pool(wordnet_examples(), min_words=6))),
    }


def other_languages_pool():
    return {f"handbook-{edition}": sorted(set(pool(handbook_paragraphs(edition))))
            for edition in ("de-DE", "es-ES", "fr-FR")}


def technical_pool(apt_lists):
    return {"package-descriptions": sorted(set(pool(package_descriptions(apt_lists))))}


def german_technical_pool(apt_lists):
    """German package descriptions (Translation-de): technical text in a language that capitalises
    every noun ("Echtzeit-Strategiespiel", "Bibliotheksdateien"). Evaluation only."""
    return {"package-descriptions-de": sorted(set(pool(package_descriptions(apt_lists, "de"))))}


VERSION = re.compile(r"\b\d+(?:\.\d+)+(?:[-+~][\w.+~]*)?\b")


def version_pool(apt_lists):
    """Package-description sentences with a version number ("2.6.32", "4.18.1-1"): text that must
    survive although it is full of dotted numbers (sentences that hold what could be a full date
    are left out, as in the other pools)."""
    return {"package-descriptions": sorted(s for s in set(pool(package_descriptions(apt_lists), bad=BAD_EXCEPT_VERSIONS))
                                           if VERSION.search(s))}


def training_pool(languages=("", "de", "es", "fr")):
    """Manual-page sentences of the given languages ("" English)."""
    return sorted(set(pool(man_pages(languages=languages))))


LOCALE_DIR = Path("/usr/share/locale")
CATALOG_SKIP = {"", "translator-credits"}


def message_catalog(path):
    """The translated messages of one compiled gettext catalog (.mo), header and translator credits
    left out (standard library only: the .mo format is a table of offsets, GNU gettext manual 10.3)."""
    data = path.read_bytes()
    if len(data) < 20:
        return
    order = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}.get(data[:4])
    if order is None:
        return
    count, originals, translations = struct.unpack(order + "III", data[8:20])
    for i in range(count):
        length, offset = struct.unpack(order + "II", data[originals + 8 * i:originals + 8 * i + 8])
        msgid = data[offset:offset + length].split(b"\0")[0].decode("utf-8", "replace")
        if msgid in CATALOG_SKIP:
            continue
        length, offset = struct.unpack(order + "II", data[translations + 8 * i:translations + 8 * i + 8])
        for text in data[offset:offset + length].split(b"\0"):  # plural forms are NUL-separated
            yield text.decode("utf-8", "replace")


def catalog_paragraphs(language):
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.mo")):
        for message in message_catalog(path):
            yield message.replace("\\n", " ").replace("_", "").replace("&", "")


def german_catalog_pool():
    """Sentences of the installed German message catalogs (/usr/share/locale/de/LC_MESSAGES/*.mo:
    program messages, menus, dialogs). Training only: German text that names almost nobody."""
    return sorted(set(pool(catalog_paragraphs("de"), min_words=4)))


__all__ = ["german_catalog_pool", "prose_pool", "technical_pool", "german_technical_pool", "version_pool", "training_pool", "clean", "BAD"]
