package org.dplstm.data.sanitize;

import java.util.Locale;
import java.util.Set;

/**
 * The words that make a street address: street-type suffixes (the USPS list of street suffixes
 * and their standard abbreviations), German street-name endings, Spanish and French street-type
 * words that precede the name, unit words, directionals and US state codes. Lookups ignore case
 * and a trailing dot.
 */
final class StreetWords {
    /** USPS Publication 28, Appendix C1: primary street suffixes and common abbreviations. */
    private static final Set<String> ENGLISH_SUFFIXES = Set.of(
            "alley", "aly", "avenue", "ave", "av", "boulevard", "blvd", "bvd", "branch", "bridge", "brg", "brook", "brooks", "burg", "bypass",
            "byp", "camp", "canyon", "cape", "causeway", "cswy", "center", "centre", "ctr", "circle", "cir",
            "circles", "cliff", "cliffs", "close", "common", "corner", "corners", "course", "court", "ct",
            "courts", "cove", "coves", "creek", "crescent", "cres", "crest", "crossing", "xing", "crossroad",
            "curve", "dale", "divide", "drive", "dr", "drives", "estate", "estates", "expressway", "expy",
            "extension", "ext", "falls", "ferry", "field", "fields", "flat", "flats", "ford", "fords", "forest",
            "forge", "forges", "fork", "forks", "fort", "freeway", "fwy", "garden", "gardens", "gdns",
            "gateway", "glen", "glens", "green", "greens", "grove", "grv", "groves", "harbor", "harbors",
            "haven", "heights", "hts", "highway", "hwy", "hill", "hills", "hollow", "inlet", "island",
            "islands", "isle", "junction", "jct", "junctions", "key", "keys", "knoll", "knolls", "lake",
            "lakes", "landing", "lane", "ln", "lodge", "loop", "mall", "manor", "manors", "meadow",
            "meadows", "mews", "mill", "mills", "mission", "motorway", "mount", "mountain", "mtn", "mountains",
            "neck", "orchard", "oval", "overpass", "park", "parks", "parkway", "pkwy", "parkways", "pass",
            "passage", "path", "pike", "pine", "pines", "place", "pl", "plain", "plains", "plaza", "plz",
            "point", "pt", "points", "port", "ports", "prairie", "radial", "ramp", "ranch", "rapid", "rapids",
            "ridge", "rdg", "ridges", "river", "road", "rd", "roads", "route", "rte", "row", "rue", "run",
            "shoal", "shoals", "shore", "shores", "skyway", "spring", "springs", "spur", "spurs", "square",
            "sq", "squares", "station", "sta", "stravenue", "stream", "street", "st", "str", "streets",
            "summit", "terrace", "ter", "throughway", "trace", "track", "trafficway", "trail", "trl", "tunnel",
            "turnpike", "tpke", "underpass", "union", "unions", "valley", "vly", "valleys", "via", "viaduct",
            "view", "views", "village", "vlg", "villages", "ville", "vista", "walk", "walks", "wall", "way",
            "ways", "well", "wells", "wharf", "wynd", "yard", "burgs", "centers", "club", "dam", "extensions", "fall",
            "land", "light", "lights", "loaf", "lock", "locks", "rest");
    /**
     * The suffixes that are hardly anything but street types; the others ("Point", "Union",
     * "Station", "Key", "Stream") are ordinary words in technical text, so an address ending in
     * one needs more evidence (a unit, a ZIP code, a postal code, or "at"/"to"/"address" before it).
     */
    private static final Set<String> UNAMBIGUOUS_SUFFIXES = Set.of("alley", "aly", "avenue", "ave", "av",
            "blvd", "boulevard", "bvd", "causeway", "cir", "circle", "close", "court", "ct", "crescent", "cres", "drive",
            "dr", "expressway", "expy", "freeway", "fwy", "gardens", "grove", "highway", "hwy", "lane", "ln",
            "mews", "parkway", "pkwy", "place", "pl", "plaza", "road", "rd", "square", "sq", "st", "str",
            "street", "terrace", "ter", "trail", "trl", "turnpike", "tpke", "way", "wynd", "rue", "row");
    /** German street names end in one of these ("Hauptstraße", "Goethestr.", "Lindenweg"). */
    private static final String[] GERMAN_ENDINGS = {
        "straße", "strasse", "str.", "weg", "gasse", "gäßchen", "gässchen", "allee", "platz", "damm", "ufer",
        "chaussee", "pfad", "steig", "promenade", "stieg", "twiete"};
    /** Endings of German street names that also end place names ("Heidelberg"): these need a cue. */
    private static final String[] WEAK_GERMAN_ENDINGS = {
        "ring", "kamp", "feld", "hof", "höhe", "grund", "garten", "graben", "markt", "brücke", "wall", "tor", "hain",
        "berg", "tal", "park", "bach", "aue", "winkel", "siedlung", "heide", "wiese", "blick", "redder", "zeile",
        "steg", "acker", "anger", "busch", "gärten", "wiesen", "höfe", "felder", "bruch", "kamp", "driesch"};
    /** Spanish and French street types, written before the name ("Calle Mayor 5", "12 rue de la Paix"). */
    private static final Set<String> SPANISH_TYPES = Set.of("calle", "c/", "avenida", "avda", "av", "paseo",
            "plaza", "pza", "camino", "carretera", "ctra", "ronda", "travesía", "travesia", "glorieta", "rambla",
            "vía", "via", "callejón", "callejon", "pasaje", "urbanización", "urbanizacion");
    private static final Set<String> FRENCH_TYPES = Set.of("rue", "avenue", "av", "boulevard", "bd", "bld", "place",
            "chemin", "allée", "allee", "impasse", "quai", "route", "cours", "square", "voie", "passage", "esplanade");
    /** Lower-case words allowed inside a Spanish, French or German street name. */
    private static final Set<String> PARTICLES = Set.of("de", "del", "la", "las", "los", "el", "y", "du", "des",
            "le", "l'", "d'", "aux", "sur", "à", "der", "den", "am", "an", "auf", "im", "of", "the");
    /** Capitalised prepositions that start German street names ("Am Markt", "In der Wasserkuhl"). */
    private static final Set<String> GERMAN_PREPOSITIONS = Set.of("Am", "An", "Auf", "Im", "In", "Zum", "Zur", "Unter",
            "Hinter", "Vor", "Bei", "Über", "Ueber", "Beim", "Vorm", "Hinterm", "Unterm", "Aufm", "Alte", "Alter", "Neue",
            "Neuer", "Schöne", "Lange", "Kurze", "Hohe", "Obere", "Untere");
    private static final Set<String> GERMAN_ARTICLES = Set.of("der", "dem", "den", "die", "das");
    private static final Set<String> UNIT_WORDS = Set.of("apt", "apartment", "suite", "ste", "unit", "flat",
            "floor", "fl", "room", "rm", "bldg", "building", "#");
    private static final Set<String> DIRECTIONALS = Set.of("n", "s", "e", "w", "ne", "nw", "se", "sw", "north",
            "south", "east", "west", "northeast", "northwest", "southeast", "southwest");
    private static final Set<String> STATES = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL",
            "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
            "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX",
            "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR");

    private StreetWords() {}

    private static String key(String text, int start, int end) {
        if (end > start && text.charAt(end - 1) == '.') {
            end--;
        }
        return text.substring(start, end).toLowerCase(Locale.ROOT);
    }

    static boolean isEnglishSuffix(String text, int start, int end) {
        return ENGLISH_SUFFIXES.contains(key(text, start, end));
    }

    static boolean isUnambiguousSuffix(String text, int start, int end) {
        return UNAMBIGUOUS_SUFFIXES.contains(key(text, start, end));
    }

    static boolean isSpanishType(String text, int start, int end) {
        return SPANISH_TYPES.contains(key(text, start, end));
    }

    static boolean isFrenchType(String text, int start, int end) {
        return FRENCH_TYPES.contains(key(text, start, end));
    }

    static boolean isParticle(String text, int start, int end) {
        return PARTICLES.contains(text.substring(start, end).toLowerCase(Locale.ROOT));
    }

    static boolean isGermanPreposition(String text, int start, int end) {
        return GERMAN_PREPOSITIONS.contains(text.substring(start, end));
    }

    static boolean isGermanArticle(String text, int start, int end) {
        return GERMAN_ARTICLES.contains(text.substring(start, end));
    }

    static boolean isUnitWord(String text, int start, int end) {
        return UNIT_WORDS.contains(key(text, start, end));
    }

    static boolean isDirectional(String text, int start, int end) {
        return DIRECTIONALS.contains(key(text, start, end));
    }

    static boolean isState(String text, int start, int end) {
        return end - start == 2 && STATES.contains(text.substring(start, end));
    }

    /** A German street name: a capitalised word ending in a street ending ("Hauptstraße", "Lindenweg", "Dhünnberg"). */
    static boolean isGermanStreet(String text, int start, int end) {
        return endsWithAny(text, start, end, GERMAN_ENDINGS);
    }

    /** "Straße", "Weg", "Allee" on their own: the street's name is the word before ("Berliner Straße"). */
    static boolean isBareGermanStreetWord(String text, int start, int end) {
        String word = text.substring(start, end).toLowerCase(Locale.ROOT);
        for (String ending : GERMAN_ENDINGS) {
            if (word.equals(ending)) {
                return true;
            }
        }
        return false;
    }

    /** A capitalised word with an ending that place names share ("Dhünnberg", but also "Heidelberg"). */
    static boolean isWeakGermanStreet(String text, int start, int end) {
        return endsWithAny(text, start, end, WEAK_GERMAN_ENDINGS);
    }

    private static boolean endsWithAny(String text, int start, int end, String[] endings) {
        if (!Character.isUpperCase(text.charAt(start))) {
            return false;
        }
        String word = text.substring(start, end).toLowerCase(Locale.ROOT);
        for (String ending : endings) {
            if (word.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }
}
