#!/usr/bin/env python3
"""Builds the person scorer's training data and word lists (deterministic: fixed seeds).

Writes into OUT_DIR:
  person-train.jsonl  {"text", "spans": [[start, end], ...]}: person names in
                        - synthetic sentences from the TRAINING templates below (none is an
                          evaluation template, see make_eval_set.py),
                        - real manual-page sentences with a name put in at a random word boundary,
                        - place names in place contexts (datafaker's countries and cities, unlabelled),
                          from templates and put into real sentences after a preposition,
                        - real manual-page sentences as they are (no names: what must survive);
                        - German message-catalog sentences (the installed programs' .mo files), as
                          they are and with a name put in (German capitalises every noun);
                        - a greeting followed by an ordinary capitalised word ("Hi there, Good news:
                          ..."), unlabelled;
  first-names.txt, last-names.txt: datafaker's first names and surnames of en, de, es, fr (the lists
                    shipped with the model); names of other locales (piidata.TRAINING_ONLY_LOCALES) appear
                    in the records only, never a token of the evaluation's unseen locales;
  common-words.txt: lower-case English words (SCOWL, Debian's wamerican) and German, Spanish and
                    French function words (piidata.FUNCTION_WORDS);
  proper-nouns.txt: SCOWL's capitalised words (places, peoples, brands, some given names);
  german-nouns.txt, german-words.txt: Debian's wngerman, capitalised entries (nouns, and the names and
                    places it holds) and lower-case entries.
Manual pages (sections 1, 2, 3, 5, 7 and 8, author and copyright sections skipped) and German message
catalogs are the only real text here; the evaluation uses other text (handbook, FAQ, WordNet examples,
package descriptions in English and German). Never add those, their translations or the fortunes.

Needs: apt-get install wamerican wngerman manpages-de (and man pages and message catalogs: whatever is
installed)
Usage: tools/pii/make_person_training.py OUT_DIR
"""
import json, random, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import piidata  # noqa: E402
import realtext  # noqa: E402

TEMPLATE_SENTENCES = 60000
PLACE_SENTENCES = 20000
INSERTED_SENTENCES = 80000
PLAIN_SENTENCES = 100000
CATALOG_INSERTED = 4000  # German message-catalog sentences with a name put in; the rest as they are
CATALOG_PLAIN = 20000
GREETING_SENTENCES = 6000
PLACE_INSERTED = 10000  # real sentences with "in Lisbon" or "nach Texas" put in, unlabelled
GERMAN_MAN_SENTENCES = 15000

# Training templates; {N} a full name, {F} a first name, {L} a surname, {T} a title.
TRAINING_TEMPLATES = [
    "{N} called about the invoice.", "I am writing on behalf of {N}.", "Please ask {N} to confirm.",
    "The request came from {N} in sales.", "{N} will review the patch tomorrow.", "Thanks, {F}",
    "Best regards, {N}", "Kind regards, {N}", "Regards, {F}", "Hi {F},", "Hello {F}, thanks for the update.",
    "Dear {T} {L},", "{T} {L} has approved the refund.", "Talk to {T} {L} about the schedule.",
    "Assigned to {N}.", "Reporter: {N}", "Owner: {N}", "From: {N}", "Reviewed-by: {N}",
    "{N} and {N2} are on the call.", "Meeting with {N} at noon.", "Forward this to {F} please.",
    "{F} says the build is broken again.", "Can {F} take a look?", "{F} and I tested it.",
    "The customer, {N}, is waiting.", "Name: {N}", "Patient name: {N}", "Attending physician: {T} {L}",
    "{N} was admitted on Monday.", "Signed by {N}", "Approved by {T} {L}.", "Cheers, {F}",
    "Grüße, {N}", "Mit freundlichen Grüßen, {N}", "Hallo {F}, danke!", "Sehr geehrter {T} {L},",
    "Hola {F}, gracias.", "Atentamente, {N}", "Estimado {T} {L}:", "Bonjour {F}, merci.",
    "Bien à vous, {N}", "Madame {L} a appelé.", "I met {N} yesterday.", "{N} wrote the first version.",
    "{N}'s account is locked.", "The ticket of {N} is closed.", "Ping {F} when it is done.",
    "{L} said it works for him.", "According to {T} {L}, it is fine.", "Spoke with {F} from support.",
    "{N} hat den Fehler gemeldet.", "Bitte leiten Sie das an {N} weiter.", "Rückmeldung von {T} {L}:",
    "Vielen Dank, {F}!", "Liebe {F}, anbei die Dateien.", "Gruß {F}", "Beste Grüße, {N}", "Zuständig: {N}",
    "{F} meint, das Update funktioniert.", "Erstellt von {N}.", "Termin mit {T} {L} am Montag.",
    "Die Rechnung von {N} ist angekommen.", "Frag doch {F}, der kennt das Paket.",
]
# A greeting and then an ordinary capitalised word, not a name ("Hi there, Good news: ..."): the
# greeting's comma is no sign of a name when the greeting already addresses someone.
GREETINGS = ["Hi there,", "Hello there,", "Hi all,", "Hello all,", "Hi everyone,", "Hello everyone,", "Hi team,",
             "Hi folks,", "Hey there,", "Good morning,", "Hello again,", "Hi again,", "Hallo zusammen,",
             "Hallo allerseits,", "Guten Tag,", "Hola a todos,", "Bonjour à tous,"]
OPENERS = ["Good news:", "Good news!", "Great question.", "Quick update:", "Short answer:", "Bad news:",
           "Happy to help.", "Sorry for the delay.", "Thanks for waiting.", "Great news:", "Unfortunately,",
           "Glad you asked.", "Gute Nachrichten:", "Kurzes Update:", "Leider", "Buenas noticias:", "Bonne nouvelle :"]
# Place names in place contexts and months and days in time contexts, not labelled: the commonest
# confusions of a name tagger ("in Paris", "last April").
PLACE_TEMPLATES = [
    "The office in {P} is closed today.", "I moved from {P} to {P2} last year.", "Shipping to {P} takes a week.",
    "{P} is where the servers are.", "Our team in {P} handles it.", "The {P} branch called.", "We flew via {P}.",
    "{N} from {P} called about the invoice.", "Prices in {P} differ.", "It was delivered in {P}, not {P2}.",
    "Die Filiale in {P} ist geschlossen.", "La oficina de {P} está cerrada.", "Le bureau de {P} est fermé.",
    "It broke last {M}.", "Since {M} the sync fails.", "See you on {D}.", "In {M} we renewed the plan.",
    "The {M} invoice is wrong.", "{D} mornings are busy.", "{M} and {M2} were slow months.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Januar", "Februar", "März", "Mai", "Juni", "Juli", "Oktober", "Dezember", "enero",
          "marzo", "abril", "mayo", "junio", "julio", "agosto", "janvier", "février", "mars", "avril", "juin", "juillet"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Montag", "Freitag", "lunes",
        "viernes", "lundi", "vendredi"]
TITLES = ["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof.", "Herr", "Frau", "Sr.", "Sra.",
          "Señor", "Señora", "Monsieur", "Madame", "M.", "Mme"]
PARTICLES = ["van", "de", "von", "van der", "da", "del", "de la", "di"]


class MadeUpNames:
    """Names no list holds, from a character trigram model of the listed ones: the scorer must learn
    what the context and the word's shape say, not only the lists (names outside the lists are the
    common case in real data)."""

    def __init__(self, names, excluded, rng):
        self.next = {}
        for name in names:
            padded = "^^" + name.lower() + "$"
            for i in range(len(padded) - 2):
                self.next.setdefault(padded[i:i + 2], []).append(padded[i + 2])
        self.excluded = excluded
        self.rng = rng

    def make(self):
        while True:
            state, out = "^^", ""
            while len(out) < 12:
                c = self.rng.choice(self.next[state])
                if c == "$":
                    break
                out += c
                state = state[1] + c
            if 3 <= len(out) <= 11 and out not in self.excluded and out.isalpha():
                return out[0].upper() + out[1:]


class NameSource:
    MADE_UP = 0.15  # a made-up name
    OTHER_LOCALE = 0.25  # a name of a TRAINING_ONLY_LOCALES list (may be an English word: "Rune", "Bay")

    def __init__(self, rng):
        self.first_listed = sorted({n for loc in piidata.KNOWN_LOCALES for n in piidata.first_names(loc) if " " not in n})
        self.last_listed = sorted({n for loc in piidata.KNOWN_LOCALES for n in piidata.last_names(loc) if " " not in n})
        listed = {n.lower() for n in self.first_listed + self.last_listed}
        excluded = listed | set(piidata.common_words())
        self.made_first = MadeUpNames(self.first_listed, excluded, rng)
        self.made_last = MadeUpNames(self.last_listed, excluded, rng)
        held_out = unseen_tokens()
        self.first_other = other_locale_names(piidata.first_names, listed, held_out)
        self.last_other = other_locale_names(piidata.last_names, listed, held_out)
        self.rng = rng
        self.first = _Chooser(self.first_listed, self.made_first, self.first_other, rng)
        self.last = _Chooser(self.last_listed, self.made_last, self.last_other, rng)

    def full(self, rng):
        first, last = rng.choice(self.first), rng.choice(self.last)
        r = rng.random()
        if r < 0.6:
            return f"{first} {last}"
        if r < 0.68:
            return f"{first} {rng.choice(self.first)} {last}"
        if r < 0.76:
            return f"{first[0]}. {last}"
        if r < 0.84:
            return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if r < 0.9:
            return f"{first} {last}-{rng.choice(self.last)}"
        if r < 0.96:
            return f"{first} {rng.choice(PARTICLES)} {last}"
        return f"{last}, {first}"


def unseen_tokens():
    """Every lower-cased token of the evaluation's unseen locales' names: never a training name."""
    return {token.lower() for loc in piidata.UNSEEN_LOCALES for n in piidata.first_names(loc) + piidata.last_names(loc)
            for token in n.split()}


def other_locale_names(names_of, listed, held_out):
    """Single-word names of TRAINING_ONLY_LOCALES that no shipped list holds and no unseen locale has."""
    found = set()
    for locale in piidata.TRAINING_ONLY_LOCALES:
        found.update(n for n in names_of(locale) if " " not in n and n.lower() not in listed | held_out)
    return sorted(found)


class _Chooser:
    """rng.choice(chooser) gives a listed name, a made-up one, or one of another locale (NameSource's shares)."""

    def __init__(self, listed, maker, other, rng):
        self.listed, self.maker, self.other, self.rng = listed, maker, other, rng

    def __len__(self):
        return len(self.listed)

    def __getitem__(self, i):
        r = self.rng.random()
        if r < NameSource.MADE_UP:
            return self.maker.make()
        if r < NameSource.MADE_UP + NameSource.OTHER_LOCALE:
            return self.rng.choice(self.other)
        return self.listed[i]

    def __add__(self, other):
        return _Chooser(self.listed + other.listed, self.maker, self.other + other.other, self.rng)


def places():
    """Countries, capitals, US states and cities from datafaker (en, de, es, fr), one or two words."""
    found = set()
    for locale, section_name, keys in (("en", "address", ("country", "state")), ("en", "country", ("capital",)),
                                       ("en", "nation", ("capital_city",)), ("de", "address", ("country",)),
                                       ("es", "address", ("city_prefix", "country")),
                                       ("fr", "address", ("city_name", "country"))):
        section = piidata.locale_section(locale, section_name)
        for key in keys:
            value = section.get(key, [])
            if isinstance(value, list):
                found.update(p for p in value if "#" not in p and len(p.split()) <= 2 and p[:1].isupper())
    return sorted(found)


def render(template, names, rng, place_names=()):
    """(text, spans): the template with names put in; titles, places and dates stay outside the spans."""
    values = {"N": lambda: names.full(rng), "N2": lambda: names.full(rng), "F": lambda: rng.choice(names.first),
              "L": lambda: rng.choice(names.last), "T": lambda: rng.choice(TITLES),
              "P": lambda: rng.choice(place_names), "P2": lambda: rng.choice(place_names),
              "M": lambda: rng.choice(MONTHS), "M2": lambda: rng.choice(MONTHS), "D": lambda: rng.choice(DAYS)}
    labelled = ("N", "N2", "F", "L")
    text, spans = piidata.fill(template, lambda slot: [(values[slot](), "PERSON" if slot in labelled else None)])
    return text, [[start, end] for start, end, _ in spans]


def inserted(sentence, names, rng):
    """A real sentence with a name put in at a random word boundary (context the templates lack)."""
    words = sentence.split(" ")
    at = rng.randrange(len(words) + 1)
    name = names.full(rng) if rng.random() < 0.7 else rng.choice(names.first + names.last)
    before = " ".join(words[:at])
    prefix = before + " " if before else ""
    text = prefix + name + ("" if at == len(words) else " " + " ".join(words[at:]))
    return text, [[len(prefix), len(prefix) + len(name)]]


def manual_pages(cache, languages):
    """Manual-page sentences, cached: parsing every page takes minutes (delete the cache after
    installing other pages)."""
    if cache.exists():
        return cache.read_text(encoding="utf-8").splitlines()
    found = realtext.training_pool(languages)
    cache.write_text("\n".join(found) + "\n", encoding="utf-8")
    return found


PLACE_PREPOSITIONS = ["in", "in", "in", "near", "nach", "en"]  # not "to", "from", "at": names follow them too


def place_inserted(sentence, place_names, rng):
    """A real sentence with a place after "in" (or "near", "nach", "en") put in at a random word boundary, unlabelled:
    the place contexts of running text, which the place templates alone do not cover."""
    words = sentence.split(" ")
    at = rng.randrange(1, len(words) + 1)
    phrase = f"{rng.choice(PLACE_PREPOSITIONS)} {rng.choice(place_names)}"
    return " ".join(words[:at] + [phrase] + words[at:])


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20250616)
    names = NameSource(random.Random(7))
    (out / "first-names.txt").write_text("\n".join(names.first_listed) + "\n", encoding="utf-8")
    (out / "last-names.txt").write_text("\n".join(names.last_listed) + "\n", encoding="utf-8")
    (out / "common-words.txt").write_text("\n".join(piidata.common_words()) + "\n", encoding="utf-8")
    (out / "proper-nouns.txt").write_text("\n".join(piidata.proper_nouns()) + "\n", encoding="utf-8")
    (out / "german-nouns.txt").write_text("\n".join(piidata.german_nouns()) + "\n", encoding="utf-8")
    (out / "german-words.txt").write_text("\n".join(piidata.german_words()) + "\n", encoding="utf-8")
    real = manual_pages(out / "manual-pages.txt", ("", "es", "fr"))
    # German pages (manpages-de has thousands): a sample, so that German text, whose capitalised nouns
    # the German word lists now mark, does not outweigh the rest
    german = manual_pages(out / "manual-pages-de.txt", ("de",))
    random.Random(20261206).shuffle(german)
    real += german[:GERMAN_MAN_SENTENCES]
    rng.shuffle(real)
    print(f"{len(real)} manual-page sentences ({min(len(german), GERMAN_MAN_SENTENCES)} of {len(german)} German)",
          file=sys.stderr)
    records = []
    for _ in range(TEMPLATE_SENTENCES):
        text, spans = render(rng.choice(TRAINING_TEMPLATES), names, rng)
        if rng.random() < 0.5:  # next to real text, as in a ticket
            sentence = rng.choice(real)
            if rng.random() < 0.5:
                shift = len(sentence) + 1
                text, spans = sentence + " " + text, [[s + shift, e + shift] for s, e in spans]
            else:
                text = text + " " + sentence
        records.append({"text": text, "spans": spans})
    place_names = places()
    for _ in range(PLACE_SENTENCES):
        text, spans = render(rng.choice(PLACE_TEMPLATES), names, rng, place_names)
        records.append({"text": text, "spans": spans})
    for sentence in real[:INSERTED_SENTENCES]:
        text, spans = inserted(sentence, names, rng)
        records.append({"text": text, "spans": spans})
    for sentence in real[INSERTED_SENTENCES:INSERTED_SENTENCES + PLAIN_SENTENCES]:
        records.append({"text": sentence, "spans": []})
    catalog = realtext.german_catalog_pool()
    rng.shuffle(catalog)
    print(f"{len(catalog)} German message-catalog sentences", file=sys.stderr)
    for sentence in catalog[:CATALOG_INSERTED]:
        text, spans = inserted(sentence, names, rng)
        records.append({"text": text, "spans": spans})
    for sentence in catalog[CATALOG_INSERTED:CATALOG_INSERTED + CATALOG_PLAIN]:
        records.append({"text": sentence, "spans": []})
    for _ in range(PLACE_INSERTED):
        records.append({"text": place_inserted(rng.choice(real), place_names, rng), "spans": []})
    for _ in range(GREETING_SENTENCES):
        parts = [rng.choice(GREETINGS)]
        if rng.random() < 0.6:
            parts.append(rng.choice(OPENERS))
        parts.append(rng.choice(real if rng.random() < 0.7 else catalog))
        records.append({"text": " ".join(parts), "spans": []})
    rng.shuffle(records)
    with open(out / "person-train.jsonl", "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records, {len(names.first_listed)} first names, {len(names.last_listed)} surnames in {out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
