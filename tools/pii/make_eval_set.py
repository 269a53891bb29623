#!/usr/bin/env python3
"""Builds the labelled evaluation set of the sanitizer's detectors (deterministic: fixed seeds).

Records (JSONL): {"id", "text", "kind", "source", "variant", "spans": [[start, end, TYPE], ...]}
  kind "pii":       a real sentence with an identifier put in by one of the templates below
                    (PERSON, DATE, ADDRESS; and e-mail, card and phone numbers in obfuscated forms)
  kind "prose":     a real sentence of ordinary prose, nothing to redact
  kind "technical": a real sentence of technical text (package descriptions), nothing to redact
  kind "prose-de-es-fr": a real sentence of German, Spanish or French prose, nothing to redact
  kind "technical-versions": a package-description sentence with a version number ("2.6.32"),
                    nothing to redact (may repeat a "technical" sentence)
  kind "technical-de": a German package-description sentence (Translation-de), nothing to redact:
                    German capitalises every noun ("Echtzeit-Strategiespiel", "Bibliotheksdateien")
  kind "pii-de":    a German package-description sentence (not one of "technical-de") with a name put
                    in by the German templates below (variant "german": names from the lists)
The German records come last, from their own random generators: the records before them are as they
were without them (same ids, same text).
The templates here are the evaluation's own: the person scorer is trained on other templates
(tools/pii/make_person_training.py) and other text (manual pages); the rule-based detectors were
written without them. Sources of the real sentences: tools/pii/realtext.py. Names, streets and
cities: datafaker's lists (tools/pii/piidata.py). Variant "unseen" marks names from locales the
person detector never saw (Italian, Dutch, Polish, Swedish, Portuguese), with no token in its lists.

Needs: apt-get install debian-handbook doc-debian wordnet-base wamerican lz4; the Translation-en and
       Translation-de indexes (mkdir -p L/partial; apt-get update -o Acquire::Languages=en,de -o Dir::State::Lists=L)
Usage: tools/pii/make_eval_set.py OUT.jsonl [--apt-lists L]
"""
import argparse, json, random, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import piidata  # noqa: E402
import realtext  # noqa: E402

PII_PER_TYPE = {"PERSON": 2000, "DATE": 1500, "ADDRESS": 1500, "EMAIL": 1000, "CARD": 1000, "PHONE": 1000}
UNSEEN_PERSONS = 600
CLEAN_PER_KIND = 3000

# ------------------------------------------------------------------ templates (evaluation only)
# {S}: a real sentence; {s}: the same with a lower-case first letter; other slots: identifiers.
PERSON_TEMPLATES = [
    "{S} Please loop in {NAME} before merging.",
    "I spoke to {NAME} on the phone and {s}",
    "{NAME} (our account manager) mentioned this: {S}",
    "{S} Escalated to {NAME}.",
    "Ticket opened on behalf of {NAME}: {S}",
    "{S} My manager, {NAME}, approved it.",
    "The parcel was handed to {NAME} at the front desk. {S}",
    "{S} Signed, {NAME}",
    "Hello, this is {NAME} from the finance team. {S}",
    "{S} CC: {NAME}",
    "Patient {NAME} was seen today. {S}",
    "{S} Contact person: {NAME}.",
    "According to {NAME}, {s}",
    "{S} Both {NAME} and {NAME2} saw the same thing.",
    "Hi {FIRST}, {s}",
    "{S} Thanks again, {FIRST}",
    "{S} -- {FIRST}",
    "Good morning {FIRST}! {S}",
    "{FIRST} here again. {S}",
    "Dear {TLAST}, {s}",
    "{S} I will forward this to {TLAST}.",
    "{TLAST} asked me to write: {S}",
    "Hallo {FIRST}, {s}",
    "Hola {FIRST}, {s}",
    "Bonjour {FIRST}, {s}",
    "{S} Viele Grüße, {NAME}",
    "{S} Saludos, {NAME}",
    "{S} Cordialement, {NAME}",
]
# German contexts of a name around a German sentence (evaluation only; {S} only: lower-casing the
# first letter of a German sentence would break its nouns).
GERMAN_PERSON_TEMPLATES = [
    "{S} Bei Fragen wenden Sie sich bitte an {NAME}.",
    "{NAME} hat das Paket gestern getestet. {S}",
    "{S} Viele Grüße, {NAME}",
    "Hallo {FIRST}, hier die Beschreibung: {S}",
    "{S} Ansprechpartner ist {NAME}.",
    "Laut {TLAST} gilt Folgendes: {S}",
    "{S} Gemeldet von {NAME}.",
    "Ich habe mit {NAME} telefoniert. {S}",
    "{S} Danke und bis bald, {FIRST}",
    "{S} Die Übersetzung hat {NAME} geprüft.",
]
GERMAN_PERSONS = 600

DATE_TEMPLATES = [
    ("{S} I was born on {DATE}.", True),
    ("Date of birth: {DATE}. {S}", True),
    ("{S} The incident happened on {DATE}.", False),
    ("Appointment scheduled for {DATE}. {S}", False),
    ("{S} (DOB {DATE})", True),
    ("Patient admitted {DATE}; {s}", False),
    ("Since {DATE}, {s}", False),
    ("{S} Geburtsdatum: {DATE}.", True),
    ("{S} Fecha de nacimiento: {DATE}.", True),
    ("{S} Né le {DATE}.", True),
    ("Her birthday is {DATE}. {S}", True),
    ("{S} The contract was signed on {DATE} by both parties.", False),
    ("Last payment received {DATE}. {S}", False),
]
ADDRESS_TEMPLATES = [
    "{S} Please ship the replacement to {ADDR}.",
    "My new address is {ADDR}. {S}",
    "{S} Return label: {ADDR}",
    "We moved to {ADDR} last month, {s}",
    "Billing address: {ADDR}; {s}",
    "{S} The office is at {ADDR}.",
    "Lieferadresse: {ADDR}. {S}",
    "Dirección: {ADDR}. {S}",
    "Adresse : {ADDR}. {S}",
    "{S} Send the documents to {ADDR}, please.",
]
EMAIL_TEMPLATES = [
    "{S} You can reach me at {EMAIL}.",
    "Contact: {EMAIL} -- {s}",
    "{S} My mail is {EMAIL} (spelled out because of spam filters).",
    "Write to {EMAIL} if {s}",
]
CARD_TEMPLATES = [
    "{S} The card number is {CARD}.",
    "Card: {CARD}; {s}",
    "{S} I paid with {CARD} yesterday.",
    "Please charge {CARD} for the renewal. {S}",
]
PHONE_TEMPLATES = [
    "{S} Call me back on {PHONE}.",
    "My number: {PHONE}. {S}",
    "{S} Text {PHONE} in the evening.",
    "You can ring {PHONE} if {s}",
]

TITLES = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Herr", "Frau", "Sr.", "Sra.", "Mme"]
PARTICLES = ["van", "de", "von", "van der", "da", "del"]
DIGIT_WORDS = {
    "en": "zero one two three four five six seven eight nine".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf".split(),
}
PLUS = {"en": "plus", "de": "plus", "es": "más", "fr": "plus"}
COMMON_SUFFIXES = ["Street", "St.", "St", "Avenue", "Ave", "Ave.", "Road", "Rd", "Drive", "Dr.", "Lane", "Ln",
                   "Boulevard", "Blvd", "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Circle", "Parkway"]
TREES = ["Elm", "Oak", "Maple", "Cedar", "Pine", "Willow", "Birch", "Chestnut", "Walnut", "Spruce"]
SPANISH_TYPES = ["Calle", "Avenida", "Paseo", "Plaza", "Camino", "Carretera", "Ronda", "Travesía", "Rambla"]
UK_POSTCODES = ["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "LS1 4AP", "G2 3WT"]
UK_CITIES = ["London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Croydon", "Doncaster"]
DOMAINS = ["example.com", "mail.example.org", "example.net", "post.example.co.uk", "example.de", "corp.example.io"]
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "en_short": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}


class Names:
    def __init__(self, locales, exclude=()):
        excluded = {n.lower() for n in exclude}
        self.first = [n for loc in locales for n in piidata.first_names(loc)
                      if n.lower() not in excluded and " " not in n]
        self.last = [n for loc in locales for n in piidata.last_names(loc)
                     if n.lower() not in excluded and " " not in n]
        self.first = sorted(set(self.first))
        self.last = sorted(set(self.last))


def full_name(rng, names):
    """A person's name in one of the usual written forms, as (text, parts) with parts a list of
    (text, is_name) so titles stay outside the labelled span."""
    first, last = rng.choice(names.first), rng.choice(names.last)
    form = rng.random()
    if form < 0.55:
        text = f"{first} {last}"
    elif form < 0.62:
        text = f"{first} {rng.choice(names.first)} {last}"
    elif form < 0.70:
        text = f"{first[0]}. {last}"
    elif form < 0.78:
        text = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
    elif form < 0.85:
        text = f"{first} {last}-{rng.choice(names.last)}"
    elif form < 0.92:
        text = f"{first} {rng.choice(PARTICLES)} {last}"
    else:
        return [(rng.choice(TITLES) + " ", False), (f"{first} {last}", True)]
    return [(text, True)]


def fill(template, sentence, slots):
    """Fills a template with a real sentence ({S}, or {s} with a lower-case first letter) and identifiers."""
    lower = sentence if sentence[1:2].isupper() else sentence[0].lower() + sentence[1:]  # keep "GNU ..." as is
    real = {"S": [(sentence, None)], "s": [(lower, None)]}
    return piidata.fill(template, lambda name: real.get(name) or slots[name])


def person_slots(rng, names):
    return {
        "NAME": [(t, "PERSON" if is_name else None) for t, is_name in full_name(rng, names)],
        "NAME2": [(t, "PERSON" if is_name else None) for t, is_name in full_name(rng, names)],
        "FIRST": [(rng.choice(names.first), "PERSON")],
        "TLAST": [(rng.choice(TITLES) + " ", None), (rng.choice(names.last), "PERSON")],
    }


def date_text(rng, birth):
    y, m, d = rng.randint(1930, 2024), rng.randint(1, 12), rng.randint(1, 28)
    forms = [
        lambda: f"{y}-{m:02d}-{d:02d}",
        lambda: f"{m:02d}/{d:02d}/{y}",
        lambda: f"{d}/{m}/{y}",
        lambda: f"{d:02d}.{m:02d}.{y}",
        lambda: f"{m}/{d}/{y % 100:02d}",
        lambda: f"{d:02d}-{m:02d}-{y}",
        lambda: f"{MONTHS['en'][m - 1]} {d}, {y}",
        lambda: f"{MONTHS['en_short'][m - 1]}. {d}, {y}" if m != 5 else f"May {d}, {y}",
        lambda: f"{d} {MONTHS['en'][m - 1]} {y}",
        lambda: f"{d}{ordinal(d)} of {MONTHS['en'][m - 1]} {y}",
        lambda: f"{MONTHS['en'][m - 1]} {d}{ordinal(d)}, {y}",
        lambda: f"{d}. {MONTHS['de'][m - 1]} {y}",
        lambda: f"{d} de {MONTHS['es'][m - 1]} de {y}",
        lambda: f"{'1er' if d == 1 else d} {MONTHS['fr'][m - 1]} {y}",
    ]
    if birth:
        forms += [
            lambda: f"{MONTHS['en'][m - 1]} {d}",
            lambda: f"{d} {MONTHS['en'][m - 1]}",
            lambda: f"{m:02d}/{y}",
            lambda: f"{MONTHS['en'][m - 1]} {y}",
        ]
    return rng.choice(forms)()


def ordinal(d):
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


class Places:
    def __init__(self):
        en = piidata.locale_section("en", "address")
        self.suffixes = [s for s in en["street_suffix"]]
        self.states = en["state_abbr"]
        self.city_prefix, self.city_suffix = en["city_prefix"], en["city_suffix"]
        de = piidata.locale_section("de", "address")
        self.de_streets = [s for s in de["street_root"] if "#" not in s]
        fr = piidata.locale_section("fr", "address")
        self.fr_types = [t for p in fr["street_prefix"] for t in p.split(", ")]
        self.fr_names = fr["street_suffix"]
        self.fr_cities = [c for c in fr["city_name"] if "#" not in c]
        self.first = piidata.first_names("en")
        self.last = piidata.last_names("en")

    def city(self, rng):
        base = rng.choice(self.first + self.last)
        form = rng.random()
        if form < 0.4:
            return base + rng.choice(self.city_suffix)
        if form < 0.7:
            return f"{rng.choice(self.city_prefix)} {base}"
        return base

    def address(self, rng):
        kind = rng.random()
        number = str(rng.randint(1, 9999)) if rng.random() < 0.9 else f"{rng.randint(1, 400)}{rng.choice('ABC')}"
        if kind < 0.55:
            suffix = rng.choice(COMMON_SUFFIXES) if rng.random() < 0.75 else rng.choice(self.suffixes)
            name = rng.choice(self.last + TREES + [f"{rng.randint(1, 99)}{ordinal(rng.randint(1, 9))}"])
            if name[0].isdigit():
                n = rng.randint(1, 99)
                name = f"{n}{ordinal(n)}"
            text = f"{number} {name} {suffix}"
            extra = rng.random()
            if extra < 0.2:
                text += rng.choice([f", Apt {rng.randint(1, 40)}{rng.choice('ABCD')}", f", Suite {rng.randint(100, 950)}",
                                    f" #{rng.randint(2, 90)}"])
            extra = rng.random()
            if extra < 0.45:
                text += f", {self.city(rng)}, {rng.choice(self.states)} {rng.randint(10000, 99999)}"
            elif extra < 0.55:
                text += f", {self.city(rng)}"
            return text
        if kind < 0.65:
            text = f"{number} {rng.choice(self.last)} {rng.choice(['Street', 'Road', 'Lane', 'Close', 'Avenue'])}"
            return text + f", {rng.choice(UK_CITIES)} {rng.choice(UK_POSTCODES)}"
        if kind < 0.78:
            text = f"{rng.choice(self.de_streets)} {rng.randint(1, 180)}{rng.choice(['', '', '', 'a', 'b'])}"
            if rng.random() < 0.5:
                text += f", {rng.randint(10000, 99999)} {self.city(rng)}"
            return text
        if kind < 0.86:
            name = rng.choice(piidata.first_names("es") + piidata.last_names("es"))
            sep = rng.choice([" ", ", ", ", nº "])
            text = f"{rng.choice(SPANISH_TYPES)} {rng.choice(['', 'de ', 'del '])}{name}{sep}{rng.randint(1, 200)}"
            if rng.random() < 0.5:
                text += f", {rng.randint(10000, 52999):05d} {rng.choice(['Madrid', 'Sevilla', 'Valencia', 'Bilbao'])}"
            return text
        if kind < 0.95:
            kind_word = rng.choice(self.fr_types)
            kind_word = kind_word.lower() if rng.random() < 0.6 else kind_word
            text = f"{rng.randint(1, 120)}{rng.choice(['', '', ' bis'])} {kind_word} {rng.choice(self.fr_names)}"
            if rng.random() < 0.5:
                text += f", {rng.randint(10000, 95999):05d} {rng.choice(self.fr_cities)}"
            return text
        return f"P.O. Box {rng.randint(10, 99999)}, {self.city(rng)}, {rng.choice(self.states)} {rng.randint(10000, 99999)}"


def obfuscated_email(rng, names):
    first, last = rng.choice(names.first).lower(), rng.choice(names.last).lower()
    first = "".join(c for c in first if c.isascii() and c.isalpha()) or "ana"
    last = "".join(c for c in last if c.isascii() and c.isalpha()) or "ruiz"
    domain = rng.choice(DOMAINS)
    parts = domain.split(".")
    form = rng.randrange(7)
    if form == 0:
        return f"{first}.{last} (at) {' (dot) '.join(parts)}"
    if form == 1:
        return f"{first}.{last}[at]{domain}"
    if form == 2:
        return f"{first}.{last} [at] {' [dot] '.join(parts)}"
    if form == 3:
        return f"{first} dot {last} at {' dot '.join(parts)}"
    if form == 4:
        return f"{first}_{last} {{at}} {domain}"
    if form == 5:
        return f"{first}.{last} AT {' DOT '.join(parts)}"
    return f"{first}{rng.randint(1, 99)} @ {domain}"


def spelled(digits, language, rng, grouping=None):
    words = DIGIT_WORDS[language]
    out = []
    for i, ch in enumerate(digits):
        if ch == "+":
            out.append(PLUS[language])
        else:
            out.append(words[int(ch)])
        if grouping and i + 1 in grouping and i + 1 < len(digits):
            out[-1] += ","
    return " ".join(out)


def obfuscated_card(rng):
    number = piidata.card_number(rng)
    form = rng.random()
    if form < 0.4:
        return " ".join(number)
    if form < 0.7:
        return spelled(number, "en", rng, grouping={4, 8, 12} if rng.random() < 0.5 else None)
    return spelled(number, rng.choice(["de", "es", "fr"]), rng)


def obfuscated_phone(rng):
    form = rng.random()
    if form < 0.3:
        return " ".join(piidata.us_phone_digits(rng))
    if form < 0.6:
        digits = piidata.us_phone_digits(rng)
        text = spelled(digits, "en", rng, grouping={3, 6} if rng.random() < 0.5 else None)
        return text.replace("zero", "oh") if rng.random() < 0.3 else text
    if form < 0.75:
        return spelled("+" + piidata.uk_mobile_digits(rng), "en", rng)
    if form < 0.85:
        return " ".join("+" + piidata.uk_mobile_digits(rng))
    language = rng.choice(["de", "es", "fr"])
    return spelled("+" + piidata.uk_mobile_digits(rng), language, rng)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--apt-lists", default=str(piidata.APT_LISTS))
    args = parser.parse_args()
    rng = random.Random(20250617)
    prose = realtext.prose_pool()
    technical = realtext.technical_pool(args.apt_lists)
    other = realtext.other_languages_pool()
    carriers, clean_records = [], []
    for source, items in sorted(other.items()):
        sample = list(items)
        rng.shuffle(sample)
        clean_records += [("prose-de-es-fr", source, s) for s in sample[:CLEAN_PER_KIND // 3]]
    for kind, pools in (("prose", prose), ("technical", technical)):
        sentences = [(source, s) for source, items in sorted(pools.items()) for s in items]
        rng.shuffle(sentences)
        clean_records += [(kind, source, s) for source, s in sentences[:CLEAN_PER_KIND]]
        carriers += sentences[CLEAN_PER_KIND:CLEAN_PER_KIND + 6000]
    rng.shuffle(carriers)
    known = Names(piidata.KNOWN_LOCALES)
    gazetteer = {n.lower() for n in known.first + known.last}
    unseen = Names(piidata.UNSEEN_LOCALES, exclude=gazetteer)
    places = Places()
    records = []

    def add(template, slots, variant, sentence_source):
        source, sentence = sentence_source
        text, spans = fill(template, sentence, slots)
        records.append({"text": text, "kind": "pii", "source": source, "variant": variant, "spans": spans})

    carrier = iter(carriers * 3)
    for _ in range(PII_PER_TYPE["PERSON"]):
        add(rng.choice(PERSON_TEMPLATES), person_slots(rng, known), "known", next(carrier))
    for _ in range(UNSEEN_PERSONS):
        add(rng.choice(PERSON_TEMPLATES), person_slots(rng, unseen), "unseen", next(carrier))
    for _ in range(PII_PER_TYPE["DATE"]):
        template, birth = rng.choice(DATE_TEMPLATES)
        add(template, {"DATE": [(date_text(rng, birth), "DATE")]}, "birth" if birth else "full", next(carrier))
    for _ in range(PII_PER_TYPE["ADDRESS"]):
        add(rng.choice(ADDRESS_TEMPLATES), {"ADDR": [(places.address(rng), "ADDRESS")]}, "address", next(carrier))
    for _ in range(PII_PER_TYPE["EMAIL"]):
        add(rng.choice(EMAIL_TEMPLATES), {"EMAIL": [(obfuscated_email(rng, known), "EMAIL")]}, "obfuscated",
            next(carrier))
    for _ in range(PII_PER_TYPE["CARD"]):
        add(rng.choice(CARD_TEMPLATES), {"CARD": [(obfuscated_card(rng), "CARD")]}, "obfuscated", next(carrier))
    for _ in range(PII_PER_TYPE["PHONE"]):
        add(rng.choice(PHONE_TEMPLATES), {"PHONE": [(obfuscated_phone(rng), "PHONE")]}, "obfuscated", next(carrier))
    versions = realtext.version_pool(args.apt_lists)["package-descriptions"]
    random.Random(20250618).shuffle(versions)  # its own generator: the records above stay as they were
    clean_records += [("technical-versions", "package-descriptions", s) for s in versions[:CLEAN_PER_KIND // 3]]
    for kind, source, sentence in clean_records:
        records.append({"text": sentence, "kind": kind, "source": source, "variant": "", "spans": []})
    german = [("package-descriptions-de", s) for s in realtext.german_technical_pool(args.apt_lists)["package-descriptions-de"]]
    german_rng = random.Random(20250619)  # its own generator: the records above stay as they were
    german_rng.shuffle(german)
    for source, sentence in german[:CLEAN_PER_KIND]:
        records.append({"text": sentence, "kind": "technical-de", "source": source, "variant": "", "spans": []})
    for sentence_source in german[CLEAN_PER_KIND:CLEAN_PER_KIND + GERMAN_PERSONS]:
        source, sentence = sentence_source
        text, spans = fill(german_rng.choice(GERMAN_PERSON_TEMPLATES), sentence, person_slots(german_rng, known))
        records.append({"text": text, "kind": "pii-de", "source": source, "variant": "german", "spans": spans})
    with open(args.out, "w", encoding="utf-8") as out:
        for i, record in enumerate(records):
            record = {"id": i, **record}
            assert piidata.clean(record["text"]) == record["text"], record["text"]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
