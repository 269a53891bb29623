"""Shared pieces of the PII tools: word lists from public sources, fake values, text clean-up.

Sources (all public, all read from this machine):
  names, streets, cities: net.datafaker:datafaker 2.7.0 (Apache-2.0), its locale YAML files
  common English words:   Debian's wamerican (SCOWL, permissive licence), /usr/share/dict/american-english
  German nouns and words: Debian's wngerman (Björn Jacke's igerman98 word list, GPL-2 or GPL-3),
                          /usr/share/dict/ngerman
Standard library only; the YAML reader below understands the subset datafaker's files use.
"""
import gzip, random, re, subprocess, unicodedata, zipfile
from pathlib import Path

DATAFAKER_VERSION = "2.7.0"
DATAFAKER_JAR = (Path.home() / ".m2/repository/net/datafaker/datafaker" / DATAFAKER_VERSION
                 / f"datafaker-{DATAFAKER_VERSION}.jar")
WORDS = Path("/usr/share/dict/american-english")

# Locales whose names the shipped detector knows (gazetteer and training), and locales whose
# names it never saw (the evaluation's "unseen names" row).
KNOWN_LOCALES = ("en", "de", "es", "fr")
UNSEEN_LOCALES = ("it", "nl", "pl", "sv", "pt")
# Locales whose names the trainer sees only as examples (never in the shipped lists), so the scorer
# learns what names outside its lists look like in other languages and scripts. None is a language of
# UNSEEN_LOCALES or a regional variant of one (nl-BE, sv-SE, pt-BR are left out), and the trainer drops
# every name with a token of the unseen locales' lists: the evaluation's "unseen names" stay unseen.
# Scripts without capital letters (Hebrew, Arabic, Georgian, Chinese...) are left out: the detector
# only looks at capitalised words.
TRAINING_ONLY_LOCALES = ("da-DK", "nb-NO", "fi-FI", "et", "lv", "hu", "hr", "sk", "sq", "tr", "id", "ca",
                         "es-MX", "fr-CA", "de-AT", "en-AU", "en-NZ", "en-ZA", "en-IN", "en-PAK", "en-PH",
                         "en-SG", "ru", "uk", "bg", "mk", "el-GR", "hy")


def datafaker_jar():
    if not DATAFAKER_JAR.exists():
        subprocess.run(["mvn", "-q", "-B", "dependency:get", f"-Dartifact=net.datafaker:datafaker:{DATAFAKER_VERSION}",
                        "-Dtransitive=false"], check=True)
    return DATAFAKER_JAR


def _scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _flow_list(text):
    items, current, quote = [], "", None
    for c in text.strip()[1:-1]:
        if quote:
            if c == quote:
                quote = None
            else:
                current += c
        elif c in "\"'":
            quote = c
        elif c == ",":
            items.append(current.strip())
            current = ""
        else:
            current += c
    if current.strip():
        items.append(current.strip())
    return items


def _read_locale(jar, member):
    with zipfile.ZipFile(jar) as z:
        return z.read(member).decode("utf-8")


def locale_section(locale, section):
    """faker.<section> of a datafaker locale (en keeps one file per section)."""
    jar = datafaker_jar()
    member = f"en/{section}.yml" if locale == "en" else f"{locale}.yml"
    data = parse_lists(_read_locale(jar, member))
    return data.get(locale, {}).get("faker", {}).get(section, {})


def parse_lists(text):
    """Like read_yaml, but simpler and robust: collects every list under its key path."""
    result = {}
    path = []  # (indent, key)
    current_list = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        if stripped.startswith("- "):
            if current_list is not None:
                current_list.append(_scalar(stripped[2:]))
            continue
        if ":" not in stripped:
            continue
        key, _, value = stripped.partition(":")
        key = _scalar(key)
        while path and path[-1][0] >= indent:
            path.pop()
        node = result
        for _, k in path:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                node = {}
        value = value.strip()
        current_list = None
        if not value:
            path.append((indent, key))
            current_list = []
            node[key] = current_list
            # a mapping replaces the list if keys follow at a deeper indent
            node[key] = _ListOrMap(current_list)
        elif value.startswith("[") and value.endswith("]"):
            node[key] = _flow_list(value)
        else:
            node[key] = _scalar(value)
    return _finish(result)


class _ListOrMap(dict):
    def __init__(self, items):
        super().__init__()
        self.items_ = items


def _finish(node):
    if isinstance(node, _ListOrMap):
        if len(node) == 0:
            return list(node.items_)
        return {k: _finish(v) for k, v in node.items()}
    if isinstance(node, dict):
        return {k: _finish(v) for k, v in node.items()}
    return node


# English closed-class words (pronouns, determiners, prepositions, conjunctions, auxiliaries). A few
# are also given names in datafaker's lists ("My", "In", "So"); as names they would make every
# "My order ..." after a full stop look like a signature, so the name lists leave them out.
ENGLISH_FUNCTION_WORDS = set("""
a an the this that these those my your his her its our their mine yours hers ours theirs i me you he she it we
they him us them myself yourself himself herself itself ourselves themselves who whom whose which what where when
why how all any both each every either neither some no none not nor and or but so yet for if then than because
as at by from in into of off on onto out over to up upon with within without about above across after against
along among around before behind below beneath beside between beyond down during except inside near outside past
since through till toward towards under until via am is are was were be been being have has had do does did
shall should will would may might must can could ok yes hi hey dear thanks please
""".split())


def _plain(names):
    """Single-token proper names only (drop templates such as '#{...}')."""
    out = []
    for n in names:
        n = n.strip()
        if n and n.lower() not in ENGLISH_FUNCTION_WORDS and "#" not in n and "{" not in n and re.fullmatch(r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?", n):
            out.append(n)
    return out


def first_names(locale):
    name = locale_section(locale, "name")
    names = []
    for key in ("male_first_name", "female_first_name", "first_name"):
        value = name.get(key, [])
        if isinstance(value, list):
            names += _plain(value)
    return sorted(set(names))


def last_names(locale):
    value = locale_section(locale, "name").get("last_name", [])
    return sorted(set(_plain(value))) if isinstance(value, list) else []


# Frequent German, Spanish and French words that start sentences or sit next to names in letters
# (articles, pronouns, prepositions, conjunctions, adverbs, greetings and closings, days, months),
# and the English days and months (SCOWL spells them capitalised only).
FUNCTION_WORDS = """
der die das den dem des ein eine einen einem einer und oder aber doch denn weil dass wenn als wie wo was wer
ich du er sie es wir ihr mich mir dich dir uns euch ihnen mein meine dein sein seine unser unsere ihre
mit von zu zum zur bei nach aus für über unter vor hinter neben zwischen durch gegen ohne um auf an in im am
nicht auch noch schon nur sehr bitte danke vielen dank viele liebe lieber liebes hallo guten morgen tag abend
grüße gruß grüßen freundlichen herzliche herzlichen beste besten sehr geehrte geehrter geehrten hochachtungsvoll
montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli august
september oktober november dezember heute gestern morgen hier dort jetzt dann also leider gern gerne ja nein
el la los las un una unos unas y o pero porque que si cuando como donde quien yo tú él ella nosotros vosotros
ellos ellas mi mis tu tus su sus nuestro nuestra con de del desde en entre hacia hasta para por según sin sobre
no también ya muy muchas muchos gracias saludos cordiales atentamente estimado estimada estimados querido querida
hola buenos buenas días tardes noches lunes martes miércoles jueves viernes sábado domingo enero febrero marzo
abril mayo junio julio agosto septiembre octubre noviembre diciembre hoy ayer mañana aquí allí ahora luego sí
le les un une des du au aux et ou mais donc car que qui quand comme où je tu il elle nous vous ils elles mon ma
mes ton ta tes son sa ses notre votre leur leurs avec dans pour par sur sous chez sans entre vers ne pas plus
aussi très merci beaucoup cordialement bien amicalement salutations sincèrement bonjour bonsoir salut cher chère
chers madame monsieur mademoiselle lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril
mai juin juillet août septembre octobre novembre décembre aujourd hier demain ici là maintenant ensuite oui non
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december
""".split()


def common_words():
    """Lower-case English words (SCOWL via wamerican), possessives dropped, and FUNCTION_WORDS."""
    words = set(FUNCTION_WORDS)
    for line in WORDS.read_text(encoding="utf-8").splitlines():
        if line and line[0].islower() and "'" not in line:
            words.add(line)
    return sorted(words)


def proper_nouns():
    """SCOWL's capitalised entries (places, peoples, brands, given names), possessives dropped."""
    return sorted({line for line in WORDS.read_text(encoding="utf-8").splitlines()
                   if re.fullmatch(r"[A-Z][a-z]+", line)})


NGERMAN = Path("/usr/share/dict/ngerman")


def german_nouns():
    """wngerman's capitalised entries (nouns, and some given names, surnames and places: "Peter",
    "Müller", "Berlin"), lower-cased: the "German noun" list of the person model. Names stay in: the
    model's features combine the lists' bits, so "a listed first name that is also a German noun"
    is a case of its own, as the name lists alone make it."""
    return sorted({line.lower() for line in NGERMAN.read_text(encoding="utf-8").splitlines()
                   if line[:1].isupper() and "'" not in line})


def german_words():
    """wngerman's lower-case entries (adjectives, verbs, function words; a word that is also a noun is
    listed once, in lower case: "spiel", "zeit")."""
    return sorted({line for line in NGERMAN.read_text(encoding="utf-8").splitlines()
                   if line[:1].islower() and "'" not in line})


def clean(text):
    """NFKC, control characters out, white space collapsed: what the sanitizer's normaliser leaves unchanged."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c in " \t\n")
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- real text from Debian

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
BAD = re.compile(r"@|://|www\.|\\|\[|\]|\{|\}|<|>|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{7,}|[|_=]{2}")
# As BAD, but version numbers ("2.6.32", "4.18.1-1") pass; only what could be a full date stays out.
BAD_EXCEPT_VERSIONS = re.compile(r"@|://|www\.|\\|\[|\]|\{|\}|<|>|\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b"
                                 r"|\b(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}|\b\d{1,2}/\d{1,2}/\d{2}\b|\d{7,}|[|_=]{2}")


def sentences(paragraph, min_words=5, max_words=45, bad=BAD):
    for s in SENTENCE_END.split(clean(paragraph)):
        words = s.split()
        if min_words <= len(words) <= max_words and not bad.search(s) and sum(c.isalpha() for c in s) > len(s) * 0.6:
            yield s


APT_LISTS = Path("/var/lib/apt/lists")


def package_descriptions(lists=APT_LISTS, language="en"):
    """Long descriptions of the archive's packages in one language (the Translation-LANGUAGE index:
    en, or de for the German translations). apt fetches them with:
    mkdir -p L/partial; apt-get update -o Acquire::Languages=en,de -o Dir::State::Lists=L"""
    paths = sorted(Path(lists).glob(f"*_i18n_Translation-{language}.lz4"))
    if not paths:
        raise SystemExit(f"no Translation-{language} index in {lists}: run mkdir -p L/partial; "
                         f"apt-get update -o Acquire::Languages={language} -o Dir::State::Lists=L, then pass --apt-lists L")
    for path in paths:
        text = subprocess.run(["lz4cat", str(path)], capture_output=True, text=True, check=True).stdout
        for stanza in text.split("\n\n"):
            m = re.search(rf"^Description-{language}: .*\n((?: .*\n?)*)", stanza, re.M)
            if m:
                body = re.sub(r"^ \.$", "\n", m.group(1), flags=re.M)
                for para in body.split("\n\n"):
                    yield re.sub(r"\s+", " ", para).strip()


MAN_SKIP_SECTIONS = re.compile(r"AUTHOR|COPYRIGHT|HISTORY|ACKNOWLEDG|THANKS|BUGS|SEE ALSO|CREDITS|MAINTAIN|"
                               r"CONTRIBUT|LICEN[CS]E|COLOPHON|REPORTING|TRANSLAT", re.I)
ROFF_ESCAPES = re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)|\\s[+-]?\d+|\\\(..|\\\[[^\]]*\]|\\\*(?:\(..|\[[^\]]*\]|.)|\\[&|^c%:]")


def man_page_paragraphs(path):
    """Paragraphs of prose from one man page (roff), skipping author, copyright and similar sections."""
    try:
        text = gzip.open(path, "rt", encoding="utf-8", errors="strict").read()
    except (UnicodeDecodeError, OSError, EOFError):
        return
    skip = False
    para = []
    for line in text.splitlines():
        if line.startswith((".SH", ".Sh")):
            if para:
                yield " ".join(para)
            para = []
            skip = bool(MAN_SKIP_SECTIONS.search(line))
            continue
        if skip:
            continue
        if line.startswith((".PP", ".LP", ".P ", ".TP", ".IP", ".Pp", ".sp", ".br", ".RS", ".RE")) or line == ".P" or not line.strip():
            if para:
                yield " ".join(para)
            para = []
            continue
        if line.startswith((".B ", ".I ", ".BR ", ".IR ", ".RB ", ".RI ", ".BI ", ".IB ", ".SM ")):
            line = line.split(" ", 1)[1].replace('"', "")
        elif line.startswith((".", "'")):
            continue
        line = ROFF_ESCAPES.sub("", line).replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")
        para.append(line)
    if para:
        yield " ".join(para)


def man_pages(sections=("man1", "man2", "man3", "man5", "man7", "man8"), languages=("", "de", "es", "fr")):
    """Paragraphs of the installed manual pages, English and translated; one in 50 of a family of
    more than 1,000 similar pages (e.g. gcloud's) so no single family dominates."""
    for language, section in ((language, section) for language in languages for section in sections):
        paths = sorted(Path("/usr/share/man", language, section).glob("*.gz"))
        families = {}
        for path in paths:
            families.setdefault(re.split(r"[-_.]", path.name)[0], []).append(path)
        for path in paths:
            family = families[re.split(r"[-_.]", path.name)[0]]
            if len(family) <= 1000 or family.index(path) % 50 == 0:
                yield from man_page_paragraphs(path)


# ---------------------------------------------------------------- templates


def fill(template, slot):
    """Fills "{NAME}" slots; slot(NAME) gives [(text, label or None), ...]. Returns (text, spans),
    spans [start, end, label] for the labelled parts, in the text as the sanitizer sees it (NFKC)."""
    text, spans, i = "", [], 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            for part, label in slot(template[i + 1:j]):
                part = clean(part) + (" " if part.endswith(" ") else "")
                if label:
                    spans.append([len(text), len(text) + len(part), label])
                text += part
            i = j + 1
        else:
            text += template[i]
            i += 1
    return text, spans


# ---------------------------------------------------------------- fake values


def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def card_number(rng):
    prefix, length = rng.choice([("4", 16), ("51", 16), ("53", 16), ("55", 16), ("2221", 16), ("2720", 16),
                                 ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("3530", 16), ("4", 13)])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


US_AREA_CODES = ["201", "206", "212", "213", "303", "312", "404", "415", "503", "512", "602", "617", "646", "702",
                 "713", "718", "786", "805", "917", "972"]


def us_phone_digits(rng):
    exchange = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(2))
    if exchange[1:] == "11":
        exchange = exchange[0] + "23"
    return rng.choice(US_AREA_CODES) + exchange + "".join(rng.choice("0123456789") for _ in range(4))


def uk_mobile_digits(rng):
    return "447" + rng.choice("45789") + "".join(rng.choice("0123456789") for _ in range(8))
