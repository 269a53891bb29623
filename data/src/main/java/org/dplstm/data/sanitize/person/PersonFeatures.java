package org.dplstm.data.sanitize.person;

import java.util.List;

/**
 * The features of one capitalised word for the person scorer, hashed into a fixed number of
 * buckets (the "hashing trick"): the word, its prefix and suffixes, its shape, whether it is a
 * known first name, surname or common lower-case word, the same for its neighbours, the words
 * around it, and the run of capitalised words it belongs to. Training and detection share this
 * class, so a model file and the code that reads it always agree (see {@link #VERSION}).
 *
 * <p>Version 2 adds German: whether a word is a German noun (Debian's wngerman), ends in one (a
 * compound: "Bibliotheksdateien", "Echtzeit-Strategiespiel"), or is another German word with a
 * capital ("Leistungsfähige" at a sentence start), alone, with the neighbours' bits and with how
 * German the text's lower-case words look ("und", "für"), as six more features. A model without German
 * lists (version 1) gets exactly the features it was trained with.
 */
final class PersonFeatures {
    /** Bumped whenever a feature changes; a model file records the version it was trained with. */
    static final int VERSION = 2;
    /** At most this many features per word. */
    static final int MAX = 26;
    /** The bits of {@link #lists}: which word lists hold a word. */
    static final int FIRST_NAME = 1;
    static final int SURNAME = 2;
    static final int COMMON_WORD = 4;
    static final int PROPER_NOUN = 8;
    /** A German noun as it is (wngerman's capitalised entries, the names and places it lists among them). */
    static final int GERMAN_NOUN = 16;
    /** Not itself a listed noun, but ends in a listed German word of at least {@link #MIN_PART} letters
     * after at least {@link #MIN_HEAD} letters, or after a hyphen, or is one with a plural or genitive ending: a
     * German compound or inflected noun ("Bibliotheksdateien", "Skripte"). */
    static final int GERMAN_COMPOUND = 32;
    /** A German lower-case word (adjective, verb...) written with a capital. */
    static final int GERMAN_WORD = 64;
    /** The version 1 bits. */
    private static final int V1_BITS = 15;
    /** The shortest noun that makes a compound's last part ("Zeit", "Datei", "Spiel..."). */
    static final int MIN_PART = 4;
    /** The shortest first part of a compound: "Bus-", "Eis-" (two letters would make "Maelle" end in "Elle"). */
    static final int MIN_HEAD = 3;

    private static final int BIAS = 1;
    private static final int WORD = 2;
    private static final int SUFFIX2 = 3;
    private static final int SUFFIX3 = 4;
    private static final int PREFIX3 = 5;
    private static final int LISTS = 6;
    private static final int LISTS_AT_START = 7;
    private static final int SHAPE = 8;
    private static final int PREVIOUS = 9;
    private static final int PREVIOUS2 = 10;
    private static final int NEXT = 11;
    private static final int NEXT2 = 12;
    private static final int PREVIOUS_CLASS = 13;
    private static final int NEXT_CLASS = 14;
    private static final int PREVIOUS_CLASS_LISTS = 15;
    private static final int NEXT_CLASS_LISTS = 16;
    private static final int RUN = 17;
    private static final int RUN_LISTS = 18;
    private static final int PREVIOUS_LISTS = 19;
    private static final int GERMAN = 20;
    private static final int GERMAN_LISTS = 21;
    private static final int GERMAN_PREVIOUS = 22;
    private static final int GERMAN_NEXT = 23;
    private static final int GERMAN_TEXT = 24;
    private static final int GERMAN_TEXT_START = 25;
    /**
     * German function words (a few, such as "die" or "hat", are English words too): two or more of them
     * in a text make it German text, where a capitalised word is far more often a noun than in English.
     */
    private static final WordSet GERMAN_FUNCTION_WORDS = new WordSet(List.of("der", "die", "das", "und",
            "ist", "nicht", "mit", "für", "von", "auf", "ein", "eine", "einen", "einem", "einer", "dem", "den", "des",
            "wird", "werden", "wurde", "sich", "auch", "oder", "zu", "zum", "zur", "bei", "nach", "aus", "wie",
            "sind", "kann", "können", "diese", "dieses", "dieser", "im", "über", "unter", "wenn", "sie", "wir", "ich",
            "ihre", "ihr", "sein", "seine", "durch", "oft", "noch", "nur", "mehr", "sehr", "haben", "hat", "wurden",
            "zwischen", "dass", "daß", "welche", "beim", "vom", "ohne", "sowie", "bzw", "z", "b", "keine", "kein"));

    private final WordSet firstNames;
    private final WordSet lastNames;
    private final WordSet commonWords;
    private final WordSet properNouns;
    private final WordSet germanNouns;
    private final WordSet germanWords;
    private final boolean german;

    PersonFeatures(WordLists lists) {
        this.firstNames = lists.firstNames();
        this.lastNames = lists.lastNames();
        this.commonWords = lists.commonWords();
        this.properNouns = lists.properNouns();
        this.germanNouns = lists.germanNouns();
        this.germanWords = lists.germanWords();
        this.german = lists.hasGerman();
    }

    /**
     * Bits: 1 a known first name, 2 a known surname, 4 a common lower-case word (English, and
     * German, Spanish and French function words), 8 a proper noun of an English dictionary
     * (places, peoples, brands, and people too: "Seoul", "Yahoo", "Dana"); with German lists also
     * 16 a German noun, 32 a German compound noun, 64 another German word.
     */
    int lists(NameTokens tokens, int t) {
        String text = tokens.text;
        int s = tokens.start[t];
        int e = tokens.end[t];
        int bits = (firstNames.contains(text, s, e) ? FIRST_NAME : 0) | (lastNames.contains(text, s, e) ? SURNAME : 0)
                | (commonWords.contains(text, s, e) ? COMMON_WORD : 0) | (properNouns.contains(text, s, e) ? PROPER_NOUN : 0);
        if (german && e - s >= 2) {
            if (germanNouns.contains(text, s, e)) {
                bits |= GERMAN_NOUN;
            } else if (isCompound(text, s, e)) {
                bits |= GERMAN_COMPOUND;
            }
            if (germanWords.contains(text, s, e)) {
                bits |= GERMAN_WORD;
            }
        }
        return bits;
    }

    /**
     * Whether text[s, e) ends in a listed German word: the part after its last hyphen is one or ends
     * in one ("3D-Grafiken", "Echtzeit-Strategiespiel"), or the word does after at least {@link #MIN_HEAD} letters
     * ("Bibliotheksdateien": "dateien"), the listed part {@link #MIN_PART} letters or more.
     */
    boolean isCompound(String text, int s, int e) {
        int part = s;
        for (int i = e - 1; i > s; i--) {
            if (text.charAt(i) == '-') {
                part = i + 1;
                break;
            }
        }
        if (part > s ? e - part >= 2 && isGerman(text, part, e) : isInflectedNoun(text, s, e)) {
            return true;
        }
        for (int from = part + MIN_HEAD; e - from >= MIN_PART; from++) {
            if (isGerman(text, from, e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A listed German noun or a lower-case entry (wngerman lists a word once: "Spiel" and "spiel" as
     * "spiel"), as it is or without a plural or genitive ending ("Skripte": "Skript") when what is
     * left has {@link #MIN_PART} letters or more.
     */
    private boolean isGerman(String text, int s, int e) {
        return germanNouns.contains(text, s, e) || germanWords.contains(text, s, e) || isInflectedNoun(text, s, e);
    }

    /** A listed German noun with a plural or genitive ending: -e, -n, -s, -en, -es ("Skripte"). */
    private boolean isInflectedNoun(String text, int s, int e) {
        char last = Character.toLowerCase(text.charAt(e - 1));
        if (last != 'e' && last != 'n' && last != 's') {
            return false;
        }
        if (e - 1 - s >= MIN_PART && germanNouns.contains(text, s, e - 1)) {
            return true;
        }
        char before = Character.toLowerCase(text.charAt(e - 2));
        return (last == 'n' || last == 's') && before == 'e' && e - 2 - s >= MIN_PART && germanNouns.contains(text, s, e - 2);
    }

    /**
     * Writes the hashed features of capitalised word {@code t} into {@code out}; returns how many.
     * {@code lists} holds {@link #lists} for every capitalised token (else -1).
     */
    int extract(NameTokens tokens, int t, int[] lists, int[] out) {
        String text = tokens.text;
        int s = tokens.start[t];
        int e = tokens.end[t];
        int full = lists[t];
        int own = full & V1_BITS;
        int n = 0;
        out[n++] = mix(BIAS, 0);
        out[n++] = mix(WORD, WordSet.hash(text, s, e));
        out[n++] = mix(SUFFIX2, WordSet.hash(text, Math.max(s, e - 2), e));
        out[n++] = mix(SUFFIX3, WordSet.hash(text, Math.max(s, e - 3), e));
        out[n++] = mix(PREFIX3, WordSet.hash(text, s, Math.min(e, s + 3)));
        out[n++] = mix(LISTS, own);
        boolean atStart = isSentenceStart(tokens, t);
        out[n++] = mix(LISTS_AT_START, own * 2 + (atStart ? 1 : 0));
        out[n++] = mix(SHAPE, shape(tokens, t));
        out[n++] = mix(PREVIOUS, wordHash(tokens, t - 1));
        out[n++] = mix(PREVIOUS2, wordHash(tokens, t - 2));
        out[n++] = mix(NEXT, wordHash(tokens, t + 1));
        out[n++] = mix(NEXT2, wordHash(tokens, t + 2));
        int previousClass = tokenClass(tokens, t - 1, lists, V1_BITS);
        int nextClass = tokenClass(tokens, t + 1, lists, V1_BITS);
        out[n++] = mix(PREVIOUS_CLASS, previousClass);
        out[n++] = mix(NEXT_CLASS, nextClass);
        out[n++] = mix(PREVIOUS_CLASS_LISTS, previousClass * 16 + own);
        out[n++] = mix(NEXT_CLASS_LISTS, nextClass * 16 + own);
        out[n++] = mix(PREVIOUS_LISTS, wordHash(tokens, t - 1) * 31 + own);
        // the run of adjacent capitalised words (and initials) around t: "John F. Smith", "Debian GNU Linux"
        int first = t;
        while (first > 0 && tokens.adjacent(first - 1) && isNamePart(tokens, first - 1)) {
            first--;
        }
        int last = t;
        while (last + 1 < tokens.size && tokens.adjacent(last) && isNamePart(tokens, last + 1)) {
            last++;
        }
        int runLength = Math.min(4, last - first + 1);
        int position = t == first ? (t == last ? 0 : 1) : (t == last ? 2 : 3);
        out[n++] = mix(RUN, runLength * 4 + position);
        int runLists = 0;
        for (int r = first; r <= last; r++) {
            if (r != t && lists[r] >= 0) {
                runLists |= lists[r] & V1_BITS;
            }
        }
        out[n++] = mix(RUN_LISTS, (runLists * 16 + own) * 4 + position);
        if (german) { // the version 2 features: the German bits, alone and with the neighbours'
            out[n++] = mix(GERMAN, (full >>> 4) * 2 + (atStart ? 1 : 0));
            out[n++] = mix(GERMAN_LISTS, full * 2 + (atStart ? 1 : 0));
            out[n++] = mix(GERMAN_PREVIOUS, tokenClass(tokens, t - 1, lists, -1) * 128 + full);
            out[n++] = mix(GERMAN_NEXT, tokenClass(tokens, t + 1, lists, -1) * 128 + full);
            int context = germanContext(tokens);
            out[n++] = mix(GERMAN_TEXT, context * 128 + full);
            out[n++] = mix(GERMAN_TEXT_START, context * 2 + (atStart ? 1 : 0));
        }
        return n;
    }

    /**
     * 0, 1 or 2: how many of the text's lower-case words are German function words ("und", "die",
     * "für"), two or more counted as 2. Computed once per text.
     */
    static int germanContext(NameTokens tokens) {
        if (tokens.germanContext < 0) {
            int count = 0;
            for (int t = 0; t < tokens.size && count < 2; t++) {
                if (tokens.isLowerCase(t) && tokens.length(t) <= 8
                        && GERMAN_FUNCTION_WORDS.contains(tokens.text, tokens.start[t], tokens.end[t])) {
                    count++;
                }
            }
            tokens.germanContext = count;
        }
        return tokens.germanContext;
    }

    private static boolean isNamePart(NameTokens tokens, int t) {
        return tokens.kind[t] == NameTokens.INITIAL || tokens.isCapitalised(t);
    }

    private static boolean isSentenceStart(NameTokens tokens, int t) {
        if (t == 0) {
            return true;
        }
        if (tokens.kind[t - 1] != NameTokens.PUNCT) {
            return false;
        }
        char c = tokens.firstChar(t - 1);
        return c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || c == '(' || c == '\u201C' || c == '*'
                || c == '-' || c == ';';
    }

    /** Length bucket, hyphen, apostrophe, inner capital, non-ASCII letters. */
    private static int shape(NameTokens tokens, int t) {
        String text = tokens.text;
        int length = tokens.length(t);
        int bucket = length <= 2 ? 0 : length <= 3 ? 1 : length <= 5 ? 2 : length <= 8 ? 3 : 4;
        boolean hyphen = false;
        boolean apostrophe = false;
        boolean innerCapital = false;
        boolean nonAscii = false;
        for (int i = tokens.start[t]; i < tokens.end[t]; i++) {
            char c = text.charAt(i);
            hyphen |= c == '-';
            apostrophe |= c == '\'' || c == '\u2019';
            innerCapital |= i > tokens.start[t] && Character.isUpperCase(c) && text.charAt(i - 1) != '-';
            nonAscii |= c > 127;
        }
        return bucket * 16 + (hyphen ? 8 : 0) + (apostrophe ? 4 : 0) + (innerCapital ? 2 : 0) + (nonAscii ? 1 : 0);
    }

    /** The lower-cased word or punctuation at {@code t}; fixed values before and after the text. */
    private static int wordHash(NameTokens tokens, int t) {
        if (t < 0) {
            return 1;
        }
        if (t >= tokens.size) {
            return 2;
        }
        if (tokens.kind[t] == NameTokens.NUMBER) {
            return 3;
        }
        return WordSet.hash(tokens.text, tokens.start[t], tokens.end[t]);
    }

    /**
     * A neighbour's class: its list bits (those of {@code bits}) when capitalised, else 16 (version 1
     * bits) or 128 (all bits) + lower-case word 0, initial 1, number 2, punctuation 3-9 by character,
     * other word 11, nothing 12.
     */
    private static int tokenClass(NameTokens tokens, int t, int[] lists, int bits) {
        int base = bits == V1_BITS ? 16 : 128;
        if (t < 0 || t >= tokens.size) {
            return base + 12;
        }
        if (lists[t] >= 0) {
            return lists[t] & bits;
        }
        return base + switch (tokens.kind[t]) {
            case NameTokens.WORD -> tokens.isLowerCase(t) ? 0 : 11;
            case NameTokens.INITIAL -> 1;
            case NameTokens.NUMBER -> 2;
            default -> switch (tokens.firstChar(t)) {
                case ',' -> 4;
                case '.' -> 5;
                case ':' -> 6;
                case '(', ')' -> 7;
                case '"', '\'', '\u201C', '\u201D' -> 8;
                case '-' -> 9;
                default -> 3;
            };
        };
    }

    /** A template id and a value, mixed into one hash (the caller masks it to its table). */
    static int mix(int template, int value) {
        int h = value * 0x9E3779B1 + template * 0x85EBCA6B;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        return h;
    }
}
