package org.dplstm.cli;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a classifier's labels all name languages: then the task is language identification, the
 * one the shipped character encoder was trained for (ClassifierDefaults). Reads only the label
 * names, which every classifier releases without noise in its model (docs/ARCHITECTURE.md §2:
 * the label set is public), never the texts.
 *
 * <p>A label names a language when it is an ISO 639-1 code ({@code de}) or the ISO 639-2 code of
 * one ({@code deu}), optionally tagged with a script and a region ({@code zh-Hans}, {@code pt_BR},
 * {@code es-419}) or a gettext modifier ({@code sr@latin}), or when it is a language's English or own
 * name ({@code German}, {@code Deutsch}), in any case. Codes that are also common English words or
 * abbreviations ({@code it}, {@code hr}, {@code no}, {@code cat} ...) count only beside at least one
 * label that is unambiguous, so that {@code it}/{@code hr} ticket routing stays a topic task.
 * Beyond those, a short list of three-letter codes that language-ID corpora use counts: the ISO
 * 639-2/B forms ({@code ger}, {@code fre}, {@code chi}) and the ISO 639-3 codes of individual
 * languages inside a macrolanguage ({@code cmn}, {@code yue}, {@code pes}, {@code fil} ...), with
 * their names where the JDK has them and a few common aliases ({@code Farsi}, {@code Mandarin}),
 * also as BCP 47 extended language subtags after their macrolanguage ({@code zh-yue},
 * {@code ar-arz}). The rest of ISO 639-3
 * is not taken: it includes common words ({@code pos} and {@code neg} are languages there). One
 * catch-all class ({@code other}, {@code unknown}, {@code und} ...) may sit beside two or more
 * languages: "any other language" is still language identification.
 */
final class LanguageLabels {

    private static final Set<String> SCRIPTS = Set.of("latn", "cyrl", "hans", "hant", "arab", "deva", "grek", "hebr",
            "jpan", "kore", "thai", "beng", "taml", "geor", "armn", "ethi");
    private static final Pattern TAG =
            Pattern.compile("([a-z]{2,3})(?:[-_]([a-z]{3}))?((?:[-_](?:[a-z]{4}|[a-z]{2}|[0-9]{3}))*)(@[a-z]+)?");
    private static final Set<String> WORD_LIKE_CODES = Set.of("am", "an", "as", "be", "he", "hi", "hr", "id", "in", "is",
            "it", "la", "ml", "ms", "mt", "my", "no", "or", "os", "pa", "se", "so", "to", "ve", "als", "arm", "ave", "ben",
            "bis", "cat", "chi", "fin", "geo", "hat", "her", "ice", "kin", "lat", "lav", "lim", "lin", "mac", "mal", "mar",
            "may", "nan", "nor", "pan", "per", "plt", "pol", "rum", "run", "sag", "san", "sin", "som", "sun", "tam", "tat",
            "tel", "ton", "vec", "vol", "war");
    /** ISO 639-2/B codes, whose languages the JDK lists by their 639-2/T code. */
    private static final Set<String> BIBLIOGRAPHIC_CODES = Set.of("alb", "arm", "baq", "bur", "chi", "cze", "dut", "fre",
            "geo", "ger", "gre", "ice", "mac", "mao", "may", "per", "rum", "slo", "tib", "wel");
    /**
     * ISO 639-3 codes of individual languages inside a macrolanguage that language-ID corpora label by
     * (Mandarin, Cantonese, Iranian Persian, Egyptian Arabic, Swahili, Standard Malay ...), with that
     * macrolanguage: also BCP 47 extended language subtags after it ({@code zh-yue}).
     */
    private static final Map<String, String> MACROLANGUAGE_OF = Map.ofEntries(Map.entry("cmn", "zh"),
            Map.entry("yue", "zh"), Map.entry("wuu", "zh"), Map.entry("nan", "zh"), Map.entry("hak", "zh"),
            Map.entry("lzh", "zh"), Map.entry("pes", "fa"), Map.entry("prs", "fa"), Map.entry("arb", "ar"),
            Map.entry("arz", "ar"), Map.entry("ary", "ar"), Map.entry("apc", "ar"), Map.entry("swh", "sw"),
            Map.entry("zsm", "ms"), Map.entry("ekk", "et"), Map.entry("lvs", "lv"), Map.entry("als", "sq"),
            Map.entry("azj", "az"), Map.entry("azb", "az"), Map.entry("uzn", "uz"), Map.entry("khk", "mn"),
            Map.entry("npi", "ne"), Map.entry("ory", "or"), Map.entry("plt", "mg"), Map.entry("ckb", "ku"),
            Map.entry("kmr", "ku"), Map.entry("ydd", "yi"));
    /** ISO 639-3 codes of languages without a two-letter code (Filipino, Swiss German, Low German ...). */
    private static final Set<String> REGIONAL_CODES = Set.of("fil", "gsw", "nds", "ast", "scn", "vec", "ceb", "war",
            "hsb", "dsb");
    private static final Set<String> ALIASES = Set.of("farsi", "mandarin", "bokmål", "nynorsk", "castilian", "flemish",
            "moldovan", "simplified chinese", "traditional chinese", "brazilian portuguese");
    /** Classes for "any other language"; at most one per label set. */
    private static final Set<String> CATCH_ALL = Set.of("other", "others", "unknown", "und", "mul", "zxx", "mixed");
    private static final Set<String> CODES = new HashSet<>();
    private static final Set<String> REGIONS = new HashSet<>(Arrays.asList(Locale.getISOCountries()));
    private static final Set<String> NAMES = new HashSet<>(ALIASES);

    static {
        for (String code : Locale.getISOLanguages()) {
            Locale language = new Locale(code);
            CODES.add(code);
            CODES.add(language.getISO3Language());
            addNames(language);
        }
        Stream.concat(MACROLANGUAGE_OF.keySet().stream(), REGIONAL_CODES.stream()).forEach(code -> {
            CODES.add(code);
            addNames(new Locale(code));
        });
        CODES.addAll(BIBLIOGRAPHIC_CODES);
    }

    /** The language's English and own names, where the JDK knows them (it returns the code where not). */
    private static void addNames(Locale language) {
        for (String name : List.of(language.getDisplayLanguage(Locale.ENGLISH), language.getDisplayLanguage(language))) {
            if (!name.equalsIgnoreCase(language.getLanguage())) {
                NAMES.add(name.toLowerCase(Locale.ROOT));
            }
        }
    }

    private LanguageLabels() {}

    /**
     * True when, besides at most one catch-all class, there are at least two labels, every one names
     * a language, and at least one does so unambiguously (not only a code that is also a common word).
     */
    static boolean isLanguageIdentification(Collection<String> labels) {
        List<String> normalised = labels.stream().map(label -> label.strip().toLowerCase(Locale.ROOT)).toList();
        List<String> languages = normalised.stream().filter(label -> !CATCH_ALL.contains(label)).toList();
        return normalised.size() - languages.size() <= 1 && languages.size() >= 2
                && languages.stream().allMatch(LanguageLabels::namesLanguage)
                && languages.stream().anyMatch(label -> !WORD_LIKE_CODES.contains(label));
    }

    private static boolean namesLanguage(String label) {
        String text = label.strip().toLowerCase(Locale.ROOT);
        if (NAMES.contains(text)) {
            return true;
        }
        Matcher tag = TAG.matcher(text);
        return tag.matches() && CODES.contains(tag.group(1))
                && (tag.group(2) == null || tag.group(1).equals(MACROLANGUAGE_OF.get(tag.group(2))))
                && subtagsAreReal(tag.group(3));
    }

    /** Each subtag after the language is a known script (4 letters), a country (2) or a UN region (3 digits). */
    private static boolean subtagsAreReal(String subtags) {
        for (String subtag : subtags.split("[-_]")) {
            boolean real = subtag.isEmpty() || subtag.matches("[0-9]{3}")
                    || subtag.length() == 4 && SCRIPTS.contains(subtag)
                    || subtag.length() == 2 && REGIONS.contains(subtag.toUpperCase(Locale.ROOT));
            if (!real) {
                return false;
            }
        }
        return true;
    }
}
